"""把整个站点打印成一个 PDF：构建站点（加上 print-site 插件），在无头 Chromium 里等 MathJax 排完版后打印。

用法（在仓库根目录，已装好 .venv）::

    bash scripts/pdf.sh                  # = python scripts/build_pdf.py，输出 dist/dlguide.pdf
    python scripts/build_pdf.py -o x.pdf # 指定输出路径
    python scripts/build_pdf.py --keep-site /tmp/pdfsite   # 保留构建出的站点（调试用）

步骤：

1. 用 ``mkdocs.yml`` 的全部设置构建站点，只在插件列表末尾加上 ``autorefs`` 和 ``print-site``
   （临时配置 ``.mkdocs-pdf.yml``：``INHERIT: mkdocs.yml`` + 插件列表，用完即删）。
   平常的 ``mkdocs build`` 不加载 print-site，所以不变慢。
2. 在 127.0.0.1 上提供构建好的站点，用系统里的 Chromium（Playwright 驱动，从不下载浏览器）
   打开 ``print_page/``：等 ``MathJax.startup.promise``，确认每个公式都排好版、没有 MathJax 错误、
   每张图都已加载，再打印成 A4 PDF（带书签目录和页内链接）。
3. 用 ``scripts/check_pdf.py`` 检查结果（页数、中文、无原始 TeX、无 MathJax 错误、书签和链接）。

除了本机回环地址，打印时的一切网络请求都被拦下并报告。
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.server
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import check_pdf  # noqa: E402

PDF_CONFIG = ROOT / ".mkdocs-pdf.yml"
PRINT_PAGE = "print_page"
# 与 tests/browser/conftest.py 的启动参数相同：不联网、不更新组件。
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PRINT_SITE_OPTIONS = {
    "add_to_navigation": False,
    "print_page_title": "全书",
    "add_cover_page": True,
    "cover_page_template": "scripts/pdf_cover.tpl",
    "toc_title": "目录",
    "toc_depth": 2,
    "enumerate_headings": True,
    "enumerate_headings_depth": 3,
    "enumerate_figures": True,
    # API 参考（112 页源码与 docstring）不进 PDF：它比全部专题页加起来还大，打印耗时翻几倍
    # （Chromium 渲染进程 8 GB、超过 20 分钟）；PDF 里指向它的链接去掉，只留文字。
    "exclude": ["api/*"],
}

# 页面里公式的状态：全部排好版（每个 .arithmatex 里都有 mjx-container）、没有错误节点。
WAIT_FOR_MATH = """async () => {
  const deadline = Date.now() + 240000;
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise && MathJax.typesetPromise)) {
    if (Date.now() > deadline) throw new Error('MathJax 没有加载');
    await new Promise(r => setTimeout(r, 100));
  }
  await MathJax.startup.promise;
  const pending = () => [...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('mjx-container')).length;
  while (pending() && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 250));
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  return {
    formulas: document.querySelectorAll('.arithmatex').length,
    untypeset: pending(),
    containers: document.querySelectorAll('mjx-container').length,
    errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')].map(e => e.getAttribute('data-mjx-error') || e.textContent).slice(0, 10),
    sections: document.querySelectorAll('section.print-page').length,
    // print-site 的目录由脚本从侧栏复制，链接写成绝对地址 …/print_page/#节（打印时仍是页内链接）。
    tocLinks: [...document.querySelectorAll('#print-page-toc a')].filter(a => a.hash && a.pathname === location.pathname).length,
  };
}"""
# 打印页里指向本站其他页面（没有进 PDF 的 API 参考等）的链接：在 PDF 里会是指向 127.0.0.1 的死链接，换成它的文字。
UNLINK_OUTSIDE = """() => {
  const outside = [...document.querySelectorAll('a[href]')].filter(a =>
    a.origin === location.origin && a.pathname !== location.pathname && !a.closest('#print-page-toc'));
  outside.forEach(a => a.replaceWith(...a.childNodes));
  return outside.length;
}"""
WAIT_FOR_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => { img.onload = img.onerror = r; })));
  return {images: images.length, broken: images.filter(img => !img.naturalWidth).map(img => img.getAttribute('src'))};
}"""
# 书签（PDF outline）的来源：打印页里每个标题的层级、文字和锚点，按文档顺序。
# 层级：print-site 的章节标题（section.md-section > h1）为 0；页面的 h1 比它所在的章节深一级，h2、h3 依次再深。
# 标题里的公式取 MathJax 隐藏 MathML 的文字（否则是空串或原始 TeX）。
HEADINGS = r"""() => {
  const out = [];
  const heads = document.querySelectorAll('section.print-page h1, section.print-page h2, section.print-page h3');
  for (const h of heads) {
    const link = h.querySelector('a.headerlink');
    const id = h.id || (link && link.getAttribute('href') || '').replace(/^#/, '');
    if (!id) continue;
    const clone = h.cloneNode(true);
    clone.querySelectorAll('a.headerlink').forEach(a => a.remove());
    clone.querySelectorAll('mjx-container').forEach(m => {
      const mml = m.querySelector('mjx-assistive-mml');
      m.replaceWith(document.createTextNode(mml ? mml.textContent : ''));
    });
    const text = clone.textContent.replace(/\s+/g, ' ').trim();
    const chapters = [];
    for (let e = h.parentElement; e; e = e.parentElement) if (e.matches('section.md-section')) chapters.push(e);
    const isChapter = h.parentElement.matches('section.md-section') && h.tagName === 'H1';
    const level = isChapter ? chapters.length - 1 : chapters.length + Number(h.tagName[1]) - 1;
    out.push({id, text, level, chapter: isChapter});
  }
  return out;
}"""
# 打印版的小调整：展开折叠块，隐藏“复制”按钮。标题旁的 ¶ 锚点保持 Material 的透明样式：
# 它们在 PDF 里是看不见的页内链接，Chromium 因此为每个标题写出具名目标，书签就指向这些目标。
PRINT_CSS = """
@media print {
  details { display: block; }
  details > *:not(summary) { display: block !important; }
  .md-code__nav, .md-code__button, .md-clipboard, .md-top, .md-source-file { display: none !important; }
}
/* 页码由 Chromium 的页脚给出（“12 / 343”），去掉 print-site 自带的英文 “Page 12” 和页脚章名。 */
@page {
  @bottom-right { content: none; }
  @bottom-center { content: none; }
}
"""


