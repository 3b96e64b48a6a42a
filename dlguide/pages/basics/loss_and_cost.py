"""“损失函数和成本函数”一页的图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure
from dlguide.losses import logistic_loss

__all__ = ["losses_vs_margin"]


@figure
def losses_vs_margin() -> Figure:
    r"""二分类的几种损失画成间隔 $yz$ 的函数（$y=\pm1$）：0-1 损失、logistic 损失、平方损失。"""
    margin = torch.linspace(-3, 3, 301)
    ones = torch.ones_like(margin)
    fig, (ax,) = new_figure()
    ax.plot(margin, (margin <= 0).float(), label="0-1 损失（不可导）")
    ax.plot(margin, logistic_loss(margin, ones, "none") / torch.log(torch.tensor(2.0)),
            label="logistic log₂(1 + e⁻ʸᶻ)")
    ax.plot(margin, (1 - margin) ** 2, label="平方 (1 − yz)²")
    ax.set_ylim(0, 4)
    ax.set_xlabel("间隔 yz（>0 表示分对）")
    ax.set_ylabel("损失")
    ax.annotate("分对了还在罚", xy=(2.5, 2.25), xytext=(-0.6, 3.3), arrowprops={"arrowstyle": "->"})
    ax.legend(loc="lower left", fontsize=8)
    return fig
