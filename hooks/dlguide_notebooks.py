"""把一个专题页变成一个 Jupyter 笔记本：页面上的示例按顺序成为代码单元（去掉提示符，期望输出作为单元的输出），
其余文字成为 Markdown 单元。由站点钩子在构建时调用，读者在每页下载；测试逐个执行它们，核对输出与页面一致。
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)\s*$")
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
AUTOREF = re.compile(r"\[(`[^`]+`)\]\[[\w.]+\]")
RELATIVE_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>(?![a-z]+:|#|/)[^)\s]+)\)")


@dataclass
class Example:
    """页面上的一个 ``>>>`` 示例：源码（去掉提示符）、期望输出、它在页面上的行号。"""

    source: list[str]
    want: list[str]
    line: int


@dataclass
class Cell:
    kind: str  # "markdown" 或 "code"
    lines: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    line: int = 0


def examples_in_block(block: list[str], first_line: int) -> list[Example]:
    """把一个 pycon 代码块（已去掉缩进）拆成示例：``>>>``/``...`` 是源码，之后直到下一个 ``>>>`` 的行是期望输出。"""
    examples: list[Example] = []
    for number, line in enumerate(block):
        if line.startswith(">>> ") or line == ">>>":
            examples.append(Example([line[4:]], [], first_line + number))
        elif examples and not examples[-1].want and (line.startswith("... ") or line == "..."):
            examples[-1].source.append(line[4:])
        elif examples and line.strip():
            examples[-1].want.append(line)
        elif examples and examples[-1].want:
            examples[-1].want.append(line)
    for example in examples:
        while example.source and not example.source[-1].strip():
            example.source.pop()  # 复合语句后那个单独的 ... 只是给标准提示符的结束标记
        while example.want and not example.want[-1].strip():
            example.want.pop()
    return examples


def _code_cells(examples: list[Example]) -> list[Cell]:
    """一个代码块的示例分成若干单元：每个有输出的示例结束一个单元（Jupyter 只显示单元里最后一个表达式的值）。"""
    cells: list[Cell] = []
    current = Cell("code")
    for example in examples:
        current.examples.append(example)
        current.line = current.line or example.line
        if example.want:
            cells.append(current)
            current = Cell("code")
    if current.examples:
        cells.append(current)
    return cells


def split_page(markdown: str) -> list[Cell]:
    """页面的 Markdown → 单元：pycon 代码块变成代码单元，其余（含 python 代码块、告示框）留在 Markdown 单元里。"""
    lines = markdown.splitlines()
    cells: list[Cell] = []
    text = Cell("markdown", line=1)
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match and match.group("lang") == "pycon":
            indent, fence = match.group("indent"), match.group("fence")
            j = i + 1
            while j < len(lines) and lines[j].strip() != fence:
                j += 1
            block = [line[len(indent) :] for line in lines[i + 1 : j]]
            if text.lines:
                cells.append(text)
            cells += _code_cells(examples_in_block(block, i + 2))
            text = Cell("markdown", line=j + 2)
            i = j + 1
            continue
        text.lines.append(lines[i])
        i += 1
    if text.lines:
        cells.append(text)
    return [c for c in cells if c.kind == "code" or any(line.strip() for line in c.lines)]


def _markdown_for_jupyter(lines: list[str], page: str, site_url: str) -> str:
    """MkDocs 专用的写法换成 Jupyter 认得的：告示框变成粗体标题加正文，autorefs 链接变成代码字，相对链接变成站点上的绝对地址。"""
    out: list[str] = []
    admonition_indent: int | None = None
    for line in lines:
        match = ADMONITION.match(line)
        if match:
            title = match.group("title") or match.group("kind")
            admonition_indent = len(match.group("indent")) + 4
            out.append(f"{match.group('indent')}> **{title}**")
            out.append(f"{match.group('indent')}>")
            continue
        if admonition_indent is not None:
            if line.strip() and len(line) - len(line.lstrip()) < admonition_indent:
                admonition_indent = None
            else:
                out.append("> " + line[admonition_indent:] if line.strip() else ">")
                continue
        out.append(line)
    text = "\n".join(out).strip("\n")
    text = AUTOREF.sub(r"\1", text)
    base = site_url.rstrip("/") + "/"

    def absolute(match: re.Match) -> str:
        target, anchor = match.group("target"), ""
        if "#" in target:
            target, anchor = target.split("#", 1)
            anchor = "#" + anchor
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        if resolved.endswith(".md"):
            resolved = resolved.removesuffix(".md").removesuffix("index") + ("/" if not resolved.endswith("index.md") else "")
        return f"{match.group('bang')}[{match.group('text')}]({base}{resolved}{anchor})"

    return RELATIVE_LINK.sub(absolute, text)


def _source_lines(lines: list[str]) -> list[str]:
    """nbformat 的多行字符串：每行保留换行符，最后一行除外。"""
    return [line + "\n" for line in lines[:-1]] + lines[-1:]


def page_notebook(
    markdown: str, page: str, title: str, site_url: str, expand: Callable[[str, str], str] | None = None
) -> dict:
    """页面 ``page``（相对 docs/）的笔记本（nbformat 4 的字典）。

    ``expand`` 展开页面里的 ``--8<--`` 代码引用（站点钩子传入同一个函数），让笔记本里的实现和页面上的一样。
    """
    if expand is not None:
        markdown = expand(markdown, page)
    url = site_url.rstrip("/") + "/" + page.removesuffix(".md") + "/"
    intro = (
        f"# {title}\n\n这个笔记本由站点页面 [{url}]({url}) 自动生成：页面上的每个示例按顺序是一个代码单元，"
        "单元下面显示的是页面给出的输出。运行它只需要 `pip install dlguide`（CPU 或 GPU 均可）。"
    )
    cells: list[dict] = [{"cell_type": "markdown", "metadata": {}, "source": _source_lines(intro.splitlines())}]
    for cell in split_page(markdown):
        if cell.kind == "markdown":
            text = _markdown_for_jupyter(cell.lines, page, site_url)
            if re.fullmatch(r"#\s.*", text.split("\n", 1)[0]):  # 页面的 H1 已经在开头了
                text = text.split("\n", 1)[1].strip("\n") if "\n" in text else ""
            if text:
                cells.append({"cell_type": "markdown", "metadata": {}, "source": _source_lines(text.splitlines())})
            continue
        source = [line for example in cell.examples for line in example.source]
        want = [line for example in cell.examples for line in example.want]
        metadata: dict = {"dlguide": {"page": page, "line": cell.line}}
        if want and want[0].startswith("Traceback (most recent call last)"):
            metadata["tags"] = ["raises-exception"]
        outputs = [{"output_type": "stream", "name": "stdout", "text": _source_lines(want) + ["\n"]}] if want else []
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": metadata,
                "outputs": outputs,
                "source": _source_lines(source),
            }
        )
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "dlguide": {"page": page},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_json(notebook: dict) -> str:
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def notebook_name(page: str) -> str:
    """页面 ``activations/sigmoid.md`` 的笔记本文件（相对 docs/）：``activations/sigmoid.ipynb``。"""
    return page.removesuffix(".md") + ".ipynb"
