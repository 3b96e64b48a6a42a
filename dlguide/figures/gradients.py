"""梯度消失、梯度爆炸与初始化一章的图。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide.data import load_digits, make_moons
from dlguide.figures import figure, new_figure
from dlguide.gradients import GradientClipper, GradientMonitor, layer_grad_norms
from dlguide.init import constant_, init_mlp, signal_propagation, zeros_
from dlguide.models import mlp, residual_mlp
from dlguide.recurrent import lstm_state_grad_norms, rnn_state_grad_norms
from dlguide.training import accuracy, fit


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


_INIT_STYLES = {
    "small_normal": ("小正态 0.01", "tab:brown"),
    "pytorch_default": ("PyTorch 默认", "tab:gray"),
    "lecun": ("LeCun = Xavier（方阵）", "tab:blue"),
    "he": ("He", "tab:red"),
    "orthogonal": ("正交（增益 g）", "tab:green"),
}


@figure("gradients/init.svg")
def init_signal_propagation() -> Figure:
    """50 层、宽 64 的网络里各层预激活的方差：左 tanh，右 ReLU，每条线一种初始化。"""
    fig, axes = new_figure(2, width=8.4, height=3.8)
    for ax, act in zip(axes, ("tanh", "relu")):
        for scheme, (label, color) in _INIT_STYLES.items():
            z_var = signal_propagation(scheme, act, n=128)["z_var"]
            shown = [v if v > 0 else float("nan") for v in z_var]
            ax.plot(range(1, len(z_var) + 1), shown, color=color, label=label)
        ax.set_yscale("log")
        ax.set_ylim(1e-40, 1e3)
        ax.set_xlabel("第 l 层")
        ax.set_title(f"{act}：Var(z) 随深度")
    axes[0].set_ylabel("预激活方差")
    axes[1].legend(fontsize=7, loc="lower left")
    return fig


def _remedy_nets() -> dict[str, torch.nn.Module]:
    return {
        "sigmoid\n（基线）": mlp([64] + [32] * 10 + [10], "sigmoid", seed=0),
        "ReLU\n+ He": init_mlp(mlp([64] + [32] * 10 + [10], "relu"), "he"),
        "sigmoid\n+ BN": mlp([64] + [32] * 10 + [10], "sigmoid", batch_norm=True, seed=0),
        "sigmoid\n+ 残差": residual_mlp(64, 32, 10, 10, "sigmoid", seed=0),
    }


@figure("gradients/remedies.svg")
def remedies() -> Figure:
    """左：10 层网络第 1 层与最后一层的梯度范数；右：学习率 2 时不同对策下每步的梯度范数。"""
    X, y = _digits()
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
    left.set_title(r"初始时 $\Vert\partial L/\partial W\Vert$")
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


@figure("gradients/rnn.svg")
def rnn_gradient_through_time() -> Figure:
    """左：普通 RNN 的 ‖∂L/∂h_t‖ 随 T−t；右：LSTM 记忆单元的 ‖∂L/∂c_t‖，三种遗忘门偏置。"""
    steps = 100
    fig, (left, right) = new_figure(2, width=8.8, height=3.8)
    configs = (
        ("tanh，随机 W，s=1", {"activation": "tanh"}, "tab:blue"),
        ("tanh，随机 W，s=3", {"activation": "tanh", "scale": 3.0}, "tab:purple"),
        ("ReLU，随机 W，s=1", {"activation": "relu"}, "tab:orange"),
        ("ReLU，W=I", {"activation": "relu", "init": "identity"}, "tab:green"),
        ("ReLU，W=1.1·I", {"activation": "relu", "init": "identity", "scale": 1.1}, "tab:red"),
    )
    for label, kwargs, color in configs:
        norms = rnn_state_grad_norms(steps, **kwargs)
        left.plot([steps - t for t in range(steps + 1)], norms, color=color, label=label)
    left.set_yscale("log")
    left.set_xlabel("往回传的步数 T − t")
    left.set_title(r"普通 RNN：$\Vert\partial L/\partial h_t\Vert$")
    left.legend(fontsize=7)
    for bias, color in ((0.0, "tab:red"), (1.0, "tab:orange"), (3.0, "tab:green")):
        norms = lstm_state_grad_norms(steps, forget_bias=bias)
        right.plot([steps - 1 - t for t in range(steps)], norms, color=color, label=f"遗忘门偏置 {bias:g}")
    right.set_yscale("log")
    right.set_xlabel("往回传的步数")
    right.set_title(r"LSTM：$\Vert\partial L/\partial c_t\Vert$")
    right.legend(fontsize=8)
    return fig


@figure("gradients/zero-init.svg")
def symmetric_init_decision_regions() -> Figure:
    """在 moons 上训练同一个 tanh 网络：常数初始化得到直线边界，随机初始化得到弯曲边界。"""
    X, y = make_moons(200, noise=0.1)
    grid_x, grid_y = torch.meshgrid(torch.linspace(-1.5, 2.5, 120), torch.linspace(-1.0, 1.5, 90), indexing="xy")
    grid = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)
    fig, axes = new_figure(2, width=8.4, height=3.4)
    for ax, (title, scheme) in zip(axes, (("常数初始化 0.5", "constant"), ("He 初始化", "he"))):
        net = mlp([2, 16, 16, 2], "tanh", seed=0)
        if scheme == "constant":
            for layer in net:
                if isinstance(layer, nn.Linear):
                    constant_(layer.weight, 0.5)
                    zeros_(layer.bias)
        else:
            init_mlp(net, "he", "tanh")
        fit(net, X, y, epochs=300, lr=0.5)
        net.cpu()
        with torch.no_grad():
            pred = net(grid).argmax(dim=1).reshape(grid_x.shape).float()
        ax.contourf(grid_x, grid_y, pred, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
        ax.scatter(X[:, 0], X[:, 1], c=["tab:blue" if c == 0 else "tab:orange" for c in y.tolist()], s=8)
        ax.set_title(f"{title}：训练准确率 {accuracy(net, X, y):.2f}")
    return fig
