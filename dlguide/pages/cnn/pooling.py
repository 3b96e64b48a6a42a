"""“池化层简介”与“池化层的作用”一页：池化的图解。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dlguide.figures import figure, new_figure
from dlguide.pooling import avg_pool2d, max_pool2d

__all__ = ["EXAMPLE", "pooling_example"]

EXAMPLE = [[1.0, 3.0, 2.0, 1.0],
           [4.0, 2.0, 0.0, 1.0],
           [0.0, 1.0, 5.0, 6.0],
           [2.0, 2.0, 7.0, 1.0]]
"""页面上的 4×4 例子（一个通道）。"""


@figure
def pooling_example() -> Figure:
    """4×4 输入上 2×2、步幅 2 的最大池化和平均池化；最大池化的梯度只回到每个窗口的最大值。"""
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
