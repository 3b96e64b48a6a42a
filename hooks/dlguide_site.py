"""MkDocs 钩子：站点的目录、导航、API 参考页、代码引用和图都由这里从唯一的来源生成。

- 导航：由 ``docs/toc.yml``（原笔记的目录）生成，``mkdocs.yml`` 里没有手写的 ``nav``；
- API 参考：为 ``dlguide`` 的每个模块生成一页（``api/<模块路径>.md``），外加一张模块总表；
- 代码引用：页面里的 ``--8<-- "dlguide/<模块>.py:<名字>"`` 换成该模块里名为 ``<名字>`` 的
  函数、类或常量的源码（不含 docstring：docstring 在 API 页上）；多个名字用逗号隔开；
- 图：``dlguide.figures.render_all`` 画出的 SVG（源码没变的图取 ``.cache/figures`` 里的缓存）；
- 每个专题页的 Jupyter 笔记本（``dlguide_notebooks``），速答汇总和勘误汇总两页（``dlguide_summaries``）；
- MathJax：作为站点自己的文件发布，不请求任何第三方主机。
"""

from __future__ import annotations

import ast
import importlib
import json
import logging
import os
import pkgutil
import posixpath
import re
import sys
import textwrap
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # 同目录的 dlguide_notebooks、dlguide_summaries

import dlguide_notebooks  # noqa: E402
import dlguide_summaries  # noqa: E402

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
FIGURE_CACHE = ROOT / ".cache" / "figures"


class SiteError(Exception):
    """站点源文件里的错误（目录、代码引用）：信息里写明文件和行号。"""


def mathjax_root() -> Path:
    """已安装的 MathJax（PyPI 包 django-static-mathjax，版本由 constraints.txt 固定）。"""
    import mathjax  # noqa: PLC0415  只在构建站点时需要

    root = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (root / "startup.js").is_file():
        raise FileNotFoundError(f"在 {root} 找不到 MathJax 的 startup.js")
    return root


# ---- 目录与导航：都由 docs/toc.yml 生成 ----
def load_toc(docs_dir: str | Path) -> list[dict]:
    """读取并检查 docs/toc.yml：[{slug, title, topics: [{title, page?}], notebooks?: [...]}]。"""
    import yaml  # noqa: PLC0415

    path = Path(docs_dir) / "toc.yml"
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for chapter in toc:
        for topic in chapter["topics"]:
            page = topic.get("page")
            if page and not (Path(docs_dir) / page.partition("#")[0]).is_file():
                raise SiteError(f"{path}: 条目“{topic['title']}”的 page 指向不存在的文件 {page!r}")
        for extra in chapter.get("notebooks", []):
            if not (Path(docs_dir) / extra).is_file():
                raise SiteError(f"{path}: 第 {chapter['slug']} 章的 notebooks 指向不存在的文件 {extra!r}")
    return toc


def topic_pages(toc: list[dict]) -> list[str]:
    """写好的专题页（去掉锚点、去重），按目录顺序。"""
    pages: list[str] = []
    for chapter in toc:
        for topic in chapter["topics"]:
            page = topic.get("page", "").partition("#")[0]
            if page and page not in pages:
                pages.append(page)
    return pages


