"""在真实的无头 Chromium 里检查构建好的站点：像读者一样打开、搜索、复制、切换主题。"""

from __future__ import annotations

import collections
import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import _QuietHandler, serve_site

pytestmark = pytest.mark.browser

WAIT_FOR_MATH = """async () => {
  if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return 0;
  await MathJax.startup.promise;
  return document.querySelectorAll('mjx-container').length;
}"""
MATH_STATE = """() => ({
  arithmatex: document.querySelectorAll('.arithmatex').length,
  untypeset: [...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('mjx-container')).length,
  containers: document.querySelectorAll('mjx-container').length,
  errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
  version: window.MathJax && MathJax.version,
})"""


SEARCH_READY = """() => document.querySelector('.md-search-result__meta')?.textContent.trim() ===
  JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"""


def _pages(site: Path) -> list[str]:
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def _watch(page) -> dict[str, list[str]]:
    """记下页面的控制台错误、未捕获异常和发往第三方主机的请求。"""
    events: dict[str, list[str]] = {"errors": [], "remote": []}
    page.on("console", lambda m: m.type == "error" and events["errors"].append(m.text))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on(
        "request",
        lambda r: urlparse(r.url).hostname not in (None, "127.0.0.1", "localhost")
        and r.url.startswith("http")
        and events["remote"].append(r.url),
    )
    return events


def _open(browser, url: str, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    events = _watch(page)
    page.goto(url)
    page.evaluate(WAIT_FOR_MATH)  # 比等“网络空闲”快，也更严格：公式排完才算打开
    return context, page, events


TABS = 4  # 同时打开几个标签页：页面加载和 MathJax 排版在浏览器的多个进程里并行


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PHONE_LAYOUT = """() => ({
  pageWidth: document.documentElement.scrollWidth,
  viewport: innerWidth,
  clippedFormulas: [...document.querySelectorAll('.arithmatex')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .filter(e => !['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).length,
  uncuedFormulas: [...document.querySelectorAll('div.arithmatex')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .filter(e => !getComputedStyle(e).backgroundImage.includes('gradient')).length,
  wideFormulas: [...document.querySelectorAll('div.arithmatex')].filter(e => e.scrollWidth > e.clientWidth + 1).length,
})"""


@contextlib.contextmanager
def _site_with_small_search_index(site: Path) -> Iterator[tuple[str, collections.Counter]]:
    """在另一个端口上提供同一个站点，但 ``/search/search_index.json`` 答以只含站点配置、没有文档的索引。

    返回 (地址, {请求索引的页面路径: 次数})，页面路径取自请求的 Referer。Material 在每次整页加载时都在
    Web Worker 里用完整索引重建 lunr 索引（本站约 0.6 s CPU），而索引对每个页面都是同一个文件。
    页面检查照样看到：搜索脚本按页面的相对路径找到了索引（路径算错就是 404 和控制台错误）、
    Worker 建好索引、搜索框显示“键入以开始搜索”。完整索引的中文搜索由下面的搜索测试检查。
    （用 Playwright 的 route 拦截也行，但拦截会关掉浏览器的 HTTP 缓存，每页重新下载 MathJax。）
    """
    real = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    small = json.dumps({"config": real["config"], "docs": []}).encode()
    requests: collections.Counter = collections.Counter()

    class Handler(_QuietHandler):
        def do_GET(self) -> None:
            if urlparse(self.path).path != "/search/search_index.json":
                return super().do_GET()
            requests[urlparse(self.headers.get("Referer", "")).path] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(small)))
            self.end_headers()
            self.wfile.write(small)

    with serve_site(site, Handler) as url:
        yield url, requests


