"""站点的图：每张图由一个注册过的函数画出，构建站点时渲染为 SVG。

新增一张图的做法：在 ``dlguide/figures/<概念>.py`` 里写一个返回
:class:`matplotlib.figure.Figure` 的函数，用 :func:`figure` 注册一个路径名，
页面里用 ``![替代文字](../figures/<路径名>)`` 引用即可。站点构建钩子会调用
:func:`render_all`，所以图和代码永远同步，仓库里没有二进制图片。
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import pkgutil
import re
import warnings
from collections.abc import Callable

import matplotlib
import torch
from matplotlib.figure import Figure

__all__ = ["figure", "new_figure", "registered", "render", "render_all", "show", "to_svg"]

FigureFactory = Callable[[], Figure]
_REGISTRY: dict[str, FigureFactory] = {}
_NAME = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*\.svg$")

# SVG 里保留文字（浏览器用读者的字体渲染中文），并固定随机 id，保证同样的代码画出同样的文件。
_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "dlguide",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "DejaVu Sans"],
    "axes.unicode_minus": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


def figure(name: str) -> Callable[[FigureFactory], FigureFactory]:
    """把一个画图函数注册为站点上的 ``figures/<name>``。

    Parameters
    ----------
    name : str
        相对路径，小写字母、数字、``-``、``_``，以 ``.svg`` 结尾，例如
        ``"activations/sigmoid.svg"``。

    Returns
    -------
    Callable
        装饰器，原样返回被装饰的函数。

    Raises
    ------
    ValueError
        名字不合规则，或已经被注册过。

    Examples
    --------
    >>> figure("Bad Name.png")
    Traceback (most recent call last):
    ...
    ValueError: name 必须形如 'chapter/topic.svg'（小写字母、数字、-、_），收到 'Bad Name.png'
    """
    if not _NAME.match(name):
        raise ValueError(
            f"name 必须形如 'chapter/topic.svg'（小写字母、数字、-、_），收到 {name!r}"
        )

    def register(factory: FigureFactory) -> FigureFactory:
        if name in _REGISTRY and _REGISTRY[name] is not factory:
            raise ValueError(f"图 {name!r} 已经注册过")
        _REGISTRY[name] = factory
        return factory

    return register


def new_figure(ncols: int = 1, *, width: float = 6.4, height: float = 3.6) -> tuple[Figure, list]:
    """新建一张不依赖 pyplot 全局状态的图，返回 ``(fig, axes)``，``axes`` 总是列表。

    Examples
    --------
    >>> fig, axes = new_figure(2)
    >>> len(axes)
    2
    """
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(1, ncols, squeeze=False)[0].tolist()
    return fig, axes


def _load_all() -> None:
    """导入 ``dlguide.figures`` 下的所有子模块，让它们注册各自的图。"""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def registered() -> list[str]:
    """返回所有已注册的图名（排序后）。

    Examples
    --------
    >>> "activations/sigmoid.svg" in registered()
    True
    """
    _load_all()
    return sorted(_REGISTRY)


def render(name: str) -> str:
    """画出一张已注册的图，返回 SVG 文本。

    Raises
    ------
    KeyError
        没有这个名字的图。

    Examples
    --------
    >>> svg = render("activations/sigmoid.svg")
    >>> svg.startswith("<?xml") and "</svg>" in svg
    True
    """
    _load_all()
    if name not in _REGISTRY:
        raise KeyError(f"没有注册名为 {name!r} 的图；已有：{sorted(_REGISTRY)}")
    # 单线程计算图里的数据：浮点求和顺序与机器核数无关，任何机器画出的文件逐字节相同。
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with matplotlib.rc_context(_STYLE):
            return to_svg(_REGISTRY[name]())
    finally:
        torch.set_num_threads(threads)


def to_svg(fig: Figure) -> str:
    """把一张图存成 SVG 文本（文字保留为文字，不含日期，同样的图得到同样的字节）。

    笔记本里用 ``IPython.display.SVG(to_svg(fig))`` 显示用 :func:`new_figure` 画的图。

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> to_svg(fig) == to_svg(fig)
    True
    """
    with matplotlib.rc_context(_STYLE), warnings.catch_warnings():
        # 构建机器上可能没有中文字体：文字以文本形式写进 SVG，由读者的浏览器选字体，缺字形的警告无关紧要。
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def render_all() -> dict[str, str]:
    """画出所有已注册的图，返回 ``{图名: SVG 文本}``。"""
    return {name: render(name) for name in registered()}


class SVGImage:
    """笔记本里显示的一张 SVG 图，带替代文字（由 :func:`show` 创建）。"""

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
        用 :func:`new_figure` 画好的图。
    alt : str
        描述图中内容的替代文字，不能为空。

    Returns
    -------
    SVGImage
        笔记本单元格的最后一个表达式是它时，Jupyter 会把它显示成图片。

    Raises
    ------
    ValueError
        ``alt`` 为空。

    Examples
    --------
    >>> fig, (ax,) = new_figure()
    >>> _ = ax.plot([0, 1], [1, 0])
    >>> show(fig, alt="一条下降的直线")._repr_html_()[:44]
    '<img alt="一条下降的直线" src="data:image/svg+xml;b'
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt 必须是描述图中内容的非空字符串")
    return SVGImage(to_svg(fig), alt)
