"""README 的两条命令背后的脚本：端口被占用时尽早说清楚；收到 SIGTERM 时不留下临时站点；已激活的虚拟环境也能用。"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = [sys.executable, str(ROOT / "scripts" / "serve.py")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_busy_port_fails_before_building_with_a_clear_message() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        start = time.perf_counter()
        result = subprocess.run([*SERVE, "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"地址 127.0.0.1:{port} 已被占用" in result.stderr and f"--dev-addr 127.0.0.1:{port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - start < 10  # 没有先花时间构建站点


def test_sigterm_stops_serve_cleanly_and_removes_its_temporary_site(tmp_path: Path) -> None:
    site = tmp_path / "mini"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# hi\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: mini\n", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    proc = subprocess.Popen(
        [*SERVE, "--dev-addr", f"127.0.0.1:{port}", "-f", str(site / "mkdocs.yml")],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("mkdocs serve 没有启动：" + (proc.stderr.read() if proc.poll() is not None else ""))
        assert [p.name for p in temp.iterdir() if p.name.startswith("mkdocs_")], "serve 应该有一个临时站点目录"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [p.name for p in temp.iterdir() if p.name.startswith("mkdocs_")] == []


def test_setup_records_the_install_in_the_active_environment() -> None:
    """已激活别的虚拟环境时，安装记录写在那个环境里（以前写到不存在的 .venv/ 下，每次都重装并报错）。"""
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'stamp="$(python -c \'import sys; print(sys.prefix)\')/.dlguide-installed"' in text
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")],
        cwd=ROOT,
        env={**os.environ, "VIRTUAL_ENV": sys.prefix, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (Path(sys.prefix) / ".dlguide-installed").is_file()


def test_properdocs_comparison_ignores_random_cell_ids_only(tmp_path: Path) -> None:
    """``scripts/check_properdocs.py`` 对照两次构建：每次随机的单元 id 不算差别，内容的差别要报出来。"""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_properdocs  # noqa: PLC0415  脚本不是包的一部分，测试时才导入
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    a, b = tmp_path / "a", tmp_path / "b"
    for site, cell, html_id, value in ((a, "ab544408", "0f3a", "1"), (b, "55fdf31c", "9c2e", "1")):
        (site / "nb").mkdir(parents=True)
        (site / "nb" / "x.ipynb").write_text(f'{{"cells": [{{"id": "{cell}", "source": "print({value})"}}]}}')
        (site / "nb" / "index.html").write_text(f'<div id="cell-id={html_id}">x</div>')
    assert check_properdocs.compare(a, b) == [f"ProperDocs 构建的首页 generator 不是 ProperDocs：{None}"]
    (b / "nb" / "x.ipynb").write_text('{"cells": [{"id": "55fdf31c", "source": "print(2)"}]}')
    assert "内容不同：['nb/x.ipynb']（共 1 个）" in check_properdocs.compare(a, b)