def test_every_page_loads_cleanly_and_typesets_every_formula(browser, built_site) -> None:
    """每个页面，在 390 px 宽的手机上：没有控制台错误、不请求第三方主机、每个公式都排好且没有 MathJax 错误、
    MathJax 是站点自己的 3.2.2；搜索按页面的相对路径找到索引并就绪；页面不横向溢出，
    比屏幕宽的公式在自己的框里滚动，并有滚动提示（两侧阴影）。

    一个浏览器上下文、TABS 个标签页轮流使用：先让一批标签页都开始导航，再逐个等它们排完公式。
    """
    site, _ = built_site
    pages = _pages(site)
    assert len(pages) >= 15
    with _site_with_small_search_index(site) as (site_url, index_requests):
        failures, wide_formulas = _sweep(browser, site_url, pages, index_requests)
    assert failures == []
    assert wide_formulas >= 5  # 确实检查到了比屏幕宽的公式


def _sweep(browser, site_url: str, pages: list[str], index_requests: collections.Counter) -> tuple[list[str], int]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: PLC0415  与夹具一样，用到时才导入

    context = browser.new_context(**PHONE)
    search_timeout = 10_000  # 第一次没就绪之后缩短：搜索全坏时不必每页等 10 s
    wide_formulas = 0
    tabs = [context.new_page() for _ in range(TABS)]
    watched = [(tab, _watch(tab)) for tab in tabs]
    failures = []
    for start in range(0, len(pages), TABS):
        batch = [(tab, events, path) for (tab, events), path in zip(watched, pages[start : start + TABS])]
        for tab, events, path in batch:
            events["errors"].clear()
            events["remote"].clear()
            tab.goto(site_url + path, wait_until="commit")
        for tab, events, path in batch:
            tab.wait_for_load_state("load")
            tab.evaluate(WAIT_FOR_MATH)
            state = tab.evaluate(MATH_STATE)
            try:
                tab.wait_for_function(SEARCH_READY, timeout=search_timeout)
            except PlaywrightTimeout:
                failures.append(f"{path}: 搜索没有就绪（索引请求了 {index_requests[path]} 次）")
                search_timeout = 2_000
            else:
                if index_requests[path] != 1:
                    failures.append(f"{path}: 搜索索引请求了 {index_requests[path]} 次")
            if events["errors"]:
                failures.append(f"{path}: 控制台错误 {events['errors']}")
            if events["remote"]:
                failures.append(f"{path}: 请求了第三方主机 {events['remote']}")
            if state["untypeset"] or state["errors"]:
                failures.append(f"{path}: 公式未排版 {state}")
            if state["version"] != "3.2.2":
                failures.append(f"{path}: MathJax 版本 {state['version']}")
            layout = tab.evaluate(PHONE_LAYOUT)
            wide_formulas += layout["wideFormulas"]
            if layout["pageWidth"] > layout["viewport"] or layout["clippedFormulas"] or layout["uncuedFormulas"]:
                failures.append(f"{path}: 手机上 {layout}")
    context.close()
    return failures, wide_formulas


def test_phone_figure_opens_at_readable_size_in_a_lightbox(browser, site_url) -> None:
    """手机上图缩到屏幕宽：轻点打开灯箱，图按原始大小显示（字约 10 px），可以左右拖动；灯箱的脚本是站点自己的。"""
    context, page, events = _open(browser, site_url + "/activations/sigmoid/", **PHONE)
    figure = page.locator('article img[src*="figures/"]').first
    inline = figure.evaluate("img => img.getBoundingClientRect().width")
    figure.tap()
    shown = page.locator(".glightbox-container .gslide-image img").first
    shown.wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('.glightbox-container .gslide-image img');"
        " return i && Math.abs(i.getBoundingClientRect().width - i.naturalWidth) < 2; }"
    )
    width, natural, scrollable = shown.evaluate(
        "i => [i.getBoundingClientRect().width, i.naturalWidth, i.parentElement.scrollWidth > i.parentElement.clientWidth]"
    )
    assert inline <= 390 < natural and width >= natural - 1 and scrollable  # 亚像素取整
    assert events["errors"] == [] and events["remote"] == []
    context.close()


