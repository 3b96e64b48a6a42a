"""页面源文件的约定：目录与笔记一致、每个专题页达到“完成”的标准、示例写法统一。"""

from __future__ import annotations

import ast
import code
import re
import sys
from pathlib import Path

import dlguide_site
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TOC = yaml.safe_load((DOCS / "toc.yml").read_text(encoding="utf-8"))
WRITTEN = sorted({t["page"].partition("#")[0] for g in TOC for t in g["topics"] if t.get("page")})
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w-]*)")


def _nav_pages() -> set[str]:
    """钩子由 toc.yml 生成的导航里的全部页面。"""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(dlguide_site.build_nav(TOC))
    return found


def test_mkdocs_yml_has_no_hand_written_nav() -> None:
    assert "\nnav:" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_toc_mirrors_the_note() -> None:
    assert len(TOC) == 10
    assert sum(len(g["topics"]) for g in TOC) == 74
    assert [len(g["topics"]) for g in TOC] == [8, 6, 6, 8, 16, 8, 4, 8, 3, 7]


def test_every_chapter_has_an_index_page_in_nav() -> None:
    nav = _nav_pages()
    for group in TOC:
        index = DOCS / group["slug"] / "index.md"
        assert index.is_file(), index
        assert f"dlguide:toc group={group['slug']}" in index.read_text(encoding="utf-8")
        assert f"{group['slug']}/index.md" in nav


@pytest.mark.parametrize("page", WRITTEN)
def test_written_page_is_in_nav(page: str) -> None:
    assert (DOCS / page).is_file()
    assert page in _nav_pages()


@pytest.mark.parametrize("page", WRITTEN)
def test_topic_page_is_done(page: str) -> None:
    """DEVELOPERS.md 的“完成”标准里能静态检查的部分。"""
    text = (DOCS / page).read_text(encoding="utf-8")
    first_block = text.split("\n## ", 1)[0]
    assert text.startswith("# "), "第一行是问题标题"
    assert '!!! abstract "速答"' in first_block, "标题后紧跟速答框"
    assert "--8<-- \"dlguide/" in text, "从 dlguide 源码引用实现"
    assert "```pycon" in text and ">>> " in text, "有 doctest 实验"
    assert re.search(r"!\[[^\]]+\]\((\.\./)*figures/", text), "至少一张生成的图"
    assert re.search(r"\]\[dlguide\.[\w.]+\]", text), "链接到 API 参考"
    assert "\n## 参考" in text, "有参考文献"


def _markdown_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_are_in_pycon_fences(page: Path) -> None:
    """``>>>`` 只出现在 pycon 代码块里（复制按钮和 doctest 都依赖这一点），输出不含设备名。"""
    fence: tuple[str, str] | None = None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        match = FENCE.match(line)
        if match and fence is None:
            fence = (match.group(2), match.group(3))
            continue
        if match and fence and match.group(2).startswith(fence[0]) and not match.group(3):
            fence = None
            continue
        if fence is None:
            assert ">>> " not in line, f"{page}:{number}: >>> 示例必须放在 ```pycon 代码块里"
        elif fence[1] == "pycon" and not line.lstrip().startswith((">>>", "...")):
            assert "device=" not in line, f"{page}:{number}: 期望输出里不能出现 device=（GPU 上会不同）"


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_remote_images(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"!\[[^\]]*\]\(\s*(https?:)?//", text), f"{page}: 图片必须由站点自己提供"
    assert not re.search(r"<(img|script|link)[^>]+(src|href)=\"(https?:)?//", text), page


def test_glossary_has_one_term_per_concept() -> None:
    """术语表：每个中文术语、每个英文概念都只出现一次（d2l 式的“一个概念一个译名”）。"""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in (DOCS / "glossary.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and not line.startswith(("| 中文", "| ---"))
    ]
    assert len(rows) >= 20
    chinese = [row[0] for row in rows]
    english = [row[1].lower() for row in rows]
    assert sorted({t for t in chinese if chinese.count(t) > 1}) == []
    assert sorted({t for t in english if english.count(t) > 1}) == []


class _SyntaxOnlyConsole(code.InteractiveConsole):
    """标准 ``python`` 提示符的逐行行为（3.11/3.12）：只编译、不执行，记下语法错误。"""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []

    def runcode(self, code_object: object) -> None:  # 不执行，只关心能不能编译
        pass

    def showsyntaxerror(self, filename: str | None = None, **kwargs: object) -> None:
        self.errors.append(str(sys.exc_info()[1]))


def copied_lines(block: list[str]) -> list[tuple[int, str]]:
    """复制按钮得到的行（见 docs/stylesheets/extra.css）：去掉 ``>>> ``/``... `` 提示符，输出行整行不复制，
    只有提示符的 ``...`` 行变成空行。返回 ``[(块内行号, 文本)]``。"""
    out, in_source = [], False
    for number, line in enumerate(block):
        if line.startswith(">>> ") or line == ">>>":
            out.append((number, line[4:]))
            in_source = True
        elif in_source and (line.startswith("... ") or line == "..."):
            out.append((number, line[4:]))
        else:
            in_source = False  # 输出行
    return out


