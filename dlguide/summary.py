"""模型逐层摘要：用前向钩子记录每一层的输出形状、激活值个数、参数个数和乘加次数。

网络结构表（“形状、激活值大小、参数个数”）一律由 [`summarize`][dlguide.summary.summarize] 从模块算出，
不手写：手算的表格很容易漏掉输入通道或偏置（见“卷积神经网络示例”一页的勘误）。
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn

from dlguide._checks import check_int, check_module

__all__ = [
    "LayerSummary",
    "format_summary",
    "layer_macs",
    "summarize",
]

_MAX_INPUT = 2**26
"""单个样本的元素个数上限（输入形状超过它就拒绝，读者的机器放不下）。"""


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
        乘加次数（multiply–accumulate）：卷积和线性层按权重计，其他层记 0。
    """

    name: str
    kind: str
    output_shape: tuple[int, ...]
    activation_size: int
    parameters: int
    macs: int


def layer_macs(module: nn.Module, inputs: torch.Tensor, output: torch.Tensor) -> int:
    r"""一层对一个样本的乘加次数：卷积是 输出元素个数 × $(C_\text{in}/g)\prod k$，线性层是 输出元素个数 × 输入宽度。

    偏置的加法、激活函数、池化都不计（与 ``torch.utils.flop_counter`` 的约定相同，它报告的 FLOPs = 2 × 乘加）。

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
        每个样本的乘加次数；不是卷积或线性层时为 0。

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
    batch = max(inputs.shape[0], 1)
    per_sample_out = output.numel() // batch
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        # 每个输出元素：C_in/g · ∏k 次乘加
        return per_sample_out * module.weight[0].numel()
    if isinstance(module, nn.Linear):
        # 每个输出元素：in_features 次乘加
        return per_sample_out * module.in_features
    return 0


def summarize(model: nn.Module, input_shape: Sequence[int]) -> list[LayerSummary]:
    """在一个全 0 输入上跑一遍前向，返回输入行和每个叶子模块（没有子模块的模块）的一行摘要。

    用前向钩子按**调用顺序**记录：同一个模块调用两次就有两行。参数只算模块自己的
    （``recurse=False``），所以各行参数之和等于模型的参数总数（除非有在多处共享的参数，或参数挂在非叶子模块上）。
    在模型所在的设备上、``eval()`` 模式下运行（结束后恢复原来的模式），不记录梯度。

    Parameters
    ----------
    model : torch.nn.Module
        要摘要的模型。
    input_shape : sequence of int
        单个样本的形状（不含批维），例如 ``(3, 32, 32)``。

    Returns
    -------
    list[LayerSummary]
        第一行是输入，其余按前向调用顺序。

    Raises
    ------
    TypeError
        ``model`` 不是模块，``input_shape`` 不是整数序列。
    ValueError
        ``input_shape`` 为空、含非正数或太大。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 5), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 28 * 28, 10))
    >>> for row in summarize(net, (3, 32, 32)):
    ...     print(row.name, row.kind, row.output_shape, row.activation_size, row.parameters)
    ...
    input Input (3, 32, 32) 3072 0
    0 Conv2d (8, 28, 28) 6272 608
    1 ReLU (8, 28, 28) 6272 0
    2 Flatten (6272,) 6272 0
    3 Linear (10,) 10 62730
    """
    check_module(model, "model")
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence):
        raise TypeError(f"input_shape 必须是整数序列（不含批维），收到的是 {type(input_shape).__name__}")
    if len(input_shape) == 0:
        raise ValueError("input_shape 不能为空，例如 (3, 32, 32)")
    shape = tuple(check_int(s, "input_shape", low=1, high=_MAX_INPUT) for s in input_shape)
    if math.prod(shape) > _MAX_INPUT:
        raise ValueError(f"input_shape 太大：每个样本 {math.prod(shape)} 个元素，超过上限 {_MAX_INPUT}")
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
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
                output_shape=tuple(output.shape[1:]),
                activation_size=output[0].numel(),
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
            model(torch.zeros((1, *shape), dtype=dtype, device=device))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return rows


def format_summary(rows: Sequence[LayerSummary], *, channels_last: bool = False) -> str:
    """把 [`summarize`][dlguide.summary.summarize] 的结果排成一张文本表，最后一行是合计。

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
