"""“常见的学习率衰减方法”一页的图。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure
from dlguide.schedules import (
    cosine_with_warmup,
    exponential_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    one_cycle,
    step_decay,
)

__all__ = ["lr_schedules"]


@figure
def lr_schedules() -> Figure:
    """六种学习率调度在 100 轮里的学习率曲线（初始/峰值学习率都取 0.1，纵轴对数）。"""
    epochs = range(100)
    curves = {
        "反时衰减 1/(1+0.1·epoch)": [inverse_time_decay(0.1, e, 0.1) for e in epochs],
        "指数衰减 0.95^epoch": [exponential_decay(0.1, e, 0.95) for e in epochs],
        "k/√t（t = epoch + 1）": [inverse_sqrt_decay(0.1, e + 1) for e in epochs],
        "阶梯衰减（每 30 轮 ×0.1）": [step_decay(0.1, e, 30, 0.1) for e in epochs],
        "预热 5 轮 + 余弦": [cosine_with_warmup(0.1, e, 100, 5, min_lr=1e-4) for e in epochs],
        "one-cycle": [one_cycle(0.1, e, 100) for e in epochs],
    }
    fig, (ax,) = new_figure(width=7.0, height=3.8)
    for label, lrs in curves.items():
        ax.plot(list(epochs), lrs, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("学习率")
    ax.legend(fontsize=8, loc="lower left")
    return fig
