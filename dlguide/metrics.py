r"""评估指标与它们的统计误差：查准率/查全率/F1，准确率的标准误和所需的测试集大小。

在 $n$ 个独立同分布的测试样本上测得准确率 $\hat p$，它的标准误是
$\operatorname{SE} = \sqrt{p(1-p)/n}$，近似 95% 置信区间的半宽是 $1.96\,\operatorname{SE}$。
需要分辨的差距越小，需要的样本越多，但所需的**绝对数量**与数据集总量无关。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dlguide._checks import check_in_range, check_int, check_positive

__all__ = [
    "accuracy_standard_error",
    "precision_recall_f1",
    "required_test_size",
]


def precision_recall_f1(y_true: Sequence[int], y_pred: Sequence[int], positive: int = 1) -> tuple[float, float, float]:
    r"""查准率 $P = \frac{TP}{TP+FP}$、查全率 $R = \frac{TP}{TP+FN}$ 和它们的调和平均 $F_1 = \frac{2PR}{P+R}$。

    分母为 0 时该项记为 0（与 scikit-learn 的 ``zero_division=0`` 一致）。

    Parameters
    ----------
    y_true, y_pred : Sequence[int]
        真实类别和预测类别，等长。
    positive : int
        当作正类的类别。

    Returns
    -------
    tuple[float, float, float]
        ``(P, R, F1)``，各保留 4 位小数。

    Raises
    ------
    ValueError
        两个序列长度不同或为空。

    Examples
    --------
    >>> precision_recall_f1([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    (0.6667, 0.6667, 0.6667)
    """
    t, p = list(y_true), list(y_pred)
    if len(t) != len(p) or not t:
        raise ValueError(f"y_true 与 y_pred 必须等长且非空，收到 {len(t)} 和 {len(p)}")
    tp = sum(a == positive and b == positive for a, b in zip(t, p))
    fp = sum(a != positive and b == positive for a, b in zip(t, p))
    fn = sum(a == positive and b != positive for a, b in zip(t, p))
    # P = TP / (TP + FP)：预测为正的里面有多少是真的
    precision = tp / (tp + fp) if tp + fp else 0.0
    # R = TP / (TP + FN)：真的正例里面找回了多少
    recall = tp / (tp + fn) if tp + fn else 0.0
    # F1 = 2PR / (P + R)：调和平均，两者任何一个低都会把它拉低
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


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
