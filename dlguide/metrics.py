r"""评估指标与它们的统计误差：查准率/查全率/F1，准确率的标准误和所需的测试集大小。

在 $n$ 个独立同分布的测试样本上测得准确率 $\hat p$，它的标准误是
$\operatorname{SE} = \sqrt{p(1-p)/n}$，近似 95% 置信区间的半宽是 $1.96\,\operatorname{SE}$。
需要分辨的差距越小，需要的样本越多，但所需的**绝对数量**与数据集总量无关。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from dlguide._checks import check_in_range, check_int, check_positive, check_tensor

__all__ = [
    "accuracy_standard_error",
    "precision_recall_f1",
    "required_test_size",
    "roc_auc",
    "roc_curve",
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


def _check_scores_labels(scores: object, labels: object) -> tuple[torch.Tensor, torch.Tensor]:
    check_tensor(scores, "scores", ndim=1, nonempty=True)
    check_tensor(labels, "labels", kind="any", ndim=1)
    if labels.is_floating_point() or labels.is_complex():
        raise TypeError(f"labels 必须是整数或 bool 张量（1 = 正例），收到的是 {labels.dtype}")
    if len(labels) != len(scores):
        raise ValueError(f"scores 与 labels 的长度必须相同，收到 {len(scores)} 和 {len(labels)}")
    positive = labels.to(torch.int64).cpu()
    if bool(((positive != 0) & (positive != 1)).any()):
        raise ValueError("labels 的取值只能是 0 或 1")
    if int(positive.sum()) in (0, len(positive)):
        raise ValueError("labels 里正例和负例都至少要有一个，否则 ROC 没有定义")
    if not bool(scores.isfinite().all()):
        raise ValueError("scores 必须是有限数")
    return scores.detach().to(torch.float64).cpu(), positive.bool()


def roc_curve(scores: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""ROC 曲线：阈值 $t$ 从高到低扫过每个不同的分数，判定 $\text{score}\ge t$ 为正，记录

    $$
    \mathrm{TPR}(t) = \frac{\mathrm{TP}(t)}{P},\qquad \mathrm{FPR}(t) = \frac{\mathrm{FP}(t)}{N} .
    $$

    第一个点是阈值 $+\infty$ 处的 $(0, 0)$。结果与 ``sklearn.metrics.roc_curve(..., drop_intermediate=False)`` 相同。

    Parameters
    ----------
    scores : torch.Tensor
        形状 ``(n,)`` 的有限分数，越大越像正例。
    labels : torch.Tensor
        形状 ``(n,)`` 的整数或 bool，1 表示正例；正、负例都至少一个。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor, torch.Tensor]
        ``fpr``、``tpr``、``thresholds``（float64，阈值从大到小）。

    Raises
    ------
    TypeError, ValueError
        形状、类型或取值不合法。

    Examples
    --------
    >>> fpr, tpr, thr = roc_curve(torch.tensor([0.9, 0.8, 0.7, 0.1]), torch.tensor([1, 0, 1, 0]))
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    s, positive = _check_scores_labels(scores, labels)
    order = torch.sort(s, descending=True, stable=True).indices
    s, positive = s[order], positive[order]
    # 并列的分数一起越过阈值：只在每段相同分数的最后一个位置取点
    last = torch.cat([s[1:] != s[:-1], torch.tensor([True])])
    tp = torch.cumsum(positive.to(torch.float64), dim=0)[last]
    fp = torch.cumsum((~positive).to(torch.float64), dim=0)[last]
    zero = torch.zeros(1, dtype=torch.float64)
    # TPR = TP / P，FPR = FP / N
    tpr = torch.cat([zero, tp / tp[-1]])
    fpr = torch.cat([zero, fp / fp[-1]])
    thresholds = torch.cat([torch.tensor([math.inf], dtype=torch.float64), s[last]])
    return fpr, tpr, thresholds


def roc_auc(scores: torch.Tensor, labels: torch.Tensor) -> float:
    r"""ROC 曲线下的面积（梯形法则），等于随机取一个正例、一个负例时正例分数更高的概率（并列算一半）。

    与 ``sklearn.metrics.roc_auc_score`` 相同，保留 4 位小数。

    Parameters
    ----------
    scores, labels : torch.Tensor
        同 [`roc_curve`][dlguide.metrics.roc_curve]。

    Returns
    -------
    float
        $[0, 1]$ 内的 AUC；0.5 相当于瞎猜。

    Raises
    ------
    TypeError, ValueError
        同 [`roc_curve`][dlguide.metrics.roc_curve]。

    Examples
    --------
    >>> roc_auc(torch.tensor([0.9, 0.8, 0.7, 0.1]), torch.tensor([1, 0, 1, 0]))
    0.75
    """
    fpr, tpr, _ = roc_curve(scores, labels)
    # AUC = Σ (FPR_k − FPR_{k−1})·(TPR_k + TPR_{k−1}) / 2
    return round(float(((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2).sum()), 4)
