"""性能测量（不是测试，不做断言）：测试套件、页面 doctest、站点构建的耗时，站点体积，
以及 Chromium 首次打开（无缓存）最重页面时传输的字节数和最后一个公式排版完成的时间。
传输字节数给两个：本地服务器（不压缩）实际发送的，和同样内容按 gzip 压缩后的（静态托管通常会压缩）。

用法：python benchmarks/bench.py [--skip-suite]
结果打印成 Markdown 表格，同时写入 benchmarks/results/latest.json。
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.conftest import _QuietHandler, chromium_path  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def first_load(site: Path) -> list[dict]:
    """每个页面在全新浏览器上下文（无缓存）里的传输字节数和公式排版完成时间。"""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = sorted(
        "/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html") if p.parent != site
    )
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path in pages:
            context = browser.new_context()
            page = context.new_page()
            raw: list[int] = []
            gz: list[int] = []

            def finished(request) -> None:
                sizes = request.sizes()
                raw.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])
                body = request.response().body()
                gz.append(len(gzip.compress(body, 6)) + sizes["responseHeadersSize"])

            page.on("requestfinished", finished)
            page.goto(base + path)
            typeset_ms = page.evaluate(
                """async () => { await MathJax.startup.promise;
                     return document.querySelectorAll('mjx-container').length ? performance.now() : null; }"""
            )
            page.wait_for_load_state("networkidle")
            results.append(
                {
                    "page": path,
                    "bytes": sum(raw),
                    "bytes_if_gzipped": sum(gz),
                    "requests": len(raw),
                    "typeset_ms": round(typeset_ms) if typeset_ms else None,
                }
            )
            context.close()
        browser.close()
    server.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-suite", action="store_true", help="不跑整个测试套件（最慢的一项）")
    args = parser.parse_args()
    py = sys.executable
    report: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
    }
    if not args.skip_suite:
        report["suite_s"] = timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
    report["page_doctests_s"] = timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "docs"])
    report["docstring_doctests_s"] = timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "dlguide"])
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        report["mkdocs_build_s"] = timed([py, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)])
        report["site_bytes"] = site_bytes(site)
        if chromium_path():
            loads = first_load(site)
            heaviest = max(loads, key=lambda r: r["bytes"])
            report["heaviest_page"] = heaviest
            topic_pages = [r for r in loads if r["typeset_ms"] is not None]
            report["heaviest_page_with_math"] = max(topic_pages, key=lambda r: r["bytes"])
            report["pages_measured"] = len(loads)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print("| 指标 | 数值 |\n| --- | --- |")
    for key, value in report.items():
        if isinstance(value, float):
            value = f"{value:.1f} s"
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
