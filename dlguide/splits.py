r"""训练/验证/测试集的划分，以及“验证集、测试集要多大”的统计学依据。

在 $n$ 个独立同分布的测试样本上测得准确率 $\hat p$，它的标准误是
$\operatorname{SE} = \sqrt{p(1-p)/n}$，近似 95% 置信区间的半宽是 $1.96\,\operatorname{SE}$。
需要分辨的差距越小，需要的样本越多，但所需的**绝对数量**与数据集总量无关。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dlguide._checks import check_in_range, check_int, check_positive

__all__ = ["split_counts", "accuracy_standard_error", "required_test_size"]


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
    ValueError
        ``n`` 不是正整数，或 ``fractions`` 不合法。

    Examples
    --------
    >>> split_counts(1_000, [0.6, 0.2, 0.2])
    [600, 200, 200]
    >>> split_counts(1_000_000, [0.98, 0.01, 0.01])
    [980000, 10000, 10000]
    """
    check_int(n, "n", low=1)
    fractions = [check_in_range(f, "fractions 的每一项", 0.0, 1.0, low_open=True) for f in fractions]
    if not fractions or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions 的总和必须为 1，收到 {sum(fractions)}")
    counts = [math.floor(n * f) for f in fractions]
    counts[0] += n - sum(counts)
    return counts


# --8<-- [start:standard_error]
def accuracy_standard_error(accuracy: float, n: int) -> float:
    r"""在 ``n`` 个独立样本上测得的准确率的标准误 $\sqrt{p(1-p)/n}$。

    Parameters
    ----------
    accuracy : float
        准确率 $p$，在 [0, 1] 内。
    n : int
        测试样本数，≥ 1。

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> round(accuracy_standard_error(0.9, 10_000), 4)
    0.003
    """
    check_in_range(accuracy, "accuracy", 0.0, 1.0)
    check_int(n, "n", low=1)
    # SE = √(p(1 − p) / n)：n 次伯努利试验的均值的标准差
    return math.sqrt(accuracy * (1 - accuracy) / n)


def required_test_size(margin: float, accuracy: float = 0.9, z: float = 1.96) -> int:
    r"""让准确率的置信区间半宽 $z\cdot\operatorname{SE}$ 不超过 ``margin`` 所需的最少样本数 $\lceil z^2 p(1-p)/\text{margin}^2\rceil$。

    Parameters
    ----------
    margin : float
        可接受的半宽，在 (0, 1) 内，例如 0.005 表示 ±0.5 个百分点。
    accuracy : float
        预计的准确率 $p$，在 [0, 1] 内（$p=0.5$ 时最保守）。
    z : float
        正态分位数，1.96 对应 95% 置信度，> 0。

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> required_test_size(0.01, accuracy=0.9)
    3458
    """
    check_in_range(margin, "margin", 0.0, 1.0, low_open=True, high_open=True)
    check_in_range(accuracy, "accuracy", 0.0, 1.0)
    check_positive(z, "z")
    # z·√(p(1−p)/n) ≤ margin  ⇔  n ≥ z² p(1−p) / margin²
    return max(1, math.ceil(z**2 * accuracy * (1 - accuracy) / margin**2 - 1e-9))
# --8<-- [end:standard_error]
