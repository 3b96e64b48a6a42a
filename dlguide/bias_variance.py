r"""偏差-方差分解：用蒙特卡洛在已知真函数上实测，以及按训练/验证误差做诊断。

平方损失下，对固定的输入 $x$，把训练集 $D$ 当作随机变量，学到的函数 $\hat f_D$ 的期望测试误差分解为

$$
\mathbb E_{D,\varepsilon}\bigl[(y - \hat f_D(x))^2\bigr]
 = \underbrace{\bigl(\mathbb E_D[\hat f_D(x)] - f(x)\bigr)^2}_{\text{偏差}^2}
 + \underbrace{\mathbb E_D\bigl[(\hat f_D(x) - \mathbb E_D[\hat f_D(x)])^2\bigr]}_{\text{方差}}
 + \underbrace{\sigma^2}_{\text{噪声}} .
$$

本模块的计算都在 CPU 上用 float64 完成（小规模最小二乘），结果与设备无关。
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from dlguide._checks import check_in_range, check_int

__all__ = ["true_function", "bias_variance_decomposition", "Diagnosis", "diagnose"]


def true_function(x: torch.Tensor) -> torch.Tensor:
    r"""实验用的真函数 $f(x) = \sin(2\pi x)$，$x\in[0,1]$。

    Examples
    --------
    >>> import torch
    >>> true_function(torch.tensor([0.0, 0.25])).round(decimals=4).tolist()
    [0.0, 1.0]
    """
    return torch.sin(2 * math.pi * x)


def _design(x: torch.Tensor, degree: int) -> torch.Tensor:
    # 把 x 从 [0, 1] 映射到 [-1, 1] 再取幂，条件数小得多
    return torch.stack([(2 * x - 1) ** k for k in range(degree + 1)], dim=-1)


# --8<-- [start:decomposition]
def bias_variance_decomposition(
    degree: int,
    n_train: int = 15,
    noise: float = 0.3,
    n_trials: int = 200,
    n_test: int = 200,
    seed: int = 0,
) -> dict[str, float]:
    r"""对多项式回归做偏差-方差分解的蒙特卡洛实验。

    训练输入固定为 $[0, 1]$ 上等距的 ``n_train`` 个点。重复 ``n_trials`` 次：按
    $y = \sin(2\pi x) + \varepsilon$（$\varepsilon\sim\mathcal N(0, \sigma^2)$）重新抽训练标签，用最小二乘拟合 ``degree`` 次多项式；在固定的 ``n_test`` 个测试点上
    记录预测。再按定义计算偏差²、方差，并用**另抽的带噪标签**直接测出期望测试误差，用来核对分解。

    Parameters
    ----------
    degree : int
        多项式次数，≥ 0。
    n_train : int
        每个训练集的样本数，≥ 1。
    noise : float
        噪声标准差 $\sigma$，在 [0, 10] 内。
    n_trials : int
        训练集的个数，≥ 2。
    n_test : int
        测试点个数，≥ 1。
    seed : int
        随机种子。

    Returns
    -------
    dict[str, float]
        ``bias2``、``variance``、``noise``（$\sigma^2$）、``sum``（三者之和）、
        ``test_error``（直接测得的期望测试误差）、``train_error``（平均训练误差）。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> r = bias_variance_decomposition(degree=3, seed=0)
    >>> abs(r["sum"] - r["test_error"]) < 0.01
    True
    """
    check_int(degree, "degree", low=0)
    check_int(n_train, "n_train", low=1)
    check_int(n_trials, "n_trials", low=2)
    check_int(n_test, "n_test", low=1)
    check_in_range(noise, "noise", 0.0, 10.0)
    g = torch.Generator().manual_seed(seed)
    dt = torch.float64
    x_test = torch.linspace(0, 1, n_test, dtype=dt)
    f_test = true_function(x_test)
    # 每次试验一个训练集：x 固定等距，y = f(x) + σε 每次重抽
    x = torch.linspace(0, 1, n_train, dtype=dt).expand(n_trials, n_train)
    y = true_function(x) + noise * torch.randn(n_trials, n_train, generator=g, dtype=dt)
    # 最小二乘拟合 degree 次多项式（一次解 n_trials 个问题）
    design = _design(x, degree)
    coef = torch.linalg.lstsq(design, y[..., None], driver="gelsd").solution
    pred = (_design(x_test, degree) @ coef).squeeze(-1)  # (n_trials, n_test)
    fit_train = (design @ coef).squeeze(-1)
    mean_pred = pred.mean(dim=0)
    # 偏差² = E_x[(E_D f̂(x) − f(x))²]；方差 = E_x E_D[(f̂(x) − E_D f̂(x))²]
    bias2 = ((mean_pred - f_test) ** 2).mean()
    variance = ((pred - mean_pred) ** 2).mean()
    # 直接测：对每个训练集另抽一组带噪测试标签
    y_test = f_test + noise * torch.randn(n_trials, n_test, generator=g, dtype=dt)
    test_error = ((y_test - pred) ** 2).mean()
    train_error = ((y - fit_train) ** 2).mean()
    return {
        "bias2": bias2.item(),
        "variance": variance.item(),
        "noise": noise**2,
        "sum": (bias2 + variance).item() + noise**2,
        "test_error": test_error.item(),
        "train_error": train_error.item(),
    }
# --8<-- [end:decomposition]


class Diagnosis(NamedTuple):
    """:func:`diagnose` 的结果。"""

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


# --8<-- [start:diagnose]
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
# --8<-- [end:diagnose]
