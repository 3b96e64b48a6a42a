"""机器学习开发策略：单一评估指标、满足指标、误差分析，以及分布偏移的数据。

偏差 / 方差 / 数据不匹配的诊断见 :func:`dlguide.bias_variance.diagnose`。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

from dlguide._checks import check_in_range, check_int

__all__ = [
    "error_analysis_ceiling",
    "precision_recall_f1",
    "select_model",
    "shift_digits",
]


# --8<-- [start:precision_recall_f1]
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
# --8<-- [end:precision_recall_f1]


# --8<-- [start:select_model]
def select_model(
    candidates: Mapping[str, Mapping[str, float]], optimize: str, constraints: Mapping[str, float]
) -> str | None:
    """在满足所有“满足指标”上限（``constraints``，如延迟 ≤ 100 ms）的候选里，选“优化指标”（``optimize``）最大的。

    Parameters
    ----------
    candidates : Mapping[str, Mapping[str, float]]
        ``{模型名: {指标名: 值}}``。
    optimize : str
        要最大化的指标名。
    constraints : Mapping[str, float]
        ``{指标名: 上限}``，只要不超过上限就行，不再追求更小。

    Returns
    -------
    str or None
        选中的模型名；没有候选满足约束时为 ``None``。

    Examples
    --------
    >>> models = {"A": {"acc": 0.90, "ms": 80}, "B": {"acc": 0.92, "ms": 95}, "C": {"acc": 0.95, "ms": 1500}}
    >>> select_model(models, "acc", {"ms": 100})
    'B'
    """
    feasible = {
        name: m for name, m in candidates.items() if all(m[key] <= limit for key, limit in constraints.items())
    }
    if not feasible:
        return None
    return max(feasible, key=lambda name: feasible[name][optimize])
# --8<-- [end:select_model]


def error_analysis_ceiling(dev_error: float, n_errors_sampled: int, n_in_category: int) -> float:
    """误差分析的“天花板”：把某一类错误全部修好，验证集误差最多能降到多少。

    从验证集的错误样本里抽 ``n_errors_sampled`` 个人工查看，其中 ``n_in_category`` 个属于这一类。

    Examples
    --------
    >>> error_analysis_ceiling(0.10, 100, 5)     # 狗被认成猫只占 5%：修好也只到 9.5%
    0.095
    >>> error_analysis_ceiling(0.10, 100, 50)    # 占一半：最多能降到 5%
    0.05
    """
    check_in_range(dev_error, "dev_error", 0.0, 1.0)
    if n_errors_sampled < 1 or not 0 <= n_in_category <= n_errors_sampled:
        raise ValueError(
            f"需要 n_errors_sampled ≥ 1 且 0 ≤ n_in_category ≤ n_errors_sampled，收到 {n_errors_sampled} 和 {n_in_category}"
        )
    # 新误差 ≥ 原误差 × (1 − 该类所占比例)
    return round(dev_error * (1 - n_in_category / n_errors_sampled), 6)


# --8<-- [start:shift_digits]
def shift_digits(X: torch.Tensor, *, pixels: int = 1, noise: float = 0.3, seed: int = 0) -> torch.Tensor:
    """造一个“不同分布”的 digits：每张 8×8 图向右下平移 ``pixels`` 像素，再加高斯噪声并截断到 [0, 1]。

    模拟“训练数据来自网上的清晰图片，用户上传的却是偏移、模糊的照片”。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, 64)``、取值 [0, 1] 的 digits（:func:`dlguide.data.load_digits` 的输出）。
    pixels : int
        平移的像素数，在 [0, 7] 内。
    noise : float
        噪声标准差，≥ 0。
    seed : int
        随机种子。

    Returns
    -------
    torch.Tensor
        与 ``X`` 同形状。

    Examples
    --------
    >>> import torch
    >>> img = torch.zeros(1, 64); img[0, 0] = 1.0
    >>> shift_digits(img, pixels=1, noise=0.0).reshape(8, 8)[1, 1].item()
    1.0
    """
    if X.ndim != 2 or X.shape[1] != 64:
        raise ValueError(f"X 的形状必须是 (n, 64)，收到 {tuple(X.shape)}")
    check_int(pixels, "pixels", low=0, high=7)
    check_in_range(noise, "noise", 0.0, float("inf"))
    g = torch.Generator().manual_seed(seed)
    imgs = X.reshape(-1, 8, 8)
    shifted = torch.zeros_like(imgs)
    # 平移：新图的 (i + p, j + p) = 原图的 (i, j)，移出边界的像素丢掉
    shifted[:, pixels:, pixels:] = imgs[:, : 8 - pixels, : 8 - pixels]
    noisy = shifted + noise * torch.randn(shifted.shape, generator=g)
    return noisy.clamp(0, 1).reshape(-1, 64)
# --8<-- [end:shift_digits]
