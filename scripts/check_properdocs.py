"""长期可用性检查：用 ProperDocs（MkDocs 1.x 的直接替代分支）构建同一个站点，与 MkDocs 的构建逐页对照。

MkDocs Material 已进入维护模式（宣布 2027-05-05 停止维护），MkDocs 本身也不再维护 1.x。
计划是：需要时把 ``mkdocs`` 换成 ``properdocs``（PyPI 包名和命令名都是 properdocs），配置、插件、钩子都不改。
本脚本守住这条退路：两者都用 ``--strict`` 构建今天的 mkdocs.yml（同样的插件和 hooks/），然后要求

- 两边生成的文件列表完全相同（页面、图、MathJax、搜索索引……）；
- 每个文件的内容相同，只允许两处差别：HTML 里的 ``<meta name="generator">``，
  以及 jupytext 每次随机生成的笔记本单元格 id；
- ProperDocs 那边的 generator 确实写着 ProperDocs（插件里的 ``import mkdocs`` 被它接管，没有偷偷用回 MkDocs）。

用法：python scripts/check_properdocs.py [--mkdocs-site DIR]   （CI 在测试套件之后运行它）
``--mkdocs-site`` 复用一个已有的 ``mkdocs build --strict`` 输出，省掉一次构建。
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')
CELL_ID = re.compile(rb'id="cell-id=[0-9a-f]+"')
# 笔记本（.ipynb）里 jupytext 每次转换随机生成的单元 id
NOTEBOOK_CELL_ID = re.compile(rb'"id": "[0-9a-f]{8}"')


def build(command: list[str], site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [*command, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} build --strict 失败：\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def _normalise(data: bytes) -> bytes:
    return NOTEBOOK_CELL_ID.sub(b'"id": "cell"', CELL_ID.sub(b'id="cell-id"', GENERATOR.sub(b"", data)))


def compare(mkdocs_site: Path, properdocs_site: Path) -> list[str]:
    """返回两次构建之间的差别（空列表表示一致）。"""
    problems = []
    a = {p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("*") if p.is_file()}
    b = {p.relative_to(properdocs_site).as_posix() for p in properdocs_site.rglob("*") if p.is_file()}
    for name, only in (("只有 MkDocs 生成", a - b), ("只有 ProperDocs 生成", b - a)):
        if only:
            problems.append(f"{name}：{sorted(only)[:10]}（共 {len(only)} 个）")
    differ = [
        rel for rel in sorted(a & b)
        if _normalise((mkdocs_site / rel).read_bytes()) != _normalise((properdocs_site / rel).read_bytes())
    ]
    if differ:
        problems.append(f"内容不同：{differ[:10]}（共 {len(differ)} 个）")
    home = (properdocs_site / "index.html").read_bytes() if (properdocs_site / "index.html").is_file() else b""
    generator = GENERATOR.search(home)
    if not generator or b"ProperDocs" not in generator.group(1):
        problems.append(f"ProperDocs 构建的首页 generator 不是 ProperDocs：{generator and generator.group(1)!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用 ProperDocs 构建站点并与 MkDocs 的构建对照")
    parser.add_argument("--mkdocs-site", type=Path, help="已有的 mkdocs build --strict 输出目录")
    args = parser.parse_args(argv)
    # 优先用与当前 Python 同一环境里的 properdocs 命令。
    beside = Path(sys.executable).parent / "properdocs"
    properdocs = str(beside) if beside.exists() else shutil.which("properdocs")
    if properdocs is None:
        print("[properdocs] 没有安装 properdocs（pip install -c constraints.txt properdocs）", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dlguide-properdocs-") as tmp:
        mkdocs_site = args.mkdocs_site
        if mkdocs_site is None:
            mkdocs_site = Path(tmp) / "mkdocs"
            seconds = build([sys.executable, "-m", "mkdocs"], mkdocs_site)
            print(f"[properdocs] mkdocs build --strict：{seconds:.1f} s", flush=True)
        seconds = build([properdocs], Path(tmp) / "properdocs")
        print(f"[properdocs] properdocs build --strict：{seconds:.1f} s", flush=True)
        problems = compare(mkdocs_site, Path(tmp) / "properdocs")
        pages = len(list((Path(tmp) / "properdocs").rglob("*.html")))
    if problems:
        print("[properdocs] ProperDocs 的构建与 MkDocs 不同：\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    print(f"[properdocs] 一致：{pages} 个 HTML 页面及全部资源文件与 MkDocs 的构建相同", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
