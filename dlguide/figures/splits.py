"""数据划分的图：准确率的标准误随测试集大小的变化。"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure
from dlguide.splits import accuracy_standard_error


# --8<-- [start:standard_error_figure]
@figure("basics/test-set-size.svg")
def standard_error_vs_size() -> Figure:
    """准确率约 90% 时，95% 置信区间半宽随测试集大小 $n$ 的变化（$\\propto 1/\\sqrt n$），并标出几种常见划分得到的 $n$。"""
    sizes = np.logspace(1, 6, 200)
    half_width = [1.96 * accuracy_standard_error(0.9, int(n)) * 100 for n in sizes]
    fig, (ax,) = new_figure(width=6.8, height=3.6)
    ax.loglog(sizes, half_width, label="95% 置信区间半宽（百分点），p = 0.9")
    marks = {"1 千条的 30%": 300, "1 万条的 20%": 2_000, "100 万条的 1%": 10_000, "1000 万条的 0.25%": 25_000}
    for k, (label, n) in enumerate(marks.items()):
        y = 1.96 * accuracy_standard_error(0.9, n) * 100
        ax.plot([n], [y], "o", color="tab:red")
        ax.annotate(f"{label}\nn={n:,} → ±{y:.2f}", xy=(n, y), xytext=(n * 1.3, y * (1.5 if k < 3 else 0.35)), fontsize=8)
    ax.axhline(1.0, color="gray", ls="--", lw=0.8)
    ax.text(12, 1.08, "±1 个百分点", fontsize=8, color="gray")
    ax.set_xlabel("验证集 / 测试集样本数 n")
    ax.set_ylabel("±百分点")
    ax.legend(loc="upper right", fontsize=8)
    return fig
# --8<-- [end:standard_error_figure]
