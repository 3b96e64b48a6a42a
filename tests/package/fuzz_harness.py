"""坏输入模糊测试：对 ``dlguide`` 的每个公开可调用对象喂坏参数（issue 11 第 1、2 点）。

这里没有手写的函数清单：

1. :func:`discover` 用 :func:`pkgutil.walk_packages` 遍历 ``dlguide`` 下的每个模块，取每个 ``__all__``
   里的每个可调用对象（类：构造函数，以及类自己定义的、带参数的公开方法；``NamedTuple`` 结果记录跳过）。
2. :meth:`_Planner.plan` 为每个函数找一组**合法**参数：参数默认值、按**参数名**查的候选值
   （:data:`VALID_BY_NAME`）、或由**类型注解**推出的候选值（:func:`_from_annotation`）；
   第一组调用不抛异常的组合（偏离首选候选最少）就是基准调用。候选值都不行时（或搜索用完
   :data:`SEARCH_CPU_BUDGET`），重放 docstring 示例里对它的第一次成功调用（:func:`example_call`；
   方法连同示例里的实例）：包的规则是每个公开函数都有 doctest，所以新章节的函数不必登记就能测。
   找合法调用按 **CPU** 时间限时（:data:`PLAN_CPU_LIMIT`），结果不随机器负载变化；超时是错误
   （``valid call too slow``），不会悄悄变成“测不了”。
3. 每次只换一个参数，换成由它的合法值和注解推出的坏值（:meth:`_Planner._param_cases`）：``None``、
   字符串、该用张量处却给列表、负数/零/NaN/±inf、``10**9`` 的尺寸、空张量、错 dtype 和错形状的张量、
   不认识的选项、错的模块类或不可调用的对象。
4. 每次调用都在工作进程里运行：进程从一个已导入 ``dlguide`` 的 ``forkserver`` 派生，受 ``RLIMIT_AS``
   限制内存、由进程内的 CPU 时间定时器限时（结果不随机器负载变化），父进程另有墙钟硬超时兜底；
   死掉或被杀的工作进程换一个新的。

结果分类（:data:`OFFENDING` 里的算不合格）：

``clear``      TypeError/ValueError，信息里写了参数名；
``unclear``    TypeError/ValueError，信息里没有参数名；
``wrong-type`` 其他异常从函数里漏出来（RuntimeError、AttributeError、KeyError……）；
``garbage``    返回了结果，结果（或被就地修改的张量参数）含 NaN/inf，而合法调用的结果没有；
``silent``     对肯定不合法的输入返回了看似正常的结果；
``hang``       超时；
``memory``     撞上内存上限（MemoryError 或分配器失败）；
``crash``      工作进程死掉；
``accepted``   对合法的、或不知道是否合法的输入返回了结果。

什么算“不合法”（返回结果就是 ``silent``）？类型错的一定不合法：注解不允许时的 ``None``、字符串、
该用张量处的列表、不可调用的对象、别的模块类；数值参数取 NaN/±inf；选项参数取不认识的字符串；
张量的样本数与另一个张量参数对不上。负数和零：参数的 numpy 风格 docstring 写明的范围
（``≥ 1``、``> 0``、``在 [0, 1) 内``、``正整数``……）排除它们时不合法；docstring 没写时按参数名的通用规则
（:func:`name_range`）判断。``10**9`` 的尺寸、错 dtype、别的形状可以被接受（PyTorch 会提升 dtype、会广播，
逐元素函数接受任何形状），只要不超时、不撑爆内存、不崩溃、不抛不清楚的错误、也不把有限的输入变成 NaN/inf。
张量**里面**的 NaN/inf 是数据，按 PyTorch 的语义传播，这里不测。

``python tests/package/fuzz_harness.py`` 打印汇总和不合格项；加 ``--report PATH`` 另写一份 Markdown 报告，
每个不合格的参数附一条修改建议。
"""

from __future__ import annotations

import collections
import contextlib
import copy
import dataclasses
import doctest
import functools
import importlib
import inspect
import io
import itertools
import math
import multiprocessing
import multiprocessing.connection
import numbers
import os
import pkgutil
import re
import resource
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import torch
from matplotlib.figure import Figure
from torch import nn

PACKAGE = "dlguide"

#: 算不合格、让测试失败的结果
OFFENDING = ("unclear", "wrong-type", "garbage", "silent", "hang", "memory", "crash")
OUTCOMES = ("clear", "accepted", *OFFENDING)

#: 工作进程启动后还能再用的地址空间（字节）
MEMORY_LIMIT = 1536 * 2**20
#: 每次调用的时限（工作进程的 **CPU** 秒，与机器负载无关）：max(MIN_TIMEOUT, TIMEOUT_FACTOR × 合法调用用的 CPU 秒)
MIN_TIMEOUT = 0.5
TIMEOUT_FACTOR = 10.0
#: 父进程的墙钟兜底是 WALL_FACTOR × 时限 + HARD_GRACE：只为不占 CPU 的卡死（等子进程、睡眠）；
#: 占 CPU 的调用先撞上 CPU 时限，机器再忙也不会被墙钟冤枉
WALL_FACTOR = 4.0
#: 超时的输入用（至少）这么长的时限重跑一次才算数，除非这个参数已经因别的输入不合格
CONFIRM_TIMEOUT = 15.0
#: 工作进程自己的定时器到点后再过这么久还没回话，父进程就杀掉它
HARD_GRACE = 4.0
#: 工作进程启动、导入、预热的墙钟时限（只为兜住卡死的进程：预热一个慢的页面实验在忙碌的机器上要几十秒）
STARTUP_LIMIT = 300.0
#: 寻找合法调用（含运行 docstring 示例和一次合法调用）的 **CPU** 时限（秒）：按 CPU 时间计，
#: 结果不随机器负载变化；超过它是错误（"valid call too slow"），不是悄悄地“测不了”
PLAN_CPU_LIMIT = 60.0
#: 按候选值搜索合法调用的 CPU 时间预算（秒）：用完就停止搜索，改用 docstring 示例里的调用
SEARCH_CPU_BUDGET = 5.0
#: 计划任务的墙钟兜底（父进程杀掉工作进程）；正常情况下 CPU 时限先到
PLAN_HARD_LIMIT = 900.0

SEED_MAX = 2**63 - 1
BIG = 10**9

# ---------------------------------------------------------------------------------------------
# 枚举
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, order=True)
class Target:
    """一个公开可调用对象：模块名 ``module`` 和模块里带点的 ``qualname``（``"fit"``、``"PReLU.forward"``）。"""

    module: str
    qualname: str

    @property
    def full(self) -> str:
        return f"{self.module}.{self.qualname}"

    def resolve(self) -> Any:
        obj: Any = importlib.import_module(self.module)
        for part in self.qualname.split("."):
            obj = getattr(obj, part)
        return obj


def is_record(obj: object) -> bool:
    """``NamedTuple`` 是结果记录，构造函数没法检查输入（dataclass 可以在 ``__post_init__`` 里检查，所以照测）。"""
    return isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields")


def _public_methods(cls: type) -> list[str]:
    names = []
    for name, attr in vars(cls).items():
        if name.startswith("_") or not inspect.isfunction(attr):
            continue
        params = list(inspect.signature(attr).parameters.values())[1:]  # 去掉 self
        if params:
            names.append(name)
    return names


def walk(package: str = PACKAGE) -> list[Any]:
    """包本身和它下面的每个模块（已导入），由 :func:`pkgutil.walk_packages` 找到。"""
    root = importlib.import_module(package)
    return [root] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")
    ]


def discover(package: str = PACKAGE) -> tuple[list[Target], list[Target]]:
    """``package`` 下每个 ``__all__`` 里的每个可调用对象：返回 ``(要测的, 跳过的结果记录)``。

    同一个对象从几个模块导出（如 ``dlguide.get_device``）只算一次，算在定义它、并且导出它的模块名下。
    """
    modules = walk(package)
    owners: dict[int, tuple[str, str, object]] = {}
    for module in modules:
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if obj is None or not callable(obj):
                continue
            current = owners.get(id(obj))
            defined_here = getattr(obj, "__module__", None) == module.__name__
            if current is None or (defined_here and getattr(obj, "__module__", None) != current[0]):
                owners[id(obj)] = (module.__name__, name, obj)
    targets, records = [], []
    for module_name, name, obj in sorted(owners.values(), key=lambda t: (t[0], t[1])):
        target = Target(module_name, name)
        if is_record(obj):
            records.append(target)
            continue
        targets.append(target)
        if isinstance(obj, type):
            targets.extend(Target(module_name, f"{name}.{m}") for m in _public_methods(obj))
    return targets, records


def short_names(targets: Iterable[Target]) -> dict[Target, str]:
    """``KNOWN_OFFENDERS`` 用的键：qualname；两个模块有同名函数时用 ``模块.qualname``。

    短键不随函数搬到别的模块而变。
    """
    targets = list(targets)
    counts = collections.Counter(t.qualname for t in targets)
    return {t: t.qualname if counts[t.qualname] == 1 else t.full for t in targets}


# ---------------------------------------------------------------------------------------------
# 合法参数
# ---------------------------------------------------------------------------------------------


def _gen() -> torch.Generator:
    return torch.Generator().manual_seed(0)


def _features() -> torch.Tensor:
    return torch.randn(8, 2, generator=_gen())


def _labels() -> torch.Tensor:
    return torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])


def _net(relu: bool = True) -> nn.Sequential:
    """``_features`` 上的小分类网络（2 → 4 → 2），参数已经有梯度。"""
    layers: list[nn.Module] = [nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2)]
    net = nn.Sequential(*(layers if relu else [layers[0], layers[2]]))
    g = _gen()
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-0.7, 0.7, generator=g)
    nn.functional.cross_entropy(net(_features()), _labels()).backward()
    return net


def _boxes() -> torch.Tensor:
    """8 个宽高为正、落在 16×16 图里的框 ``(x1, y1, x2, y2)``。"""
    xy = torch.rand(8, 2, generator=_gen()) * 10
    return torch.cat([xy, xy + 1 + torch.rand(8, 2, generator=_gen()) * 5], dim=1)


def _param_with_grad() -> nn.Parameter:
    p = nn.Parameter(torch.randn(3, generator=_gen()))
    p.grad = torch.ones(3)
    return p


def _graph_output() -> torch.Tensor:
    x = torch.ones(2, requires_grad=True)
    return (x * 2).sum()


def _figure() -> Any:
    return Figure()


def _sum_of_squares(x: torch.Tensor) -> torch.Tensor:
    return (x**2).sum()


def _noop() -> None:
    return None


@functools.cache
def _shared_net() -> nn.Sequential:
    """同一进程里总是同一个 ``_net()``：需要“优化器管理模型参数”的函数用它配对 model 和 optimizer。"""
    return _net()


def _constant_step(t: int) -> float:
    return 0.1


def _const(value: object) -> Callable[[], object]:
    return lambda: value


