"""“什么是梯度消失和梯度爆炸”一页的图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.gradients import layer_grad_norms
from dlguide.init import init_mlp
from dlguide.models import mlp

__all__ = ["vanishing_and_exploding"]


@figure
def vanishing_and_exploding() -> Figure:
    """左：线性链 $w^L$；右：10 层网络在 digits 上各层权重梯度的范数。"""
    fig, (left, right) = new_figure(2, width=8.0)
    depth = torch.arange(0, 51)
    for w, color in ((1.1, "tab:red"), (1.0, "gray"), (0.9, "tab:blue")):
        left.plot(depth, w**depth, color=color, label=f"w = {w}")
    left.set_yscale("log")
    left.set_xlabel("层数 L")
    left.set_title("线性链：∂y/∂x = wᴸ")
    left.legend()
    X, y = load_digits()
    X, y = X[:300], y[:300]
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
    right.set_title("‖∂L/∂W[l]‖")
    right.legend(fontsize=8)
    return fig
