"""激活函数一章的图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.activations import sigmoid, sigmoid_grad
from dlguide.figures import figure, new_figure


# --8<-- [start:sigmoid_figure]
@figure("activations/sigmoid.svg")
def sigmoid_and_derivative() -> Figure:
    """σ(z) 与 σ'(z)：导数最大只有 0.25，|z| > 4 以后几乎为 0（饱和区）。"""
    z = torch.linspace(-8, 8, 401)
    fig, (ax,) = new_figure()
    ax.plot(z, sigmoid(z), label=r"$\sigma(z)$")
    ax.plot(z, sigmoid_grad(z), label=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$")
    for edge in (-8, 4):
        ax.axvspan(edge, edge + 4, color="tab:red", alpha=0.08)
    ax.axhline(0.25, color="gray", lw=0.8, ls="--")
    ax.annotate("最大导数 0.25", xy=(0, 0.25), xytext=(1.2, 0.4), arrowprops={"arrowstyle": "->"})
    ax.text(-7.6, 0.6, "饱和区", color="tab:red")
    ax.text(4.4, 0.6, "饱和区", color="tab:red")
    ax.set_xlabel("z")
    ax.legend(loc="upper left")
    return fig
# --8<-- [end:sigmoid_figure]


def _decision_grid(lim: float = 2.0, steps: int = 121) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """正方形 $[-\\text{lim}, \\text{lim}]^2$ 上的网格点，用来画决策边界。"""
    axis = torch.linspace(-lim, lim, steps)
    xx, yy = torch.meshgrid(axis, axis, indexing="xy")
    return xx, yy, torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)


# --8<-- [start:decision_boundaries_figure]
@figure("activations/decision-boundaries.svg")
def linear_vs_mlp_boundaries() -> Figure:
    """异或数据上三个模型的决策区域：logistic 回归、三层不带激活的线性网络、带 tanh 的 MLP。"""
    from dlguide.data import make_xor  # noqa: PLC0415
    from dlguide.models import mlp  # noqa: PLC0415
    from dlguide.training import accuracy, fit  # noqa: PLC0415

    X, y = make_xor(200, noise=0.2)
    models = {
        "logistic 回归": mlp([2, 2], seed=0),
        "三层线性（无激活）": mlp([2, 16, 16, 2], "identity", seed=0),
        "MLP（tanh）": mlp([2, 8, 2], "tanh", seed=0),
    }
    xx, yy, grid = _decision_grid()
    fig, axes = new_figure(3, width=9.6, height=3.4)
    for ax, (title, net) in zip(axes, models.items()):
        fit(net, X, y, epochs=200, lr=0.5)
        net.cpu().eval()
        with torch.no_grad():
            region = net(grid).argmax(dim=1).reshape(xx.shape).float()
        ax.contourf(xx, yy, region, levels=[-0.5, 0.5, 1.5], colors=["tab:blue", "tab:orange"], alpha=0.25)
        ax.scatter(X[:, 0], X[:, 1], c=["tab:blue" if t == 0 else "tab:orange" for t in y.tolist()], s=8)
        ax.set_title(f"{title}\n训练准确率 {accuracy(net, X, y):.2f}", fontsize=10)
        ax.set_xlabel("$x_1$")
        ax.set_aspect("equal")
    axes[0].set_ylabel("$x_2$")
    return fig
# --8<-- [end:decision_boundaries_figure]


# --8<-- [start:activation_grid_figure]
@figure("activations/activation-grid.svg")
def activations_and_derivatives() -> Figure:
    """九个激活函数（实线）和它们的导数（虚线，由 autograd 算出），同一坐标范围便于比较。"""
    from dlguide.activations import elu, gelu, leaky_relu, relu, selu, silu, tanh  # noqa: PLC0415

    functions = {
        "sigmoid": sigmoid,
        "tanh": tanh,
        "ReLU": relu,
        "Leaky ReLU / PReLU (α=0.1)": lambda z: leaky_relu(z, 0.1),
        "ELU (α=1)": elu,
        "SELU": selu,
        "GELU": gelu,
        "SiLU / Swish": silu,
        "softplus（ReLU 的平滑版）": torch.nn.functional.softplus,
    }
    z = torch.linspace(-4, 4, 401, requires_grad=True)
    fig, _ = new_figure(1, width=8.4, height=7.2)
    fig.clear()
    axes = fig.subplots(3, 3, sharex=True, sharey=True).ravel()
    for ax, (name, fn) in zip(axes, functions.items()):
        out = fn(z)
        (grad,) = torch.autograd.grad(out.sum(), z)
        ax.plot(z.detach(), out.detach(), label="f(z)")
        ax.plot(z.detach(), grad, ls="--", label="f′(z)")
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
        ax.set_title(name, fontsize=10)
        ax.set_ylim(-2, 3)
    axes[0].legend(loc="upper left", fontsize=8)
    return fig
# --8<-- [end:activation_grid_figure]


# --8<-- [start:gradient_depth_figure]
@figure("activations/gradient-depth.svg")
def gradient_norms_by_depth() -> Figure:
    """10 层 MLP 各层权重梯度的范数（对数坐标）：左边是 PyTorch 默认初始化，右边是与激活函数匹配的初始化。"""
    from dlguide.activations import gradient_profile  # noqa: PLC0415

    settings = [
        ("PyTorch 默认初始化", {"sigmoid": "default", "tanh": "default", "relu": "default"}),
        ("匹配的初始化（sigmoid/tanh: Xavier，ReLU: He）", {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}),
    ]
    fig, axes = new_figure(2, width=9.0, height=3.6)
    for ax, (title, inits) in zip(axes, settings):
        for activation, init in inits.items():
            norms = gradient_profile(activation, depth=10, init=init)
            ax.semilogy(range(1, len(norms) + 1), norms, marker="o", ms=3, label=activation)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("层（1 = 最靠近输入）")
    axes[0].set_ylabel(r"$\|\partial L/\partial W^{[l]}\|_2$")
    axes[0].legend()
    return fig
# --8<-- [end:gradient_depth_figure]


# --8<-- [start:variance_map_figure]
@figure("activations/variance-map.svg")
def variance_maps() -> Figure:
    """方差映射 $v \\mapsto \\operatorname{Var} f(\\sqrt v z)$：与对角线的交点是不动点，SELU 的不动点在 1 且是吸引的。"""
    import torch.nn.functional as F  # noqa: PLC0415

    from dlguide.activations import relu, selu, tanh, variance_map  # noqa: PLC0415

    v = torch.linspace(0.05, 3, 60).tolist()
    fig, (ax,) = new_figure(width=5.6, height=4.0)
    ax.plot(v, v, color="gray", ls="--", lw=1, label="恒等（$v_{out}=v$）")
    for name, fn in {"SELU": selu, "tanh": tanh, "ReLU": relu, "ELU": F.elu}.items():
        ax.plot(v, [variance_map(fn, x)[1] for x in v], label=name)
    ax.plot([1], [1], "ko", ms=5)
    ax.annotate("SELU 的不动点 (1, 1)", xy=(1, 1), xytext=(1.4, 0.45), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel("输入方差 $v$")
    ax.set_ylabel(r"输出方差 $\mathrm{Var}\, f(\sqrt{v}\,z)$")
    ax.legend()
    return fig
# --8<-- [end:variance_map_figure]
