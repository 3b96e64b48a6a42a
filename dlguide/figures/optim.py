"""优化算法的图：病态二次函数上的轨迹，全批量 / 小批量 / 单样本的损失曲线。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.landscape import ill_conditioned_quadratic
from dlguide.optim import iteration_losses, minimize

#: 轨迹图用的方法和超参数（与页面上的实验相同）。
PATH_SETTINGS: dict[str, dict] = {
    "SGD (lr=0.038)": {"method": "sgd", "lr": 0.038},
    "动量 (lr=0.2, β=0.9)": {"method": "momentum", "lr": 0.2, "beta": 0.9},
    "RMSProp (lr=0.1)": {"method": "rmsprop", "lr": 0.1},
    "Adam (lr=0.3)": {"method": "adam", "lr": 0.3},
}


@figure("optimization/optimizer-paths.svg")
def optimizer_paths() -> Figure:
    """在条件数 50 的二次函数 ½(x² + 50y²) 上，四种优化算法从 (−4, 1) 出发的前 40 步。"""
    f = lambda x: ill_conditioned_quadratic(x, 50.0)  # noqa: E731
    xs, ys = torch.meshgrid(torch.linspace(-4.5, 1.0, 200), torch.linspace(-1.3, 1.3, 120), indexing="xy")
    zs = f(torch.stack([xs, ys], dim=-1))
    fig, (ax,) = new_figure(width=7.0, height=3.6)
    ax.contour(xs, ys, zs, levels=torch.logspace(-2, 1.7, 12).tolist(), colors="gray", linewidths=0.5)
    for label, setting in PATH_SETTINGS.items():
        hp = dict(setting)
        path = minimize(f, [-4.0, 1.0], hp.pop("method"), steps=40, **hp)
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, lw=1, label=label)
    ax.plot([0], [0], "k*", markersize=10)
    ax.set_xlabel("x（平缓方向，曲率 1）")
    ax.set_ylabel("y（陡峭方向，曲率 50）")
    ax.legend(fontsize=8, loc="lower right")
    return fig


@figure("optimization/minibatch-curves.svg")
def minibatch_curves() -> Figure:
    """digits 上 softmax 回归：全批量、小批量 32、单样本 SGD 每次更新后的全训练集损失。"""
    X, y = load_digits()
    fig, (ax,) = new_figure(width=7.0, height=3.4)
    for label, bs, lr in (("全批量 (m=1797)", None, 0.5), ("小批量 32", 32, 0.5), ("SGD（批量 1）", 1, 0.5)):
        ax.plot(iteration_losses(X, y, batch_size=bs, lr=lr, steps=100), label=label, lw=1)
    ax.set_xlabel("更新次数")
    ax.set_ylabel("训练集交叉熵")
    ax.legend()
    return fig
