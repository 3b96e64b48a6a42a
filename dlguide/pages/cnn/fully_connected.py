"""“全连接层的作用”一页：全连接层与卷积的互相转换、经典网络里全连接层的参数占比。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_module
from dlguide.classic_nets import alexnet, googlenet, lenet5, resnet50, vgg16
from dlguide.complexity import count_parameters
from dlguide.figures import figure, new_figure

__all__ = ["linear_to_conv", "conv_to_linear", "parameter_shares", "parameter_share"]


def _check_map_shape(in_shape: object) -> tuple[int, int, int]:
    if not isinstance(in_shape, Sequence) or isinstance(in_shape, str) or len(in_shape) != 3:
        raise TypeError(f"in_shape 必须是特征图的形状 (C, h, w)，收到 {in_shape!r}")
    return tuple(check_int(s, f"in_shape[{i}]", low=1, high=4096) for i, s in enumerate(in_shape))  # type: ignore[return-value]


def linear_to_conv(linear: nn.Linear, in_shape: Sequence[int]) -> nn.Conv2d:
    r"""把接在 $C\times h\times w$ 特征图（展平）后面的全连接层改写成一个 $h\times w$ 的卷积层，权重完全相同。

    全连接层的第 $o$ 行权重（长度 $Chw$）按展平的顺序还原成 $C\times h\times w$，就是第 $o$ 个卷积核。
    在 $h\times w$ 的输入上，这个卷积只有一个位置，输出 $(N, d_\text{out}, 1, 1)$；在更大的输入上，它就像一个滑动窗口。
    ``in_shape = (d_in, 1, 1)`` 时得到 1×1 卷积（全连接层后面的全连接层）。

    Parameters
    ----------
    linear : torch.nn.Linear
        要转换的全连接层，``in_features`` 必须等于 ``C·h·w``。
    in_shape : sequence of int
        它前面的特征图形状 ``(C, h, w)``。

    Returns
    -------
    torch.nn.Conv2d
        ``Conv2d(C, d_out, (h, w))``，带与 ``linear`` 相同的偏置。

    Raises
    ------
    TypeError, ValueError
        ``linear`` 不是 ``nn.Linear``，或形状对不上。

    Examples
    --------
    >>> fc = nn.Linear(16 * 5 * 5, 120)
    >>> conv = linear_to_conv(fc, (16, 5, 5))
    >>> x = torch.randn(2, 16, 5, 5)
    >>> torch.allclose(conv(x).flatten(1), fc(x.flatten(1)), atol=1e-6)
    True
    """
    check_module(linear, "linear", nn.Linear)
    C, h, w = _check_map_shape(in_shape)
    if linear.in_features != C * h * w:
        raise ValueError(f"linear.in_features 必须等于 C·h·w = {C * h * w}，收到 {linear.in_features}")
    conv = nn.Conv2d(C, linear.out_features, (h, w), bias=linear.bias is not None)
    with torch.no_grad():
        # W_conv[o, c, i, j] = W_fc[o, c·h·w + i·w + j]（与 flatten 的顺序一致）
        conv.weight.copy_(linear.weight.reshape(linear.out_features, C, h, w))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv.to(linear.weight.device)


def conv_to_linear(conv: nn.Conv2d, in_shape: Sequence[int]) -> nn.Linear:
    """反方向：卷积核恰好覆盖整张特征图（不填充、步幅任意、不分组）时，它就是一个全连接层。

    Parameters
    ----------
    conv : torch.nn.Conv2d
        要转换的卷积层，核大小等于 ``(h, w)``，``padding=0``，``groups=1``，``dilation=1``。
    in_shape : sequence of int
        输入特征图形状 ``(C, h, w)``。

    Returns
    -------
    torch.nn.Linear
        ``Linear(C·h·w, C_out)``。

    Raises
    ------
    TypeError, ValueError
        ``conv`` 不是 ``nn.Conv2d``，或它不覆盖整张图。

    Examples
    --------
    >>> conv = nn.Conv2d(16, 120, 5)           # LeNet-5 的 C5
    >>> fc = conv_to_linear(conv, (16, 5, 5))
    >>> x = torch.randn(3, 16, 5, 5)
    >>> torch.allclose(fc(x.flatten(1)), conv(x).flatten(1), atol=1e-6)
    True
    """
    check_module(conv, "conv", nn.Conv2d)
    C, h, w = _check_map_shape(in_shape)
    if conv.in_channels != C or conv.kernel_size != (h, w) or conv.padding != (0, 0) or conv.groups != 1 or conv.dilation != (1, 1):
        raise ValueError(f"conv 必须是覆盖整张 {C}×{h}×{w} 特征图的卷积（核 {h}×{w}、无填充、不分组），收到 {conv}")
    linear = nn.Linear(C * h * w, conv.out_channels, bias=conv.bias is not None)
    with torch.no_grad():
        # W_fc[o, :] = W_conv[o] 按 (c, i, j) 展平
        linear.weight.copy_(conv.weight.reshape(conv.out_channels, -1))
        if conv.bias is not None:
            linear.bias.copy_(conv.bias)
    return linear.to(conv.weight.device)


def parameter_shares() -> dict[str, tuple[int, int]]:
    """五个经典网络（在 meta 设备上建，不占内存）的参数总数与其中全连接层的参数数。

    LeNet-5 的 C5 写成卷积，但它在 5×5 的输入上就是全连接层，这里按全连接层计。

    Returns
    -------
    dict[str, tuple[int, int]]
        网络名 → ``(总参数, 全连接层参数)``。

    Examples
    --------
    >>> shares = parameter_shares()
    >>> shares["VGG-16"]
    (138357544, 123642856)
    """
    with torch.device("meta"):
        nets = {"LeNet-5": lenet5(), "AlexNet": alexnet(), "VGG-16": vgg16(), "GoogLeNet": googlenet(), "ResNet-50": resnet50()}
    out = {}
    for name, net in nets.items():
        fc = count_parameters(net, nn.Linear)
        if name == "LeNet-5":
            fc += count_parameters(net[6])  # C5：覆盖整张 5×5 图的卷积
        out[name] = (count_parameters(net), fc)
    return out


@figure
def parameter_share() -> Figure:
    """五个经典网络的参数：卷积层与全连接层各占多少（百分比），柱上标总参数量。"""
    shares = parameter_shares()
    names = list(shares)
    fc = [100 * f / t for t, f in shares.values()]
    fig, (ax,) = new_figure(width=6.4, height=3.4)
    ax.bar(names, [100 - v for v in fc], label="卷积层（及 BN）", color="tab:blue")
    bars = ax.bar(names, fc, bottom=[100 - v for v in fc], label="全连接层", color="tab:orange")
    for bar, v, (total, _) in zip(bars, fc, shares.values()):
        ax.text(bar.get_x() + bar.get_width() / 2, 101, f"{total / 1e6:.3g}M" if total >= 1e6 else f"{total / 1e3:.0f}K",
                ha="center", va="bottom", fontsize=9)
        ax.text(bar.get_x() + bar.get_width() / 2, 100 - v / 2 if v > 8 else 100 - v - 4, f"{v:.0f}%",
                ha="center", va="center", fontsize=9)
    ax.set_ylim(0, 112)
    ax.set_ylabel("参数占比（%）")
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    return fig