def _example_blocks(text: str) -> list[tuple[int, list[str]]]:
    """页面里的 pycon 代码块，或 docstring 里连续的 >>> 示例：[(首行行号, 去掉缩进的行)]。"""
    lines = text.splitlines()
    blocks: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(lines):
        fence = re.match(r"^(\s*)(`{3,})\s*pycon\s*$", lines[i])
        prompt = re.match(r"^(\s*)>>> ", lines[i])
        if fence:
            indent, end = fence.group(1), fence.group(2)
            j = i + 1
            while j < len(lines) and lines[j].strip() != end:
                j += 1
            blocks.append((i + 2, [line[len(indent) :] for line in lines[i + 1 : j]]))
            i = j + 1
        elif prompt:
            indent = prompt.group(1)
            j = i
            while j < len(lines) and lines[j].startswith(indent) and lines[j].strip():
                j += 1
            blocks.append((i + 1, [line[len(indent) :] for line in lines[i:j]]))
            i = j
        else:
            i += 1
    return blocks


def _sources_with_examples() -> list[Path]:
    return sorted(DOCS.rglob("*.md")) + sorted(p for p in (ROOT / "dlguide").rglob("*.py") if ">>> " in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", _sources_with_examples(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_block_pastes_into_the_standard_repl(source: Path) -> None:
    """复制按钮复制下来的每个代码块，粘贴进标准 ``python`` 提示符都不报 SyntaxError，也不会停在“...”等输入。"""
    problems = []
    for first, block in _example_blocks(source.read_text(encoding="utf-8")):
        console = _SyntaxOnlyConsole()
        more = False
        for number, line in copied_lines(block):
            more = console.push(line)
            if console.errors:
                problems.append(f"{source.relative_to(ROOT)}:{first + number}: SyntaxError {console.errors[0]}")
                break
        else:
            if more:
                problems.append(f"{source.relative_to(ROOT)}:{first}: 代码块结束时复合语句还没结束（最后缺一个单独的 ... 行）")
    assert problems == []


def test_the_paste_check_can_fail() -> None:
    block = [">>> for i in range(2):", "...     x = i", ">>> x", "1"]
    console = _SyntaxOnlyConsole()
    for _, line in copied_lines(block):
        console.push(line)
    assert console.errors, "for 循环后直接接下一条语句，标准提示符会报 SyntaxError"


# 在标准提示符里，复合语句（for/with/if……）内部的表达式语句也会回显它的值；Jupyter 只显示单元最后一个顶层表达式。
# 页面的笔记本由示例生成，所以输出必须来自 print() 或顶层表达式，否则笔记本里什么也不显示。
_COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try)
_VALUE_BUILTINS = {"round", "len", "tuple", "list", "sorted", "str", "repr", "int", "float", "sum", "max", "min", "dict", "set", "abs", "any", "all"}


def _echoed_inside_compound(source: str) -> list[str]:
    """复合语句内部会被标准提示符回显、在笔记本里却不显示的表达式语句。"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for stmt in tree.body:
        if not isinstance(stmt, _COMPOUND):
            continue
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Expr) or isinstance(node.value, (ast.Constant, ast.Await, ast.Yield, ast.YieldFrom)):
                continue
            call = node.value if isinstance(node.value, ast.Call) else None
            if call is None or (isinstance(call.func, ast.Name) and call.func.id in _VALUE_BUILTINS):
                found.append(ast.unparse(node))
    return found


def _statements(block: list[str]) -> list[tuple[int, str]]:
    """代码块里的每条 ``>>>`` 语句（连同 ``...`` 续行）：[(块内行号, 源码)]。"""
    out = []
    for number, line in enumerate(block):
        if line.startswith(">>> ") or line == ">>>":
            source = [line[4:]]
            for more in block[number + 1 :]:
                if not (more.startswith("... ") or more == "..."):
                    break
                source.append(more[4:])
            out.append((number, "\n".join(source)))
    return out


@pytest.mark.parametrize("page", _markdown_pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_outputs_also_show_in_the_notebook(page: Path) -> None:
    problems = [
        f"{page.relative_to(ROOT)}:{first + number}: 复合语句里的 {expr!r} 只在标准提示符里回显，笔记本里不显示；先赋值，块后再写表达式（或用 print）"
        for first, block in _example_blocks(page.read_text(encoding="utf-8"))
        for number, source in _statements(block)
        for expr in _echoed_inside_compound(source)
    ]
    assert problems == []


def test_the_notebook_output_check_can_fail() -> None:
    block = [">>> with torch.no_grad():", "...     round(loss.item(), 4)", "...", "0.5", ">>> for i in range(2):", "...     print(i)", "..."]
    assert [expr for _, source in _statements(block) for expr in _echoed_inside_compound(source)] == ["round(loss.item(), 4)"]
