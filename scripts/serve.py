"""``mkdocs serve`` 的小包装（由 scripts/serve.sh 调用）。

- 默认地址 127.0.0.1:8000，``--dev-addr HOST:PORT`` 换一个；
- 端口被占用时，在花时间构建之前就说清楚并退出；
- 收到 SIGTERM（例如 ``kill``、容器停止）时和 Ctrl-C 一样正常退出，MkDocs 会删掉它的临时站点目录。
"""

from __future__ import annotations

import signal
import socket
import sys

from mkdocs.__main__ import cli

DEFAULT_ADDR = "127.0.0.1:8000"


def dev_addr(argv: list[str]) -> str:
    """从命令行参数里找出 ``--dev-addr``（``-a``）的值，没有就用默认值。"""
    for i, arg in enumerate(argv):
        if arg in ("--dev-addr", "-a") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--dev-addr="):
            return arg.split("=", 1)[1]
    return DEFAULT_ADDR


def port_is_free(addr: str) -> bool:
    host, _, port = addr.rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host or "127.0.0.1", int(port)))
        except OSError:
            return False
    return True


def main(argv: list[str]) -> None:
    addr = dev_addr(argv)
    if not port_is_free(addr):
        host, _, port = addr.rpartition(":")
        sys.exit(
            f"地址 {addr} 已被占用（也许站点已经在运行了）。换一个端口：\n"
            f"  bash scripts/serve.sh --dev-addr {host or '127.0.0.1'}:{int(port) + 1}"
        )
    if "--dev-addr" not in " ".join(argv) and "-a" not in argv:
        argv = ["--dev-addr", addr, *argv]
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM → KeyboardInterrupt → MkDocs 清理临时目录
    cli(["serve", *argv], prog_name="mkdocs")


if __name__ == "__main__":
    main(sys.argv[1:])