#: 按参数名给出的合法候选值，依次尝试（只用与注解相符的）。
#: 刻意写成通用的：键是参数在全包里的名字，从不针对某个函数。
#: 也给默认值很耗时的可选尺寸参数（epochs、steps、trials……）一个小值：每个坏输入都要重复调用一次。
VALID_BY_NAME: dict[str, tuple[Callable[[], object], ...]] = {
    # 模型和数据：X 是 8 个样本、2 个特征，y 是 2 类；model 把 2 维映射到 2 维
    "model": (_net, lambda: _net(relu=False)),
    "models": (lambda: [_net(), _net()],),
    "lstm": (lambda: nn.LSTM(2, 3),),
    "X": (_features, lambda: torch.rand(8, 64, generator=_gen())),
    "y": (
        _labels,
        lambda: torch.randn(8, generator=_gen()),
        lambda: torch.rand(8, 2, generator=_gen()),
        lambda: torch.tensor([1.0, -1.0]).repeat(8, 1),
    ),
    "target": (_labels, lambda: torch.randn(8, 2, generator=_gen()), lambda: torch.zeros(1, 2, 2, 2, 7)),
    "H": (lambda: torch.tensor([[2.0, 0.5], [0.5, 1.0]]),),
    "weight": (lambda: torch.tensor([0.25]),),
    "w": (lambda: torch.randn(2, generator=_gen()),),
    "x": (lambda: torch.tensor([0.5, -0.5]), _const((0.5, -0.5))),
    "x0": (_const((0.5, -0.5)),),
    "p": (lambda: torch.randn(3, generator=_gen()),),
    "g": (lambda: torch.randn(3, generator=torch.Generator().manual_seed(1)),),
    "params": (lambda: [_param_with_grad()],),
    "parameters": (lambda: [_param_with_grad()],),
    "output": (_graph_output, lambda: torch.randn(2, 2, 2, 7, generator=_gen()), lambda: torch.randn(1, 2, 2, 2, 7, generator=_gen())),
    "state": (dict,),
    "sizes": (lambda: [2, 4, 2],),
    "values": (lambda: [1.0, 2.0, 4.0, 3.0],),
    "fractions": (lambda: [0.5, 0.5],),
    "y_true": (lambda: [1, 0, 1, 1, 0],),
    "y_pred": (lambda: [1, 1, 0, 1, 0],),
    "candidates": (lambda: {"a": {"acc": 0.9, "ms": 10.0}, "b": {"acc": 0.8, "ms": 5.0}},),
    "optimize": (_const("acc"),),
    "constraints": (lambda: {"ms": 20.0},),
    "functions": (lambda: {"tanh": torch.tanh},),
    "result": (lambda: {"device": "cpu", "date": "2026-01-01", "torch": "2", "results": {"a b": {"samples_per_s": 1.0, "note": ""}}},),
    "fn": (_const(torch.tanh),),
    "f": (_const(_sum_of_squares),),
    "step": (_const(_noop), _const(1)),
    "fig": (_figure,),
    "alt": (_const("一条曲线"),),
    "name": (_const("activations/sigmoid/sigmoid_and_derivative.svg"),),
    "names": (lambda: ["activations/sigmoid/sigmoid_and_derivative.svg"],),
    "factory": (lambda: importlib.import_module("dlguide.pages.activations.sigmoid").sigmoid_and_derivative,),
    "module": (_const("dlguide.pages.activations.sigmoid"),),
    "function": (_const("sigmoid_and_derivative"),),
    "page": (_const("activations/sigmoid.md"),),
    "activation": (_const("relu"), _const("tanh")),
    "nonlinearity": (_const("relu"),),
    "scheme": (_const("xavier"),),
    "low": (_const(0.1),),
    "high": (_const(0.9),),
    "total_steps": (_const(10),),
    # 小尺寸（默认值可能要跑几秒，而每个坏输入都要重复调用）
    "epochs": (_const(2),),
    "steps": (_const(3),),
    "trials": (_const(50),),
    "n_trials": (_const(3),),
    "n_test": (_const(20),),
    "batch_size": (_const(4),),
    "compile": (_const(False),),
    # 卷积（dlguide.conv、dlguide.complexity 和卷积一章）：单通道 6×6 图像、3×3 核、补 1 圈
    "image": (lambda: torch.rand(8, 8, generator=_gen()), lambda: torch.rand(1, 3, 4, 4, generator=_gen())),
    "kernel": (lambda: torch.tensor([[1.0, 0.0, -1.0]] * 3),),
    "kernel_size": (_const(3),),
    "padding": (_const(1),),
    "input_shape": (_const((2,)), _const((1, 9, 9))),
    "layers": (_const([(3, 1, 1), (2, 2, 1)]),),
    "rows": (lambda: importlib.import_module("dlguide.complexity").summarize(nn.Linear(2, 2), (2,)),
             lambda: importlib.import_module("dlguide.pages.cnn.cnn_example").course_rows()),
    # 目标检测：8 个框 (x1, y1, x2, y2) 落在 16×16 的图里；1 个框的版本给要求“每格至多一个物体”的 YOLO 编码
    "boxes": (_boxes, lambda: torch.tensor([[2.0, 2.0, 6.0, 7.0]])),
    "boxes1": (_boxes,),
    "boxes2": (lambda: _boxes()[:3],),
    "gt_boxes": (lambda: _boxes()[:3],),
    "reference": (_boxes,),
    "deltas": (lambda: torch.zeros(8, 4),),
    "scores": (lambda: torch.rand(8, generator=_gen()), _const(torch.tensor([0.9]))),
    "labels": (_labels, _const(torch.tensor([1]))),
    "classes": (_labels,),
    "is_tp": (lambda: torch.tensor([True, False, True, False, False, True, False, False]),),
    "image_size": (_const(16.0),),
    "anchor_sizes": (lambda: torch.tensor([[4.0, 4.0], [2.0, 6.0]]),),
    "features": (lambda: torch.randn(1, 2, 6, 6, generator=_gen()),),
    "rois": (lambda: torch.tensor([[0.0, 0.5, 0.5, 4.0, 5.0]]),),
    "predictions": (lambda: [(_boxes()[:2], torch.tensor([0.9, 0.4]), torch.tensor([0, 1]))],),
    "targets": (lambda: [(_boxes()[:2], torch.tensor([0, 1]))],),
    "images": (lambda: torch.rand(2, 1, 24, 24, generator=_gen()),),
    "net": (
        lambda: importlib.import_module("dlguide.pages.applications.object_detection").TinyYOLO(),
        lambda: nn.Sequential(nn.Linear(64, 4)),
    ),
    "n_canvases": (_const(8),),
    # 度量学习、风格迁移、GAN
    "same": (_labels,),
    "photos": (lambda: torch.rand(4, 64, generator=_gen()),),
    "rng": (_gen,),
    "source": (lambda: importlib.import_module("dlguide.pages.applications.transfer_learning").small_convnet(),),
    "strategy": (_const("frozen"),),
    "label_counts": (_const((1,)),),
    "seeds": (_const(1),),
    "generated": (lambda: torch.randn(8, 2, generator=_gen()), lambda: [torch.randn(1, 2, 3, 3, generator=_gen())]),
    "style": (lambda: [torch.randn(1, 2, 4, 4, generator=_gen())],),
    "d_steps": (_const(2),),
}
# 卷积：在已有候选之后追加，不改变别的函数的基准调用
VALID_BY_NAME["model"] += (lambda: nn.Conv2d(1, 1, 3), lambda: nn.Linear(64, 10))
VALID_BY_NAME["x"] += (lambda: torch.randn(1, 1, 6, 6, generator=_gen()),)
VALID_BY_NAME["weight"] += (lambda: torch.randn(1, 1, 3, 3, generator=_gen()),)
# 优化一章（issue 12）：步长序列、混合精度的一步、激活检查点的块
VALID_BY_NAME["schedule"] = (_const(_constant_step),)
VALID_BY_NAME["model"] += (_shared_net,)  # 与下面的 optimizer 共用参数
VALID_BY_NAME["optimizer"] = (lambda: torch.optim.SGD(_shared_net().parameters(), lr=0.1),)
VALID_BY_NAME["scaler"] = (lambda: torch.amp.GradScaler("cpu"),)
VALID_BY_NAME["blocks"] = (lambda: nn.ModuleList([nn.Linear(2, 2), nn.Tanh()]),)

# ---- annotations ------------------------------------------------------------------------------


def _annotation_text(annotation: object) -> str:
    if annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def _alternatives(text: str) -> list[str]:
    """``A | B[C | D] | None`` 的顶层候选类型（也认 ``Optional[...]``/``Union[...]``）。"""
    text = text.strip()
    for wrapper in ("Optional[", "typing.Optional["):
        if text.startswith(wrapper) and text.endswith("]"):
            return [*_alternatives(text[len(wrapper) : -1]), "None"]
    for wrapper in ("Union[", "typing.Union["):
        if text.startswith(wrapper) and text.endswith("]"):
            text = text[len(wrapper) : -1].replace(",", "|")
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _head(alternative: str) -> str:
    return alternative.split("[", 1)[0].strip().rsplit(".", 1)[-1]


_SEQUENCES = {"list", "tuple", "Sequence", "Iterable", "Collection", "MutableSequence"}
_MAPPINGS = {"dict", "Mapping", "MutableMapping"}


def _kind_of_alternative(alternative: str) -> str:
    head = _head(alternative)
    if head == "Tensor":
        return "tensor"
    if alternative.startswith(("nn.", "torch.nn.")) or head == "Module":
        return "module"
    simple = {"int": "int", "float": "float", "str": "str", "bool": "bool", "None": "none", "Callable": "callable", "type": "type"}
    if head in simple:
        return simple[head]
    if head in _MAPPINGS:
        return "mapping"
    if head in _SEQUENCES:
        return "sequence"
    if head in {"object", "Any"}:
        return "any"
    return "object"


def _kinds(text: str) -> list[str]:
    return [_kind_of_alternative(a) for a in _alternatives(text)] if text else ["any"]


def _fits(value: object, text: str) -> bool:
    """粗略判断 ``value`` 是否符合注解 ``text``（认不出的注解什么都符合）。"""
    if not text:
        return True
    for alternative in _alternatives(text):
        kind, head = _kind_of_alternative(alternative), _head(alternative)
        if kind == "any":
            return True
        if kind == "tensor" and isinstance(value, torch.Tensor):
            return True
        if kind == "module" and isinstance(value, nn.Module):
            cls = getattr(nn, head, nn.Module)
            if isinstance(cls, type) and isinstance(value, cls):
                return True
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return True
        if kind == "float" and isinstance(value, numbers.Real) and not isinstance(value, bool):
            return True
        if kind == "str" and isinstance(value, str):
            return True
        if kind == "bool" and isinstance(value, bool):
            return True
        if kind == "none" and value is None:
            return True
        if kind == "mapping" and isinstance(value, Mapping):
            return True
        if kind == "sequence" and isinstance(value, (list, tuple)):
            return True
        if kind == "callable" and callable(value) and not isinstance(value, type):
            return True
        if kind == "type" and isinstance(value, type):
            return True
        if kind == "object" and any(c.__name__ == head for c in type(value).__mro__):
            return True
    return False


def _from_annotation(text: str) -> list[Callable[[], object]]:
    """由注解字符串推出的合法候选值。"""
    out: list[Callable[[], object]] = []
    for alternative in _alternatives(text) if text else []:
        kind, head, inner = _kind_of_alternative(alternative), _head(alternative), alternative.partition("[")[2]
        if kind == "tensor":
            out += [_features, lambda: torch.randn(8, generator=_gen()), lambda: torch.randn(4, 3, generator=_gen())]
        elif kind == "module":
            if head == "LSTM":
                out.append(lambda: nn.LSTM(2, 3))
            elif head == "Linear":
                out.append(lambda: nn.Linear(2, 2))
            else:
                out += [_net, lambda: _net(relu=False)]
        elif kind == "int":
            out += [_const(2), _const(3), _const(1), _const(4)]
        elif kind == "float":
            out += [_const(0.5), _const(0.1), _const(2.0)]
        elif kind == "str":
            out += [_const("relu"), _const("mean"), _const("x")]
        elif kind == "bool":
            out += [_const(False), _const(True)]
        elif kind == "mapping":
            out.append(dict)
        elif kind == "sequence":
            if "Tensor" in inner:
                out.append(lambda: [_param_with_grad()])
            elif "Module" in inner:
                out.append(lambda: [_net(), _net()])
            elif "float" in inner:
                out.append(_const((0.5, -0.5)))
            elif "str" in inner:
                out.append(_const(("a", "b")))
            else:
                out.append(_const((2, 1)))
        elif kind == "callable":
            out += [_const(_noop)] if inner.startswith("[]") else [_const(torch.tanh), _const(_sum_of_squares)]
        elif kind == "type":
            out.append(_const(nn.Linear))
        elif kind == "object":
            factories = {"Figure": _figure, "Generator": _gen, "device": lambda: torch.device("cpu")}
            if head in factories:
                out.append(factories[head])
    return out


