"""由全站的 速答 框和 勘误 框生成两页：速答汇总（面试前复习）和勘误汇总（原笔记错在哪、证据在哪）。

两页都在构建时从页面生成，按目录顺序；每个框在原页面上有一个锚点（``quick-answer``、``erratum-N``），
汇总页链接回去。没有手抄的内容，新页面的框自动出现。
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

BOX = re.compile(r'^(?P<indent>[ \t]*)!!! (?P<kind>abstract|danger) "(?P<title>速答|勘误[^"]*)"\s*$')
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>(?![a-z]+:|#|/)[^)\s]+)\)")
QUICK_ANSWER_ANCHOR = "quick-answer"


@dataclass
class Box:
    kind: str  # "速答" 或 "勘误"
    title: str
    body: list[str]
    line: int
    anchor: str


def boxes(markdown: str) -> list[Box]:
    """页面里的速答框和勘误框，按出现顺序；勘误按页内顺序编号 erratum-1、erratum-2……"""
    lines = markdown.splitlines()
    found: list[Box] = []
    errata = 0
    for i, line in enumerate(lines):
        match = BOX.match(line)
        if not match:
            continue
        indent = len(match.group("indent")) + 4
        body: list[str] = []
        for nxt in lines[i + 1 :]:
            if nxt.strip() and len(nxt) - len(nxt.lstrip()) < indent:
                break
            body.append(nxt[indent:])
        while body and not body[-1].strip():
            body.pop()
        if match.group("title") == "速答":
            found.append(Box("速答", "速答", body, i + 1, QUICK_ANSWER_ANCHOR))
        else:
            errata += 1
            found.append(Box("勘误", match.group("title"), body, i + 1, f"erratum-{errata}"))
    return found


def add_box_anchors(markdown: str) -> str:
    """在每个速答框、勘误框前面插一个 ``<a id>`` 锚点，汇总页链接到它。"""
    lines = markdown.splitlines()
    anchors = {box.line: box for box in boxes(markdown)}
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if number in anchors:
            indent = BOX.match(line).group("indent")
            out += [f'{indent}<a id="{anchors[number].anchor}"></a>', ""]
        out.append(line)
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def _relink(lines: list[str], page: str) -> list[str]:
    """框里的相对链接原来相对于 ``page``，搬到站点根目录的汇总页后要加上页面所在的目录。"""
    folder = posixpath.dirname(page)

    def fix(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group("target")))
        return f"{match.group('bang')}[{match.group('text')}]({target})"

    same_page = re.compile(r"\]\(#")
    return [same_page.sub(f"]({page}#", LINK.sub(fix, line)) for line in lines]


def _title(markdown: str) -> str:
    match = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _pages_in_order(toc: list[dict]) -> list[tuple[dict, list[str]]]:
    out = []
    for chapter in toc:
        pages: list[str] = []
        for topic in chapter["topics"]:
            page = topic.get("page", "").partition("#")[0]
            if page and page not in pages:
                pages.append(page)
        out.append((chapter, pages))
    return out


FRONT = "---\nsearch:\n  exclude: true\n---\n\n"


def summary_pages(toc: list[dict], docs_dir: Path) -> dict[str, str]:
    """``{"quick-answers.md": …, "errata.md": …}``：两页的 Markdown。"""
    quick = [
        FRONT + "# 速答汇总",
        "",
        "每个专题页开头的**速答**框，按原笔记的目录顺序排在一起，供面试前快速复习。标题链接到完整的页面。",
        "",
    ]
    errata = [
        FRONT + "# 勘误汇总",
        "",
        "原笔记里的错误公式、过时建议和错乱数字，在各页以**勘误**框标出，并附上可运行的证据（doctest）。"
        "这里按目录顺序列出全部勘误：每条是更正后的说法，链接指向页面上的勘误框和它的证据。",
        "",
    ]
    total = 0
    for number, (chapter, pages) in enumerate(_pages_in_order(toc), start=1):
        if not pages:
            continue
        quick += [f"## {number}. {chapter['title']}", ""]
        chapter_errata: list[str] = []
        for page in pages:
            markdown = (docs_dir / page).read_text(encoding="utf-8")
            title = _title(markdown)
            found = boxes(markdown)
            for box in found:
                if box.kind == "速答":
                    quick += [f"### [{title}]({page}#{box.anchor})", "", *_relink(box.body, page), ""]
            page_errata = [box for box in found if box.kind == "勘误"]
            if page_errata:
                chapter_errata += [f"### [{title}]({page})", ""]
                for box in page_errata:
                    chapter_errata.append(f"- [{box.title}]({page}#{box.anchor})")
                    total += 1
                chapter_errata.append("")
        if chapter_errata:
            errata += [f"## {number}. {chapter['title']}", "", *chapter_errata]
    errata.insert(5, f"共 {total} 条。\n")
    return {"quick-answers.md": "\n".join(quick) + "\n", "errata.md": "\n".join(errata) + "\n"}