def log(message: str) -> None:
    print(f"[pdf] {message}", flush=True)


def _git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def write_pdf_config(path: Path = PDF_CONFIG) -> None:
    """``INHERIT: mkdocs.yml``，插件 = mkdocs.yml 的插件 + autorefs + print-site（必须最后）。"""
    import yaml  # noqa: PLC0415
    from mkdocs.utils.yaml import yaml_load  # noqa: PLC0415

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        plugins = list(yaml_load(f).get("plugins") or [])
    names = [p if isinstance(p, str) else next(iter(p)) for p in plugins]
    plugins = [p for p, n in zip(plugins, names) if n != "print-site"]
    # mkdocstrings 会在末尾自动加上 autorefs；print-site 要求自己排在最后，所以先显式列出 autorefs。
    if "autorefs" not in names:
        plugins.append("autorefs")
    plugins.append({"print-site": PRINT_SITE_OPTIONS})
    stamp = {"date": datetime.date.today().isoformat(), "commit": _git_commit()}
    text = "# 由 scripts/build_pdf.py 生成，用完即删。\n" + yaml.safe_dump(
        {"INHERIT": "mkdocs.yml", "plugins": plugins, "extra": {"dlguide_pdf": stamp}},
        allow_unicode=True,
        sort_keys=False,
    )
    path.write_text(text, encoding="utf-8")


def build_site(site_dir: Path) -> float:
    write_pdf_config()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(PDF_CONFIG), "-d", str(site_dir)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
    finally:
        PDF_CONFIG.unlink(missing_ok=True)
    if result.returncode != 0:
        sys.exit(f"mkdocs build 失败：\n{result.stdout}{result.stderr}")
    if not (site_dir / PRINT_PAGE / "index.html").is_file():
        sys.exit(f"构建结果里没有 {PRINT_PAGE}/index.html（print-site 插件没有运行？）")
    return time.perf_counter() - start


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("没有找到 chromium（Debian：apt-get install chromium fonts-noto-cjk）；本脚本从不下载浏览器。")


