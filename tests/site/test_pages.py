"""页面源文件的约定：目录与笔记一致、每个专题页达到“完成”的标准、示例写法统一。"""

from __future__ import annotations

import re
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
