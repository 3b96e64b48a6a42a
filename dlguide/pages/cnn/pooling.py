"""“池化层简介”与“池化层的作用”一页：池化的图解、感受野的递推。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dlguide._checks import check_int
from dlguide.figures import figure, new_figure
from dlguide.pooling import avg_pool2d, max_pool2d

__all__ = ["EXAMPLE", "receptive_field", "pooling_example"]

EXAMPLE = [[1.0, 3.0, 2.0, 1.0],
           [4.0, 2.0, 0.0, 1.0],
           [0.0, 1.0, 5.0, 6.0],
           [2.0, 2.0, 7.0, 1.0]]
"""页面上的 4×4 例子（一个通道）。"""


def receptive_field(layers: Sequence[tuple[int, int]]) -> list[int]:
    r"""逐层的感受野边长：$r_l = r_{l-1} + (k_l - 1)\,j_{l-1}$，$j_l = j_{l-1} s_l$，$r_0 = j_0 = 1$。

    $j$ 是当前层相邻两个输出在输入上相隔的像素数（累计步长）。池化和卷积的递推相同；
    步长 2 的层之后，每个 3×3 核一次多看 2 倍的输入。

    Parameters
    ----------
    layers : sequence of (int, int)
        每层的 ``(kernel, stride)``，各在 ``[1, 1024]`` 内。

    Returns
    -------
    list[int]
        每层输出的感受野边长。

    Raises
    ------
    TypeError, ValueError
        ``layers`` 不是 ``(kernel, stride)`` 序列，或数值越界。

    Examples
    --------
    >>> receptive_field([(3, 1), (3, 1)])              # 两个 3×3 卷积
    [3, 5]
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])      # 中间加一个 2×2 池化
    [3, 4, 8]
    """
    if not isinstance(layers, Sequence) or isinstance(layers, str) or len(layers) == 0:
        raise TypeError(f"layers 必须是非空的 (kernel, stride) 序列，收到 {layers!r}")
    r, j, out = 1, 1, []
    for i, layer in enumerate(layers):
        if not isinstance(layer, Sequence) or isinstance(layer, str) or len(layer) != 2:
            raise TypeError(f"layers[{i}] 必须是 (kernel, stride)，收到 {layer!r}")
        k = check_int(layer[0], f"layers[{i}][0]", low=1, high=1024)
        s = check_int(layer[1], f"layers[{i}][1]", low=1, high=1024)
        # r_l = r_{l−1} + (k − 1)·j_{l−1}；j_l = j_{l−1}·s
        r, j = r + (k - 1) * j, j * s
        out.append(r)
    return out


@figure
def pooling_example() -> Figure:
    """4×4 输入上 2×2、步长 2 的最大池化和平均池化；最大池化的梯度只回到每个窗口的最大值。"""
    x = torch.tensor(EXAMPLE)
    xg = x.clone().requires_grad_()
    max_pool2d(xg[None, None], 2).sum().backward()
    panels = [
        ("输入 4×4（四个 2×2 窗口）", x),
        ("最大池化 2×2/2", max_pool2d(x[None], 2)[0]),
        ("平均池化 2×2/2", avg_pool2d(x[None], 2)[0]),
        ("最大池化的梯度（上游全为 1）", xg.grad),
    ]
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    fig, axes = new_figure(4, width=10, height=3.0)
    for ax, (title, values) in zip(axes, panels):
        n = values.shape[0]
        ax.set_xlim(0, n)
        ax.set_ylim(n, 0)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for i in range(n):
            for j in range(n):
                window = (i * 2 // n) * 2 + (j * 2 // n)  # 这一格属于哪个窗口
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colors[window], alpha=0.25, edgecolor="white"))
                ax.text(j + 0.5, i + 0.5, f"{values[i, j].item():g}", ha="center", va="center", fontsize=12)
        ax.set_title(title, fontsize=10)
    return fig
