"""“如何确定是否出现梯度爆炸”一页的图。"""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.gradients import GradientMonitor
from dlguide.init import init_mlp
from dlguide.models import mlp
from dlguide.training import fit

__all__ = ["gradient_monitor_curves"]


@figure
def gradient_monitor_curves() -> Figure:
    """三种学习率下每步的全局梯度范数；× 标出第一次出现 inf/nan 的步。"""
    X, y = load_digits()
    X, y = X[:300], y[:300]
    fig, (ax,) = new_figure()
    for lr, color in ((0.1, "tab:green"), (0.5, "tab:orange"), (2.0, "tab:red")):
        net = init_mlp(mlp([64] + [32] * 5 + [10], "relu", seed=0), "he")
        with GradientMonitor(net) as monitor:
            fit(net, X, y, epochs=30, lr=lr)
        finite = [v if math.isfinite(v) else float("nan") for v in monitor.global_norms]
        ax.plot(finite, color=color, label=f"lr = {lr}")
        if monitor.first_nonfinite is not None:
            step = monitor.first_nonfinite
            last = max((v for v in finite[:step] if math.isfinite(v)), default=1.0)
            ax.plot([step], [last], "x", color=color, ms=10, mew=2)
            ax.annotate(f"第 {step} 步起 inf/nan", xy=(step, last), xytext=(step + 4, last / 30), color=color)
    ax.axhline(1.0, color="gray", lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xlabel("训练步")
    ax.set_ylabel("全局梯度范数")
    ax.legend(loc="center right")
    return fig
