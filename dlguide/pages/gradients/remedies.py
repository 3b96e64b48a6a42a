"""“如何解决梯度消失和梯度膨胀”一页的图。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.gradients import GradientClipper, GradientMonitor, layer_grad_norms
from dlguide.init import init_mlp
from dlguide.models import mlp, residual_mlp
from dlguide.training import fit

__all__ = ["remedies"]


def _remedy_nets() -> dict[str, torch.nn.Module]:
    return {
        "sigmoid\n（基线）": mlp([64] + [32] * 10 + [10], "sigmoid", seed=0),
        "ReLU\n+ He": init_mlp(mlp([64] + [32] * 10 + [10], "relu"), "he"),
        "sigmoid\n+ BN": mlp([64] + [32] * 10 + [10], "sigmoid", batch_norm=True, seed=0),
        "sigmoid\n+ 残差": residual_mlp(64, 32, 10, 10, "sigmoid", seed=0),
    }


@figure
def remedies() -> Figure:
    """左：10 层网络第 1 层与最后一层的梯度范数；右：学习率 2 时不同对策下每步的梯度范数。"""
    X, y = load_digits()
    X, y = X[:300], y[:300]
    fig, (left, right) = new_figure(2, width=8.8, height=3.8)
    names, first, last = [], [], []
    for name, net in _remedy_nets().items():
        nn.functional.cross_entropy(net(X), y).backward()
        norms = layer_grad_norms(net)
        names.append(name)
        first.append(norms[0])
        last.append(norms[-1])
    xs = torch.arange(len(names)).float()
    left.bar(xs - 0.2, first, width=0.4, label="第 1 层")
    left.bar(xs + 0.2, last, width=0.4, label="最后一层")
    left.set_xticks(xs.tolist(), names, fontsize=8)
    left.set_yscale("log")
    left.set_title("初始时 ‖∂L/∂W‖")
    left.legend(fontsize=8)
    settings = (
        ("无对策", {}, 0.0, "tab:red"),
        ("权重衰减 0.01", {}, 0.01, "tab:purple"),
        ("按范数裁剪 1.0", {"max_norm": 1.0}, 0.0, "tab:green"),
        ("按值裁剪 0.01", {"clip_value": 0.01}, 0.0, "tab:blue"),
    )
    for label, clip, wd, color in settings:
        net = init_mlp(mlp([64] + [32] * 5 + [10], "relu", seed=0), "he")
        with GradientMonitor(net) as monitor:
            if clip:
                with GradientClipper(net, **clip):
                    fit(net, X, y, epochs=30, lr=2.0, weight_decay=wd)
            else:
                fit(net, X, y, epochs=30, lr=2.0, weight_decay=wd)
        norms = [v if math.isfinite(v) else float("nan") for v in monitor.global_norms]
        right.plot(norms, color=color, label=label)
    right.set_yscale("log")
    right.set_xlabel("训练步（lr = 2）")
    right.set_title("裁剪前的全局梯度范数")
    right.legend(fontsize=8)
    return fig