def page_title(markdown: str) -> str:
    match = re.search(r"^# (.+)$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else ""


def chapter_pages(chapter: dict) -> list[str]:
    """一章的页面：章首页，然后是写好的专题页（按目录顺序、去重、去掉锚点），最后是笔记本。"""
    pages = [f"{chapter['slug']}/index.md"]
    for topic in chapter["topics"]:
        page = topic.get("page", "").partition("#")[0]
        if page and page not in pages:
            pages.append(page)
    return pages + [{notebook_title(ROOT / "docs" / nb): nb} for nb in chapter.get("notebooks", [])]


def notebook_title(path: Path) -> str:
    """jupytext 笔记本第一个 Markdown 标题（``# # 标题``）：导航里的名字和页面标题一致。"""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    raise SiteError(f"{path}: 笔记本的第一个 Markdown 单元格要有一个 # 标题")


def notebook_ipynb(path: Path) -> str:
    """把 jupytext 的 percent 格式 ``.py`` 转成 ``.ipynb``（不含输出），供读者下载后直接在 Jupyter 里打开。"""
    import jupytext  # noqa: PLC0415  只在构建站点时需要

    return jupytext.writes(jupytext.read(path), fmt="ipynb")


def api_modules() -> list[str]:
    """dlguide 的全部模块名（库模块在前，页面实验模块在后），私有模块除外。"""
    import dlguide  # noqa: PLC0415

    names = ["dlguide"] + [
        info.name
        for info in pkgutil.walk_packages(dlguide.__path__, prefix="dlguide.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
        and not (info.ispkg and info.name.count(".") == 2 and info.name.startswith("dlguide.pages."))  # 各章的空包
    ]
    return sorted(names, key=lambda n: (n.startswith("dlguide.pages"), n))


def api_page(module: str) -> str:
    """模块的 API 页路径：``dlguide.pages.basics.data_split`` → ``api/pages/basics/data_split.md``。"""
    parts = module.split(".")[1:] or ["index"]
    if parts == ["index"]:
        return "api/dlguide.md"
    return "api/" + "/".join(parts) + ".md"


def build_nav(toc: list[dict]) -> list:
    nav: list = [{"首页": "index.md"}]
    for chapter in toc:
        nav.append({chapter["title"]: chapter_pages(chapter)})
    library = [{m: api_page(m)} for m in api_modules() if not m.startswith("dlguide.pages")]
    pages = [{m.removeprefix("dlguide."): api_page(m)} for m in api_modules() if m.startswith("dlguide.pages")]
    nav.append({"速答汇总": "quick-answers.md"})
    nav.append({"勘误汇总": "errata.md"})
    nav.append({"术语表": "glossary.md"})
    nav.append({"API 参考": ["api/index.md", {"库": library}, {"页面实验": pages}]})
    return nav


def _quiet_build() -> None:
    """干净的构建不打印读者要学着忽略的东西：jieba 的词典加载信息、mkdocs-jupyter 的逐页日志、
    笔记本内核关于 TCP 未加密的警告（内核只在本机回环地址上和构建进程通信）。"""
    import jieba  # noqa: PLC0415  只在构建站点时需要

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("mkdocs.plugins.mkdocs_jupyter").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.mkdocs-jupyter").setLevel(logging.WARNING)
    profile = ROOT / ".cache" / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text('c.IPKernelApp.log_level = "ERROR"\n', encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(profile.parent)


# 本次构建读到的目录：on_config 读一次，之后的钩子共用（每页重新解析 toc.yml 要多花约 3 s）。
_BUILD_TOC: list[dict] = []


def _toc(config) -> list[dict]:
    return _BUILD_TOC or load_toc(config["docs_dir"])  # 没经过 on_config 时（单独调用钩子）现读


def on_config(config):
    if config.get("nav"):
        raise SiteError("mkdocs.yml 里不要手写 nav：导航由 docs/toc.yml 生成")
    _quiet_build()
    _BUILD_TOC[:] = load_toc(config["docs_dir"])
    config["nav"] = build_nav(_BUILD_TOC)
    return config


# ---- API 参考页 ----
def _summary(module: str) -> str:
    doc = importlib.import_module(module).__doc__ or ""
    first = doc.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in first.splitlines())


def api_index() -> str:
    rows = []
    for module in api_modules():
        link = posixpath.relpath(api_page(module), "api")
        summary = _summary(module).replace("|", "\\|")
        rows.append(f"| [`{module}`]({link}) | {summary} |")
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            "# API 参考",
            "",
            "`dlguide` 包的全部模块。顶层是**库**：有 PyTorch 对应实现、或两个以上页面共用的代码；",
            "`dlguide.pages.<章>.<页>` 是各页面的**实验**，路径与页面 `docs/<章>/<页>.md` 一一对应。",
            "页面上展示的代码都按名字从这里的源码引用，测试运行的就是这些函数。",
            "",
            "| 模块 | 内容 |",
            "| --- | --- |",
            *rows,
            "",
            "安装：先装适合你机器的 PyTorch，再在仓库根目录 `pip install -e .`。",
            "所有示例都通过 [`get_device`][dlguide.device.get_device] 选择设备，设置环境变量",
            "`DLGUIDE_DEVICE=cpu`（或 `cuda`、`mps`）可以强制使用某个设备。",
            "",
        ]
    )


def api_markdown(module: str) -> str:
    return f"---\nsearch:\n  exclude: true\n---\n\n::: {module}\n    options:\n      heading_level: 1\n"


# ---- 代码引用：--8<-- "dlguide/<模块>.py:<名字>" ----
_INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<path>[^":]+)(?::(?P<name>[^"]+))?"[ \t]*$', re.MULTILINE)