# ---------------------------------------------------------------------------------------------
# docstring 写明的范围（numpy 风格的 Parameters 节）和按参数名的通用规则
# ---------------------------------------------------------------------------------------------

Range = tuple[float, bool, float, bool]  # 下界、下界开、上界、上界开
_NUM = r"-?\d+(?:\.\d+)?"


def _ranges_in(text: str) -> list[Range]:
    text = text.replace("$", "").replace("\\", "").replace("``", "")
    found: list[Range] = []
    for m in re.finditer(rf"([\[(])\s*({_NUM})\s*,\s*({_NUM}|infty|inf|∞|[A-Za-z_]\w*)\s*([\])])", text):
        high = float(m.group(3)) if re.fullmatch(_NUM, m.group(3)) else math.inf
        found.append((float(m.group(2)), m.group(1) == "(", high, m.group(4) == ")" or high == math.inf))
    for m in re.finditer(rf"(?:≥|>=|geq?\b)\s*({_NUM})", text):
        found.append((float(m.group(1)), False, math.inf, True))
    for m in re.finditer(rf"(?<![<>=≥≤\-])>(?!=)\s*({_NUM})", text):
        found.append((float(m.group(1)), True, math.inf, True))
    for m in re.finditer(rf"(?<![\w.])({_NUM})\s*<(?!=)", text):
        found.append((float(m.group(1)), True, math.inf, True))
    if "正整数" in text:
        found.append((1, False, math.inf, True))
    elif "正数" in text:
        found.append((0, True, math.inf, True))
    if "非负" in text:
        found.append((0, False, math.inf, True))
    return found


def _parameter_entries(obj: object) -> list[tuple[list[str], str]]:
    """numpy 风格 docstring 的 Parameters 节：``[(参数名列表, 描述)]``。"""
    doc = inspect.getdoc(obj) or ""
    section = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.DOTALL | re.MULTILINE)
    if not section:
        return []
    entries: list[tuple[list[str], str]] = []
    for line in section.group(1).splitlines():
        if line and not line[0].isspace():
            names = [n.strip().lstrip("*") for n in line.split(":", 1)[0].split(",")]
            entries.append((names, ""))
        elif entries:
            entries[-1] = (entries[-1][0], entries[-1][1] + " " + line.strip())
    return entries


def documented_free_text(obj: object) -> set[str]:
    """docstring 写明只是写进错误信息的文本参数（``name : str  参数名，写进错误信息``）：任何非空字符串都合法。"""
    return {n for names, description in _parameter_entries(obj) if re.search(r"写进(错误)?信息", description) for n in names}


def documented_ranges(obj: object) -> dict[str, Range]:
    """``{参数名: docstring 描述里写明的最宽范围}``（没写的参数不在里面）。"""
    out: dict[str, Range] = {}
    for names, description in _parameter_entries(obj):
        ranges = _ranges_in(description)
        if not ranges:
            continue
        loosest = min(ranges, key=lambda r: (r[0], r[1]))
        high = max(r[2] for r in ranges)
        loosest = (loosest[0], loosest[1], high, high == math.inf or any(r[2] == high and r[3] for r in ranges))
        for name in names:
            out[name] = loosest
    return out


_SIZE_NAMES = {
    "n", "m", "k", "steps", "epochs", "depth", "width", "hidden", "batch", "batch_size", "trials",
    "n_trials", "n_train", "n_test", "per_axis", "dims", "dim", "channels", "num_parameters",
    "in_features", "out_features", "n_features", "samples_per_step", "ncols", "total_steps",
    "fan_in", "fan_out",
}
_COUNT_NAMES = {"epoch", "step", "t", "warmup", "warmup_steps", "degree", "pixels"}
_POSITIVE_NAMES = {"width", "height"}
_NONNEGATIVE_NAMES = {"std", "noise", "eps", "lam", "l2", "weight_decay", "decay_rate", "threshold", "tolerance"}


def name_range(name: str, is_int: bool) -> Range | None:
    """按参数名的通用范围，docstring 没写范围时使用。"""
    inf = math.inf
    if name == "seed" or name.endswith("_seed"):
        return (0, False, SEED_MAX, False)
    if is_int and name in _SIZE_NAMES:
        return (1, False, inf, True)
    if is_int and name in _COUNT_NAMES:
        return (0, False, inf, True)
    if not is_int and (name == "lr" or name.startswith("lr") or name.endswith("_lr")):
        return (0, True, inf, True)
    if not is_int and name in _POSITIVE_NAMES:
        return (0, True, inf, True)
    if not is_int and name in _NONNEGATIVE_NAMES:
        return (0, False, inf, True)
    if not is_int and name == "p":
        return (0, False, 1, False)
    return None


def _in_range(value: float, r: Range) -> bool:
    low, low_open, high, high_open = r
    return (value > low if low_open else value >= low) and (value < high if high_open else value <= high)


def _is_seed(name: str) -> bool:
    return name == "seed" or name.endswith("_seed")


#: 取值是自由文本的 str 参数（任何非空字符串都合法）
FREE_TEXT = {"alt", "title", "label", "text", "note", "hypothesis", "reference"}
#: 空字符串也合法的 str 参数：要处理的一段文本或一个序列，空文本就是空文档（分词得到 []，与 jieba.lcut("") 相同），
#: 空的识别结果与参考之间的编辑距离就是另一方的长度
EMPTY_OK = {"text", "hypothesis", "reference"}
#: 第 0 维不是共同的样本维的张量参数：注意力的查询长度 L 与键长度 S 无关，d_v 也可以不同于 d，
#: 掩码只需能广播到 (L, S)。它们与别的张量参数“差一行/差一列/空/0 维”不能断定为不合法。
OWN_LENGTH = {"query", "key", "value", "scores", "mask", "attn_mask"}
#: 第 0 维是共同的批维、第 1 维却是各自长度的张量参数：源序列和目标序列 ``(B, S)``、``(B, T)``。
#: 它们“差一列”时不能断定为不合法（形状恰好相同只是巧合）。
OWN_WIDTH = {"src", "tgt"}

# ---------------------------------------------------------------------------------------------
# docstring 示例里的合法调用（候选值都不行时的后备）
# ---------------------------------------------------------------------------------------------

#: ``ctor_combo`` 取这个值时，方法的实例是示例里调用它的那个实例
EXAMPLE_INSTANCE = (-1,)


class _Captured(BaseException):
    """示例调用了被测对象、而且调用成功：记下参数，停止运行示例。"""


def _snapshot(obj: object) -> object:
    """``obj`` 的深拷贝；非叶子张量（``model(X)`` 的输出）先 ``detach``，``deepcopy`` 不接受它们。"""
    memo: dict[int, object] = {}

    def visit(x: object, depth: int = 0) -> None:
        if isinstance(x, torch.Tensor) and not x.is_leaf:
            memo[id(x)] = x.detach().clone().requires_grad_(x.requires_grad)
        elif depth < 3 and isinstance(x, (list, tuple)):
            for item in x:
                visit(item, depth + 1)
        elif depth < 3 and isinstance(x, Mapping):
            for item in x.values():
                visit(item, depth + 1)

    visit(obj)
    return copy.deepcopy(obj, memo)


def _example_sources(target: Target) -> list[str]:
    """找示例的 docstring，依次是：对象自己的、（方法的）类的、模块的、模块里其他公开对象及其方法的。"""
    module = importlib.import_module(target.module)
    docs = [getattr(target.resolve(), "__doc__", None)]
    if "." in target.qualname:
        docs.append(_parent(target).__doc__)
    docs.append(module.__doc__)
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        docs.append(getattr(obj, "__doc__", None))
        if isinstance(obj, type):
            docs += [m.__doc__ for k, m in vars(obj).items() if not k.startswith("_") and inspect.isfunction(m)]
    return list(dict.fromkeys(d for d in docs if d))


@functools.cache
def example_call(target: Target) -> tuple[object, dict[str, object]] | None:
    """docstring 示例第一次**成功**调用 ``target`` 时的 ``(实例或 None, {参数名: 值})``（调用前的快照）。

    包的规则是每个公开函数都有 doctest：找不到候选值时，示例本身就是一次合法调用，不必再按函数手写清单。
    示例在模块的全局命名空间（doctest 的做法）的副本里逐条运行，被测对象临时换成记录参数的包装；
    类记录 ``__init__``，方法记录类上的方法（``module(x)`` 经过 ``__call__`` 也会记到 ``forward``）。
    """
    obj = target.resolve()
    module = importlib.import_module(target.module)
    is_class, is_method = isinstance(obj, type), "." in target.qualname
    if is_class or is_method:
        owner: Any = obj if is_class else _parent(target)
        attr = "__init__" if is_class else target.qualname.rsplit(".", 1)[1]
        original = owner.__dict__[attr] if attr in owner.__dict__ else getattr(owner, attr)
        inherited = attr not in owner.__dict__
    signature = inspect.signature(original if is_class else obj)
    found: list[tuple[object, dict[str, object]]] = []

    def record(*args: Any, **kwargs: Any) -> object:
        function = original if is_class or is_method else obj
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return function(*args, **kwargs)
        arguments = dict(bound.arguments)
        instance = arguments.pop(next(iter(signature.parameters))) if is_class or is_method else None
        snapshot = _snapshot((None if is_class else instance, arguments))
        result = function(*args, **kwargs)
        found.append(snapshot)  # type: ignore[arg-type]
        raise _Captured
        return result  # 不会到这里

    sources = _example_sources(target)  # 在换掉被测对象之前取 docstring
    patched: list[tuple[Any, str, object]] = []
    if is_class or is_method:
        patched.append((owner, attr, original))
        setattr(owner, attr, record)
    else:  # 函数：换掉包里每个模块对它的引用（示例可以从任何一个模块导入它）
        for name, mod in list(sys.modules.items()):
            if mod is not None and (name in (PACKAGE, target.module) or name.startswith(f"{PACKAGE}.")):
                for key, value in list(vars(mod).items()):
                    if value is obj:
                        patched.append((mod, key, value))
                        setattr(mod, key, record)
    parser = doctest.DocTestParser()
    try:
        for doc in sources:
            namespace = dict(vars(module))
            for example in parser.get_examples(doc):
                try:
                    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                        exec(compile(example.source, f"<example of {target.full}>", "single"), namespace)
                except _Captured:
                    return found[0]
                except Exception:  # 演示错误的示例（Traceback），或依赖前面别的 docstring 定义的名字
                    continue
    finally:
        for owner_, key, value in reversed(patched):
            if owner_ is obj and key == "__init__" and inherited:
                delattr(owner_, key)
            else:
                setattr(owner_, key, value)
    return None


def _example_value(target: Target, name: str, default: object) -> Callable[[], object]:
    """候选值：示例里那次调用的参数 ``name``（没传的参数取默认值）。"""

    def make() -> object:
        captured = example_call(target)
        if captured is None:
            raise LookupError(f"no docstring example calls {target.full}")
        arguments = captured[1]
        if name in arguments:
            return _snapshot(arguments[name])
        if default is inspect.Parameter.empty:
            raise LookupError(f"the example's call of {target.full} has no {name}")
        return default

    return make


