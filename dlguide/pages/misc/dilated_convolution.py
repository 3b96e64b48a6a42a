"""“空洞卷积”一页：WaveNet 式的因果扩张卷积栈、网格效应（gridding）的覆盖图。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_seed, check_tensor
from dlguide.figures import figure, new_figure

__all__ = ["CausalConv1d", "coverage", "dilated_stack", "gridding_figure"]


def _check_dilations(dilations: object) -> list[int]:
    if isinstance(dilations, (str, bytes)) or not isinstance(dilations, Sequence) or len(dilations) == 0:
        raise TypeError(f"dilations 必须是非空的整数序列，收到 {dilations!r}")
    if len(dilations) > 32:
        raise ValueError(f"dilations 最多 32 层，收到 {len(dilations)} 层")
    return [check_int(d, "dilations", low=1, high=4096) for d in dilations]


class CausalConv1d(nn.Module):
    r"""因果卷积：只在左侧补 $d(k-1)$ 个 0，输出 $t$ 只依赖输入 $\le t$，长度不变（WaveNet 的基本层）。

    Parameters
    ----------
    channels : int
        输入、输出通道数，在 [1, 1024] 内。
    kernel_size : int
        核长，在 [1, 64] 内。
    dilation : int
        扩张率，在 [1, 4096] 内。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> layer = CausalConv1d(1, 2, dilation=4)
    >>> tuple(layer(torch.zeros(1, 1, 10)).shape)
    (1, 1, 10)
    """

    def __init__(self, channels: int, kernel_size: int = 2, dilation: int = 1) -> None:
        super().__init__()
        c = check_int(channels, "channels", low=1, high=1024)
        k = check_int(kernel_size, "kernel_size", low=1, high=64)
        self.left = check_int(dilation, "dilation", low=1, high=4096) * (k - 1)
        self.conv = nn.Conv1d(c, c, k, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C, T)`` → ``(B, C, T)``。

        Parameters
        ----------
        x : torch.Tensor
            ``(B, C, T)``。

        Returns
        -------
        torch.Tensor
            ``(B, C, T)``。

        Raises
        ------
        TypeError, ValueError
            ``x`` 不是 3 维浮点张量，或通道数不对。

        Examples
        --------
        >>> CausalConv1d(1)(torch.zeros(2, 1, 5)).shape
        torch.Size([2, 1, 5])
        """
        check_tensor(x, "x", ndim=3, nonempty=True)
        if x.shape[1] != self.conv.in_channels:
            raise ValueError(f"x 必须有 {self.conv.in_channels} 个通道 (B, C, T)，收到形状 {tuple(x.shape)}")
        # 左侧补 d(k − 1) 个 0：y_t 只看 x_{t−d(k−1)}, …, x_t
        return self.conv(F.pad(x, (self.left, 0)))


def dilated_stack(dilations: Sequence[int], kernel_size: int = 2, channels: int = 1, seed: int | None = 0) -> nn.Sequential:
    """若干层因果卷积（中间夹 tanh），第 $l$ 层扩张率 ``dilations[l]``。

    Parameters
    ----------
    dilations : sequence of int
        每层的扩张率，1 到 32 层，每个在 [1, 4096] 内。
    kernel_size : int
        核长，在 [1, 64] 内。
    channels : int
        通道数，在 [1, 1024] 内。
    seed : int or None
        初始化参数的种子；``None`` 时不重新设种子。

    Returns
    -------
    torch.nn.Sequential
        ``(B, C, T)`` → ``(B, C, T)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> len(dilated_stack([1, 2, 4]))
    5
    """
    ds = _check_dilations(dilations)
    k = check_int(kernel_size, "kernel_size", low=1, high=64)
    c = check_int(channels, "channels", low=1, high=1024)
    seed = check_seed(seed)
    if seed is not None:
        torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, d in enumerate(ds):
        if i:
            layers.append(nn.Tanh())
        layers.append(CausalConv1d(c, k, d))
    return nn.Sequential(*layers)


def coverage(dilations: Sequence[int], kernel_size: int = 3) -> torch.Tensor:
    r"""二维 $k\times k$ 扩张卷积叠成一栈（权重全 1、无非线性）时，中心输出对每个输入像素的“路径数”。

    等于把每层扩张后的核（全 1）依次做卷积；值为 0 的像素完全不影响这个输出。扩张率有公约数 $>1$ 时
    （如 2, 2, 2），只有坐标是该公约数倍数的像素被用到：网格效应（gridding）。

    Parameters
    ----------
    dilations : sequence of int
        每层的扩张率，1 到 32 层，每个在 [1, 64] 内。
    kernel_size : int
        核长，[1, 15] 内的奇数（中心输出对准一个像素）。

    Returns
    -------
    torch.Tensor
        ``(r, r)`` 的 int64，$r$ 是感受野边长 $1 + \sum_l d_l (k-1)$。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> coverage([2], 3).tolist()
    [[1, 0, 1, 0, 1], [0, 0, 0, 0, 0], [1, 0, 1, 0, 1], [0, 0, 0, 0, 0], [1, 0, 1, 0, 1]]
    """
    ds = _check_dilations(dilations)
    if max(ds) > 64:
        raise ValueError(f"dilations 每个必须在 [1, 64] 内，收到 {max(ds)}")
    k = check_int(kernel_size, "kernel_size", low=1, high=15)
    if k % 2 == 0:
        raise ValueError(f"kernel_size 必须是奇数，收到 {k}")
    r = 1 + sum(d * (k - 1) for d in ds)
    out = torch.zeros(1, 1, r, r, dtype=torch.float64)
    out[0, 0, r // 2, r // 2] = 1.0
    for d in ds:
        # 全 1 核的扩张卷积：把每个位置的路径数分给它窗口里的 k² 个输入（对称核，卷积的转置 = 卷积）
        out = F.conv2d(out, torch.ones(1, 1, k, k, dtype=torch.float64), padding=d * (k - 1) // 2, dilation=d)
    return out[0, 0].round().long()


@figure
def gridding_figure() -> Figure:
    """三层 3×3 扩张卷积的中心输出用到了哪些输入像素：扩张率 (1, 1, 1)、(2, 2, 2)、(1, 2, 5)。"""
    settings = [((1, 1, 1), "扩张率 1, 1, 1：7×7，全被用到"), ((2, 2, 2), "扩张率 2, 2, 2：13×13，只用到 49 个"),
                ((1, 2, 5), "扩张率 1, 2, 5：17×17，全被用到")]
    fig, axes = new_figure(3, width=11, height=3.8)
    for ax, (ds, title) in zip(axes, settings):
        c = coverage(ds, 3).float()
        r = c.shape[0]
        pad = (17 - r) // 2
        shown = F.pad(c, (pad, pad, pad, pad), value=float("nan"))
        ax.imshow((shown > 0).float().where(~shown.isnan(), torch.tensor(float("nan"))).numpy(), cmap="Blues", vmin=0, vmax=1.3)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
