"""构建出的站点：严格模式零警告、目录完整、不引用第三方主机、引用缺失会让构建失败。"""

from __future__ import annotations

import json
import re
from pathlib import Path

import dlguide_site
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOC = yaml.safe_load((ROOT / "docs" / "toc.yml").read_text(encoding="utf-8"))
REMOTE = re.compile(
    r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=["']?(?:https?:)?//"""
    r"""|<link\b(?![^>]*rel=["']?(?:canonical|alternate))[^>]*\bhref=["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_strict_build_has_no_warnings(built_site: tuple[Path, str]) -> None:
    _, log = built_site
    assert "WARNING" not in log.replace("[IPKernelApp] WARNING", ""), log


def test_home_page_lists_all_74_topics(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    html = (site / "index.html").read_text(encoding="utf-8")
    article = html.split('id="_2"', 1)[-1] if 'id="_2"' in html else html
    written = [t for g in TOC for t in g["topics"] if t.get("page")]
    assert article.count("（编写中）") == 74 - len(written)
    for topic in written:
        assert f">{topic['title']}</a>" in html, topic["title"]
    for number, group in enumerate(TOC, start=1):
        assert f"{number}. <a href=\"{group['slug']}/\">{group['title']}</a>" in html


def test_no_third_party_requests_in_built_html_and_css(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    offenders = []
    for path in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        for match in REMOTE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{path.relative_to(site)}: {match.group(0)[:80]}")
    assert offenders == []


def test_mathjax_is_served_by_the_site(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    for rel in ("startup.js", "core.js", "input/tex.js", "output/chtml.js", "output/chtml/fonts/tex.js"):
        assert (site / "assets" / "mathjax" / rel).is_file(), rel
    assert list((site / "assets/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))


def test_figures_and_notebook_are_generated(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    assert (site / "figures" / "activations" / "sigmoid" / "sigmoid_and_derivative.svg").is_file()
    notebook = (site / "activations" / "sigmoid-notebook" / "index.html").read_text(encoding="utf-8")
    assert "max σ&#39;(z) = 0.25" in notebook or "max σ'(z) = 0.25" in notebook
    assert "<svg" in notebook  # 笔记本里的图是执行时画出的 SVG


ALLOWED_LOG = re.compile(r"INFO    -  (Cleaning site directory|Building documentation to directory: .*|Documentation built in [\d.]+ seconds)")


def test_a_clean_build_prints_nothing_to_ignore(built_site: tuple[Path, str]) -> None:
    """构建日志里只有 MkDocs 的三行例行信息：没有警告、缺字形、内核的 TCP 提示、jieba 或复制文件的闲话。"""
    _, log = built_site
    extra = [line for line in log.splitlines() if line.strip() and not ALLOWED_LOG.fullmatch(line)]
    assert extra == []


def test_executed_notebooks_have_no_stderr_and_offer_downloads(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    for chapter in TOC:
        for notebook in chapter.get("notebooks", []):
            folder = site / notebook.removesuffix(".py")
            html = (folder / "index.html").read_text(encoding="utf-8")
            assert not re.search(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.stderr"', html), f"{notebook} 有 stderr 输出"
            name = Path(notebook).stem
            for suffix in (".ipynb", ".py"):
                assert f'href="{name}{suffix}"' in html and (folder / f"{name}{suffix}").is_file(), (notebook, suffix)
            ipynb = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
            assert ipynb["nbformat"] == 4 and any("sigmoid_grad" in "".join(c["source"]) for c in ipynb["cells"])
            title = html.split("<title>", 1)[1].split(" - ", 1)[0]
            assert title == dlguide_site.notebook_title(ROOT / "docs" / notebook)


SPHINX_ROLE = re.compile(r":(?:func|class|mod|data|meth|attr|exc|obj):`")


def test_api_pages_render_cross_references_and_one_title(built_site: tuple[Path, str]) -> None:
    """API 页：docstring 里的交叉引用渲染成链接（没有原样的 :func:`…`），每页只有一个标题。"""
    site, _ = built_site
    api = sorted((site / "api").rglob("index.html"))
    assert len(api) >= 20
    problems = []
    for page in api:
        html = page.read_text(encoding="utf-8")
        if SPHINX_ROLE.search(html):
            problems.append(f"{page.relative_to(site)}: 原样的 Sphinx 角色")
        if html.count("<h1") != 1:
            problems.append(f"{page.relative_to(site)}: {html.count('<h1')} 个 h1")
    assert problems == []
    assert 'href="../activations/#dlguide.activations.relu"' in (site / "api" / "tracing" / "index.html").read_text(encoding="utf-8")


def test_search_snippets_show_readable_math(built_site: tuple[Path, str]) -> None:
    """搜索结果的摘要来自 search_index.json：公式已换成 Unicode 文本（σ(z) = 1/(1+e^-z)），没有原样的 TeX。"""
    site, _ = built_site
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(doc["text"] for doc in docs)
    assert not re.search(r"\\\(|\\\[|\\frac|\\boldsymbol|\\sigma", text)
    assert "σ(z) = 1/(1+e^-z)" in text


def test_readable_math_keeps_what_it_cannot_convert() -> None:
    assert dlguide_site.readable_math(r"设 \(z = \boldsymbol w^\top \boldsymbol x\)") == "设 z = w^⊤x"
    assert dlguide_site.readable_math("价格 $5 和 $6", dollars=False) == "价格 $5 和 $6"
