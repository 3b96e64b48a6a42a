"""按训练 / 训练-验证 / 验证 / 测试误差诊断：可避免偏差、方差、数据不匹配、对验证集过拟合，以及各自的对策。"""

from __future__ import annotations

from typing import NamedTuple

from dlguide._checks import check_in_range

__all__ = [
    "DATA_MISMATCH_REMEDIES",
    "DEV_OVERFITTING_REMEDIES",
    "Diagnosis",
    "HIGH_BIAS_REMEDIES",
    "HIGH_VARIANCE_REMEDIES",
    "diagnose",
]


class Diagnosis(NamedTuple):
    """[`diagnose`][dlguide.diagnosis.diagnose] 的结果。"""

    avoidable_bias: float
    """可避免偏差：训练误差 − 贝叶斯误差（或人类水平误差）。"""
    variance: float
    """方差：训练-验证误差（没有时用验证误差）− 训练误差。"""
    verdict: str
    """诊断结论。"""
    remedies: tuple[str, ...]
    """按顺序该尝试的手段。"""
    focus: str
    """差距最大的一项（``"avoidable_bias"``、``"variance"``、``"data_mismatch"`` 或 ``"dev_overfitting"``）。"""
    data_mismatch: float | None = None
    """数据不匹配：验证误差 − 训练-验证误差；没给训练-验证误差时为 ``None``。"""
    dev_overfitting: float | None = None
    """对验证集过拟合：测试误差 − 验证误差；没给测试误差时为 ``None``。"""

    def gaps(self) -> dict[str, float]:
        """算出来的各项差距（没算的项不列出），按从人类水平到测试集的顺序。"""
        names = ("avoidable_bias", "variance", "data_mismatch", "dev_overfitting")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


HIGH_BIAS_REMEDIES = (
    "更大的模型（更多层或更多隐藏单元）",
    "训练更久或换更好的优化器",
    "换更合适的架构",
    "减小正则化",
)


HIGH_VARIANCE_REMEDIES = (
    "更多训练数据（含数据增强）",
    "正则化（L2、dropout、早停）",
    "换更合适的架构",
    "集成（bagging）",
)


DATA_MISMATCH_REMEDIES = (
    "人工误差分析：弄清训练集与验证集的分布差在哪里",
    "收集更多目标分布的训练数据，或人工合成",
)


DEV_OVERFITTING_REMEDIES = ("换一个更大的验证集",)


def diagnose(
    train_error: float,
    dev_error: float,
    bayes_error: float = 0.0,
    tolerance: float = 0.02,
    *,
    train_dev_error: float | None = None,
    test_error: float | None = None,
) -> Diagnosis:
    """按相邻两级误差之差诊断偏差、方差（以及可选的数据不匹配、对验证集过拟合），并指出最大的那一项。

    - 可避免偏差 = 训练误差 − 贝叶斯误差（常用人类水平误差近似）；
    - 方差 = 训练-验证误差 − 训练误差（没有 ``train_dev_error`` 时用验证误差）；
    - 数据不匹配 = 验证误差 − 训练-验证误差（只在给了 ``train_dev_error`` 时算）；
    - 对验证集过拟合 = 测试误差 − 验证误差（只在给了 ``test_error`` 时算）。

    某一项超过 ``tolerance`` 就算“高”。偏差和方差都高时先处理偏差（训练集都拟合不好，加数据没有用）。

    Parameters
    ----------
    train_error, dev_error : float
        训练集、验证集上的误差率，在 [0, 1] 内。
    bayes_error : float
        贝叶斯误差（或人类水平误差）的估计，在 [0, 1] 内。
    tolerance : float
        认为“高”的差距阈值，在 [0, 1] 内。
    train_dev_error : float, optional
        训练-验证集（与训练集同分布、但不参与训练）的误差，在 [0, 1] 内。
    test_error : float, optional
        测试集误差，在 [0, 1] 内。

    Returns
    -------
    Diagnosis
        各项差距（保留 6 位小数）、``verdict``、``remedies`` 和 ``focus``（差距最大的一项）。

    Raises
    ------
    TypeError, ValueError
        参数不是实数或不在 [0, 1] 内。

    Examples
    --------
    >>> d = diagnose(0.01, 0.11)
    >>> d.verdict, d.remedies[0]
    ('高方差', '更多训练数据（含数据增强）')
    >>> d = diagnose(0.02, 0.10, bayes_error=0.01, train_dev_error=0.03)
    >>> d.gaps(), d.focus, d.verdict
    ({'avoidable_bias': 0.01, 'variance': 0.01, 'data_mismatch': 0.07}, 'data_mismatch', '数据不匹配')
    """
    for value, name in ((train_error, "train_error"), (dev_error, "dev_error"),
                        (bayes_error, "bayes_error"), (tolerance, "tolerance")):
        check_in_range(value, name, 0.0, 1.0)
    for value, name in ((train_dev_error, "train_dev_error"), (test_error, "test_error")):
        if value is not None:
            check_in_range(value, name, 0.0, 1.0)
    # 可避免偏差 = 训练误差 − 贝叶斯误差
    avoidable_bias = round(train_error - bayes_error, 6)
    # 方差 = 训练-验证误差 − 训练误差；没有训练-验证集时用验证误差（此时混进了数据不匹配）
    variance = round((dev_error if train_dev_error is None else train_dev_error) - train_error, 6)
    # 数据不匹配 = 验证误差 − 训练-验证误差；对验证集过拟合 = 测试误差 − 验证误差
    data_mismatch = None if train_dev_error is None else round(dev_error - train_dev_error, 6)
    dev_overfitting = None if test_error is None else round(test_error - dev_error, 6)
    problems = [
        (gap, label, remedies)
        for gap, label, remedies in (
            (avoidable_bias, "高偏差", HIGH_BIAS_REMEDIES),
            (variance, "高方差", HIGH_VARIANCE_REMEDIES),
            (data_mismatch, "数据不匹配", DATA_MISMATCH_REMEDIES),
            (dev_overfitting, "对验证集过拟合", DEV_OVERFITTING_REMEDIES),
        )
        if gap is not None and gap > tolerance
    ]
    if problems:
        verdict = "且".join(label for _, label, _ in problems)
    elif train_dev_error is None and test_error is None:
        verdict = "偏差和方差都低"
    else:
        verdict = "各项差距都低"
    remedies = tuple(r for _, _, group in problems for r in group)
    d = Diagnosis(avoidable_bias, variance, verdict, remedies, "", data_mismatch, dev_overfitting)
    gaps = d.gaps()
    # 优先处理差距最大的一项
    return d._replace(focus=max(gaps, key=gaps.__getitem__))
