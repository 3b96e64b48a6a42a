"""全书 PDF 的检查器（scripts/check_pdf.py）和书签（scripts/build_pdf.py 的 add_outline）：
用无头 Chromium 打印两份小文档，一份合格，一份正文里留着原始 TeX 和 MathJax 错误，检查器必须分得开。
整本书的构建和检查在 CI 里由 .ci/run 在测试套件之后运行（约 3 分钟，不放进套件）。
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import build_pdf  # noqa: E402
import check_pdf  # noqa: E402

PROSE = "深度学习面试指南的正文，用来确认中文字体嵌入、文字可以搜索。" * 3
GOOD = f"""<!doctype html><html lang="zh"><meta charset="utf-8"><body>
<section class="print-page md-section" id="section-1"><h1>第一章<a class="headerlink" href="#section-1"></a></h1>
<section class="print-page" id="a"><h1 id="a-h">激活函数<a class="headerlink" href="#a-h">¶</a></h1>
<p>{PROSE}<a href="#b-h">跳到第二节</a></p>
<h2 id="a-x">饱和<a class="headerlink" href="#a-x">¶</a></h2><p>σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4。{PROSE}</p>
<pre><code>def f(x):
    "docstring 里的 $\\frac{{1}}{{2}}$ 和 \\(x\\) 是源码，不算原始 TeX"
    return x</code></pre>
</section></section>
<section class="print-page md-section" id="section-2"><h1>第二章<a class="headerlink" href="#section-2"></a></h1>
<section class="print-page" id="b"><h1 id="b-h">正则化<a class="headerlink" href="#b-h">¶</a></h1><p>{PROSE}</p>
</section></section></body></html>"""
BAD = GOOD.replace("σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4", "\\(\\frac{1}{4}\\) 和 Undefined control sequence \\foo")


@pytest.fixture
def page(browser):
    if importlib.util.find_spec("pypdf") is None:
        pytest.skip("没有安装 pypdf")
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _print(page, html: str, path: Path) -> Path:
    page.set_content(html)
    headings = page.evaluate(build_pdf.HEADINGS)
    raw = path.with_suffix(".raw.pdf")
    page.pdf(path=str(raw), format="A4")
    build_pdf.add_outline(raw, path, headings)
    return path


LIMITS = {"min_pages": 1, "max_pages": 5, "min_cjk": 100, "min_outline": 3, "min_links": 1}


def test_good_pdf_passes_with_a_nested_outline(page, tmp_path: Path) -> None:
    pdf = _print(page, GOOD, tmp_path / "good.pdf")
    problems, stats = check_pdf.check(pdf, **LIMITS, chapters=["第一章", "第二章"])
    assert problems == []
    from pypdf import PdfReader  # noqa: PLC0415

    outline = PdfReader(pdf).outline
    titles = [e.title for e in outline if not isinstance(e, list)]
    assert titles == ["第一章", "第二章"]
    nested = [e.title for e in check_pdf._flatten(outline)]
    assert nested == ["第一章", "激活函数", "饱和", "第二章", "正则化"]
    assert stats["links"] >= 1


def test_raw_tex_and_mathjax_errors_in_prose_fail(page, tmp_path: Path) -> None:
    pdf = _print(page, BAD, tmp_path / "bad.pdf")
    problems, _ = check_pdf.check(pdf, **LIMITS, chapters=["第一章", "第二章", "第三章"])
    text = "\n".join(problems)
    assert "原始 TeX" in text and "\\frac{1}{4}" in text
    assert "MathJax 错误" in text
    assert "第三章" in text  # 书签缺一章
    assert "源码" not in text  # 代码清单里的 TeX 不算