def _named_node(tree: ast.Module, name: str) -> ast.stmt | None:
    body: list[ast.stmt] = tree.body
    node = None
    for part in name.split("."):
        node = None
        for candidate in body:
            if isinstance(candidate, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and candidate.name == part:
                node = candidate
            elif isinstance(candidate, ast.Assign) and any(getattr(t, "id", None) == part for t in candidate.targets):
                node = candidate
            elif isinstance(candidate, ast.AnnAssign) and getattr(candidate.target, "id", None) == part:
                node = candidate
        if node is None:
            return None
        body = getattr(node, "body", [])
    return node


def _docstring_lines(node: ast.AST) -> set[int]:
    """``node`` 及其内部各函数、类的 docstring 所占的行号（从 1 数）。"""
    lines: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and ast.get_docstring(sub) is not None:
            doc = sub.body[0]
            lines.update(range(doc.lineno, doc.end_lineno + 1))
    return lines


def extract_source(path: str, name: str) -> str:
    """``path`` 里名为 ``name`` 的函数、类或常量（``Class.method`` 也可以）的源码，不含 docstring。

    从装饰器所在行开始，到定义的最后一行为止；缩进统一去掉。找不到时抛 :class:`SiteError`。
    """
    file = ROOT / path
    if not path.startswith("dlguide/") or file.suffix != ".py" or not file.is_file():
        raise SiteError(f"找不到要引用的文件 {path!r}（只能引用 dlguide/ 下的 .py 文件）")
    text = file.read_text(encoding="utf-8")
    node = _named_node(ast.parse(text), name)
    if node is None:
        raise SiteError(f"{path} 里没有名为 {name!r} 的函数、类或常量")
    lines = text.splitlines()
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    skip = _docstring_lines(node)
    kept = [lines[i - 1] for i in range(start, node.end_lineno + 1) if i not in skip]
    return textwrap.dedent("\n".join(kept)).rstrip()


def expand_includes(markdown: str, page: str) -> str:
    """把页面里的每个 ``--8<-- "dlguide/<模块>.py:<名字>"`` 换成源码；出错时写明页面和行号。"""

    def replace(match: re.Match) -> str:
        line = markdown.count("\n", 0, match.start()) + 1
        if not match.group("name"):
            raise SiteError(f"{page}:{line}: 代码引用必须写明名字：--8<-- \"dlguide/<模块>.py:<函数名>\"")
        try:
            names = [n.strip() for n in match.group("name").split(",")]
            source = "\n\n\n".join(extract_source(match.group("path"), n) for n in names)
        except SiteError as err:
            raise SiteError(f"{page}:{line}: {err}") from None
        return textwrap.indent(source, match.group("indent"), lambda _: True)

    return _INCLUDE.sub(replace, markdown)


def page_includes(markdown: str) -> list[tuple[int, str, str | None]]:
    """页面里的全部代码引用：``[(行号, 路径, 名字)]``。"""
    return [
        (markdown.count("\n", 0, m.start()) + 1, m.group("path"), m.group("name")) for m in _INCLUDE.finditer(markdown)
    ]


# ---- 首页和各章首页的目录 ----
_TOC_MARKER = re.compile(r"<!--\s*dlguide:toc(?:\s+group=(?P<group>[a-z]+))?\s*-->")


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


# ---- MkDocs 事件 ----
def _fresh_figures():
    """每次构建都重新导入 dlguide，`mkdocs serve` 改了代码后图也会更新。"""
    for name in [m for m in sys.modules if m == "dlguide" or m.startswith("dlguide.")]:
        del sys.modules[name]
    return importlib.import_module("dlguide.figures")


def on_files(files: Files, config) -> Files:
    FIGURE_CACHE.mkdir(parents=True, exist_ok=True)
    # 要重画的图分给这个进程能用的每个 CPU 核一个进程，最多 8 个（冷启动时全部的图约 70 s CPU）
    jobs = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    for name, svg in _fresh_figures().render_all(cache_dir=FIGURE_CACHE, jobs=jobs).items():
        files.append(File.generated(config, f"figures/{name}", content=svg))
    toc = _toc(config)
    for page in topic_pages(toc):
        markdown = (Path(config["docs_dir"]) / page).read_text(encoding="utf-8")
        notebook = dlguide_notebooks.page_notebook(
            markdown, page, page_title(markdown), config["site_url"] or "/", expand_includes
        )
        files.append(File.generated(config, dlguide_notebooks.notebook_name(page), content=dlguide_notebooks.notebook_json(notebook)))
    for uri, content in dlguide_summaries.summary_pages(toc, Path(config["docs_dir"])).items():
        files.append(File.generated(config, uri, content=content))
    for chapter in toc:
        for notebook in chapter.get("notebooks", []):
            uri = notebook.removesuffix(".py") + "/" + Path(notebook).with_suffix(".ipynb").name
            files.append(File.generated(config, uri, content=notebook_ipynb(Path(config["docs_dir"]) / notebook)))
    files.append(File.generated(config, "api/index.md", content=api_index()))
    for module in api_modules():
        files.append(File.generated(config, api_page(module), content=api_markdown(module)))
    root = mathjax_root()
    paths = [root / rel for rel in MATHJAX_FILES]
    for rel in MATHJAX_DIRS:
        paths.extend(sorted(p for p in (root / rel).rglob("*") if p.is_file()))
    for path in paths:
        uri = f"{MATHJAX_URI}/{path.relative_to(root).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


_DOWNLOAD = (
    "本页的全部示例可以下载为 Jupyter 笔记本 [{name}]({name})，按顺序运行、改参数重跑"
    "（只需安装 `dlguide`；笔记本由页面自动生成，单元下面是页面给出的输出）。\n\n"
)


def _with_download_link(markdown: str, page: str) -> str:
    """专题页：在速答框之后、第一个二级标题之前，加一行本页笔记本的下载链接。"""
    name = posixpath.basename(dlguide_notebooks.notebook_name(page))
    cut = markdown.find("\n## ")
    cut = len(markdown) if cut == -1 else cut + 1
    return markdown[:cut] + _DOWNLOAD.format(name=name) + markdown[cut:]


def on_page_markdown(markdown: str, page, config, files) -> str:
    uri = page.file.src_uri
    toc = _toc(config)
    if uri in topic_pages(toc):
        markdown = _with_download_link(dlguide_summaries.add_box_anchors(markdown), uri)
    markdown = expand_includes(markdown, page.file.src_uri)
    if "dlguide:toc" not in markdown:
        return markdown
    slugs = {chapter["slug"] for chapter in toc}

    def replace(match: re.Match) -> str:
        group = match.group("group")
        if group and group not in slugs:
            raise SiteError(f"{page.file.src_uri}: 未知的章节 {group!r}，可选 {sorted(slugs)}")
        return render_toc(toc, page.file.src_uri, group)

    return _TOC_MARKER.sub(replace, markdown)


# ---- 搜索结果里的公式：把 TeX 换成可读的 Unicode 文本 ----
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_DOLLAR_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.DOTALL)  # 笔记本的 Markdown 单元格用 $…$


