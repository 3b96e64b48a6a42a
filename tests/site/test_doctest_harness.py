"""元测试：证明页面 doctest 真的会失败，并且失败信息指出页面和行号。"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path("activations/sigmoid.md")


def _run(
    tmp_path: Path,
    page_text: str,
    env: dict[str, str] | None = None,
    pretend_gpu: bool = False,
    args: list[str] | None = None,
    files: dict[Path, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    conftest = (ROOT / "conftest.py").read_text(encoding="utf-8")
    if pretend_gpu:  # 没有 GPU 的机器上检查“别的设备”这条分支：假装有一块 CUDA 设备（页面本身不碰设备）
        conftest = conftest.replace(
            "import torch\n", "import torch\n\ntorch.cuda.is_available = lambda: True\ntorch.cuda.device_count = lambda: 1\n", 1
        )
    (tmp_path / "conftest.py").write_text(conftest, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:doctest -p no:cacheprovider\n")
    target = tmp_path / "docs" / PAGE
    target.parent.mkdir(parents=True)
    target.write_text(page_text, encoding="utf-8")
    for path, text in (files or {}).items():
        path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *(args or []), "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DLGUIDE_DEVICE": "cpu", **(env or {})},
    )


def test_unchanged_copy_passes(tmp_path: Path) -> None:
    result = _run(tmp_path, (ROOT / "docs" / PAGE).read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stdout + result.stderr
    passed = int(re.search(r"(\d+) passed", result.stdout).group(1))
    assert passed >= 20  # 页面上的每个 >>> 都是一个测试


def test_wrong_expected_output_fails_naming_page_and_line(tmp_path: Path) -> None:
    original = (ROOT / "docs" / PAGE).read_text(encoding="utf-8")
    wrong = original.replace("[0, 0, 0, 1]", "[0, 0, 1, 1]", 1)
    assert wrong != original
    line = original[: original.index("[0, 0, 0, 1]")].count("\n")  # 期望输出的上一行就是那个 >>> 示例
    result = _run(tmp_path, wrong)
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert f"sigmoid.md, line {line}" in result.stdout
    assert "Expected:\n    [0, 0, 1, 1]" in result.stdout


def test_outputs_compare_exactly_on_cpu(tmp_path: Path) -> None:
    """CPU 上逐字比较：页面上写 3.14 而 Python 打印 3.14159 时失败（不靠 NUMBER 放过）。"""
    page = "```pycon\n>>> 3.14159\n3.14\n>>> round(3.14159, 2)\n3.14\n```\n"
    result = _run(tmp_path, page)
    assert "1 passed" in result.stdout and "1 failed" in result.stdout, result.stdout


def test_number_flag_only_on_other_devices(tmp_path: Path) -> None:
    page = "```pycon\n>>> 3.14159\n3.14\n>>> 0.5000001\n0.5\n```\n\n```pycon\n>>> 2.5\n2.6\n```\n"
    result = _run(tmp_path, page, env={"DLGUIDE_DEVICE": "cuda"}, pretend_gpu=True)
    assert "2 passed" in result.stdout and "1 failed" in result.stdout, result.stdout


def test_failure_inside_an_admonition_names_the_true_line(tmp_path: Path) -> None:
    page = '# t\n\n!!! note "x"\n    text\n\n    ```pycon\n    >>> 1 + 1\n    2\n    >>> 2 + 2\n    5\n    ```\n'
    result = _run(tmp_path, page)
    assert "1 failed" in result.stdout
    assert "sigmoid.md, line 9, column 5" in result.stdout, result.stdout


def test_every_example_reports_its_own_line() -> None:
    """每个示例（页面上的、docstring 里的）报告的行号都指向它自己的 >>> 行：失败信息才能把读者带到对的地方。"""
    spec = importlib.util.spec_from_file_location("dlguide_root_conftest", ROOT / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)  # 仓库根目录的 Sybil 配置（tests/conftest.py 是另一个）
    wrong = []
    for sybil, pattern, folder in ((conftest.pages, "*.md", "docs"), (conftest.docstrings, "*.py", "dlguide")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            lines = path.read_text(encoding="utf-8").split("\n")
            for example in sybil.parse(path):
                first = example.region.parsed.source.split("\n")[0].rstrip()
                if not lines[example.line - 1].lstrip().startswith(f">>> {first}".rstrip()):
                    wrong.append(f"{path.relative_to(ROOT)}:{example.line}")
    assert wrong == []


def test_shuffling_and_parallel_runs_keep_each_page_in_order(tmp_path: Path) -> None:
    """pytest-randomly 打乱顺序、pytest-xdist 并行时，一个页面的示例仍按顺序在同一个进程里运行。"""
    page = (ROOT / "docs" / PAGE).read_text(encoding="utf-8")
    extra = tmp_path / "docs" / "other.md"
    result = _run(tmp_path, page, args=["-p", "randomly", "-p", "xdist", "-n", "2"], files={extra: page})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
