"""性能测量（不是测试，不做断言）：测试套件、页面 doctest、站点构建的耗时，站点体积，
以及 Chromium 首次打开（无缓存）最重页面时传输的字节数和最后一个公式排版完成的时间。
传输字节数测两遍：一遍由像常见静态托管那样做 gzip 的本地服务器提供（线上读者实际下载的量），
一遍不压缩（`mkdocs serve` 和 `python -m http.server` 的情形）。

用法：python benchmarks/bench.py [--skip-suite]
结果打印成 Markdown 表格，同时写入 benchmarks/results/latest.json。
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.conftest import _QuietHandler, chromium_path, serve_site  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


class _GzipHandler(_QuietHandler):
    """像常见的静态托管那样：浏览器声明支持 gzip 时，文本类文件压缩后发送。"""

    COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".py", ".txt")

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not path.is_file()
            or path.suffix not in self.COMPRESSIBLE
        ):
            return super().send_head()  # 目录重定向、二进制文件等照常处理
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def first_load(site: Path, *, compress: bool) -> list[dict]:
    """每个页面在全新浏览器上下文（无缓存）里实际传输的字节数和公式排版完成时间。

    ``compress=True`` 时服务器像静态托管那样对文本文件做 gzip，字节数是线上实际传输的量。
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with serve_site(site, _GzipHandler if compress else _QuietHandler) as base:
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

                def finished(request, raw: list[int] = raw) -> None:
                    sizes = request.sizes()  # responseBodySize 是线上（压缩后）的字节数
                    raw.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

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
                        "requests": len(raw),
                        "typeset_ms": round(typeset_ms) if typeset_ms else None,
                    }
                )
                context.close()
            browser.close()
    return results


def suite_parts(junit: Path) -> dict[str, object]:
    """从一次完整测试的 JUnit 报告里，按部分汇总耗时（每个测试的 setup + call + teardown）。"""
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    parts: dict[str, float] = {}
    chapters: dict[str, float] = {}
    examples: list[tuple[float, str]] = []
    sweep = 0.0
    for case in ET.parse(junit).getroot().iter("testcase"):
        name, cls, seconds = case.get("name", ""), case.get("classname", ""), float(case.get("time", 0))
        path = cls.replace(".", "/")
        if path.startswith("docs/"):
            part = "页面 doctest"
            chapter = path.split("/")[1]
            chapters[chapter] = chapters.get(chapter, 0.0) + seconds
            examples.append((seconds, f"{cls} {name}"))
        elif path.startswith("dlguide/"):
            part = "docstring doctest"
            examples.append((seconds, f"{cls} {name}"))
        elif path.startswith("tests/browser"):
            part = "浏览器测试"
            if "every_page_loads" in name:
                sweep = seconds
        elif path.startswith("tests/site"):
            part = "站点测试（含构建）"
        else:
            part = "单元测试"
        parts[part] = parts.get(part, 0.0) + seconds
    return {
        "parts_s": {k: round(v, 1) for k, v in sorted(parts.items())},
        "page_doctests_by_chapter_s": {k: round(v, 1) for k, v in sorted(chapters.items())},
        "slowest_examples": [f"{s:.2f} s {n}" for s, n in sorted(examples, reverse=True)[:5]],
        "browser_sweep_s": round(sweep, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-suite", action="store_true", help="不跑整个测试套件（最慢的一项）")
    parser.add_argument("pytest_args", nargs="*", help="传给整个测试套件的额外参数，例如 -- -n 0（默认与 scripts/test.sh 一样 -n auto）")
    args = parser.parse_args()
    py = sys.executable
    report: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "load_average_at_start": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_suite:
            junit = Path(tmp) / "junit.xml"
            # 与 scripts/test.sh 相同：没指定 -n 时按核数并行
            own = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in args.pytest_args)
            parallel = [] if own else ["-n", "auto"]
            report["suite_s"] = timed([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *parallel, *args.pytest_args])
            report.update(suite_parts(junit))
        site = Path(tmp) / "site"
        report["mkdocs_build_s"] = timed([py, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)])
        report["site_bytes"] = site_bytes(site)
        report["pages"] = sum(1 for _ in site.rglob("index.html"))
        if "browser_sweep_s" in report and report["pages"]:
            report["browser_sweep_per_page_s"] = round(report["browser_sweep_s"] / report["pages"], 3)
        if chromium_path():
            for label, compress in (("gzip", True), ("uncompressed", False)):
                loads = first_load(site, compress=compress)
                report[f"heaviest_page_{label}"] = max(loads, key=lambda r: r["bytes"])
                topics = [r for r in loads if not r["page"].startswith("/api/") and r["page"].count("/") > 2]
                report[f"heaviest_topic_page_{label}"] = max(topics, key=lambda r: r["bytes"])
            report["pages_measured"] = len(loads)
    report["load_average_at_end"] = os.getloadavg()[0]
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print("| 指标 | 数值 |\n| --- | --- |")
    for key, value in report.items():
        if isinstance(value, float):
            value = f"{value:.1f} s" if key.endswith("_s") else f"{value:.2f}"
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