def _example_instance(target: Target) -> object:
    captured = example_call(target)
    if captured is None or captured[0] is None:
        raise LookupError(f"no docstring example calls {target.full}")
    return _snapshot(captured[0])


# ---------------------------------------------------------------------------------------------
# 计划：合法调用 + 坏输入
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class ParamSpec:
    name: str
    kind: inspect._ParameterKind
    annotation: str
    candidates: list[Callable[[], object]]  # 最后一个是 docstring 示例里的值（:func:`example_call`），只在找不到时用


@dataclasses.dataclass
class Case:
    param: str
    label: str
    validity: str  # invalid（一定不合法）| valid | unknown | size（10**9，只怕超时和内存）
    make: Callable[[dict[str, object]], None] = dataclasses.field(repr=False)
    also: tuple[str, ...] = ()  # 错误信息也可以写这些名字（对不上的另一方）
    kind: str = ""  # 合法值是什么，供报告用："int"、"tensor[float32, 2-d]"、"module[Sequential]"……

    @property
    def info(self) -> CaseInfo:
        return CaseInfo(self.param, self.label, self.validity, self.also, self.kind)


class CaseInfo(NamedTuple):
    """父进程需要知道的坏输入信息（可以 pickle）。"""

    param: str
    label: str
    validity: str
    also: tuple[str, ...]
    kind: str


def describe(value: object, annotation: str = "") -> str:
    """合法值种类的简短描述，报告里的修改建议用它。"""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, torch.Tensor):
        return f"tensor[{str(value.dtype).replace('torch.', '')}, {value.ndim}-d]"
    if isinstance(value, nn.Module):
        heads = [_head(a) for a in _alternatives(annotation)] if annotation else []
        return f"module[{next((h for h in heads if h != 'None'), 'Module')}]"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, (list, tuple)):
        inner = describe(value[0]) if value else ""
        return f"sequence[{inner}]"
    if isinstance(value, type):
        return "type"
    if callable(value):
        return "callable"
    return f"object[{type(value).__name__}]"


def _param_specs(fn: Callable, target: Target | None = None) -> list[ParamSpec]:
    """每个参数的合法候选值；给了 ``target`` 时，最后再加一个取自 ``target`` 的 docstring 示例的候选值。"""
    specs = []
    params = list(inspect.signature(fn).parameters.values())
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            continue
        text = _annotation_text(p.annotation)
        if p.kind is p.VAR_KEYWORD:
            keyword_candidates: list[Callable[[], object]] = [dict, lambda: {"lr": 0.1}]
            if target is not None:
                keyword_candidates.append(_example_value(target, p.name, {}))
            specs.append(ParamSpec(p.name, p.kind, text, keyword_candidates))
            continue
        by_name = [c for c in VALID_BY_NAME.get(p.name, ()) if _fits(_safe(c), text)]
        candidates = list(by_name)
        if p.default is not p.empty:
            candidates.append(_const(p.default))
        candidates += [c for c in _from_annotation(text) if c not in candidates]
        if not candidates:
            candidates = [_const(None)]
        if target is not None:
            candidates.append(_example_value(target, p.name, p.default))
        specs.append(ParamSpec(p.name, p.kind, text, candidates))
    return specs


def _safe(factory: Callable[[], object]) -> object:
    try:
        return factory()
    except Exception:
        return _Unbuildable


class _Unbuildable:
    pass


def _call(fn: Callable, specs: list[ParamSpec], values: dict[str, object]) -> object:
    args, kwargs = [], {}
    for spec in specs:
        value = values[spec.name]
        if spec.kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(value)
        elif spec.kind is inspect.Parameter.VAR_KEYWORD:
            kwargs.update(value)  # type: ignore[arg-type]
        else:
            kwargs[spec.name] = value
    return fn(*args, **kwargs)


def _combos(sizes: list[int], limit: int) -> Iterable[tuple[int, ...]]:
    """候选下标的组合，按偏离首选候选的参数个数从少到多排列。"""
    yielded = 0
    for changed in range(len(sizes) + 1):
        for positions in itertools.combinations(range(len(sizes)), changed):
            ranges = [range(1, sizes[i]) for i in positions]
            for picks in itertools.product(*ranges):
                combo = [0] * len(sizes)
                for i, pick in zip(positions, picks):
                    combo[i] = pick
                yield tuple(combo)
                yielded += 1
                if yielded >= limit:
                    return


@dataclasses.dataclass
class Plan:
    target: Target
    ok: bool
    error: str = ""
    ctor_combo: tuple[int, ...] = ()
    combo: tuple[int, ...] = ()
    seconds: float = 0.0  # 合法调用的墙钟秒
    nonfinite: bool = False
    cases: list[CaseInfo] = dataclasses.field(default_factory=list)
    too_slow: bool = False  # 找合法调用超过了 PLAN_CPU_LIMIT：是错误，不算“找不到合法调用”
    source: str = "candidates"  # 合法调用取自哪里："candidates"（候选值）或 "example"（docstring 示例）
    search_cpu: float = 0.0  # 按候选值搜索用掉的 CPU 秒
    cpu_seconds: float = 0.0  # 合法调用的 CPU 秒：坏输入的时限按它算


def _nonfinite(obj: object, depth: int = 0) -> bool:
    """``obj``（张量、数、容器、模块参数）里有没有 NaN 或 ±inf？"""
    if depth > 4:
        return False
    if isinstance(obj, torch.Tensor):
        return (obj.is_floating_point() or obj.is_complex()) and obj.numel() > 0 and not bool(torch.isfinite(obj).all())
    if isinstance(obj, nn.Module):
        return any(_nonfinite(p, depth + 1) for p in itertools.chain(obj.parameters(), obj.buffers()))
    if isinstance(obj, float):
        return not math.isfinite(obj)
    if isinstance(obj, Mapping):
        return any(_nonfinite(v, depth + 1) for v in list(obj.values())[:1000])
    if isinstance(obj, (list, tuple)):
        return any(_nonfinite(v, depth + 1) for v in obj[:1000])
    return False


def _state_of(values: dict[str, object]) -> list[object]:
    """函数可能就地修改的参数（张量、模块、字典、张量列表）。"""
    return [v for v in values.values() if isinstance(v, (torch.Tensor, nn.Module, Mapping, list))]


