r"""检查 scripts/build_pdf.py 打印出的全书 PDF（用 pypdf，版本由 constraints.txt 固定）。

用法：python scripts/check_pdf.py dist/dlguide.pdf [--min-pages N] [--max-pages N]

检查项（任何一项不满足就以非零状态退出，并逐条说明）：

- 页数在合理范围内；
- 文本里有足够多的汉字（中文字体确实嵌入了，文字可以搜索和复制）；
- 没有原始 TeX（``\(``、``\frac``、``\boldsymbol`` 等：说明有公式没被 MathJax 排版）；
- 没有 MathJax 的错误提示（``Undefined control sequence``、``Math input error`` 等）；
- 有书签目录（PDF outline），且至少包含每一章；
- 有页内链接（目录和交叉引用），并且每个链接的目标都存在于 PDF 里。
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import unicodedata
from pathlib import Path

RAW_TEX = re.compile(r"\\\(|\\\)|\\frac\b|\\boldsymbol\b|\\mathbf\b|\\sum_|\\begin\{|\\partial\b|\\sigma\b|\\left\b")
MATHJAX_ERRORS = re.compile(
    r"Undefined control sequence|Math input error|Missing (?:open|close) brace|Missing argument for"
    r"|Extra (?:open|close) brace|Misplaced &|TeX parse error|Math output error",
)
ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CJK = 5000
MIN_OUTLINE = 10  # 10 章
MIN_LINKS = 50


def chapter_titles() -> list[str]:
    """docs/toc.yml 里各章的标题（每章在书签第一层都应有一条）。"""
    import yaml  # noqa: PLC0415

    toc = ROOT / "docs" / "toc.yml"
    if not toc.is_file():
        return []
    return [group["title"] for group in yaml.safe_load(toc.read_text(encoding="utf-8"))]


def _flatten(outline: list) -> list:
    items = []
    for entry in outline:
        if isinstance(entry, list):
            items.extend(_flatten(entry))
        else:
            items.append(entry)
    return items


def _internal_links(reader) -> tuple[int, list[str]]:
    """返回 (页内链接数, 目标不存在的链接)。Chromium 用具名目标（/Dest 是名字）写页内链接。"""
    from pypdf.generic import ArrayObject  # noqa: PLC0415

    names = set(reader.named_destinations)
    count, dangling = 0, []
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
                dest = action.get_object().get("/D")
            if dest is None:
                continue  # 外部链接（/URI）
            count += 1
            if isinstance(dest, ArrayObject):
                continue  # 显式目标：直接指向一页
            if str(dest) not in names:
                dangling.append(f"第 {number} 页 → {dest}")
    return count, dangling


def check(
    path: Path,
    *,
    min_pages: int = 100,
    max_pages: int = 3000,
    min_cjk: int = MIN_CJK,
    min_outline: int = MIN_OUTLINE,
    min_links: int = MIN_LINKS,
    chapters: list[str] | None = None,
) -> tuple[list[str], dict]:
    """检查 ``path``，返回 (问题列表, 统计)；``chapters`` 是书签第一层必须有的标题。"""
    from pypdf import PdfReader  # noqa: PLC0415

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(path)
    problems: list[str] = []
    pages = len(reader.pages)
    if not min_pages <= pages <= max_pages:
        problems.append(f"页数 {pages} 不在 [{min_pages}, {max_pages}] 内")

    cjk = 0
    tex_hits: list[str] = []
    error_hits: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        prose: list[str] = []

        def visit(text, _cm, _tm, font, _size, prose=prose):
            # 代码清单（等宽字体）里的 TeX 是源码的一部分（docstring 里的 $\sigma$），不算；只查正文。
            name = str((font or {}).get("/BaseFont", ""))
            if "Mono" not in name and "Courier" not in name:
                prose.append(text)

        # NFKC：提取出的文字里有连字（ﬁ）和康熙部首（⽂ U+2F42），规范化成普通字母和汉字（文）。
        text = unicodedata.normalize("NFKC", page.extract_text(visitor_text=visit) or "")
        cjk += len(CJK.findall(text))
        prose_text = unicodedata.normalize("NFKC", "".join(prose))
        for pattern, hits, source in ((RAW_TEX, tex_hits, prose_text), (MATHJAX_ERRORS, error_hits, text)):
            for match in pattern.finditer(source):
                context = source[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
                hits.append(f"第 {number} 页：…{context}…")
    if cjk < min_cjk:
        problems.append(f"文本里只有 {cjk} 个汉字（至少 {min_cjk}）：中文字体缺失或文字成了图片？")
    if tex_hits:
        problems.append(f"{len(tex_hits)} 处原始 TeX（公式没有排版）：\n    " + "\n    ".join(tex_hits[:10]))
    if error_hits:
        problems.append(f"{len(error_hits)} 处 MathJax 错误：\n    " + "\n    ".join(error_hits[:10]))

    outline = _flatten(reader.outline)
    if len(outline) < min_outline:
        problems.append(f"书签只有 {len(outline)} 条（至少 {min_outline}）")
    top = {entry.title for entry in reader.outline if not isinstance(entry, list)}
    absent = [title for title in chapters or [] if title not in top]
    if absent:
        problems.append(f"书签的第一层缺少这些章：{absent}")
    links, dangling = _internal_links(reader)
    if links < min_links:
        problems.append(f"页内链接只有 {links} 个（至少 {min_links}）")
    if dangling:
        problems.append(f"{len(dangling)} 个页内链接的目标不存在：\n    " + "\n    ".join(dangling[:10]))
    stats = {
        "pages": pages,
        "size_mb": path.stat().st_size / 1e6,
        "cjk": cjk,
        "outline": len(outline),
        "links": links,
    }
    return problems, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查全书 PDF")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--min-pages", type=int, default=100)
    parser.add_argument("--max-pages", type=int, default=3000)
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        print(f"[check-pdf] 没有这个文件：{args.pdf}", file=sys.stderr)
        return 2
    problems, stats = check(
        args.pdf, min_pages=args.min_pages, max_pages=args.max_pages, chapters=chapter_titles()
    )
    print(
        f"[check-pdf] {args.pdf}：{stats['pages']} 页，{stats['size_mb']:.1f} MB，{stats['cjk']} 个汉字，"
        f"书签 {stats['outline']} 条，页内链接 {stats['links']} 个",
        flush=True,
    )
    if problems:
        print("[check-pdf] 不合格：\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    print("[check-pdf] 合格", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
