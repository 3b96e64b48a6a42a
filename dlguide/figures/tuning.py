"""超参数调试的图：网格搜索与随机搜索，学习率范围测试。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.models import mlp
from dlguide.tuning import grid_points, lr_range_test, random_points


@figure("optimization/grid-vs-random.svg")
def grid_vs_random() -> Figure:
    """25 次试验：网格搜索在重要的超参数上只试了 5 个值，随机搜索试了 25 个。"""
    fig, axes = new_figure(2, width=7.6, height=3.6)
    for ax, (title, pts) in zip(axes, (("网格搜索 5×5", grid_points(5)), ("随机搜索 25 点", random_points(25)))):
        ax.scatter(pts[:, 0], pts[:, 1], s=18)
        ax.plot(pts[:, 0], [-0.08] * len(pts), "|", color="tab:red", markersize=12)
        ax.set_ylim(-0.15, 1.05)
        ax.set_title(f"{title}：重要参数上 {len(set(pts[:, 0].tolist()))} 个不同值", fontsize=10)
        ax.set_xlabel("重要的超参数（如学习率）")
        ax.set_ylabel("不重要的超参数（如 Adam 的 ε）")
    return fig


@figure("optimization/lr-range-test.svg")
def lr_range_test_curve() -> Figure:
    """digits 上 softmax 回归的学习率范围测试：学习率从 10⁻⁴ 几何增长到 10，损失先降后爆。"""
    X, y = load_digits()
    lrs, losses = lr_range_test(mlp([64, 10], seed=0), X, y, lr_min=1e-4, lr_max=10.0, steps=100)
    fig, (ax,) = new_figure(width=6.4, height=3.4)
    ax.semilogx(lrs, losses)
    ax.set_xlabel("学习率（每步几何增长）")
    ax.set_ylabel("小批量损失")
    return fig
