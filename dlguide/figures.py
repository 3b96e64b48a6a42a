"""站点的图：每张图由页面实验模块里一个注册过的函数画出，构建站点时渲染为 SVG。

新增一张图：在页面的实验模块 ``dlguide/pages/<章>/<页>.py`` 里写一个不带参数、返回
``matplotlib.figure.Figure`` 的函数，加上 ``@figure``；它自动成为 ``figures/<章>/<页>/<函数名>.svg``，
页面里用 ``![替代文字](../figures/<章>/<页>/<函数名>.svg)`` 引用。站点构建钩子调用
[`render_all`][dlguide.figures.render_all]（源码没变的图取缓存），所以图和代码永远同步，仓库里没有二进制图片。
"""

from __future__ import annotations

import ast
import base64
import concurrent.futures
import hashlib
import html
import importlib.util
import io
import logging
import multiprocessing
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import matplotlib
import torch
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int
from dlguide.pages import page_for_module, page_modules

__all__ = [
    "figure",
    "new_figure",
    "registered",
    "render",
    "render_all",
    "show",
    "source_key",
    "to_svg",
]

FigureFactory = Callable[[], Figure]
_REGISTRY: dict[str, FigureFactory] = {}

# SVG 里保留文字（浏览器用读者的字体渲染中文），并固定随机 id，保证同样的代码画出同样的文件。
# 图里不用 matplotlib 的 $…$ 数学排版：它会点名读者没有的字体（cmsy10 等），里面的中文也没有字形；
# 公式写成 Unicode（σ′、∂y/∂x、wᴸ），[`to_svg`][dlguide.figures.to_svg] 会拒绝点名了别的字体的 SVG。
_FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans"]
_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "dlguide",
    "font.family": ["sans-serif"],
    "font.sans-serif": _FONTS,
    "axes.unicode_minus": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


def _figure_name(module: str, function: str) -> str:
    """页面实验模块里的画图函数对应的图名：``<章>/<页>/<函数名>.svg``。

    Examples
    --------
    >>> _figure_name("dlguide.pages.activations.relu_vs_sigmoid", "gradient_norms_by_depth")
    'activations/relu-vs-sigmoid/gradient_norms_by_depth.svg'
    """
    page = page_for_module(module)
    if not isinstance(function, str) or not function.isidentifier():
        raise ValueError(f"function 必须是画图函数的名字（Python 标识符），收到 {function!r}")
    return f"{page.removesuffix('.md')}/{function}.svg"


def figure(factory: Callable[[], Figure]) -> Callable[[], Figure]:
    """把页面实验模块里的一个画图函数注册为站点上的 ``figures/<章>/<页>/<函数名>.svg``。

    图名由模块路径和函数名决定，不用手写；页面里用
    ``![替代文字](../figures/<章>/<页>/<函数名>.svg)`` 引用。

    Parameters
    ----------
    factory : Callable[[], Figure]
        不带参数、返回 `matplotlib.figure.Figure` 的函数，定义在 ``dlguide.pages.<章>.<页>`` 里。

    Returns
    -------
    Callable[[], Figure]
        原样返回 ``factory``。

    Raises
    ------
    TypeError
        ``factory`` 不可调用。
    ValueError
        ``factory`` 不在页面实验模块里。

    Examples
    --------
    >>> figure(new_figure)  # 不在页面实验模块里
    Traceback (most recent call last):
    ...
    ValueError: module 必须形如 'dlguide.pages.<章>.<页>'，收到 'dlguide.figures'
    """
    if not callable(factory):
        raise TypeError(f"factory 必须是画图函数，收到的是 {type(factory).__name__}")
    name = _figure_name(factory.__module__, factory.__name__)
    _REGISTRY[name] = factory
    return factory


def new_figure(ncols: int = 1, *, width: float = 6.4, height: float = 3.6) -> tuple[Figure, list]:
    """新建一张不依赖 pyplot 全局状态的图，返回 ``(fig, axes)``，``axes`` 总是列表。

    Parameters
    ----------
    ncols : int
        并排的子图个数，在 [1, 20] 内。
    width, height : float
        整张图的宽和高（英寸），在 (0, 100] 内。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> fig, axes = new_figure(2)
    >>> len(axes)
    2
    """
    check_int(ncols, "ncols", low=1, high=20)
    check_in_range(width, "width", 0, 100, low_open=True)
    check_in_range(height, "height", 0, 100, low_open=True)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, ncols, squeeze=False)[0].tolist()
    return fig, axes


def registered() -> list[str]:
    """导入全部页面实验模块，返回已注册的图名（排序后）。

    Examples
    --------
    >>> "activations/sigmoid/sigmoid_and_derivative.svg" in registered()
    True
    """
    page_modules()
    return sorted(_REGISTRY)


def _factory(name: str) -> FigureFactory:
    registered()
    if name not in _REGISTRY:
        raise ValueError(f"name 必须是已注册的图名，没有 {name!r}；已有 {len(_REGISTRY)} 张，见 registered()")
    return _REGISTRY[name]