class _Planner:
    """为一个函数找合法调用、推出坏输入（在任何进程里结果都相同）。"""

    def __init__(self, target: Target) -> None:
        self.target = target
        obj = target.resolve()
        self.is_method = "." in target.qualname
        if self.is_method:
            self.cls = _parent(target)
            self.ctor_specs = _param_specs(self.cls)
            self.specs = _param_specs(obj, target)[1:]  # 去掉 self
        else:
            self.cls = None
            self.ctor_specs = []
            self.specs = _param_specs(obj, target)
        self.obj = obj
        self._cases: dict[tuple[int, ...], list[Case]] = {}
        self.doc_ranges = documented_ranges(self.cls if self.is_method else obj)
        self.free_text = FREE_TEXT | documented_free_text(obj)
        if self.is_method:
            self.doc_ranges = {**self.doc_ranges, **documented_ranges(obj)}

    # -- 构造参数值 ---------------------------------------------------------------------------
    def callable_for(self, ctor_combo: tuple[int, ...]) -> Callable:
        if not self.is_method:
            return self.obj
        if ctor_combo == EXAMPLE_INSTANCE:
            instance = _example_instance(self.target)
        else:
            instance = _call(self.cls, self.ctor_specs, self.values(self.ctor_specs, ctor_combo))
        return getattr(instance, self.target.qualname.rsplit(".", 1)[1])

    def call_parts(self, ctor_combo: tuple[int, ...], combo: tuple[int, ...]) -> tuple[Callable, dict[str, object]]:
        """要调用的函数（方法绑定在新实例上）和参数。

        示例里的调用一次整体复制（实例和全部参数）：它们共享的对象（模型和管理其参数的优化器）仍然共享。
        """
        example = bool(self.specs) and combo == tuple(len(s.candidates) - 1 for s in self.specs)
        captured = example_call(self.target) if example or ctor_combo == EXAMPLE_INSTANCE else None
        if captured is None:
            values = self.values(self.specs, combo)
            return self.callable_for(ctor_combo), values
        instance, arguments = _snapshot(captured)  # type: ignore[misc]
        values = {s.name: arguments[s.name] if s.name in arguments else s.candidates[i]() for s, i in zip(self.specs, combo)}
        if ctor_combo == EXAMPLE_INSTANCE:
            return getattr(instance, self.target.qualname.rsplit(".", 1)[1]), values
        return self.callable_for(ctor_combo), values

    @staticmethod
    def values(specs: list[ParamSpec], combo: tuple[int, ...]) -> dict[str, object]:
        return {s.name: s.candidates[i]() for s, i in zip(specs, combo)}

    def find(
        self, specs: list[ParamSpec], call: Callable[[tuple[int, ...]], object], limit: int = 400, *, example: bool = False,
    ) -> tuple[tuple[int, ...] | None, str]:
        """第一组能调用成功的候选下标（``example=True``：每个参数最后那个示例候选值不参加搜索）。"""
        first_error = ""
        start = time.process_time()
        for combo in _combos([len(s.candidates) - example for s in specs], limit):
            if time.process_time() - start > SEARCH_CPU_BUDGET:  # CPU 时间：与机器负载无关
                return None, first_error + f" (search stopped after {SEARCH_CPU_BUDGET:.0f} s CPU)"
            try:
                call(combo)
            except Exception as err:
                if _is_memory_error(err):  # 分配失败不说明这组值不合法：整个计划换一个新工作进程重来
                    raise
                if not first_error:
                    first_error = f"{type(err).__name__}: {err}"
                continue
            return combo, ""
        return None, first_error

    def plan(self) -> Plan:
        if not self.specs:  # 没有参数可喂坏值（registered()、render_all()、get_device()）
            return Plan(self.target, True)
        search_start = time.process_time()
        source = "candidates"
        ctor_combo: tuple[int, ...] | None = ()
        if self.is_method:
            ctor_combo, error = self.find(self.ctor_specs, lambda c: _call(self.cls, self.ctor_specs, self.values(self.ctor_specs, c)))
            error = f"no valid constructor call: {error}"
        found = None
        if ctor_combo is not None:
            ctor = ctor_combo
            found, error = self.find(self.specs, lambda c: self.attempt(ctor, c), example=True)
            error = f"no valid call found ({error})"
        search_cpu = time.process_time() - search_start
        if found is None:
            # 候选值都不行：用 docstring 示例里那次调用的参数（和实例）
            source = "example"
            example, example_error = self.example_combo()
            if example is None:
                return Plan(self.target, False, f"{error}; {example_error}; add a generic candidate to VALID_BY_NAME or an example that calls it")
            ctor_combo, found = example
        assert ctor_combo is not None
        # 基准就是刚才成功的那次调用（不再调用一遍：慢的页面实验一次就要几秒）
        seconds, cpu_seconds, result, values = self._measured
        nonfinite = _nonfinite(result) or any(_nonfinite(v) for v in _state_of(values))
        cases = [c.info for c in self.cases(found)]
        return Plan(
            self.target, True, "", ctor_combo, found, seconds, nonfinite, cases,
            source=source, search_cpu=search_cpu, cpu_seconds=cpu_seconds,
        )

    def attempt(self, ctor_combo: tuple[int, ...], combo: tuple[int, ...]) -> None:
        """试一组参数：与坏输入的调用一样，先恢复全局随机状态；成功时记下耗时、结果和参数（基准）。"""
        fn, values = self.call_parts(ctor_combo, combo)
        _reset_rng()
        start, cpu = time.perf_counter(), time.process_time()
        result = _call(fn, self.specs, values)
        self._measured = (time.perf_counter() - start, time.process_time() - cpu, result, values)

    def example_combo(self) -> tuple[tuple[tuple[int, ...], tuple[int, ...]] | None, str]:
        """docstring 示例里的调用（``(ctor_combo, combo)``），它重放不成功时返回 ``(None, 原因)``。"""
        try:
            captured = example_call(self.target)
        except Exception as err:
            if _is_memory_error(err):
                raise
            return None, f"running the examples failed ({type(err).__name__}: {err})"
        if captured is None:
            return None, "no docstring example calls it"
        ctor_combo = EXAMPLE_INSTANCE if self.is_method else ()
        combo = tuple(len(s.candidates) - 1 for s in self.specs)
        try:
            self.attempt(ctor_combo, combo)
        except Exception as err:
            if _is_memory_error(err):
                raise
            return None, f"replaying the example's call failed ({type(err).__name__}: {err})"
        return (ctor_combo, combo), ""

    # -- 坏输入 -------------------------------------------------------------------------------
    def cases(self, combo: tuple[int, ...]) -> list[Case]:
        if combo not in self._cases:
            self._cases[combo] = self._make_cases(combo)
        return self._cases[combo]

    def _make_cases(self, combo: tuple[int, ...]) -> list[Case]:
        values = self.values(self.specs, combo)
        out: list[Case] = []
        for spec, _index in zip(self.specs, combo):
            if spec.kind is inspect.Parameter.VAR_KEYWORD:
                out += self._var_keyword_cases(spec, values[spec.name])  # type: ignore[arg-type]
                continue
            template = values[spec.name]
            if template is None:  # 默认值 None 合法：从一个非 None 的候选值推出坏输入
                template = next((v for v in map(_safe, spec.candidates) if v is not None and v is not _Unbuildable), None)
            if template is None:
                continue
            kind = describe(template, spec.annotation)
            out += [dataclasses.replace(c, kind=kind) for c in self._param_cases(spec, template, values)]
        return out

    def _var_keyword_cases(self, spec: ParamSpec, chosen: dict[str, object]) -> list[Case]:
        out = []
        for key, value in chosen.items():
            sub = ParamSpec(key, inspect.Parameter.KEYWORD_ONLY, spec.annotation or "float", [])
            for case in self._param_cases(sub, value, {}):
                out.append(Case(key, case.label, case.validity, _into(spec.name, case.make), case.also, describe(value)))
        out.append(Case(spec.name, "unknown keyword __bogus__=1.0", "invalid", _set_item(spec.name, "__bogus__", 1.0), ("__bogus__",), "var-keyword"))
        return out

    def _range(self, name: str, is_int: bool) -> Range | None:
        return self.doc_ranges.get(name) or name_range(name, is_int)

    def _range_validity(self, name: str, value: float, is_int: bool) -> str:
        r = self._range(name, is_int)
        if r is None:
            return "unknown"
        return "valid" if _in_range(value, r) else "invalid"

    def _param_cases(self, spec: ParamSpec, template: object, values: dict[str, object]) -> list[Case]:
        name, kinds = spec.name, _kinds(spec.annotation)
        allows = set(kinds) | ({"none"} if _fits(None, spec.annotation) else set())
        default_none = self._default_is_none(name)
        if default_none:
            allows.add("none")
        cases: list[Case] = []

        def add(label: str, value_factory: Callable[[object], object], validity: str) -> None:
            cases.append(Case(name, label, validity, _replace(name, template, value_factory)))

        def const(value: object) -> Callable[[object], object]:
            return lambda _t: value

        if "none" not in allows and "any" not in allows:
            add("None", const(None), "invalid")
        strict = "any" not in allows
        if isinstance(template, bool):
            if strict and "str" not in allows:
                add("'no'", const("no"), "invalid")
        elif isinstance(template, int) or (isinstance(template, float) and "int" in kinds and "float" not in kinds):
            if strict and "str" not in allows:
                add("'2'", const("2"), "invalid")
            if strict and "float" not in allows:
                add("2.5", const(2.5), "invalid")
                add("inf", const(math.inf), "invalid")
            if _is_seed(name):
                add("-1", const(-1), "invalid")
                add("2**64", const(2**64), "invalid")
            else:
                add("-1", const(-1), self._range_validity(name, -1, True))
                add("0", const(0), self._range_validity(name, 0, True))
                add("10**9", const(BIG), "size")
        elif isinstance(template, numbers.Real):
            if strict and "str" not in allows:
                add("'0.1'", const("0.1"), "invalid")
            add("-1.0", const(-1.0), self._range_validity(name, -1.0, False))
            add("0.0", const(0.0), self._range_validity(name, 0.0, False))
            add("nan", const(math.nan), "invalid")
            add("inf", const(math.inf), "invalid")
            add("-inf", const(-math.inf), "invalid")
        elif isinstance(template, str):
            if strict and "int" not in allows:
                add("1 (not a str)", const(1), "invalid")
            free = name in self.free_text
            add("'__bogus__'", const("__bogus__"), "valid" if free else "invalid")
            add("''", const(""), "unknown" if name in EMPTY_OK else "invalid")
        elif isinstance(template, torch.Tensor):
            cases += self._tensor_cases(spec, template, values, allows, strict)
        elif isinstance(template, nn.Module):
            if strict:
                add("'net' (str)", const("net"), "invalid")
                add("tensor", lambda _t: torch.zeros(2), "invalid")
                heads = {_head(a) for a in _alternatives(spec.annotation)}
                if heads and "Module" not in heads and "any" not in allows:
                    add("nn.Identity() (other module)", lambda _t: nn.Identity(), "invalid")
        elif isinstance(template, Mapping):
            if strict:
                add("'abc' (str)", const("abc"), "invalid")
                add("list", lambda _t: ["a"], "invalid")
                if template:
                    first = next(iter(template))
                    add(f"{{{first!r}: None}}", lambda t: {**t, first: None}, "unknown")  # type: ignore[dict-item]
        elif isinstance(template, (list, tuple)):
            cases += self._sequence_cases(spec, template, strict)
        elif isinstance(template, type):
            if strict:
                add("'Linear' (str)", const("Linear"), "invalid")
                add("int (a class, not a module class)", const(int), "invalid")
        elif callable(template):
            if strict:
                add("'tanh' (str)", const("tanh"), "invalid")
                add("3 (not callable)", const(3), "invalid")
        else:
            if strict and "str" not in allows:
                add("'abc' (str)", const("abc"), "invalid")
            if strict and "int" not in allows:
                add("3", const(3), "invalid")
        return cases

    def _default_is_none(self, name: str) -> bool:
        obj = self.obj
        try:
            param = inspect.signature(obj).parameters.get(name)
        except (TypeError, ValueError):
            return False
        return param is not None and param.default is None

    def _tensor_cases(self, spec: ParamSpec, v: torch.Tensor, values: dict[str, object], allows: set[str], strict: bool) -> list[Case]:
        name = spec.name
        cases: list[Case] = []

        others = [o for k, o in values.items() if k != name and isinstance(o, torch.Tensor) and o.ndim >= 1]
        partners = tuple(k for k, o in values.items() if k != name and isinstance(o, torch.Tensor))

        def add(label: str, factory: Callable[[torch.Tensor], object], validity: str, relational: bool = False) -> None:
            also = partners if relational else ()
            cases.append(Case(name, label, validity, _replace(name, v, factory), also))  # type: ignore[arg-type]

        # 模板不是合法调用里的值（默认 None 的参数从候选值里借来一个）时，也推不出它与别的张量的关系
        related = name not in OWN_LENGTH and values.get(name) is not None
        same_len = related and v.ndim >= 1 and any(len(o) == len(v) for o in others)
        same_shape = related and name not in OWN_WIDTH and any(o.shape == v.shape for o in others)
        if strict and "str" not in allows:
            add("'abc' (str)", lambda _t: "abc", "invalid")
        if strict and "sequence" not in allows:
            add("list (tensor.tolist())", lambda t: t.tolist(), "invalid")
        if v.ndim >= 1 and len(v) >= 1:
            add("empty tensor", lambda t: t[:0].clone(), "invalid" if same_len else "unknown", relational=True)
        if v.is_floating_point():
            add("int64 tensor", lambda t: t.round().long(), "unknown")
        elif v.dtype != torch.bool:
            add("float32 tensor", lambda t: t.float(), "unknown")
        if v.ndim >= 1 and v.numel() >= 1:
            add("0-d tensor", lambda t: t.reshape(-1)[0].clone(), "invalid" if same_len else "unknown", relational=True)
        if v.ndim >= 1 and len(v) >= 2:
            add("one row fewer", lambda t: t[:-1].clone(), "invalid" if same_len else "unknown", relational=True)
        if v.ndim >= 2 and v.shape[-1] >= 2:
            add("one column fewer", lambda t: t[..., :-1].clone(), "invalid" if same_shape else "unknown", relational=True)
        return cases

    def _sequence_cases(self, spec: ParamSpec, v: list | tuple, strict: bool) -> list[Case]:
        name = spec.name
        cases: list[Case] = []

        def add(label: str, factory: Callable[[Any], object], validity: str) -> None:
            cases.append(Case(name, label, validity, _replace(name, v, factory)))

        def with_first(x: object) -> Callable[[Any], object]:
            return lambda t: type(t)([x, *list(t)[1:]]) if isinstance(t, (list, tuple)) else t

        if strict:
            add("'abc' (str)", lambda _t: "abc", "invalid")
            add("3 (not a sequence)", lambda _t: 3, "invalid")
        add("empty", lambda t: type(t)(), "unknown")
        if not v:
            return cases
        add("first element None", with_first(None), "invalid")
        first = v[0]
        elements_int = all(isinstance(e, int) and not isinstance(e, bool) for e in v)
        if elements_int:
            add("element -1", with_first(-1), self._range_validity(name, -1, True))
            add("element 0", with_first(0), self._range_validity(name, 0, True))
            add("element 10**9", with_first(BIG), "size")
            int_annotated = "int" in spec.annotation and "float" not in spec.annotation
            add("element 2.5", with_first(2.5), "invalid" if int_annotated else "unknown")
        elif isinstance(first, numbers.Real) and self._range(name, False) is not None:
            add("element -1.0", with_first(-1.0), self._range_validity(name, -1.0, False))
            add("element 0.0", with_first(0.0), self._range_validity(name, 0.0, False))
            add("element nan", with_first(math.nan), "invalid")
        return cases


def _parent(target: Target) -> type:
    obj: Any = importlib.import_module(target.module)
    for part in target.qualname.split(".")[:-1]:
        obj = getattr(obj, part)
    return obj


def _replace(name: str, template: object, factory: Callable[[Any], object]) -> Callable[[dict[str, object]], None]:
    def make(values: dict[str, object]) -> None:
        base = values[name] if values.get(name) is not None else template
        values[name] = factory(base)

    return make


def _into(var_keyword: str, make: Callable[[dict[str, object]], None]) -> Callable[[dict[str, object]], None]:
    def apply(values: dict[str, object]) -> None:
        inner = dict(values[var_keyword])  # type: ignore[call-overload]
        make(inner)
        values[var_keyword] = inner

    return apply


def _set_item(var_keyword: str, key: str, value: object) -> Callable[[dict[str, object]], None]:
    def apply(values: dict[str, object]) -> None:
        values[var_keyword] = {**values[var_keyword], key: value}  # type: ignore[dict-item]

    return apply


@functools.cache
def _planner(target: Target) -> _Planner:
    return _Planner(target)


