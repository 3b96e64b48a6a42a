"""各页面的实验：每个专题页一个模块，路径与页面一一对应。

页面 ``docs/<章>/<页>.md`` 的实验、实验设置和图都在 ``dlguide/pages/<章>/<页>.py``
（页名里的 ``-`` 换成 ``_``），测试在 ``tests/pages/<章>/test_<页>.py``。
两个以上页面要用的代码，或者有 PyTorch 对应实现的代码，放在 ``dlguide`` 顶层的概念模块里。
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import PurePosixPath
from types import ModuleType

__all__ = ["module_for_page", "page_for_module", "page_modules"]


def module_for_page(page: str) -> str:
    """页面路径（相对 ``docs/``）对应的实验模块名。

    Parameters
    ----------
    page : str
        形如 ``"activations/relu-vs-sigmoid.md"``。

    Returns
    -------
    str
        形如 ``"dlguide.pages.activations.relu_vs_sigmoid"``。

    Raises
    ------
    ValueError
        路径不是 ``<章>/<页>.md``，或页名里有 ``_``（页名只用小写字母、数字和 ``-``）。

    Examples
    --------
    >>> module_for_page("activations/relu-vs-sigmoid.md")
    'dlguide.pages.activations.relu_vs_sigmoid'
    >>> module_for_page("glossary.md")
    Traceback (most recent call last):
    ...
    ValueError: page 必须形如 '<章>/<页>.md'（小写字母、数字、-），收到 'glossary.md'
    """
    if not isinstance(page, str):
        raise TypeError(f"page 必须是 str（形如 '<章>/<页>.md'），收到的是 {type(page).__name__}")
    path = PurePosixPath(page)
    parts = path.with_suffix("").parts if path.name else ()
    valid = (
        path.suffix == ".md"
        and len(parts) == 2
        and all(p and p.replace("-", "").isalnum() and p == p.lower() and p.isascii() for p in parts)
    )
    if not valid:
        raise ValueError(f"page 必须形如 '<章>/<页>.md'（小写字母、数字、-），收到 {page!r}")
    chapter, name = parts
    return f"{__name__}.{chapter}.{name.replace('-', '_')}"


def page_for_module(module: str) -> str:
    """实验模块名对应的页面路径（相对 ``docs/``），[`module_for_page`][dlguide.pages.module_for_page] 的逆映射。

    Raises
    ------
    ValueError
        ``module`` 不是 ``dlguide.pages.<章>.<页>``。

    Examples
    --------
    >>> page_for_module("dlguide.pages.activations.relu_vs_sigmoid")
    'activations/relu-vs-sigmoid.md'
    """
    if not isinstance(module, str):
        raise TypeError(f"module 必须是 str（形如 '{__name__}.<章>.<页>'），收到的是 {type(module).__name__}")
    parts = module.split(".")
    if len(parts) != 4 or ".".join(parts[:2]) != __name__:
        raise ValueError(f"module 必须形如 '{__name__}.<章>.<页>'，收到 {module!r}")
    return f"{parts[2]}/{parts[3].replace('_', '-')}.md"


def page_modules() -> list[ModuleType]:
    """导入并返回全部页面实验模块（按模块名排序）。

    Examples
    --------
    >>> "dlguide.pages.activations.sigmoid" in [m.__name__ for m in page_modules()]
    True
    """
    modules = []
    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        if not info.ispkg:
            modules.append(importlib.import_module(info.name))
    return sorted(modules, key=lambda m: m.__name__)
