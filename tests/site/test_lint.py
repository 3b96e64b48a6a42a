"""代码风格：ruff 按 pyproject.toml 的配置检查全部 Python 文件；每个 noqa 都对应一条开着的规则（RUF100）。"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_catch_an_unused_noqa(tmp_path: Path) -> None:
    """这个测试能失败：一个指向没开的规则的 noqa 会被 RUF100 报出来。"""
    bad = tmp_path / "bad.py"
    bad.write_text("import os  # noqa: E999\n\nprint(os.sep)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "RUF100" in result.stdout, result.stdout
