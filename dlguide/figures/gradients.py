"""梯度消失、梯度爆炸与初始化一章的图。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.gradients import GradientMonitor, layer_grad_norms
from dlguide.init import init_mlp, signal_propagation, weight_variance
from dlguide.models import mlp
from dlguide.recurrent import lstm_state_grad_norms, rnn_state_grad_norms
from dlguide.training import fit


def _digits(n: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    X, y = load_digits()
    return X[:n], y[:n]


@figure("gradients/vanishing.svg")
def vanishing_and_exploding() -> Figure:
    """左：线性链 $w^L$；右：10 层网络在 digits 上各层权重梯度的范数。"""
    fig, (left, right) = new_figure(2, width=8.0)
    depth = torch.arange(0, 51)
    for w, color in ((1.1, "tab:red"), (1.0, "gray"), (0.9, "tab:blue")):
        left.plot(depth, w**depth, color=color, label=f"w = {w}")
    left.set_yscale("log")
    left.set_xlabel("层数 L")
    left.set_title(r"线性链：$\partial y/\partial x = w^L$")
    left.legend()
    X, y = _digits()
    for act, scheme, label in (
        ("sigmoid", "pytorch_default", "sigmoid + 默认初始化"),
        ("tanh", "xavier", "tanh + Xavier"),
        ("relu", "he", "ReLU + He"),
    ):
        net = init_mlp(mlp([64] + [32] * 10 + [10], act, seed=0), scheme, act)
        nn.functional.cross_entropy(net(X), y).backward()
        norms = layer_grad_norms(net)
        right.plot(range(1, len(norms) + 1), norms, marker="o", ms=3, label=label)
    right.set_yscale("log")
    right.set_xlabel("第 l 层（1 = 最靠近输入）")
    right.set_title(r"$\Vert\partial L/\partial W^{[l]}\Vert$")
    right.legend(fontsize=8)
    return fig


@figure("gradients/monitor.svg")
def gradient_monitor_curves() -> Figure:
    """三种学习率下每步的全局梯度范数；× 标出第一次出现 inf/nan 的步。"""
    X, y = _digits()
    fig, (ax,) = new_figure()
    for lr, color in ((0.1, "tab:green"), (0.5, "tab:orange"), (2.0, "tab:red")):
        net = init_mlp(mlp([64] + [32] * 5 + [10], "relu", seed=0), "he")
        with GradientMonitor(net) as monitor:
            fit(net, X, y, epochs=40, lr=lr)
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
