"""机器学习开发策略的图：从人类水平到验证集误差的“台阶”，每一级台阶是一类问题。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide.bias_variance import diagnose
from dlguide.figures import figure, new_figure

#: 三个示意场景（误差，单位 %）：人类水平、训练、训练-验证、验证。
SCENARIOS: dict[str, tuple[float, float, float, float]] = {
    "A：偏差为主": (1.0, 8.0, 9.0, 10.0),
    "B：方差为主": (7.5, 8.0, 9.5, 10.0),
    "C：数据不匹配": (1.0, 1.5, 2.5, 10.0),
}


@figure("optimization/error-staircase.svg")
def error_staircase() -> Figure:
    """三个场景的误差台阶：人类水平 → 训练 → 训练-验证 → 验证，最高的一级台阶就是该优先处理的问题。"""
    names = ["人类水平", "训练", "训练-验证", "验证"]
    labels = {"avoidable_bias": "可避免偏差", "variance": "方差", "data_mismatch": "数据不匹配"}
    fig, axes = new_figure(3, width=9.0, height=3.4)
    for ax, (title, errs) in zip(axes, SCENARIOS.items()):
        human, train, train_dev, dev = (e / 100 for e in errs)
        focus = diagnose(train, dev, bayes_error=human, train_dev_error=train_dev).focus
        ax.step(range(4), errs, where="mid", color="tab:blue")
        ax.bar(range(4), errs, color=["tab:gray", "tab:blue", "tab:cyan", "tab:orange"], alpha=0.6)
        ax.set_xticks(range(4), names, fontsize=8)
        ax.set_ylim(0, 12)
        ax.set_title(f"{title}\n优先处理：{labels[focus]}", fontsize=9)
    axes[0].set_ylabel("误差 (%)")
    return fig
