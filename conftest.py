"""文档测试的收集规则（Sybil）。

- ``docs/**/*.md``：每个 ```` ```pycon ```` 代码块里的每个 ``>>>`` 示例都是一个测试；
- ``dlguide/**/*.py``：每个 docstring 里的每个 ``>>>`` 示例都是一个测试。

在 CPU 上逐字比较：页面上显示的输出就是 Python 打印的输出（示例自己用 ``round``、f-string 控制位数）。
只有示例在别的设备上运行时（``DLGUIDE_DEVICE=cuda`` 等）才加上 ``NUMBER``，按期望输出写出的小数位比较浮点数。
失败时 pytest 报告页面文件名和示例所在行号。
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
import torch
from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import NUMBER, DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser


def _optionflags() -> int:
    flags = ELLIPSIS | NORMALIZE_WHITESPACE
    device = os.environ.get("DLGUIDE_DEVICE", "").strip()
    if device and not device.startswith("cpu"):
        flags |= NUMBER  # GPU 上的浮点求和顺序不同，末位可以不同
    return flags


OPTIONFLAGS = _optionflags()


class PyconBlockParser:
    """把 ```` ```pycon ```` （以及以 ``>>>`` 开头的 ```` ```python ````）代码块解析成逐条 doctest。"""

    languages = ("pycon", "python")

    def __init__(self, optionflags: int) -> None:
        self.doctests = DocTestStringParser(DocTestEvaluator(optionflags))
        self.blocks = [CodeBlockParser(language=lang) for lang in self.languages]

    def __call__(self, document: Document) -> Iterable[Region]:
        for blocks in self.blocks:
            for block in blocks(document):
                source = block.parsed
                if not source.lstrip().startswith(">>>"):
                    continue
                content_start = block.start + block.lexemes["source"].offset
                for region in self.doctests(source, document.path):
                    # 代码块在告示框（!!!）或列表里时有缩进：Sybil 去掉缩进后的偏移要换回原文件里的位置，
                    # 失败信息里的行号才对得上。
                    region.start = _document_offset(document.text, content_start, source, region.start)
                    region.end = _document_offset(document.text, content_start, source, region.end)
                    yield region


def _document_offset(text: str, content_start: int, source: str, pos: int) -> int:
    """去掉缩进的代码 ``source`` 里的位置 ``pos`` 在原文 ``text`` 里的位置（代码从 ``content_start`` 开始）。"""
    line = source.count("\n", 0, pos)
    column = pos - (source.rfind("\n", 0, pos) + 1)
    start = content_start
    for _ in range(line):
        start = text.index("\n", start) + 1
    end = text.find("\n", start)
    raw = text[start : end if end != -1 else len(text)]
    stripped = source.split("\n")[line]
    return start + max(len(raw) - len(stripped), 0) + column


def _setup(namespace: dict) -> None:
    # 页面示例只依赖 dlguide 的设备助手；这里不替读者导入任何东西，示例必须自己写全 import。
    namespace.setdefault("__name__", "__dlguide_doctest__")


pages = Sybil(
    parsers=[PyconBlockParser(OPTIONFLAGS), SkipParser()],
    path="docs",
    patterns=["*.md"],
    setup=_setup,
    name="pages",
)
docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    path="dlguide",
    patterns=["*.py"],
    name="docstrings",
)

pytest_collect_file = (pages + docstrings).pytest()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """示例都在 ``get_device()`` 选的设备上跑：设备不可用就在开始前停下，只报一次原因。

    并行运行（pytest-xdist 的 ``-n``）时按文件分发：同一个页面（或模块）的示例留在同一个进程里
    （默认的 ``--dist load`` 会把一个页面的示例拆到两个进程，后面的示例就找不到前面定义的名字）。
    """
    from dlguide.device import get_device  # noqa: PLC0415  在设置好线程数之后再导入 dlguide

    try:
        get_device()
    except ValueError as err:
        raise pytest.UsageError(f"无法运行示例：{err}") from None
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadfile"


def _document_key(item: pytest.Item) -> str | None:
    example = getattr(item, "example", None)
    return str(example.path) if example is not None else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """一个页面（或一个模块的 docstring）的示例按源文件里的顺序连续运行。

    页面上的示例依次共用一个命名空间，是有意的设计。打乱顺序的插件（pytest-randomly）在所有普通实现之前打乱，
    这里随后纠正：每个文档的示例聚到它第一次出现的位置，按行号排好。
    """
    documents: dict[str, list[pytest.Item]] = {}
    for item in items:
        key = _document_key(item)
        if key is not None:
            documents.setdefault(key, []).append(item)
    reordered: list[pytest.Item] = []
    placed: set[str] = set()
    for item in items:
        key = _document_key(item)
        if key is None:
            reordered.append(item)
        elif key not in placed:
            placed.add(key)
            reordered.extend(sorted(documents[key], key=lambda i: (i.example.line, i.example.column)))
    items[:] = reordered

# 示例里的随机数都显式设种子；这里再把 CPU 线程数固定为 1：浮点求和的顺序不随机器核数变化，
# 结果逐位可复现；示例里的张量都很小，单线程反而更快（机器忙时多线程会慢一个数量级）。
torch.set_num_threads(1)
