r"""模型的规模：逐层的输出形状、激活值个数、参数个数和乘加次数（multiply–accumulate，MAC），由代码从模块算出。

网络结构表（“形状、激活值个数、参数个数、计算量”）一律由 [`summarize`][dlguide.complexity.summarize] 算出，
不手写：手算的表格很容易漏掉输入通道或偏置（见“卷积神经网络示例”一页的勘误）。

**乘加的约定**（全站只在这里写一次，实现是 [`layer_macs`][dlguide.complexity.layer_macs]）：只数卷积层和全连接层。
卷积的一个输出元素要做 $\frac{C_\text{in}}{g} k_h k_w$ 次乘加（$g$ 是分组数；转置卷积按输入元素数，
每个输入元素 $\frac{C_\text{out}}{g} k_h k_w$ 次），全连接层的一个输出元素要做 $d_\text{in}$ 次；
偏置、批标准化、激活、池化、残差相加都不计（它们合起来通常不到 1%）。这与 ResNet、GoogLeNet 论文里的
“FLOPs / multiply-adds”相同，也与 ``torch.utils.flop_counter`` 一致（它报告的 FLOPs = 2 × 乘加，``tests/test_complexity.py`` 核对）。
有的工具把 1 次乘加记作 2 FLOPs，有的（例如 torchvision 文档的 GFLOPS）直接把乘加叫 FLOPs：读数字时要先看清单位。

**怎么算得快**：用**批大小为 0** 的输入做一次前向。各层照常推出输出形状，却不做任何乘法，所以 224×224 的 VGG-16
也只要几毫秒。在 ``torch.device("meta")`` 上建的模型（只有形状、没有数据，建 1.4 亿个参数也不占内存、不用初始化）同样能数：
统计时临时换上未初始化的 CPU 张量（``torch.func.functional_call``），不改动模型本身。前提是模型的 ``forward``
接受空的批：``nn.Flatten``、``x.flatten(1)`` 可以，``x.view(-1, 16, 5, 5)`` 这种靠 ``-1`` 推断批大小的写法不行（0 个元素推不出 ``-1``）。
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn
from torch.func import functional_call

from dlguide._checks import check_int, check_module

__all__ = [
    "LayerSummary",
    "layer_macs",
    "summarize",
    "format_summary",
    "count_parameters",
    "count_macs",
]

_MAX_INPUT = 2**26
"""单个样本的元素个数上限（每一维、以及它们的乘积），超过就拒绝。"""


class LayerSummary(NamedTuple):
    r"""一层的摘要（都按**单个样本**计）。

    Attributes
    ----------
    name : str
        模块在模型里的名字（``"features.0"``，``nn.Sequential`` 里是序号或 ``OrderedDict`` 的键）；输入行为 ``"input"``。
    kind : str
        模块的类名（``"Conv2d"``）；输入行为 ``"Input"``。
    output_shape : tuple[int, ...]
        输出形状，不含批维（PyTorch 的 ``(C, H, W)`` 顺序）。
    activation_size : int
        输出的元素个数 $\prod$ ``output_shape``。
    parameters : int
        这个模块**自己**的参数个数（不含子模块）。
    macs : int
        乘加次数，约定见模块说明：卷积层和全连接层按权重计，其他层记 0。
    """

    name: str
    kind: str
    output_shape: tuple[int, ...]
    activation_size: int
    parameters: int
    macs: int


def layer_macs(module: nn.Module, inputs: torch.Tensor, output: torch.Tensor) -> int:
    r"""一层对**一个样本**的乘加次数（全站唯一的乘加约定，见模块说明）。

    卷积：输出元素个数 × $(C_\text{in}/g)\prod k$；转置卷积：输入元素个数 × $(C_\text{out}/g)\prod k$；
    全连接层：输出元素个数 × $d_\text{in}$；其他层 0。元素个数都不含批维，所以批大小为 0 时也能算。

    Parameters
    ----------
    module : torch.nn.Module
        这一层。
    inputs : torch.Tensor
        这一层的输入（带批维）。
    output : torch.Tensor
        这一层的输出（带批维）。

    Returns
    -------
    int
        每个样本的乘加次数；不是卷积或全连接层时为 0。

    Raises
    ------
    TypeError
        ``module`` 不是模块，``inputs``、``output`` 不是张量，或 ``inputs`` 没有批维。

    Examples
    --------
    >>> conv = nn.Conv2d(3, 8, 5)
    >>> x = torch.zeros(1, 3, 32, 32)
    >>> layer_macs(conv, x, conv(x)), 8 * 28 * 28 * (3 * 5 * 5)
    (470400, 470400)
    """
    check_module(module, "module")
    if not isinstance(inputs, torch.Tensor) or not isinstance(output, torch.Tensor) or inputs.ndim < 1:
        raise TypeError("inputs 和 output 必须是带批维的 torch.Tensor")
    if isinstance(module, nn.modules.conv._ConvTransposeNd):
        # 每个输入元素散布到 C_out/g · ∏k 个输出上（weight 的形状是 (C_in, C_out/g, k...)）
        return math.prod(inputs.shape[1:]) * module.weight[0].numel()
    if isinstance(module, nn.modules.conv._ConvNd):
        # 每个输出元素：C_in/g · ∏k 次乘加（weight 的形状是 (C_out, C_in/g, k...)）
        return math.prod(output.shape[1:]) * module.weight[0].numel()
    if isinstance(module, nn.Linear):
        # 每个输出元素：d_in 次乘加
        return math.prod(output.shape[1:]) * module.in_features
    return 0


def _check_shape(input_shape: object) -> tuple[int, ...]:
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence):
        raise TypeError(f"input_shape 必须是整数序列（不含批维），例如 (3, 224, 224)，收到的是 {type(input_shape).__name__}")
    if len(input_shape) == 0:
        raise ValueError("input_shape 不能为空，例如 (3, 32, 32)")
    shape = tuple(check_int(s, f"input_shape[{i}]", low=1, high=_MAX_INPUT) for i, s in enumerate(input_shape))
    if math.prod(shape) > _MAX_INPUT:
        raise ValueError(f"input_shape 太大：每个样本 {math.prod(shape)} 个元素，超过上限 {_MAX_INPUT}")
    return shape


def summarize(model: nn.Module, input_shape: Sequence[int]) -> list[LayerSummary]:
    """做一次批大小为 0 的前向，返回输入行和每个叶子模块（没有子模块的模块）的一行摘要。

    用前向钩子按**调用顺序**记录：同一个模块调用两次就有两行。参数只算模块自己的
    （``recurse=False``），所以各行参数之和等于模型的参数总数（除非有在多处共享的参数，或参数挂在非叶子模块上）。
    在模型所在的设备上（meta 设备上的模型换上临时的 CPU 张量）、``eval()`` 模式下运行（结束后恢复原来的模式），
    不记录梯度，也不做任何乘法。

    Parameters
    ----------
    model : torch.nn.Module
        要摘要的模型，可以建在 meta 设备上；``forward`` 要接受空的批（见模块说明）。
    input_shape : sequence of int
        单个样本的形状（不含批维），例如 ``(3, 32, 32)``；元素个数不超过 $2^{26}$。

    Returns
    -------
    list[LayerSummary]
        第一行是输入，其余按前向调用顺序。

    Raises
    ------
    TypeError
        ``model`` 不是模块，``input_shape`` 不是整数序列，或某个叶子模块输出的不是单个张量。
    ValueError
        ``input_shape`` 为空、含非正数或太大。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 5), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 28 * 28, 10))
    >>> for row in summarize(net, (3, 32, 32)):
    ...     print(row.name, row.kind, row.output_shape, row.activation_size, row.parameters, row.macs)
    ...
    input Input (3, 32, 32) 3072 0 0
    0 Conv2d (8, 28, 28) 6272 608 470400
    1 ReLU (8, 28, 28) 6272 0 0
    2 Flatten (6272,) 6272 0 0
    3 Linear (10,) 10 62730 62720
    """
    check_module(model, "model")
    shape = _check_shape(input_shape)
    tensors = dict(model.named_parameters()) | dict(model.named_buffers())
    first = next(iter(tensors.values()), None)
    device = first.device if first is not None else torch.device("cpu")
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None and param.is_floating_point() else torch.get_default_dtype()
    rows = [LayerSummary("input", "Input", shape, math.prod(shape), 0, 0)]

    def hook(name: str):
        def record(module: nn.Module, args: tuple, output: object) -> None:
            if not isinstance(output, torch.Tensor):
                raise TypeError(f"summarize 只支持输出单个张量的层，{name}（{type(module).__name__}）输出了 {type(output).__name__}")
            inputs = args[0] if args and isinstance(args[0], torch.Tensor) else output
            rows.append(LayerSummary(
                name=name,
                kind=type(module).__name__,
                output_shape=tuple(output.shape[1:]),  # 去掉批维（大小 0）
                activation_size=math.prod(output.shape[1:]),
                parameters=sum(p.numel() for p in module.parameters(recurse=False)),
                macs=layer_macs(module, inputs, output),
            ))
        return record

    handles = [m.register_forward_hook(hook(name)) for name, m in model.named_modules()
               if name and not any(True for _ in m.children())]
    if not handles:  # 模型本身就是一层
        handles = [model.register_forward_hook(hook(type(model).__name__.lower()))]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            if device.type == "meta":  # meta 张量没有数据：临时换成未初始化的 CPU 张量
                x = torch.zeros((0, *shape), dtype=dtype)  # 批大小 0：只推形状，不做乘法
                stand_in = {name: torch.empty(t.shape, dtype=t.dtype) for name, t in tensors.items()}
                functional_call(model, stand_in, (x,))
            else:
                model(torch.zeros((0, *shape), dtype=dtype, device=device))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return rows


def format_summary(rows: Sequence[LayerSummary], *, channels_last: bool = False) -> str:
    """把 [`summarize`][dlguide.complexity.summarize] 的结果排成一张文本表，最后一行是合计。

    Parameters
    ----------
    rows : sequence of LayerSummary
        要显示的行（可以先筛掉 ReLU 之类不改变形状、没有参数的层）。
    channels_last : bool
        为 ``True`` 时把 ``(C, H, W)`` 写成吴恩达课程的 ``(H, W, C)`` 顺序。

    Returns
    -------
    str
        多行文本：层名、类型、输出形状、激活值个数、参数个数、乘加次数。

    Raises
    ------
    TypeError
        ``rows`` 里有不是 ``LayerSummary`` 的元素，或 ``channels_last`` 不是 ``bool``。

    Examples
    --------
    >>> rows = summarize(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 1)), (1, 4, 4))
    >>> print(format_summary(rows, channels_last=True))
    层     类型     输出形状   激活值  参数  乘加
    input  Input    (4, 4, 1)      16     0     0
    0      Conv2d   (2, 2, 2)       8    20    72
    1      Flatten  (8,)            8     0     0
    2      Linear   (1,)            1     9     8
    合计                                 29    80
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not all(isinstance(r, LayerSummary) for r in rows):
        raise TypeError("rows 必须是 LayerSummary 的序列（summarize 的返回值）")
    if not isinstance(channels_last, bool):
        raise TypeError(f"channels_last 必须是 True 或 False，收到的是 {type(channels_last).__name__}")

    def shape(s: tuple[int, ...]) -> str:
        s = (*s[1:], s[0]) if channels_last and len(s) > 1 else s
        return str(tuple(s))

    table = [["层", "类型", "输出形状", "激活值", "参数", "乘加"]]
    table += [[r.name, r.kind, shape(r.output_shape), str(r.activation_size), str(r.parameters), str(r.macs)] for r in rows]
    table.append(["合计", "", "", "", str(sum(r.parameters for r in rows)), str(sum(r.macs for r in rows))])
    # 汉字按 2 列宽对齐
    width = [max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in row[i]) for row in table) for i in range(6)]
    lines = []
    for row in table:
        fill = [" " * (width[i] - sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell)) for i, cell in enumerate(row)]
        # 前三列左对齐，数字列右对齐
        cells = [cell + f if i < 3 else f + cell for i, (cell, f) in enumerate(zip(row, fill))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def count_parameters(model: nn.Module, kind: type[nn.Module] | tuple[type[nn.Module], ...] | None = None) -> int:
    """参数个数（共享的参数张量只数一次）；给出 ``kind`` 时只数这类层自己的参数。

    与 [`summarize`][dlguide.complexity.summarize] 各行之和的区别：那里按调用记，共享的层调用几次就记几次。

    Parameters
    ----------
    model : torch.nn.Module
        要统计的模型（可以在 meta 设备上）。
    kind : type or tuple of type, optional
        例如 ``nn.Linear``：只数全连接层的参数。

    Returns
    -------
    int
        参数个数。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``，或 ``kind`` 不是 ``nn.Module`` 的子类。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))
    >>> count_parameters(net), count_parameters(net, nn.Linear)
    (3114, 2890)
    """
    check_module(model, "model")
    if kind is None:
        return sum(p.numel() for p in model.parameters())
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not kinds or not all(isinstance(k, type) and issubclass(k, nn.Module) for k in kinds):
        raise TypeError(f"kind 必须是 nn.Module 的子类（或它们的元组），收到 {kind!r}")
    seen: set[int] = set()
    total = 0
    for module in model.modules():
        if isinstance(module, kinds):
            for p in module.parameters(recurse=False):
                if id(p) not in seen:
                    seen.add(id(p))
                    total += p.numel()
    return total


def count_macs(model: nn.Module, input_shape: Sequence[int]) -> int:
    """一个样本前向一次的乘加次数：[`summarize`][dlguide.complexity.summarize] 各行之和（约定见模块说明）。

    Parameters
    ----------
    model : torch.nn.Module
        要统计的模型（大模型建在 meta 设备上最省事）。
    input_shape : sequence of int
        一个样本的形状，例如 ``(3, 224, 224)``。

    Returns
    -------
    int
        乘加次数；同一层调用几次就算几次。

    Raises
    ------
    TypeError, ValueError
        同 [`summarize`][dlguide.complexity.summarize]。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     conv = nn.Conv2d(64, 64, 3, padding=1)
    ...
    >>> count_macs(conv, (64, 56, 56)) == 56 * 56 * 64 * 64 * 9
    True
    """
    return sum(row.macs for row in summarize(model, input_shape))
