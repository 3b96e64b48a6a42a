"""``python -m dlguide``：运行已安装的 dlguide 包里的全部 docstring 示例，检查它们在这台机器上都成立。

只用标准库 ``doctest``（不需要仓库、pytest 或 Sybil）；每个 docstring 单独运行、自带 import，
和读者从 API 页复制一个函数的示例时一样。CPU 上逐字比较输出；``DLGUIDE_DEVICE`` 指向别的设备时，
与测试套件一样放宽为按期望输出的小数位比较浮点数。
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import sys

import torch

import dlguide


def main() -> int:
    """运行全部 docstring 示例，打印每个失败和一行总结；全部通过时返回 0。"""
    torch.set_num_threads(1)  # 与测试套件相同：浮点求和的顺序不随机器核数变化
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    device = os.environ.get("DLGUIDE_DEVICE", "").strip()
    if device and not device.startswith("cpu"):
        flags |= doctest.NUMBER
    failed = attempted = 0
    for info in pkgutil.walk_packages(dlguide.__path__, prefix="dlguide."):
        if info.name == "dlguide.__main__":
            continue
        module = importlib.import_module(info.name)
        result = doctest.testmod(module, optionflags=flags)
        failed += result.failed
        attempted += result.attempted
    print(f"dlguide {dlguide.__version__}：{attempted} 个 docstring 示例，{failed} 个失败（torch {torch.__version__}）")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