# ---------------------------------------------------------------------------------------------
# 工作进程
# ---------------------------------------------------------------------------------------------


class _Hang(BaseException):
    """工作进程的定时器抛出的异常；继承 BaseException，函数里的 ``except Exception`` 吞不掉它。"""


_ARMED = False


def _on_alarm(signum: int, frame: object) -> None:
    if _ARMED:
        raise _Hang


# oneDNN 在地址空间上限下分配失败时只说 "could not create a primitive" / "could not execute a primitive"，
# 而且失败之后同一进程里的 oneDNN 运算（LSTM 等）也会接着失败：按内存错误处理，换新的工作进程
_MEMORY_MARKERS = (
    "can't allocate memory", "cannot allocate memory", "not enough memory", "bad_alloc", "out of memory",
    "could not create a primitive", "could not execute a primitive",
)
#: 找合法调用时遇到内存错误，最多在新工作进程里重做几次
PLAN_MEMORY_RETRIES = 2


def _is_memory_error(err: BaseException) -> bool:
    if isinstance(err, MemoryError):
        return True
    return isinstance(err, RuntimeError) and any(m in str(err).lower() for m in _MEMORY_MARKERS)


def _where(tb: Any) -> str:
    """包内最深的一帧（``dlguide/training.py:97``），没有就取最深的一帧。"""
    frames = traceback.extract_tb(tb)
    inside = [f for f in frames if f"{os.sep}{PACKAGE}{os.sep}" in f.filename]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return ""
    path = frame.filename
    cut = path.rfind(f"{os.sep}{PACKAGE}{os.sep}")
    return f"{path[cut + 1:] if cut >= 0 else os.path.basename(path)}:{frame.lineno}"


def _run_with_alarm(seconds: float, thunk: Callable[[], object], *, cpu: bool = False) -> object:
    """运行 ``thunk()``，``seconds`` 秒（``cpu=True``：本进程的 CPU 秒，与机器负载无关）后用 :class:`_Hang` 打断。

    定时器每 0.05 秒重复一次，直到解除：落在 ``__del__`` 或弱引用回调里的那次会被 Python 吞掉
    （"Exception ignored in ..."），下一次不会。
    """
    global _ARMED
    timer = signal.ITIMER_PROF if cpu else signal.ITIMER_REAL
    _ARMED = True
    signal.setitimer(timer, seconds, 0.05)
    try:
        return thunk()
    finally:
        _ARMED = False
        signal.setitimer(timer, 0)


_RNG_STATE: torch.Tensor | None = None


def _reset_rng() -> None:
    """每次调用前恢复同一个全局随机状态（``torch.manual_seed`` 慢：它还要排队给 CUDA 设种子）。"""
    global _RNG_STATE
    if _RNG_STATE is None:
        torch.manual_seed(0)
        _RNG_STATE = torch.get_rng_state()
    torch.set_rng_state(_RNG_STATE)


def _setup_worker(memory_limit: int | None) -> None:
    os.environ["DLGUIDE_DEVICE"] = "cpu"
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    # 工作进程是单线程的：启动子进程的函数（DataLoader 的 worker）可以像在读者的 Python 里一样 fork，
    # 不必沿用 forkserver 方式
    multiprocessing.set_start_method("fork", force=True)
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    _reset_rng()
    default_hook = sys.unraisablehook

    def quiet_hang(unraisable: Any) -> None:  # 落在 __del__ 里的那次定时器：不打印，下一次会生效
        if not isinstance(unraisable.exc_value, _Hang):
            default_hook(unraisable)

    sys.unraisablehook = quiet_hang
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGPROF, _on_alarm)
    global _MEMORY_CAPPED
    _MEMORY_CAPPED = bool(memory_limit) and _cap_address_space(memory_limit)  # type: ignore[arg-type]


_MEMORY_CAPPED = False


def _address_space() -> int:
    """本进程的地址空间（字节，Linux 的 /proc/self/statm）。"""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


_START_ADDRESS_SPACE = 0


