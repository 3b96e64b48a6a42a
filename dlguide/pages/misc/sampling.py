"""“上采样和下采样”一页：转置卷积的棋盘格、各种上下采样层的参数个数。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int
from dlguide.conv import conv_transpose_nd
from dlguide.figures import figure, new_figure
from dlguide.upsampling import interpolate

__all__ = ["checkerboard", "overlap_counts", "sampling_layers"]


def overlap_counts(size: int, kernel_size: int, stride: int) -> list[int]:
    r"""一维转置卷积（全 1 的核、全 1 的输入、不裁边）每个输出位置被几份核覆盖。

    $k$ 不能被 $s$ 整除时，相邻位置的覆盖数不同（例如 1, 1, 2, 1, 2, …），这就是棋盘格的来源；
    $k$ 是 $s$ 的倍数时，除两端外处处都是 $k/s$。

    Parameters
    ----------
    size : int
        输入长度，在 [1, 1000] 内。
    kernel_size : int
        核长，在 [1, 100] 内。
    stride : int
        步幅，在 [1, 100] 内。

    Returns
    -------
    list[int]
        长 $(n-1)s + k$ 的覆盖次数。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> overlap_counts(4, 3, 2)
    [1, 1, 2, 1, 2, 1, 2, 1, 1]
    >>> overlap_counts(4, 4, 2)
    [1, 1, 2, 2, 2, 2, 2, 2, 1, 1]
    """
    n = check_int(size, "size", low=1, high=1000)
    k = check_int(kernel_size, "kernel_size", low=1, high=100)
    s = check_int(stride, "stride", low=1, high=100)
    x = torch.ones(1, 1, n, dtype=torch.float64)
    w = torch.ones(1, 1, k, dtype=torch.float64)
    # 每个输入把一份核放到 s·i 处，重叠处相加
    return [int(v) for v in conv_transpose_nd(x, w, stride=s)[0, 0].tolist()]


def sampling_layers(channels: int = 64) -> dict[str, nn.Module]:
    """常见的上、下采样层（都把高宽放大或缩小 2 倍、通道数 ``channels`` 不变），用来数参数。

    Parameters
    ----------
    channels : int
        通道数，在 [1, 1024] 内。

    Returns
    -------
    dict[str, torch.nn.Module]
        名字到模块。

    Raises
    ------
    TypeError, ValueError
        ``channels`` 不是整数或越界。

    Examples
    --------
    >>> {k: sum(p.numel() for p in m.parameters()) for k, m in sampling_layers(1).items()}["转置卷积 4×4/2"]
    17
    """
    c = check_int(channels, "channels", low=1, high=1024)
    return {
        "最大池化 2×2/2": nn.MaxPool2d(2),
        "平均池化 2×2/2": nn.AvgPool2d(2),
        "步幅 2 的卷积 3×3": nn.Conv2d(c, c, 3, stride=2, padding=1),
        "像素逆重排 + 1×1 卷积": nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(4 * c, c, 1)),
        "最近邻 / 双线性插值": nn.Upsample(scale_factor=2, mode="bilinear"),
        "插值 + 3×3 卷积": nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(c, c, 3, padding=1)),
        "转置卷积 4×4/2": nn.ConvTranspose2d(c, c, 4, stride=2, padding=1),
        "3×3 卷积 + 像素重排": nn.Sequential(nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2)),
    }


@figure
def checkerboard() -> Figure:
    """同一张 8×8 图放大到 16×16：最近邻、双线性、两种转置卷积（随机核）；k=3、s=2 的转置卷积在全 1 输入上出现棋盘格。"""
    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 8), torch.linspace(-1, 1, 8), indexing="ij")
    img = torch.exp(-(xx**2 + yy**2) * 2)[None, None]  # (1, 1, 8, 8)
    ones = torch.ones(1, 1, 8, 8)
    w3 = torch.rand(1, 1, 3, 3, generator=g) + 0.5
    w4 = torch.ones(1, 1, 4, 4) / 4
    panels = [
        ("输入 8×8", img[0, 0]),
        ("最近邻 16×16", interpolate(img, 16)[0, 0]),
        ("双线性 16×16", interpolate(img, 16, "bilinear")[0, 0]),
        ("全 1 输入，转置卷积 k=3, s=2", conv_transpose_nd(ones, w3, stride=2, padding=1, output_padding=1)[0, 0]),
        ("全 1 输入，转置卷积 k=4, s=2（均匀核）", conv_transpose_nd(ones, w4, stride=2, padding=1)[0, 0]),
    ]
    fig, axes = new_figure(5, width=13, height=3.0)
    for ax, (title, values) in zip(axes, panels):
        ax.imshow(values.numpy(), cmap="viridis")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
