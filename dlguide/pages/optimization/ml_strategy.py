"""“机器学习开发策略”一页：满足指标下选模型、误差分析的上限，误差阶梯图。"""

from __future__ import annotations

import math
from collections.abc import Mapping

from matplotlib.figure import Figure

from dlguide._checks import check_choice, check_in_range, check_int
from dlguide.diagnosis import diagnose
from dlguide.figures import figure, new_figure

__all__ = ["error_analysis_ceiling", "error_staircase", "select_model"]


def select_model(
    candidates: Mapping[str, Mapping[str, float]], optimize: str, constraints: Mapping[str, float]
) -> str | None:
    """在满足所有“满足指标”上限（``constraints``，如延迟 ≤ 100 ms）的候选里，选“优化指标”（``optimize``）最大的。

    Parameters
    ----------
    candidates : Mapping[str, Mapping[str, float]]
        ``{模型名: {指标名: 值}}``，至少一个候选；值是实数（不能是 NaN：它与任何上限比较都是 False）。
    optimize : str
        要最大化的指标名，每个候选都要有它。
    constraints : Mapping[str, float]
        ``{指标名: 上限}``，只要不超过上限就行，不再追求更小；指标名必须是每个候选都有的，上限不能是 NaN。

    Returns
    -------
    str or None
        选中的模型名；没有候选满足约束时为 ``None``。

    Raises
    ------
    TypeError, ValueError
        参数不是上面说的映射，值不是实数或为 NaN，或指标名不是每个候选都有的（而不是一个裸的 ``KeyError``）。

    Examples
    --------
    >>> models = {"A": {"acc": 0.90, "ms": 80}, "B": {"acc": 0.92, "ms": 95}, "C": {"acc": 0.95, "ms": 1500}}
    >>> select_model(models, "acc", {"ms": 100})
    'B'
    """
    if not isinstance(candidates, Mapping) or not candidates:
        raise TypeError(f"candidates 必须是非空的 {{模型名: {{指标名: 值}}}} 字典，收到 {type(candidates).__name__}")
    for name, metrics in candidates.items():
        if not isinstance(metrics, Mapping):
            raise TypeError(f"candidates[{name!r}] 必须是 {{指标名: 值}} 的字典，收到 {type(metrics).__name__}")
        for key, value in metrics.items():
            check_in_range(value, f"candidates[{name!r}][{key!r}]", -math.inf, math.inf)
    first = next(iter(candidates.values()))
    common = [key for key in first if all(key in m for m in candidates.values())]  # 每个候选都有的指标
    check_choice(optimize, "optimize", common)
    if not isinstance(constraints, Mapping):
        raise TypeError(f"constraints 必须是 {{指标名: 上限}} 的字典，收到 {type(constraints).__name__}")
    for key, limit in constraints.items():
        check_choice(key, "constraints 的指标名", common)
        check_in_range(limit, f"constraints[{key!r}]", -math.inf, math.inf)
    feasible = {
        name: m for name, m in candidates.items() if all(m[key] <= limit for key, limit in constraints.items())
    }
    if not feasible:
        return None
    return max(feasible, key=lambda name: feasible[name][optimize])


def error_analysis_ceiling(dev_error: float, n_errors_sampled: int, n_in_category: int) -> float:
    """误差分析的“天花板”：把某一类错误全部修好，验证集误差最多能降到多少。

    从验证集的错误样本里抽 ``n_errors_sampled`` 个（≥ 1 的整数）人工查看，其中 ``n_in_category`` 个（0 到
    ``n_errors_sampled`` 的整数）属于这一类；``dev_error`` 在 [0, 1] 内。

    Examples
    --------
    >>> error_analysis_ceiling(0.10, 100, 5)     # 狗被认成猫只占 5%：修好也只到 9.5%
    0.095
    >>> error_analysis_ceiling(0.10, 100, 50)    # 占一半：最多能降到 5%
    0.05
    """
    check_in_range(dev_error, "dev_error", 0.0, 1.0)
    check_int(n_errors_sampled, "n_errors_sampled", low=1)
    check_int(n_in_category, "n_in_category", low=0)
    if n_in_category > n_errors_sampled:
        raise ValueError(
            f"需要 0 ≤ n_in_category ≤ n_errors_sampled，收到 {n_in_category} 和 {n_errors_sampled}"
        )
    # 新误差 ≥ 原误差 × (1 − 该类所占比例)
    return round(dev_error * (1 - n_in_category / n_errors_sampled), 6)


SCENARIOS: dict[str, tuple[float, float, float, float]] = {
    "A：偏差为主": (1.0, 8.0, 9.0, 10.0),
    "B：方差为主": (7.5, 8.0, 9.5, 10.0),
    "C：数据不匹配": (1.0, 1.5, 2.5, 10.0),
}
"""三个示意场景（误差，单位 %）：人类水平、训练、训练-验证、验证。"""


@figure
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
