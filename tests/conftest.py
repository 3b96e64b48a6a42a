"""测试共用的夹具：构建一次站点并在本机回环地址上提供服务。"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # 测试直接调用站点钩子里的函数（import dlguide_site）


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``mkdocs build --strict`` 到临时目录，返回 (站点目录, 构建日志)。

    并行运行（pytest-xdist）时各进程共用一次构建：第一个进程在文件锁里构建，其余的等它完成后直接用。
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # 各工作进程的临时目录的共同上级
    with FileLock(str(shared / "built-site.lock")):
        done = shared / "built-site.json"
        if done.is_file():
            record = json.loads(done.read_text(encoding="utf-8"))
            return Path(record["site"]), record["log"]
        site, log = _build_site(shared / "built-site")
        done.write_text(json.dumps({"site": str(site), "log": log}), encoding="utf-8")
        return site, log


def _build_site(site: Path) -> tuple[Path, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict 失败：\n{log}"
    return site, log


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: tuple[Path, str]) -> Iterator[str]:
    """在 127.0.0.1 的随机端口上提供构建好的站点。"""
    site, _ = built_site
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def chromium_path() -> str | None:
    """系统里的 Chromium（Debian 的 chromium 包）；测试从不下载浏览器。"""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None

