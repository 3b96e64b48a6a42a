"""MkDocs 钩子：构建时生成图、把 MathJax 作为站点自己的文件发布、清理笔记本页的外链脚本。"""

from __future__ import annotations

import importlib
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.structure.files import File, Files

# MathJax 3 的组件：启动器 + TeX 输入 + CommonHTML 输出 + 屏幕阅读器用的隐藏 MathML。
# 按需加载的 TeX 扩展和 woff 字体整目录发布，页面只会请求用到的那几个。
MATHJAX_FILES = (
    "startup.js",
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "a11y/assistive-mml.js",
)
MATHJAX_DIRS = ("input/tex/extensions", "output/chtml/fonts/woff-v2")
MATHJAX_URI = "assets/mathjax"


def mathjax_root() -> Path:
    """已安装的 MathJax（PyPI 包 django-static-mathjax，版本由 constraints.txt 固定）。"""
    import mathjax  # noqa: PLC0415  只在构建站点时需要

    root = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (root / "startup.js").is_file():
        raise FileNotFoundError(f"在 {root} 找不到 MathJax 的 startup.js")
    return root


def _fresh_figures():
    """每次构建都重新导入 dlguide，`mkdocs serve` 改了代码后图也会更新。"""
    for name in [m for m in sys.modules if m == "dlguide" or m.startswith("dlguide.")]:
        del sys.modules[name]
    return importlib.import_module("dlguide.figures")


def on_files(files: Files, config) -> Files:
    for name, svg in _fresh_figures().render_all().items():
        files.append(File.generated(config, f"figures/{name}", content=svg))
    root = mathjax_root()
    paths = [root / rel for rel in MATHJAX_FILES]
    for rel in MATHJAX_DIRS:
        paths.extend(sorted(p for p in (root / rel).rglob("*") if p.is_file()))
    for path in paths:
        uri = f"{MATHJAX_URI}/{path.relative_to(root).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# mkdocs-jupyter 0.26 在每个笔记本页插入：MathJax 2 的空 <script src=""> 和配置块（前者让浏览器
# 把页面自己当脚本加载，控制台报错），以及从 CDN 加载 mermaid 的模块脚本。全部删掉：
# 公式交给站点自己的 MathJax，笔记本里也不用 mermaid。
_NOTEBOOK_SCRIPTS = (
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL),
    re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>', re.DOTALL),
)


def on_post_page(output: str, page, config) -> str:
    for pattern in _NOTEBOOK_SCRIPTS:
        output = pattern.sub("", output)
    return output


# ---- 目录：首页和各章首页的目录都由 docs/toc.yml 生成 ----
_TOC_MARKER = re.compile(r"<!--\s*dlguide:toc(?:\s+group=(?P<group>[a-z]+))?\s*-->")


def load_toc(docs_dir: str | Path) -> list[dict]:
    """读取 docs/toc.yml：[{slug, title, topics: [{title, page?}]}]。"""
    import yaml  # noqa: PLC0415

    return yaml.safe_load((Path(docs_dir) / "toc.yml").read_text(encoding="utf-8"))


def _topic_line(topic: dict, here: str) -> str:
    page = topic.get("page")
    if not page:
        return f'- {topic["title"]} <span class="wip">（编写中）</span>'
    path, _, anchor = page.partition("#")
    link = posixpath.relpath(path, here) + (f"#{anchor}" if anchor else "")
    return f'- [{topic["title"]}]({link})'


def render_toc(toc: list[dict], page_uri: str, group: str | None = None) -> str:
    """把目录渲染成 Markdown；``group`` 为空时渲染全部 10 组（首页）。"""
    here = posixpath.dirname(page_uri) or "."
    lines: list[str] = []
    for number, chapter in enumerate(toc, start=1):
        if group and chapter["slug"] != group:
            continue
        if not group:
            index = posixpath.relpath(f'{chapter["slug"]}/index.md', here)
            lines += [f'### {number}. [{chapter["title"]}]({index})', ""]
        lines += [_topic_line(t, here) for t in chapter["topics"]]
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "dlguide:toc" not in markdown:
        return markdown
    toc = load_toc(config["docs_dir"])
    slugs = {chapter["slug"] for chapter in toc}

    def replace(match: re.Match) -> str:
        group = match.group("group")
        if group and group not in slugs:
            raise ValueError(f"{page.file.src_uri}: 未知的章节 {group!r}，可选 {sorted(slugs)}")
        return render_toc(toc, page.file.src_uri, group)

    return _TOC_MARKER.sub(replace, markdown)
