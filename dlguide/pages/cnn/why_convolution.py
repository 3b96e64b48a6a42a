"""“为什么使用卷积”一页：参数个数对比、把卷积写成矩阵（稀疏连接与参数共享）、平移等变及其失效。"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_tensor
from dlguide.conv import conv_matrix, conv_output_size
from dlguide.figures import figure, new_figure

__all__ = ["connectivity_matrices", "layer_parameters", "shift_right"]


def layer_parameters(input_shape: Sequence[int], out_channels: int, kernel_size: int) -> dict[str, int]:
    r"""输入 ``(C, H, W)``、``kernel_size``×``kernel_size`` 卷积（不填充、步幅 1）时，三种层把它映射到同样大小的输出各要多少参数。

    - ``"conv"``：卷积层（稀疏连接 + 参数共享）；
    - ``"locally_connected"``：局部连接层（稀疏连接，但每个输出位置有自己的一套核，不共享）；
    - ``"fully_connected"``：全连接层（每个输出连到每个输入）。

    卷积层和全连接层的个数从 PyTorch 模块数出来（建在 ``meta`` 设备上，不分配内存）；
    PyTorch 没有局部连接层，按公式计算：输出位置数 × 每个位置一套 $(C k^2 + 1) \cdot C_\text{out}$。

    Parameters
    ----------
    input_shape : sequence of int
        ``(C, H, W)``，每个在 [1, 100000] 内。
    out_channels : int
        输出通道数，在 [1, 100000] 内。
    kernel_size : int
        核的边长，≥ 1 且不超过 ``H``、``W``。

    Returns
    -------
    dict[str, int]
        三种层的参数个数。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> layer_parameters((3, 32, 32), 6, 5)
    {'conv': 456, 'locally_connected': 357504, 'fully_connected': 14455392}
    """
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence) or len(input_shape) != 3:
        raise ValueError(f"input_shape 必须是 (C, H, W) 三个整数，收到 {input_shape!r}")
    c, h, w = (check_int(v, "input_shape", low=1, high=100_000) for v in input_shape)
    out_channels = check_int(out_channels, "out_channels", low=1, high=100_000)
    kernel_size = check_int(kernel_size, "kernel_size", low=1, high=min(h, w))
    h_out, w_out = conv_output_size(h, kernel_size), conv_output_size(w, kernel_size)
    conv = nn.Conv2d(c, out_channels, kernel_size, device="meta")
    fc = nn.Linear(c * h * w, out_channels * h_out * w_out, device="meta")
    return {
        "conv": sum(p.numel() for p in conv.parameters()),
        # 每个输出位置一套 (C·k² + 1)·C_out 个参数，不共享
        "locally_connected": h_out * w_out * (c * kernel_size**2 + 1) * out_channels,
        "fully_connected": sum(p.numel() for p in fc.parameters()),
    }


def shift_right(x: torch.Tensor, pixels: int = 1) -> torch.Tensor:
    """把 ``(..., W)`` 的最后一维向右平移 ``pixels`` 格，左边补 0，移出右边的丢掉（不是循环移位）。

    Parameters
    ----------
    x : torch.Tensor
        至少 1 维的浮点张量。
    pixels : int
        平移的格数，在 [0, W] 内。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是非空浮点张量，或 ``pixels`` 越界。

    Examples
    --------
    >>> shift_right(torch.tensor([1.0, 2.0, 3.0])).tolist()
    [0.0, 1.0, 2.0]
    """
    check_tensor(x, "x", nonempty=True)
    if x.ndim < 1:
        raise ValueError("x 必须至少是 1 维张量")
    pixels = check_int(pixels, "pixels", low=0, high=x.shape[-1])
    out = torch.zeros_like(x)
    # out[..., j + p] = x[..., j]
    out[..., pixels:] = x[..., : x.shape[-1] - pixels]
    return out


def _plt_color(value: float) -> tuple[float, float, float, float]:
    """viridis 色带上 ``value`` ∈ [0, 1] 处的颜色。"""
    return colormaps["viridis"](value)


def _weight_ids(kind: str, n_in: int, k: int) -> torch.Tensor:
    """一维输入长 ``n_in``、核长 ``k`` 时，三种层的“权重编号”矩阵：0 表示没有连接，相同编号表示同一个参数。"""
    n_out = n_in - k + 1
    if kind == "fully_connected":
        return torch.arange(1, n_out * n_in + 1).reshape(n_out, n_in)
    if kind == "locally_connected":
        ids = torch.zeros(n_out, n_in, dtype=torch.long)
        for i in range(n_out):
            ids[i, i : i + k] = torch.arange(i * k + 1, i * k + k + 1)
        return ids
    # 卷积：conv_matrix 的非零元素就是核的第几个值
    kernel = torch.arange(1.0, k + 1).reshape(1, 1, k)
    return conv_matrix(kernel, (1, n_in)).long()


@figure
def connectivity_matrices() -> Figure:
    """一维输入长 10、输出长 8 时三种层的权重矩阵：每格颜色表示哪个参数，白色表示没有连接。

    全连接层 80 个各不相同的参数；局部连接层只剩对角带上的 24 个；卷积层的对角带上只有 3 种颜色：同一条对角线共享一个参数。
    """
    n_in, k = 10, 3
    fig, axes = new_figure(3, width=7.6, height=2.9)
    titles = {"fully_connected": "全连接：80 个参数", "locally_connected": "局部连接：24 个参数",
              "conv": "卷积：3 个参数（共享）"}
    g = torch.Generator().manual_seed(0)
    for ax, kind in zip(axes, titles):
        ids = _weight_ids(kind, n_in, k)
        n_colors = int(ids.max())
        # 不共享的参数用随机打乱的连续色带（相邻编号颜色不相近，看不出虚假的规律）；卷积的 3 个参数用 3 种分明的颜色
        palette = (["#4e79a7", "#f28e2b", "#59a14f"] if kind == "conv"
                   else [_plt_color(v) for v in (torch.randperm(n_colors, generator=g) / max(n_colors - 1, 1)).tolist()])
        ax.imshow(ids.numpy(), cmap=ListedColormap(["white", *palette]), vmin=-0.5, vmax=n_colors + 0.5,
                  interpolation="nearest")
        ax.set_xticks(range(n_in), [str(i) for i in range(n_in)], fontsize=6)
        ax.set_yticks(range(ids.shape[0]), [str(i) for i in range(ids.shape[0])], fontsize=6)
        ax.set_xticks([x - 0.5 for x in range(1, n_in)], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, ids.shape[0])], minor=True)
        ax.grid(True, which="minor", color="#cccccc", lw=0.5)
        ax.grid(False, which="major")
        ax.tick_params(which="minor", length=0)
        distinct = len(set(ids[ids > 0].tolist()))
        assert distinct == {"fully_connected": 80, "locally_connected": 24, "conv": 3}[kind]
        ax.set_title(titles[kind], fontsize=9)
        ax.set_xlabel("输入位置", fontsize=8)
    axes[0].set_ylabel("输出位置", fontsize=8)
    assert math.prod(_weight_ids("conv", n_in, k).shape) == 80
    return fig