def render(name: str) -> str:
    """画出一张已注册的图，返回 SVG 文本。

    Raises
    ------
    ValueError
        没有这个名字的图。
    RuntimeError
        画图函数出错；信息里写明图名和函数。

    Examples
    --------
    >>> svg = render("activations/sigmoid/sigmoid_and_derivative.svg")
    >>> svg.startswith("<?xml") and "</svg>" in svg
    True
    """
    factory = _factory(name)
    # 单线程计算图里的数据：浮点求和顺序与机器核数无关，任何机器画出的文件逐字节相同。
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
            # 构建日志要干净：画图时的弃用警告（例如把 torch 张量直接交给 imshow）当作错误，逼它当场改掉
            warnings.simplefilter("error", DeprecationWarning)
            return to_svg(factory())
    except Exception as err:
        where = f"{factory.__module__}.{factory.__qualname__}"
        raise RuntimeError(f"画图 {name}（{where}）失败：{type(err).__name__}: {err}") from err
    finally:
        torch.set_num_threads(threads)


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_FONT_FAMILY = re.compile(r"font-family:\s*([^;\"]+)")


def to_svg(fig: Figure) -> str:
    r"""把一张图存成 SVG 文本（文字保留为文字，不含日期，同样的图得到同样的字节）。

    笔记本里用 [`show`][dlguide.figures.show] 显示用 [`new_figure`][dlguide.figures.new_figure] 画的图。

    Raises
    ------
    TypeError
        ``fig`` 不是 ``matplotlib.figure.Figure``。
    ValueError
        matplotlib 报告缺字形，或 SVG 里的文字点名了站点字体栈以外的字体
        （例如用了 ``$…$`` 数学排版）：读者的浏览器会显示错字或方框。

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> to_svg(fig) == to_svg(fig)
    True
    >>> _ = ax.set_title(r"$\sigma'(z)$")
    >>> to_svg(fig)
    Traceback (most recent call last):
    ...
    ValueError: SVG 的文字用了读者没有的字体 'cmsy10'；图里的公式请写成 Unicode，不要用 $…$
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig 必须是 matplotlib.figure.Figure（例如 new_figure() 的结果），收到的是 {type(fig).__name__}")
    collector = _LogCollector()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(collector)
    try:
        with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
            # 构建机器上可能没有中文字体：文字以文本形式写进 SVG，由读者的浏览器选字体，这条警告无关紧要。
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        logger.removeHandler(collector)
    glyphs = [m for m in collector.messages if "glyph" in m.lower()]
    if glyphs:
        raise ValueError(f"matplotlib 缺字形：{glyphs[0]}（共 {len(glyphs)} 条）")
    svg = buffer.getvalue()
    # 对数坐标的刻度（10⁻³）由 matplotlib 用 mathtext 排版，只点名字体栈里的一种字体：换成整个字体栈。
    stack = ", ".join(f"'{font}'" for font in _FONTS) + ", sans-serif"
    svg = re.sub(r"font-family: '(?:" + "|".join(map(re.escape, _FONTS)) + r")'(?=[;\"])", f"font-family: {stack}", svg)
    for family in sorted(set(_FONT_FAMILY.findall(svg))):
        if family.strip() != stack:
            raise ValueError(f"SVG 的文字用了读者没有的字体 {family.strip()}；图里的公式请写成 Unicode，不要用 $…$")
    return svg


def _dlguide_imports(module: str) -> set[str]:
    """``module`` 直接或间接导入的全部 dlguide 模块（含它自己），从源码的 import 语句静态读出。"""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = importlib.util.find_spec(name)
        for node in ast.walk(ast.parse(Path(spec.origin).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.split(".")[0] == "dlguide"]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "dlguide":
                todo.append(node.module)
                if importlib.util.find_spec(node.module).submodule_search_locations:  # 包：导入的名字可能是子模块
                    todo += [f"{node.module}.{a.name}" for a in node.names
                             if importlib.util.find_spec(f"{node.module}.{a.name}") is not None]
    return seen


def source_key(name: str) -> str:
    """一张图的缓存键：画它的源码（页面模块及其导入的全部 dlguide 模块）、样式和库版本的 SHA-256。

    源码没变时键不变，[`render_all`][dlguide.figures.render_all] 直接用缓存里的 SVG；改了任何一个相关模块，键就变了。

    Examples
    --------
    >>> key = source_key("activations/sigmoid/sigmoid_and_derivative.svg")
    >>> len(key), key == source_key("activations/sigmoid/sigmoid_and_derivative.svg")
    (64, True)
    """
    factory = _factory(name)
    digest = hashlib.sha256()
    digest.update(f"{name}|{sorted(_STYLE.items())}|{matplotlib.__version__}|{torch.__version__}".encode())
    for module in sorted(_dlguide_imports(factory.__module__) | {__name__}):
        origin = importlib.util.find_spec(module).origin
        digest.update(module.encode() + b"\0" + Path(origin).read_bytes())
    return digest.hexdigest()


def render_all(
    cache_dir: str | Path | None = None, names: Iterable[str] | None = None, jobs: int = 1
) -> dict[str, str]:
    """画出所有已注册的图（或 ``names`` 里的那些），返回 ``{图名: SVG 文本}``。

    Parameters
    ----------
    cache_dir : str or Path, optional
        缓存目录。给出时，源码没变的图（见 [`source_key`][dlguide.figures.source_key]）直接读缓存，新画的图写进缓存；
        ``mkdocs serve`` 改一个页面后的重建因此不必重画所有的图。
    names : iterable of str, optional
        只画这些图；默认全部。
    jobs : int, default 1
        同时画图的进程数，在 [1, 64] 内。大于 1 且要画的图不止一张时，在新启动的进程里并行画
        （每个进程先花约 2 s 导入 PyTorch）；每张图都是单线程算的，结果与 ``jobs=1`` 逐字节相同。

    Raises
    ------
    TypeError
        ``cache_dir`` 不是路径，``names`` 不是字符串的序列，或 ``jobs`` 不是整数。
    ValueError
        ``cache_dir`` 不是已经存在的目录，``names`` 里有没注册的图名，或 ``jobs`` 不在 [1, 64] 内。

    Examples
    --------
    >>> svgs = render_all(names=["activations/sigmoid/sigmoid_and_derivative.svg"])
    >>> list(svgs), svgs["activations/sigmoid/sigmoid_and_derivative.svg"].startswith("<?xml")
    (['activations/sigmoid/sigmoid_and_derivative.svg'], True)
    """
    if cache_dir is not None:
        if not isinstance(cache_dir, (str, Path)):
            raise TypeError(f"cache_dir 必须是路径（str 或 Path）或 None，收到的是 {type(cache_dir).__name__}")
        if not str(cache_dir) or not Path(cache_dir).is_dir():
            raise ValueError(f"cache_dir 必须是已经存在的目录，收到 {str(cache_dir)!r}")
    if names is None:
        wanted = registered()
    else:
        if isinstance(names, str) or not isinstance(names, Iterable) or not all(isinstance(n, str) for n in names):
            raise TypeError("names 必须是图名（str）的序列，例如 ['activations/sigmoid/sigmoid_and_derivative.svg']")
        wanted = list(names)
        for name in wanted:
            _factory(name)
    check_int(jobs, "jobs", low=1, high=64)
    cache = Path(cache_dir) if cache_dir is not None else None
    paths = {name: cache / f"{source_key(name)}.svg" if cache is not None else None for name in wanted}
    cached = {name: path.read_text(encoding="utf-8") for name, path in paths.items() if path is not None and path.is_file()}
    todo = [name for name in wanted if name not in cached]
    fresh: dict[str, str] = {}

    def keep(name: str, svg: str) -> None:
        # 画好一张就写进缓存：后面哪张图出错，已经画好的下次也不必重画
        fresh[name] = svg
        if paths[name] is not None:
            paths[name].parent.mkdir(parents=True, exist_ok=True)
            paths[name].write_text(svg, encoding="utf-8")

    if jobs > 1 and len(todo) > 1:
        # spawn：新进程从头导入，不继承父进程里 PyTorch 的线程池（fork 之后可能死锁）
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(min(jobs, len(todo)), mp_context=context)
        try:
            futures = {pool.submit(render, name): name for name in todo}
            for future in concurrent.futures.as_completed(futures):
                try:
                    keep(futures[future], future.result())
                except concurrent.futures.process.BrokenProcessPool as err:
                    raise RuntimeError(f"画图 {futures[future]} 的进程意外退出（内存不够？）") from err
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # 出错时不再画排队的图
    else:
        for name in todo:
            keep(name, render(name))
    return {name: cached[name] if name in cached else fresh[name] for name in wanted}


class SVGImage:
    """笔记本里显示的一张 SVG 图，带替代文字（由 [`show`][dlguide.figures.show] 创建）。"""

    def __init__(self, svg: str, alt: str) -> None:
        self.svg = svg
        self.alt = alt

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f'<img alt="{html.escape(self.alt)}" src="data:image/svg+xml;base64,{data}">'


def show(fig: Figure, alt: str) -> SVGImage:
    """在 Jupyter 笔记本里以 SVG 显示一张图，并带上替代文字（屏幕阅读器和图片加载失败时显示）。

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        用 [`new_figure`][dlguide.figures.new_figure] 画好的图。
    alt : str
        描述图中内容的替代文字，不能为空。

    Returns
    -------
    SVGImage
        笔记本单元格的最后一个表达式是它时，Jupyter 会把它显示成图片。

    Raises
    ------
    TypeError
        ``fig`` 不是 ``matplotlib.figure.Figure``。
    ValueError
        ``alt`` 为空。

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> _ = ax.plot([0, 1], [1, 0])
    >>> show(fig, alt="一条下降的直线")._repr_html_()[:44]
    '<img alt="一条下降的直线" src="data:image/svg+xml;b'
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig 必须是 matplotlib.figure.Figure（例如 new_figure() 的结果），收到的是 {type(fig).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt 必须是描述图中内容的非空字符串")
    return SVGImage(to_svg(fig), alt)
