"""偏差-方差的图。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide.bias_variance import bias_variance_decomposition
from dlguide.figures import figure, new_figure


# --8<-- [start:bias_variance_curves]
@figure("basics/bias-variance.svg")
def bias_variance_curves() -> Figure:
    """多项式次数从 0 到 12：左图是偏差²、方差、噪声及其和，右图是训练误差与测试误差（欠拟合 → 过拟合）。"""
    degrees = list(range(13))
    runs = [bias_variance_decomposition(d) for d in degrees]
    fig, (left, right) = new_figure(2, width=8.0, height=3.4)
    for key, label in (("bias2", "偏差²"), ("variance", "方差"), ("noise", "噪声 σ²"), ("sum", "三者之和")):
        left.plot(degrees, [r[key] for r in runs], marker="o", ms=3, label=label)
    left.plot(degrees, [r["test_error"] for r in runs], "k--", lw=1, label="实测测试误差")
    left.set_yscale("log")
    left.set_xlabel("多项式次数")
    left.set_title("分解：偏差² + 方差 + 噪声")
    left.legend(fontsize=7)
    right.plot(degrees, [r["train_error"] for r in runs], marker="o", ms=3, label="训练误差")
    right.plot(degrees, [r["test_error"] for r in runs], marker="o", ms=3, label="测试误差")
    right.axvspan(-0.5, 2.5, color="tab:blue", alpha=0.08)
    right.axvspan(9.5, 12.5, color="tab:red", alpha=0.08)
    right.text(0, 0.62, "欠拟合\n高偏差", fontsize=8)
    right.text(9.7, 0.62, "过拟合\n高方差", fontsize=8)
    right.set_ylim(0, 0.75)
    right.set_xlabel("多项式次数")
    right.set_title("训练误差与测试误差")
    right.legend(fontsize=7, loc="upper center")
    return fig
# --8<-- [end:bias_variance_curves]
