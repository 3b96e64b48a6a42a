"""“CNN 的卷积核是单层的还是多层的”一页：核的形状、分组卷积和逐通道卷积的连接方式与参数个数，以及 2D/3D 卷积的区别。"""

from __future__ import annotations

import torch
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int
from dlguide.figures import figure, new_figure

__all__ = ["channel_connections", "channel_connectivity", "depthwise_separable"]


def channel_connections(in_channels: int, out_channels: int, groups: int = 1) -> torch.Tensor:
    """实测一个 ``Conv2d`` 的每个输出通道“看得见”哪些输入通道：返回 ``(out_channels, in_channels)`` 的 0/1 矩阵。

    做法：把权重全部置 1，依次只点亮一个输入通道（其余为 0），看哪些输出通道有响应。
    不分组时矩阵全为 1（每个核覆盖全部输入通道）；分 $g$ 组时是 $g$ 个对角块；``groups = in_channels`` 是逐通道卷积。

    Parameters
    ----------
    in_channels, out_channels : int
        输入、输出通道数，在 [1, 512] 内，都要能被 ``groups`` 整除。
    groups : int
        分组数，≥ 1。

    Returns
    -------
    torch.Tensor
        ``(out_channels, in_channels)`` 的 int64 矩阵，1 表示有连接。

    Raises
    ------
    TypeError, ValueError
        参数不是整数、越界，或通道数不能被 ``groups`` 整除。

    Examples
    --------
    >>> channel_connections(4, 4, groups=2).tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]
    """
    in_channels = check_int(in_channels, "in_channels", low=1, high=512)
    out_channels = check_int(out_channels, "out_channels", low=1, high=512)
    groups = check_int(groups, "groups", low=1, high=512)
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} 必须整除 in_channels={in_channels} 和 out_channels={out_channels}")
    conv = nn.Conv2d(in_channels, out_channels, 1, groups=groups, bias=False)
    with torch.no_grad():
        conv.weight.fill_(1.0)
        # 第 c 个样本只点亮第 c 个输入通道
        probes = torch.eye(in_channels).reshape(in_channels, in_channels, 1, 1)  # (C_in 个样本, C_in, 1, 1)
        response = conv(probes)[:, :, 0, 0]  # (C_in, C_out)
    return (response != 0).long().T  # (C_out, C_in)


def depthwise_separable(in_channels: int, out_channels: int, kernel_size: int = 3) -> nn.Sequential:
    r"""深度可分离卷积（MobileNet）：逐通道的 ``kernel_size``×``kernel_size`` 卷积（``groups=in_channels``），再接 1×1 卷积混合通道。

    参数 $k^2 C_\text{in} + C_\text{in} C_\text{out}$（不计偏置），普通卷积是 $k^2 C_\text{in} C_\text{out}$，
    比例为 $1/C_\text{out} + 1/k^2$。

    Parameters
    ----------
    in_channels, out_channels : int
        在 [1, 4096] 内。
    kernel_size : int
        奇数，在 [1, 31] 内（“same”填充）。

    Returns
    -------
    torch.nn.Sequential
        ``depthwise``、``pointwise`` 两层，都不带偏置。

    Raises
    ------
    TypeError, ValueError
        参数不是整数、越界，或 ``kernel_size`` 是偶数。

    Examples
    --------
    >>> net = depthwise_separable(64, 64)
    >>> [tuple(p.shape) for p in net.parameters()]
    [(64, 1, 3, 3), (64, 64, 1, 1)]
    """
    in_channels = check_int(in_channels, "in_channels", low=1, high=4096)
    out_channels = check_int(out_channels, "out_channels", low=1, high=4096)
    kernel_size = check_int(kernel_size, "kernel_size", low=1, high=31)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size 必须是奇数，收到 {kernel_size}")
    net = nn.Sequential()
    net.add_module("depthwise", nn.Conv2d(in_channels, in_channels, kernel_size, padding=kernel_size // 2,
                                          groups=in_channels, bias=False))
    net.add_module("pointwise", nn.Conv2d(in_channels, out_channels, 1, bias=False))
    return net


@figure
def channel_connectivity() -> Figure:
    """8 个输入通道、8 个输出通道时，普通卷积、分 2 组、分 4 组和逐通道卷积里每个输出通道连到哪些输入通道（深色为有连接）。"""
    fig, axes = new_figure(4, width=7.6, height=2.4)
    cmap = ListedColormap(["#f2f2f2", "#4e79a7"])
    for ax, groups in zip(axes, (1, 2, 4, 8)):
        links = channel_connections(8, 8, groups)
        ax.imshow(links.numpy(), cmap=cmap, vmin=0, vmax=1)
        title = "普通卷积" if groups == 1 else ("逐通道卷积" if groups == 8 else f"分 {groups} 组")
        ax.set_title(f"{title}\n每个核 {8 // groups} 层，3×3 时共 {int(links.sum()) * 9} 个权重", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_xlabel("输入通道", fontsize=8)
    axes[0].set_ylabel("输出通道（核）", fontsize=8)
    return fig
