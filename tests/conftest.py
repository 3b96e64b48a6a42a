"""测试共用的夹具：构建一次站点并在本机回环地址上提供服务。"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))  # 测试直接调用站点钩子里的函数（import dlguide_site）


BUILD_TIMEOUT = 900  # 秒：从零画全部的图约 90 s CPU；机器再忙也不该超过这个时间


def _shared_dir(factory: pytest.TempPathFactory) -> Path:
    """这次运行的各进程共用的临时目录（pytest-xdist 时是各工作进程临时目录的共同上级）。"""
    shared = factory.getbasetemp()
    return shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared


# 后台构建进程：自己写结果记录，所以开始它的 pytest 工作进程先结束或崩溃都不影响别的进程等到结果。
_BUILD_SCRIPT = """
import json, os, subprocess, sys
shared, root = sys.argv[1:3]
with open(os.path.join(shared, "built-site.log"), "w", encoding="utf-8") as log:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", os.path.join(shared, "built-site")]
    code = subprocess.call(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
with open(os.path.join(shared, "built-site.json.partial"), "w", encoding="utf-8") as record:
    json.dump({"site": os.path.join(shared, "built-site"), "returncode": code}, record)
os.replace(os.path.join(shared, "built-site.json.partial"), os.path.join(shared, "built-site.json"))
"""


def _write_record(shared: Path, returncode: int, log: str) -> None:
    """构建进程没能自己写结果时（没启动起来、被杀），替它写一条失败记录，等待的进程不必等到超时。"""
    if not (shared / "built-site.json").exists():
        (shared / "built-site.log").write_text(log, encoding="utf-8")
        partial = shared / "built-site.json.partial"
        partial.write_text(json.dumps({"site": str(shared / "built-site"), "returncode": returncode}), encoding="utf-8")
        partial.replace(shared / "built-site.json")  # 原子地出现：等待的进程读到的总是完整的记录


def _start_build(shared: Path) -> None:
    """在后台开始 ``mkdocs build --strict``（这次运行里只开始一次），结果写进 ``built-site.json``。"""
    with FileLock(str(shared / "built-site.lock")):
        if (shared / "built-site.started").exists():
            return
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-c", _BUILD_SCRIPT, str(shared), str(ROOT)]
        try:
            # 自成一个进程组：运行结束时 pytest_unconfigure 能连同它画图的子进程一起停掉
            process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        except OSError as err:
            (shared / "built-site.started").write_text("", encoding="utf-8")
            _write_record(shared, -1, f"无法启动构建：{err}")
            return
        (shared / "built-site.started").write_text(str(process.pid), encoding="utf-8")
        threading.Thread(target=_reap, args=(process, shared), daemon=True).start()


def _reap(process: subprocess.Popen, shared: Path) -> None:
    returncode = process.wait()
    _write_record(shared, returncode, f"构建进程退出（返回码 {returncode}），没有写出结果")


def _build_alive(shared: Path) -> bool:
    pid = (shared / "built-site.started").read_text(encoding="utf-8").strip()
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass
    return True


def pytest_unconfigure(config: pytest.Config) -> None:
    """运行结束（或 -x、Ctrl-C 提前结束）时，还没构建完的后台构建一并停掉，不在后台继续占 CPU。

    只在这次运行的主进程里做（pytest-xdist 的工作进程结束时，别的工作进程可能还在等这次构建）。
    """
    factory = getattr(config, "_tmp_path_factory", None)
    if hasattr(config, "workerinput") or factory is None or factory._basetemp is None:
        return
    shared = factory.getbasetemp()
    started, done = shared / "built-site.started", shared / "built-site.json"
    if started.exists() and not done.exists() and _build_alive(shared):
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.killpg(int(started.read_text(encoding="utf-8")), signal.SIGTERM)


def _needs_site(item: pytest.Item) -> bool:
    return "built_site" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session: pytest.Session) -> None:
    """选中的测试里有要用构建好的站点的，收集完就在后台开始构建：构建（冷启动约 90 s）与不需要站点的测试同时进行。"""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None and not session.config.option.collectonly and any(map(_needs_site, session.items)):
        _start_build(_shared_dir(factory))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """用到构建好的站点的测试文件排到最后（文件内顺序不变）：先跑的测试不必等后台构建。"""
    needs_site = {item.path for item in items if _needs_site(item)}
    items[:] = [i for i in items if i.path not in needs_site] + [i for i in items if i.path in needs_site]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``mkdocs build --strict`` 到临时目录，返回 (站点目录, 构建日志)。

    构建在收集完测试后就在后台开始（见 :func:`pytest_collection_finish`）；并行运行（pytest-xdist）时
    各进程共用这一次构建，谁先用到谁等它完成。
    """
    shared = _shared_dir(tmp_path_factory)
    _start_build(shared)  # 没有提前开始时（例如收集钩子拿不到临时目录）在这里开始
    done = shared / "built-site.json"
    deadline = time.monotonic() + BUILD_TIMEOUT
    while not done.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"站点构建 {BUILD_TIMEOUT} s 内没有完成（构建进程号见 {shared / 'built-site.started'}）")
        if not _build_alive(shared) and not done.exists():
            pytest.fail(f"站点构建进程没有写出结果就不在了（日志：{shared / 'built-site.log'}）")
        time.sleep(0.2)
    record = json.loads(done.read_text(encoding="utf-8"))
    log = (shared / "built-site.log").read_text(encoding="utf-8")
    assert record["returncode"] == 0, f"mkdocs build --strict 失败：\n{log}"
    return Path(record["site"]), log


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_site(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """在 127.0.0.1 的随机端口上提供目录 ``site``（用 ``handler`` 处理请求），返回地址。"""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: tuple[Path, str]) -> Iterator[str]:
    """在 127.0.0.1 的随机端口上提供构建好的站点。"""
    with serve_site(built_site[0]) as url:
        yield url


def chromium_path() -> str | None:
    """系统里的 Chromium（Debian 的 chromium 包）；测试从不下载浏览器。"""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None
