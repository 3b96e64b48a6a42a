"""代码风格：ruff 按 pyproject.toml 的配置检查全部 Python 文件；每个 noqa 都对应一条开着的规则（RUF100）。"""

from __future__ import annotations

import re
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


# 控制字符（制表符也算）在源码和页面里只会是事故：写文件时 "\b"、"\t"、"\f" 被当成转义，
# 公式里的 \beta、\times、\frac 就变成了退格、制表、换页（MathJax 报错，或页面显示 "imes"）。
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_TEXT_SUFFIXES = {".md", ".py", ".yml", ".yaml", ".toml", ".css", ".js", ".sh", ".txt"}


def _text_files() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in tracked if Path(name).suffix in _TEXT_SUFFIXES and (ROOT / name).is_file()]


def _control_characters(text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, m.start()) + 1, repr(m.group())) for m in _CONTROL.finditer(text.replace("\r\n", "\n"))]


def test_no_control_characters_in_sources_and_pages() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: 控制字符 {char}"
        for path in _text_files()
        for line, char in _control_characters(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


def test_the_control_character_check_can_fail() -> None:
    assert _control_characters("参数 $\\gamma$、$\beta$\n$0.99^n\times 0.01$") == [(1, "'\\x08'"), (2, "'\\t'")]