def test_sigmoid_page_has_formulas_and_figure(browser, site_url) -> None:
    context, page, _ = _open(browser, site_url + "/activations/sigmoid/")
    assert page.evaluate(WAIT_FOR_MATH) >= 30
    figure = page.locator('img[src$="figures/activations/sigmoid/sigmoid_and_derivative.svg"]')
    assert figure.count() == 1
    assert len(figure.get_attribute("alt")) > 10
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    context.close()


def test_notebook_math_and_plot_render(browser, site_url) -> None:
    context, page, events = _open(browser, site_url + "/activations/sigmoid-notebook/")
    page.evaluate(WAIT_FOR_MATH)
    typeset = page.locator(".jp-MarkdownOutput mjx-container").count()
    raw_dollars = page.locator(".jp-MarkdownOutput").evaluate_all(
        "els => els.filter(e => /\\$[^$]+\\$/.test(e.innerText)).length"
    )
    assert typeset >= 4 and raw_dollars == 0
    plots = page.locator('.jp-OutputArea img[src^="data:image/svg+xml"]')
    assert plots.count() >= 1 and plots.first.evaluate("img => img.naturalWidth > 0")
    assert "No description" not in plots.first.get_attribute("alt")  # 笔记本里的图也有替代文字
    assert events["errors"] == []
    context.close()


def test_instant_navigation_retypesets_formulas(browser, site_url) -> None:
    context, page, events = _open(browser, site_url + "/")
    page.evaluate(WAIT_FOR_MATH)
    page.locator("article a", has_text="简单说下 sigmoid 激活函数").first.click()
    page.wait_for_url(re.compile(r"/activations/sigmoid/$"))
    page.wait_for_function("document.querySelectorAll('.arithmatex').length > 30")
    page.evaluate(WAIT_FOR_MATH)
    page.wait_for_function(
        "[...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('mjx-container'))"
    )
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # 没有整页重新加载
    assert events["errors"] == []
    context.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("激活函数", "activations/sigmoid/"),
        ("饱和", "activations/sigmoid/"),
        ("交叉熵", "activations/sigmoid/"),
        ("注意力", "sequence/attention/"),
        ("卷积", "cnn/convolution/"),
        ("词向量", "text/word2vec/"),
    ],
)
def test_chinese_search_finds_the_page(browser, site_url, query: str, expected: str) -> None:
    context, page, events = _open(browser, site_url + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(expected in href for href in hrefs), hrefs
    assert events["errors"] == []  # 完整索引建得起来（页面检查里用的是只有配置的索引）
    context.close()


def test_copy_button_copies_runnable_code_without_prompts_or_output(browser, site_url) -> None:
    context, page, _ = _open(
        browser, site_url + "/activations/sigmoid/", permissions=["clipboard-read", "clipboard-write"]
    )
    block = page.locator(".language-pycon").first
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "import torch" in copied and "[round(v, 4) for v in sigmoid(z).tolist()]" in copied
    assert ">>>" not in copied and "..." not in copied
    assert "[0.0, 0.1192, 0.5, 0.8808, 1.0]" not in copied  # 输出行不复制
    namespace: dict = {}
    exec(compile(copied, "<clipboard>", "exec"), namespace)  # 复制下来的就是能跑的代码
    assert "device" in namespace

    source = page.locator(".language-python").first
    source.hover()
    source.locator("button.md-code__button[data-md-type=copy]").click()
    assert "def sigmoid(z: torch.Tensor) -> torch.Tensor:" in page.evaluate("navigator.clipboard.readText()")
    context.close()


def test_dark_mode_toggle_persists(browser, site_url) -> None:
    context, page, events = _open(browser, site_url + "/activations/sigmoid/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("label.md-header__button[for='__palette_1']").click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert background != "rgb(255, 255, 255)"
    assert page.evaluate(WAIT_FOR_MATH) >= 30
    assert events["errors"] == []
    context.close()