def _cap_address_space(extra: int) -> bool:
    """把 ``RLIMIT_AS`` 设为当前地址空间 + ``extra``；系统不支持时返回 ``False``。"""
    global _START_ADDRESS_SPACE
    try:
        current = _START_ADDRESS_SPACE = _address_space()  # Linux；别的系统不设上限
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra if hard == resource.RLIM_INFINITY else min(current + extra, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        return False
    return True


def _too_slow(target: Target, limit: str) -> Plan:
    return Plan(target, False, f"valid call too slow: finding and making a valid call took over {limit}; "
                "add a cheaper candidate (small sizes) to VALID_BY_NAME or a cheaper docstring example", too_slow=True)


def _plan_task(target: Target, cpu_limit: float = PLAN_CPU_LIMIT) -> dict[str, object]:
    try:
        plan = _run_with_alarm(cpu_limit, lambda: _planner(target).plan(), cpu=True)
    except _Hang:
        return {"plan": _too_slow(target, f"{cpu_limit:g} s CPU"), "retire": True}
    except Exception as err:
        if _is_memory_error(err):  # 这个进程的堆已被先前的任务撑大：退休，计划在新进程里重做
            return {"plan": None, "status": "memory", "msg": f"{type(err).__name__}: {err}"[:300], "retire": True, "retry": True}
        return {"plan": Plan(target, False, f"{type(err).__name__}: {err}")}
    return {"plan": plan}


_WARM: set[Target] = set()


def _warm_up(target: Target, ctor_combo: tuple[int, ...], combo: tuple[int, ...]) -> None:
    """在本工作进程里先跑一次合法调用：延迟导入和缓存的耗时不能算成超时。"""
    if target in _WARM:
        return
    _WARM.add(target)
    planner = _planner(target)

    def run() -> object:
        fn, values = planner.call_parts(ctor_combo, combo)
        return _call(fn, planner.specs, values)

    # 计划阶段已经证明这个调用能成功。按 CPU 时间限时（墙钟会随机器负载变化）；
    # 万一超时也不算这个坏输入的结果：接着照常运行它
    with contextlib.suppress(Exception, _Hang):
        _run_with_alarm(PLAN_CPU_LIMIT, run, cpu=True)


def _case_task(
    target: Target, ctor_combo: tuple[int, ...], combo: tuple[int, ...], index: int, timeout: float,
    started: Callable[[], None] = lambda: None,
) -> dict[str, object]:
    planner = _planner(target)
    _warm_up(target, ctor_combo, combo)
    case = planner.cases(combo)[index]
    if case.validity == "size" and not _MEMORY_CAPPED:
        return {"status": "not-run", "msg": "no memory cap on this platform: 10**9 sizes are not tried"}
    fn, values = planner.call_parts(ctor_combo, combo)
    case.make(values)
    started()
    _reset_rng()
    start = time.perf_counter()
    try:
        result = _run_with_alarm(timeout, lambda: _call(fn, planner.specs, values), cpu=True)
    except _Hang:
        # 调用栈已经展开，但被打断的可能是一次 import（例如 torch.compile 第一次导入 sympy）：
        # 半截的模块留在 sys.modules 里会让后面的调用莫名失败，所以换一个新的工作进程
        return {"status": "hang", "seconds": time.perf_counter() - start, "retire": True}
    except BaseException as err:
        seconds = time.perf_counter() - start
        if _is_memory_error(err):  # 同理：分配失败可能发生在 import 或缓存的中途
            return {"status": "memory", "exc": type(err).__name__, "msg": str(err)[:300], "seconds": seconds, "retire": True}
        if isinstance(err, (KeyboardInterrupt, SystemExit)):
            return {"status": "crash", "exc": type(err).__name__, "msg": str(err)[:300], "seconds": seconds, "retire": True}
        return {
            "status": "raised",
            "exc": type(err).__name__,
            "type_or_value": isinstance(err, (TypeError, ValueError)),
            "msg": str(err)[:500],
            "where": _where(err.__traceback__),
            "seconds": seconds,
        }
    seconds = time.perf_counter() - start
    try:
        nonfinite = _nonfinite(result) or any(_nonfinite(v) for v in _state_of(values))
        shown = _short_repr(result)
    except Exception:
        nonfinite, shown = False, "?"
    return {"status": "returned", "nonfinite": nonfinite, "repr": shown, "seconds": seconds}


def _short_repr(obj: object) -> str:
    if isinstance(obj, torch.Tensor):
        text = f"tensor{tuple(obj.shape)} {obj.dtype}" if obj.numel() > 4 else repr(obj)
    elif isinstance(obj, nn.Module):
        text = type(obj).__name__ + "(...)"
    else:
        try:
            text = repr(obj)
        except Exception:
            text = type(obj).__name__
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _worker_main(conn: multiprocessing.connection.Connection, memory_limit: int | None) -> None:
    _setup_worker(memory_limit)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, args = task
        cpu = time.process_time()
        try:
            reply = _plan_task(*args) if kind == "plan" else _case_task(*args, started=lambda: conn.send({"started": True}))
        except BaseException:
            reply = {"status": "harness-error", "msg": traceback.format_exc()[-2000:], "retire": True}
        reply["cpu"] = time.process_time() - cpu
        # 缓存和碎片让地址空间随任务增长：用掉上限的一半就换新进程，免得后面的任务（oneDNN 的 LSTM 等）
        # 因为这个进程先前跑过什么而分配失败
        if _MEMORY_CAPPED and memory_limit and _address_space() > _START_ADDRESS_SPACE + memory_limit // 2:
            reply["retire"] = True
        try:
            conn.send(reply)
        except Exception:
            conn.send({"status": "harness-error", "msg": traceback.format_exc()[-2000:], "retire": True})
        if reply.get("retire"):
            return


# ---------------------------------------------------------------------------------------------
# 父进程：一个按任务设截止时间的小进程池
# ---------------------------------------------------------------------------------------------


class _Worker:
    def __init__(self, ctx: Any, memory_limit: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, memory_limit), daemon=False)
        self.process.start()
        child.close()
        self.task: int | None = None
        self.deadline = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _context(preload: Iterable[str] = ()) -> Any:
    """工作进程从一个已经导入本模块和被测模块的 forkserver 派生，导入只做一次。

    （一个进程里只有第一次调用决定 forkserver 预先导入什么。）
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(dict.fromkeys([__name__, PACKAGE, *preload])))
    return ctx


class TaskQueue:
    """:func:`run_tasks` 的任务：``(任务, 硬超时)`` 组成的链，链内依次运行。

    每个任务结束后，``stop(task_id, reply)`` 可以结束它所在的链（剩下的不运行），
    ``expand(task_id, reply)`` 可以添加新链（计划任务添加它的坏输入）。
    """

    def __init__(self) -> None:
        self.tasks: list[tuple[str, tuple]] = []
        self.hard: list[float] = []
        self.replies: list[dict | None] = []
        self.next_of: dict[int, int] = {}
        self.ready: collections.deque[int] = collections.deque()
        self.stats: collections.Counter[str] = collections.Counter()  # 启动的工作进程、被硬超时杀掉的……

    def add_chain(self, chain: list[tuple[tuple[str, tuple], float]], *, front: bool = False) -> list[int]:
        ids = []
        for task, hard in chain:
            ids.append(len(self.tasks))
            self.tasks.append(task)
            self.hard.append(hard)
            self.replies.append(None)
        for first, second in itertools.pairwise(ids):
            self.next_of[first] = second
        if ids:
            (self.ready.appendleft if front else self.ready.append)(ids[0])
        return ids


def run_tasks(
    queue: TaskQueue,
    workers: int,
    memory_limit: int | None,
    *,
    preload: Iterable[str] = (),
    stop: Callable[[int, dict], bool] | None = None,
    expand: Callable[[int, dict], None] | None = None,
) -> None:
    """在工作进程池上运行队列里的任务（``("plan", args)`` 或 ``("case", args)``）。

    坏输入的硬超时从工作进程发来 "started" 时算起（启动、预热、构造参数不算，但不超过
    :data:`STARTUP_LIMIT`）。过了截止时间的工作进程被杀掉（回复 ``{"status": "hang"}``），
    死掉的换一个新的（回复 ``{"status": "crash"}``）。
    """
    ctx = _context(preload)

    def new_worker() -> _Worker:
        queue.stats["workers started"] += 1
        return _Worker(ctx, memory_limit)

    pool = [new_worker() for _ in range(max(1, workers))]

    def finish(task_id: int, reply: dict) -> None:
        queue.replies[task_id] = reply
        if expand:
            expand(task_id, reply)
        following = queue.next_of.get(task_id)
        if following is not None and not (stop and stop(task_id, reply)):
            queue.ready.appendleft(following)  # 接着测同一个函数：工作进程已经预热

    try:
        while queue.ready or any(w.task is not None for w in pool):
            for i, w in enumerate(pool):
                if w.task is None and queue.ready:
                    if not w.process.is_alive():
                        w.kill()
                        w = pool[i] = new_worker()
                    w.task = queue.ready.popleft()
                    w.conn.send(queue.tasks[w.task])
                    plan = queue.tasks[w.task][0] == "plan"  # 计划任务不发 "started"：截止时间就是它的硬超时
                    w.deadline = time.monotonic() + (queue.hard[w.task] if plan else STARTUP_LIMIT)
            busy = [w for w in pool if w.task is not None]
            if not busy:
                continue
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            readable = multiprocessing.connection.wait([w.conn for w in busy], timeout=wait)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if w.task is None:
                    continue
                task_id = w.task
                if w.conn in readable:
                    try:
                        reply = w.conn.recv()
                    except (EOFError, OSError):
                        w.process.join(5)
                        reply = {"status": "crash", "msg": f"worker died (exit code {w.process.exitcode})", "retire": True}
                    if reply.get("started"):
                        w.deadline = now + queue.hard[task_id]
                        continue
                    w.task = None
                    if reply.get("retire"):
                        w.kill()
                        pool[i] = new_worker()
                    finish(task_id, reply)
                elif now >= w.deadline:
                    queue.stats["killed at the hard timeout"] += 1
                    w.task = None
                    w.kill()
                    pool[i] = new_worker()
                    finish(task_id, {"status": "hang", "msg": "killed after the hard timeout"})
    finally:
        for w in pool:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in pool:
            w.process.join(2)
            w.kill()


# ---------------------------------------------------------------------------------------------
# 组装起来
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    target: Target
    case: CaseInfo
    outcome: str
    detail: str
    seconds: float

    @property
    def param(self) -> str:
        return self.case.param

    @property
    def label(self) -> str:
        return self.case.label


@dataclasses.dataclass
class FuzzResult:
    targets: list[Target]
    records: list[Target]
    plans: list[Plan]
    outcomes: list[Outcome]
    seconds: float
    workers: int
    skipped: int = 0  # 没运行的坏输入：参数已知不合格、并且已经由前面的输入证实
    cpu_seconds: float = 0.0  # 工作进程花在任务上的 CPU 时间（墙钟时间取决于机器负载）
    stats: dict[str, int] = dataclasses.field(default_factory=dict)  # 启动的工作进程、被硬超时杀掉的……
    not_run: set[tuple[str, str]] = dataclasses.field(default_factory=set)  # 本机没法测的（无内存上限时的 10**9）

    @property
    def counts(self) -> collections.Counter:
        return collections.Counter(o.outcome for o in self.outcomes)

    def offenders(self, keys: dict[Target, str] | None = None) -> dict[tuple[str, str], list[Outcome]]:
        """``{(函数键, 参数名): 不合格的结果}``。"""
        keys = keys or short_names(self.targets)
        out: dict[tuple[str, str], list[Outcome]] = collections.defaultdict(list)
        for o in self.outcomes:
            if o.outcome in OFFENDING:
                out[(keys[o.target], o.param)].append(o)
        return dict(out)

    def failed_plans(self) -> list[Plan]:
        """找不到合法调用的（不含太慢的：见 :meth:`slow_plans`）。"""
        return [p for p in self.plans if not p.ok and not p.too_slow]

    def slow_plans(self) -> list[Plan]:
        """找合法调用超时的：总是错误（结果不能取决于机器负载）。"""
        return [p for p in self.plans if p.too_slow]


def _name_pattern(param: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])")


def classify(plan: Plan, case: CaseInfo, reply: dict) -> tuple[str, str]:
    """把一个回复归类：返回 ``(结果类别, 细节)``。"""
    param, validity = case.param, case.validity
    status = reply.get("status")
    if status in ("hang", "memory", "crash"):
        return status, f"{reply.get('exc', '')} {reply.get('msg', '')}".strip() or f"over {reply.get('seconds', 0):.1f} s"
    if status == "raised":
        detail = f"{reply['exc']}: {reply['msg'].splitlines()[0] if reply['msg'] else ''}"
        if reply.get("where"):
            detail += f" [{reply['where']}]"
        if not reply["type_or_value"]:
            return "wrong-type", detail
        names = {param, *case.also}
        return ("clear" if any(_name_pattern(n).search(reply["msg"]) for n in names) else "unclear"), detail
    if status == "returned":
        detail = f"returned {reply['repr']}"
        if reply["nonfinite"] and not plan.nonfinite:
            return "garbage", detail
        if validity == "invalid":
            return "silent", detail
        return "accepted", detail
    return "crash", f"harness: {reply.get('msg', reply)}"


def run_fuzz(
    targets: list[Target] | None = None,
    *,
    expected: Iterable[tuple[str, str]] = (),
    workers: int | None = None,
    memory_limit: int | None = MEMORY_LIMIT,
    confirm_hangs: bool = True,
    plan_cpu_limit: float = PLAN_CPU_LIMIT,
) -> FuzzResult:
    """为每个函数找合法调用、运行它的坏输入、归类结果。

    ``expected`` 是已知不合格的 ``(函数键, 参数名)``（见 :func:`short_names`）：它们的坏输入依次运行，
    遇到第一个不合格的就停——这足以证明这一条仍然不合格；其余坏输入全部运行。某个参数只有超时这一项
    不合格时，用更长的时限（:data:`CONFIRM_TIMEOUT`）重跑一次，免得机器忙时冤枉一个正确的函数。
    """
    start = time.perf_counter()
    records: list[Target] = []
    if targets is None:
        targets, records = discover()
    keys = short_names(targets)
    expected = set(expected)
    workers = workers or min(2, os.cpu_count() or 1)
    preload = sorted({t.module for t in targets})
    plans: dict[Target, Plan] = {}
    meta: dict[int, tuple[Plan, CaseInfo]] = {}
    queue = TaskQueue()
    memory_retries: collections.Counter[Target] = collections.Counter()

    def add_cases(task_id: int, reply: dict) -> None:
        """计划任务的回复把它的坏输入排进队列（排在最前：工作进程对这个函数已经预热）。"""
        kind, args = queue.tasks[task_id]
        if kind != "plan":
            return
        target = args[0]
        plan = reply.get("plan")
        if plan is None and reply.get("retry"):
            if memory_retries[target] < PLAN_MEMORY_RETRIES:
                memory_retries[target] += 1
                queue.add_chain([(("plan", (target, plan_cpu_limit)), PLAN_HARD_LIMIT)], front=True)
                return
            plan = Plan(target, False, f"memory error while finding a valid call, also in fresh workers: {reply.get('msg', '')}")
        if plan is None and reply.get("status") == "hang":  # 父进程的墙钟兜底杀掉了它
            plan = _too_slow(target, f"{PLAN_HARD_LIMIT:g} s wall")
        plan = plan or Plan(target, False, f"harness: {reply.get('msg', reply)}")
        plans[target] = plan
        if not plan.ok:
            return
        timeout = max(MIN_TIMEOUT, TIMEOUT_FACTOR * plan.cpu_seconds)
        by_param: dict[str, list[tuple[int, CaseInfo]]] = collections.defaultdict(list)
        for index, case in enumerate(plan.cases):
            by_param[case.param].append((index, case))
        for param, items in by_param.items():
            hard = WALL_FACTOR * timeout + HARD_GRACE
            tasks = [(("case", (target, plan.ctor_combo, plan.combo, i, timeout)), hard) for i, _ in items]
            if (keys[target], param) in expected:
                ids = queue.add_chain(tasks, front=True)
            else:
                ids = [queue.add_chain([task], front=True)[0] for task in tasks]
            for new_id, (_, case) in zip(ids, items):
                meta[new_id] = (plan, case)

    def offends(task_id: int, reply: dict) -> bool:
        plan, case = meta[task_id]
        return reply.get("status") != "not-run" and classify(plan, case, reply)[0] in OFFENDING

    for target in targets:
        queue.add_chain([(("plan", (target, plan_cpu_limit)), PLAN_HARD_LIMIT)])
    run_tasks(queue, workers, memory_limit, preload=preload, stop=offends, expand=add_cases)
    replies = queue.replies

    # 重跑那些只因超时而不合格的参数的超时项
    offending = {
        (plan.target, case.param)
        for i, (plan, case) in meta.items()
        if replies[i] and replies[i].get("status") != "hang" and offends(i, replies[i])  # type: ignore[arg-type]
    }
    again = [
        i for i, (plan, case) in meta.items()
        if replies[i] and replies[i].get("status") == "hang"  # type: ignore[union-attr]
        and (plan.target, case.param) not in offending and (keys[plan.target], case.param) not in expected
    ]
    if again and confirm_hangs:
        retry = TaskQueue()
        for i in again:
            kind, (target, ctor_combo, combo, index, timeout) = queue.tasks[i]
            longer = max(CONFIRM_TIMEOUT, 4 * timeout)
            retry.add_chain([((kind, (target, ctor_combo, combo, index, longer)), WALL_FACTOR * longer + HARD_GRACE)])
        run_tasks(retry, workers, memory_limit, preload=preload)
        for i, reply in zip(again, retry.replies):
            replies[i] = reply

    outcomes, skipped, not_run = [], 0, set()
    for i in sorted(meta):
        plan, case = meta[i]
        reply = replies[i]
        if reply is None or reply.get("status") == "not-run":
            skipped += 1
            if reply is not None:
                not_run.add((keys[plan.target], case.param))
            continue
        outcome, detail = classify(plan, case, reply)
        outcomes.append(Outcome(plan.target, case, outcome, detail, float(reply.get("seconds", 0.0))))
    ordered = [plans.get(t) or Plan(t, False, "harness: no reply to the plan task") for t in targets]
    cpu = sum(float((r or {}).get("cpu", 0.0)) for r in queue.replies)
    stats = dict(queue.stats)
    return FuzzResult(list(targets), records, ordered, outcomes, time.perf_counter() - start, workers, skipped, cpu, stats, not_run)


# ---------------------------------------------------------------------------------------------
# 给人看的输出
# ---------------------------------------------------------------------------------------------


def offender_table(offenders: dict[tuple[str, str], list[Outcome]], limit: int | None = None) -> str:
    """每个不合格的（函数, 参数）一行：输入和结果。"""
    lines = []
    for (key, param), items in sorted(offenders.items()):
        shown = "; ".join(f"{o.label} → {o.outcome}: {o.detail}" for o in items)
        lines.append(f"  {key}({param}): {shown}")
    if limit is not None and len(lines) > limit:
        lines = lines[:limit] + [f"  ... and {len(lines) - limit} more"]
    return "\n".join(lines)


def summary(result: FuzzResult) -> str:
    counts = result.counts
    parts = ", ".join(f"{name} {counts.get(name, 0)}" for name in OUTCOMES)
    skipped = ""
    if result.skipped:
        no_cap = sum(1 for o in result.not_run)
        skipped = f" (+{result.skipped} not run: parameter already shown to offend"
        skipped += f"; 10**9 without a memory cap for {no_cap} parameters)" if no_cap else ")"
    return (
        f"{len(result.targets)} callables ({len(result.records)} record types skipped), "
        f"{len(result.outcomes)} cases{skipped} in {result.seconds:.1f} s on {result.workers} workers "
        f"({result.cpu_seconds:.1f} s CPU; {', '.join(f'{k} {v}' for k, v in result.stats.items())}): {parts}"
    )


# ---------------------------------------------------------------------------------------------
# Markdown 报告：每个不合格的参数附一条修改建议
# ---------------------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return "inf" if x == math.inf else f"{x:g}"


def _range_call(param: str, r: Range | None) -> str:
    """实现某个实数范围（docstring 写明的或按参数名规则的）的检查器调用。"""
    if r is None:
        return f'check_finite({param}, "{param}")'
    low, low_open, high, high_open = r
    if high == math.inf and low == 0:
        return f'check_positive({param}, "{param}")' if low_open else f'check_nonnegative({param}, "{param}")'
    args = f'{param}, "{param}", {_fmt(low)}, {"math.inf" if high == math.inf else _fmt(high)}'
    if low_open:
        args += ", low_open=True"
    if high_open or high == math.inf:
        args += ", high_open=True"
    return f"check_in_range({args})"


def suggest(target: Target, param: str, items: list[Outcome]) -> str:
    """给一个不合格参数的一行修改建议（起点，不是定论）。"""
    kind = items[0].case.kind
    labels = {o.label for o in items}
    try:
        obj = target.resolve()
        ranges = documented_ranges(_parent(target) if "." in target.qualname else obj)
        if "." in target.qualname:
            ranges.update(documented_ranges(obj))
    except Exception:
        ranges = {}
    size_trouble = any(o.outcome in ("hang", "memory") or "10**9" in o.label for o in items)
    if param == "**kwargs" or kind == "var-keyword":
        return f"reject unknown keywords up front: `TypeError` naming the keyword and the accepted ones (`{param}`)"
    if _is_seed(param):
        return f"`check_seed({param})`" + (" (None stays allowed: test `is not None` first)" if "None" not in labels else "")
    if kind == "int":
        r = ranges.get(param) or name_range(param, True)
        low = int(r[0]) if r and r[0] > -math.inf else None
        call = f'check_int({param}, "{param}"' + (f", low={low}" if low is not None else "")
        call += ", high=<上限>)" if size_trouble else ")"
        note = "; 10**9 must be refused up front with the limit in the message" if size_trouble else ""
        return f"`{call}`{note}"
    if kind == "float":
        return f"`{_range_call(param, ranges.get(param) or name_range(param, False))}` (refuses NaN/±inf and wrong types)"
    if kind == "bool":
        return f'`check_bool({param}, "{param}")` (a string like "no" is truthy)'
    if kind == "str":
        if param in FREE_TEXT:
            return f"`{param}` must be a non-empty `str`: `TypeError`/`ValueError` naming `{param}`"
        if labels <= {"None", "1 (not a str)"}:
            return f"`isinstance({param}, str)` before using it, else `TypeError` naming `{param}`"
        return f'`check_choice({param}, "{param}", <accepted names>)`'
    if kind.startswith("tensor"):
        dtype = kind[len("tensor["):].split(",")[0]
        opts = ', kind="int"' if dtype.startswith(("int", "uint")) else ""
        if labels & {"0-d tensor", "one column fewer"}:
            opts += ", ndim=<documented>"
        if "empty tensor" in labels:
            opts += ", nonempty=True"
        text = f'`check_tensor({param}, "{param}"{opts})`'
        partners = sorted({p for o in items for p in o.case.also})
        if partners and labels & {"one row fewer", "empty tensor", "0-d tensor"}:
            text += f'; `check_same_length({param}, {partners[0]}, "{param}", "{partners[0]}")` or `check_same_shape`'
        if "one column fewer" in labels or "int64 tensor" in labels:
            text += "; features/dtype must match the model: check before the forward pass"
        return text
    if kind.startswith("module"):
        cls = kind[len("module["):-1]
        extra = f", nn.{cls}" if cls not in ("Module", "") else ""
        return f'`check_module({param}, "{param}"{extra})`'
    if kind == "callable":
        return f'`check_callable({param}, "{param}")`'
    if kind == "mapping":
        return f"`isinstance({param}, Mapping)` else `TypeError` naming `{param}`; check the values too"
    if kind.startswith("sequence"):
        inner = kind[len("sequence["):-1]
        if param == "sizes":
            return f'`check_sizes({param}, "{param}", high=<上限>)`'
        if inner.startswith("tensor"):
            return f"accept a tensor or an iterable of tensors; anything else (None, str, int, None items) → `TypeError` naming `{param}`"
        if inner.startswith("module"):
            return f"a non-empty sequence of `nn.Module`: `check_module` on each item, `TypeError` naming `{param}` otherwise"
        return f"a non-empty sequence of {inner or 'numbers'} (not a str): check type and each item, `TypeError`/`ValueError` naming `{param}`"
    if kind == "type":
        return f"`isinstance({param}, type) and issubclass({param}, nn.Module)` else `TypeError` naming `{param}`"
    if kind.startswith("object"):
        return f"`isinstance({param}, {kind[len('object['):-1]})` else `TypeError` naming `{param}`"
    return f"validate `{param}` up front with a `TypeError`/`ValueError` naming it"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(result: FuzzResult) -> str:
    """把一次运行写成 Markdown：计数、耗时、按模块列出的不合格项及修改建议。"""
    keys = short_names(result.targets)
    counts = result.counts
    offenders = result.offenders(keys)
    by_module: dict[str, list[tuple[str, str, list[Outcome]]]] = collections.defaultdict(list)
    for (key, param), items in offenders.items():
        by_module[items[0].target.module].append((key, param, items))
    invalid_cases = sum(1 for o in result.outcomes if o.case.validity == "invalid")
    lines = [
        "# Bad-input fuzz report (issue 11)",
        "",
        f"Generated by `python tests/package/fuzz_harness.py --report PATH` on torch {torch.__version__}.",
        "",
        "## Summary",
        "",
        (f"- **{len(result.targets)} public callables** (every name in every `__all__` under `dlguide`, "
        f"constructors and public methods with arguments; {len(result.records)} result records skipped: "
        f"{', '.join(t.qualname for t in result.records) or 'none'})."),
        f"- **{len(result.outcomes)} cases** run"
        + (f" (+{result.skipped} not run)" if result.skipped else "")
        + f"; {invalid_cases} of them are inputs that are invalid whatever the function does.",
        (f"- **Runtime:** {result.seconds:.1f} s wall on {result.workers} worker processes, "
        f"{result.cpu_seconds:.1f} s CPU in the workers (load average when it finished: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())})."),
        "- **Outcomes:** " + ", ".join(f"{name} {counts.get(name, 0)}" for name in OUTCOMES) + ".",
        (f"- **Offenders:** {len(offenders)} (callable, parameter) pairs in "
        f"{len({k for k, _ in offenders})} callables; "
        f"{sum(1 for t in result.targets if not any(k == keys[t] for k, _ in offenders))} callables are clean."),
        "",
        ("Outcome meanings: `clear` TypeError/ValueError naming the parameter; `unclear` one that does not; "
        "`wrong-type` another exception escaping; `silent` a value returned for invalid input; `garbage` "
        "NaN/inf produced from finite input; `hang`/`memory`/`crash` as said; `accepted` a value returned "
        "for input that is valid or not known to be invalid."),
        "",
    ]
    failed = result.failed_plans() + result.slow_plans()
    if failed:
        lines += ["## No valid call found (not fuzzed)", ""]
        lines += [f"- `{p.target.full}`: {p.error}" for p in failed]
        lines.append("")
    lines += ["## Offenders by module", ""]
    per_module_clean = collections.Counter(t.module for t in result.targets if not any(k == keys[t] for k, _ in offenders))
    for module in sorted(by_module):
        rows = sorted(by_module[module])
        total = sum(1 for t in result.targets if t.module == module)
        lines += [f"### `{module}` ({len(rows)} offending parameters; {per_module_clean[module]}/{total} callables clean)", ""]
        lines += ["| callable(parameter) | what happens | suggested fix |", "| --- | --- | --- |"]
        for key, param, items in rows:
            seen, places = [], []
            for o in items:
                match = re.fullmatch(r"(.*) \[(\S+:\d+)\]", o.detail, re.DOTALL)
                what, where = (match.group(1), match.group(2)) if match else (o.detail, "")
                what = what if len(what) <= 70 else what[:67] + "..."
                seen.append(f"`{o.label}` → {o.outcome}: {what}")
                if where and where not in places:
                    places.append(where)
            at = f" (at {', '.join(places)})" if places else ""
            lines.append(f"| `{key}({param})` | {_cell('; '.join(seen) + at)} | {_cell(suggest(items[0].target, param, items))} |")
        lines.append("")
    undocumented = collections.defaultdict(list)
    for o in result.outcomes:
        if o.outcome == "accepted" and o.case.validity == "unknown" and o.case.kind in ("int", "float") and o.label in ("-1", "0", "-1.0", "0.0"):
            undocumented[(keys[o.target], o.param)].append(o.label)
    if undocumented:
        lines += [
            "## Accepted, but no documented range to judge by",
            "",
            ("Negative/zero values these functions accept without error while their docstring states no range "
            "(so the fuzz cannot tell whether that is right). Document the range (`≥ 0`, `在 (0, 1] 内` ...) "
            "or reject the values:"),
            "",
        ]
        lines += [f"- `{key}({param})`: {', '.join(labels)}" for (key, param), labels in sorted(undocumented.items())]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python tests/package/fuzz_harness.py [--report PATH]
    # 按工作进程用的模块名重新导入：``__main__`` 里的函数没法发给它们
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # 仓库根
    from tests.package import fuzz_harness

    fuzz = fuzz_harness.run_fuzz()
    print(fuzz_harness.summary(fuzz))
    for failed in fuzz.failed_plans():
        print(f"NO VALID CALL {failed.target.full}: {failed.error}")
    for slow in fuzz.slow_plans():
        print(f"TOO SLOW {slow.target.full}: {slow.error}")
    print(fuzz_harness.offender_table(fuzz.offenders()))
    if "--report" in sys.argv:
        path = sys.argv[sys.argv.index("--report") + 1]
        with open(path, "w", encoding="utf-8") as out:
            out.write(fuzz_harness.markdown_report(fuzz))
        print(f"report: {path}")

# “综合问题”一章（perceptron、glm、upsampling、conv.zero_insert、页面实验）：只在已有候选之后追加
VALID_BY_NAME["y"] += (lambda: torch.tensor([1, -1] * 4), lambda: torch.tensor([0.0, 1.0] * 4))
VALID_BY_NAME["x"] += (lambda: torch.randn(8, 2, generator=_gen()),)
VALID_BY_NAME["weight"] += (lambda: torch.tensor([0.5, -0.5]),)
VALID_BY_NAME["factor"] = (_const(2),)
VALID_BY_NAME["tokens"] = (lambda: torch.zeros(2, 5, dtype=torch.long),)
VALID_BY_NAME["board"] = (lambda: torch.zeros(19, 19, dtype=torch.long),)
VALID_BY_NAME["C"] = (lambda: torch.rand(2, 144, generator=_gen()),)