def print_pdf(site_dir: Path, output: Path) -> dict:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    blocked: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()

            def route(r):
                if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost") or not r.request.url.startswith("http"):
                    return r.continue_()
                blocked.append(r.request.url)
                return r.abort()

            page.route("**/*", route)
            t0 = time.perf_counter()
            page.goto(f"{base}/{PRINT_PAGE}/", wait_until="load", timeout=300_000)
            page.add_style_tag(content=PRINT_CSS)
            unlinked = page.evaluate(UNLINK_OUTSIDE)
            t1 = time.perf_counter()
            math = page.evaluate(WAIT_FOR_MATH)
            images = page.evaluate(WAIT_FOR_IMAGES)
            t2 = time.perf_counter()
            log(f"打开打印页 {t1 - t0:.1f} s，MathJax 排版 {t2 - t1:.1f} s；去掉 {unlinked} 个指向打印页以外（API 参考等）的链接")
            problems = []
            if math["untypeset"]:
                problems.append(f"{math['untypeset']} 个公式没有排版")
            if math["errors"]:
                problems.append(f"MathJax 错误：{math['errors']}")
            if images["broken"]:
                problems.append(f"图没有加载：{images['broken']}")
            if not math["tocLinks"]:
                problems.append("打印页没有目录链接")
            if problems:
                sys.exit("打印页有问题，不生成 PDF：\n- " + "\n- ".join(problems))
            headings = page.evaluate(HEADINGS)
            raw = output.with_suffix(".raw.pdf")
            output.parent.mkdir(parents=True, exist_ok=True)
            # Chromium 自己的书签（outline=True）要求 tagged=True：文件大一倍，部分标题文字重复。
            # 所以打印不带书签的 PDF，再用 pypdf 按打印页的标题加书签。
            page.pdf(
                path=str(raw),
                format="A4",
                print_background=True,
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                ),
            )
            log(f"Chromium 打印 {time.perf_counter() - t2:.1f} s")
            browser.close()
    finally:
        server.shutdown()
    try:
        t3 = time.perf_counter()
        missing = add_outline(raw, output, headings)
        log(f"加书签 {time.perf_counter() - t3:.1f} s")
    finally:
        raw.unlink(missing_ok=True)
    return {**math, **images, "blocked": blocked, "headings": len(headings), "missing": missing}


def add_outline(raw: Path, output: Path, headings: list[dict]) -> list[str]:
    """按 ``headings``（文档顺序，带层级）给 PDF 加书签，指向 Chromium 为各标题写出的具名目标。

    返回找不到目标的标题（它们的书签指向下一个有目标的标题的位置）。
    """
    from urllib.parse import unquote  # noqa: PLC0415

    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415
    from pypdf.generic import Fit  # noqa: PLC0415

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium 的 trailer /Size 少算几个对象：无害
    reader = PdfReader(raw)
    dests = {unquote(name.lstrip("/")): dest for name, dest in reader.named_destinations.items()}
    writer = PdfWriter(clone_from=reader)
    parents: list = []  # parents[k] = 当前第 k 层的书签
    missing: list[str] = []
    for i, heading in enumerate(headings):
        previous = headings[i - 1] if i else {}
        if previous.get("chapter") and heading["text"] == previous["text"]:
            continue  # 章的首页标题与章名相同：并入章的书签
        dest = dests.get(heading["id"])
        if dest is None:
            if not heading.get("chapter"):  # 章名的锚点是空链接，Chromium 不写目标；指向章首页即可
                missing.append(heading["text"])
            dest = next((dests[h["id"]] for h in headings[i + 1 :] if h["id"] in dests), None)
            if dest is None:
                continue
        level = min(heading["level"], len(parents))
        parent = parents[level - 1] if level > 0 else None
        item = writer.add_outline_item(
            title=heading["text"],
            page_number=reader.get_destination_page_number(dest),
            parent=parent,
            fit=Fit.xyz(left=dest.get("/Left"), top=dest.get("/Top")),
        )
        del parents[level:]
        parents.append(item)
    writer.page_mode = "/UseOutlines"  # 打开时显示书签栏
    with open(output, "wb") as f:
        writer.write(f)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dist" / "dlguide.pdf")
    parser.add_argument("--keep-site", type=Path, help="把构建出的站点留在这个目录（默认用完即删）")
    parser.add_argument("--no-check", action="store_true", help="不运行 scripts/check_pdf.py 的检查")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dlguide-pdf-") as tmp:
        site_dir = args.keep_site or Path(tmp) / "site"
        build_s = build_site(site_dir)
        log(f"站点构建（含 print-site）：{build_s:.1f} s")
        t0 = time.perf_counter()
        info = print_pdf(site_dir, args.output)
        print_s = time.perf_counter() - t0
    log(
        f"打印：{print_s:.1f} s；{info['sections']} 节，{info['formulas']} 个公式，{info['images']} 张图，"
        f"目录 {info['tocLinks']} 条链接，书签 {info['headings']} 条"
    )
    if info["missing"]:
        log(f"{len(info['missing'])} 个标题在 PDF 里没有具名目标（书签指向其后的标题）：{info['missing'][:5]}")
    if info["blocked"]:
        log(f"拦下了 {len(info['blocked'])} 个非本机请求：{sorted(set(info['blocked']))[:5]}")
    size_mb = args.output.stat().st_size / 1e6
    log(f"{args.output}：{size_mb:.1f} MB，总耗时 {time.perf_counter() - start:.1f} s")
    if args.no_check:
        return 0
    return check_pdf.main([str(args.output)])


if __name__ == "__main__":
    sys.exit(main())
