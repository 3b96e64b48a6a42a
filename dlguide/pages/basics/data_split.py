"""“深度学习与传统机器学习的数据划分区别”一页的实验和图。"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int, check_numbers
from dlguide.figures import figure, new_figure
from dlguide.metrics import accuracy_standard_error

__all__ = ["split_counts", "standard_error_vs_size"]


def split_counts(n: int, fractions: Sequence[float]) -> list[int]:
    """把 ``n`` 个样本按比例分成若干份，返回各份的样本数（和恰好为 ``n``，余数给第一份）。

    Parameters
    ----------
    n : int
        样本总数，≥ 1。
    fractions : Sequence[float]
        各份的比例，每个在 (0, 1] 内，总和为 1（误差 1e-9 以内）。

    Returns
    -------
    list[int]

    Raises
    ------
    TypeError, ValueError
        ``n`` 不是正整数，或 ``fractions`` 不是数的序列、不合法。

    Examples
    --------
    >>> split_counts(1_000, [0.6, 0.2, 0.2])
    [600, 200, 200]
    >>> split_counts(1_000_000, [0.98, 0.01, 0.01])
    [980000, 10000, 10000]
    """
    check_int(n, "n", low=1)
    fractions = check_numbers(fractions, "fractions", nonempty=False)
    fractions = [check_in_range(f, "fractions 的每一项", 0.0, 1.0, low_open=True) for f in fractions]
    if not fractions or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions 的总和必须为 1，收到 {sum(fractions)}")
    counts = [math.floor(n * f) for f in fractions]
    counts[0] += n - sum(counts)
    return counts


@figure
def standard_error_vs_size() -> Figure:
    r"""准确率约 90% 时，95% 置信区间半宽随测试集大小 $n$ 的变化（$\propto 1/\sqrt n$），并标出几种常见划分得到的 $n$。"""
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
