"""“简单说下 sigmoid 激活函数”一页的图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.activations import sigmoid, sigmoid_grad
from dlguide.figures import figure, new_figure

__all__ = ["sigmoid_and_derivative"]


@figure
def sigmoid_and_derivative() -> Figure:
    """σ(z) 与 σ'(z)：导数最大只有 0.25，|z| > 4 以后几乎为 0（饱和区）。"""
    z = torch.linspace(-8, 8, 401)
    fig, (ax,) = new_figure()
    ax.plot(z, sigmoid(z), label="σ(z)")
    ax.plot(z, sigmoid_grad(z), label="σ′(z) = σ(z)(1 − σ(z))")
    for edge in (-8, 4):
        ax.axvspan(edge, edge + 4, color="tab:red", alpha=0.08)
    ax.axhline(0.25, color="gray", lw=0.8, ls="--")
    ax.annotate("最大导数 0.25", xy=(0, 0.25), xytext=(1.2, 0.4), arrowprops={"arrowstyle": "->"})
    ax.text(-7.6, 0.6, "饱和区", color="tab:red")
    ax.text(4.4, 0.6, "饱和区", color="tab:red")
    ax.set_xlabel("z")
    ax.legend(loc="upper left")
    return fig
