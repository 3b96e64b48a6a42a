"""执行构建出的每页笔记本，核对每个单元的输出与页面上的期望输出一致（CPU）。

用法：python scripts/check_notebooks.py SITE_DIR [页面 …]
  SITE_DIR 是 ``mkdocs build`` 的输出目录；不给页面时检查全部专题页的笔记本（CI 在测试套件之后运行它）。
比较的规则与页面 doctest 相同：逐字比较，只允许 ``...`` 省略和空白差异；期望抛出异常的单元比较异常的类型和信息。
"""

from __future__ import annotations

import argparse
import doctest
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import dlguide_notebooks  # noqa: E402
import yaml  # noqa: E402

# 与页面 doctest 相同的运行条件：单线程（浮点求和顺序固定），关掉 IPython 的分行美化（输出与标准提示符一致）。
SETUP = "import torch\ntorch.set_num_threads(1)\nget_ipython().run_line_magic('pprint', 'off')"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def topic_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "docs" / "toc.yml").read_text(encoding="utf-8"))
    pages: list[str] = []
    for chapter in toc:
        for topic in chapter["topics"]:
            page = topic.get("page", "").partition("#")[0]
            if page and page not in pages:
                pages.append(page)
    return pages


def _got(outputs: list[dict]) -> str:
    text = ""
    for out in outputs:
        if out["output_type"] == "stream":
            text += "".join(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            text += "".join(out["data"].get("text/plain", "")) + "\n"
        elif out["output_type"] == "error":
            text += f"{out['ename']}: {out['evalue']}\n"
    return text


def check(notebook_path: Path, timeout: int = 120) -> list[str]:
    """执行一个笔记本，返回不一致的单元（空列表表示全部一致）。"""
    import nbformat  # noqa: PLC0415  只在检查笔记本时需要
    from nbclient import NotebookClient  # noqa: PLC0415

    nb = nbformat.read(notebook_path, as_version=4)
    expected = ["".join("".join(o["text"]) for o in c.get("outputs", [])) for c in nb.cells]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
    profile = ROOT / ".cache" / "ipython" / "profile_default"  # 与站点构建相同：内核不打印 TCP 提示
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text('c.IPKernelApp.log_level = "ERROR"\n', encoding="utf-8")
    env = {**os.environ, "DLGUIDE_DEVICE": os.environ.get("DLGUIDE_DEVICE", "cpu"), "IPYTHONDIR": str(profile.parent)}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute(env=env)
    checker = doctest.OutputChecker()
    problems = []
    for cell, want in zip(nb.cells[1:], expected):
        if cell.cell_type != "code":
            continue
        got = _got(cell.outputs)
        line = cell.metadata.get("dlguide", {}).get("line")
        if want.startswith("Traceback (most recent call last)"):
            want_last = want.strip().splitlines()[-1]
            ok = checker.check_output(want_last + "\n", got.strip().splitlines()[-1] + "\n" if got.strip() else "", FLAGS)
        else:
            ok = checker.check_output(want, got, FLAGS)
        if not ok:
            problems.append(f"{notebook_path.name} 单元（页面第 {line} 行）：期望\n{want}实际\n{got}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args()
    pages = args.pages or topic_pages()
    failures: list[str] = []
    start = time.perf_counter()
    for page in pages:
        path = args.site / dlguide_notebooks.notebook_name(page)
        if not path.is_file():
            failures.append(f"{page}: 站点里没有笔记本 {path}")
            continue
        t0 = time.perf_counter()
        problems = check(path)
        failures += problems
        print(f"{'通过' if not problems else '失败'} {page}（{time.perf_counter() - t0:.1f} s）", flush=True)
    print(f"{len(pages)} 个笔记本，{len(failures)} 处不一致，用时 {time.perf_counter() - start:.0f} s")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