def _latex_to_text():
    from pylatexenc import latexwalker, macrospec  # noqa: PLC0415  只在构建站点时需要
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db  # noqa: PLC0415

    def fraction(node, l2tobj) -> str:
        # \frac{a}{b} → a/b；分子分母是和或差时加括号：(1)/(1+e^-z)
        parts = [l2tobj.nodelist_to_text([arg]).strip() for arg in node.nodeargd.argnlist[-2:]]
        return "/".join(f"({p})" if any(op in p for op in "+-−") else p for p in parts)

    db = get_default_latex_context_db().filter_context()
    db.add_context_category(
        "dlguide",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=fraction) for name in ("frac", "dfrac", "tfrac")],
    )
    converter = LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=True)
    # 解析器也要知道 \dfrac、\tfrac 带两个参数
    parser_db = latexwalker.get_default_latex_context_db()
    parser_db.add_context_category(
        "dlguide", prepend=True, macros=[macrospec.MacroSpec(name, "{{") for name in ("dfrac", "tfrac")]
    )

    def to_text(tex: str) -> str:
        nodes, _, _ = latexwalker.LatexWalker(tex, latex_context=parser_db).get_latex_nodes()
        return converter.nodelist_to_text(nodes)

    return to_text


def readable_math(text: str, converter=None, dollars: bool = False) -> str:
    r"""把文本里的 ``\(…\)``、``\[…\]``（``dollars=True`` 时还有 ``$…$``）公式换成 Unicode 近似
    （``\sigma`` → σ，``\frac{1}{1+e^{-z}}`` → 1/(1+e^-z)）。"""
    converter = converter or _latex_to_text()

    def replace(match: re.Match) -> str:
        tex = match.group(1) if match.group(1) is not None else match.group(2)
        try:
            return " ".join(converter(tex).split())
        except Exception:
            return match.group(0)

    text = _MATH.sub(replace, text)
    return _DOLLAR_MATH.sub(replace, text) if dollars else text


def on_post_build(config) -> None:
    r"""Material 的搜索索引里，公式是原样的 TeX（搜索结果的摘要会显示 ``\(z = \boldsymbol w^\top…``）：改写成可读文本。"""
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    converter = _latex_to_text()
    notebooks = tuple(
        nb.removesuffix(".py") + "/" for chapter in _toc(config) for nb in chapter.get("notebooks", [])
    )
    for doc in data.get("docs", []):
        dollars = doc.get("location", "").startswith(notebooks)
        doc["text"] = readable_math(doc.get("text", ""), converter, dollars)
        doc["title"] = readable_math(doc.get("title", ""), converter, dollars)
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
