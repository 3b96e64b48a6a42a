"""“超参数调试处理”一页：网格与随机搜索、对数尺度采样。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int, check_positive, check_seed
from dlguide.figures import figure, new_figure

__all__ = ["averaging_window", "grid_points", "grid_vs_random", "random_points", "sample_beta", "sample_log_uniform"]


def grid_points(per_axis: int, dims: int = 2) -> torch.Tensor:
    """网格搜索：每一维在 [0, 1] 上取 ``per_axis`` 个等距值，共 ``per_axis ** dims`` 个点。

    ``per_axis`` ≥ 1、``dims`` 在 [1, 20] 内，点数 ``per_axis ** dims`` 不超过 $10^7$（网格随维数指数增长，
    这正是它在高维里不可行的原因）；否则抛出 ``TypeError``/``ValueError``。

    Examples
    --------
    >>> grid_points(3).tolist()[:4]
    [[0.0, 0.0], [0.0, 0.5], [0.0, 1.0], [0.5, 0.0]]
    """
    check_int(per_axis, "per_axis", low=1, high=10**7)
    check_int(dims, "dims", low=1, high=20)
    if per_axis**dims > 10**7:
        raise ValueError(f"per_axis ** dims = {per_axis}**{dims} 个网格点太多（上限 10**7）")
    axis = torch.linspace(0, 1, per_axis, dtype=torch.float64)
    # 笛卡儿积：每一维都只有 per_axis 个不同的值
    return torch.cartesian_prod(*[axis] * dims).reshape(-1, dims)


def random_points(n: int, dims: int = 2, seed: int | None = 0) -> torch.Tensor:
    """随机搜索：在 $[0, 1]^{dims}$ 里均匀随机取 ``n`` 个点。

    ``n`` 在 [1, 10⁷] 内、``dims`` 在 [1, 10000] 内，``n·dims`` 不超过 $10^7$；``seed`` 是随机种子，
    ``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> pts = random_points(9)
    >>> tuple(pts.shape), len(set(pts[:, 0].tolist()))   # 9 个点，第一维有 9 个不同的值
    ((9, 2), 9)
    """
    check_int(n, "n", low=1, high=10**7)
    check_int(dims, "dims", low=1, high=10_000)
    if n * dims > 10**7:
        raise ValueError(f"n·dims = {n * dims} 太大（上限 10**7）")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    # 每个点的每一维独立均匀采样：n 个点在每一维上都投影出 n 个不同的值
    return torch.rand(n, dims, generator=g, dtype=torch.float64)


def sample_log_uniform(low: float, high: float, n: int, seed: int | None = 0) -> list[float]:
    r"""在对数尺度上均匀采样：$r \sim U(\log_{10} \text{low}, \log_{10} \text{high})$，返回 $10^r$。学习率这样取。

    Parameters
    ----------
    low, high : float
        区间端点，$0 < \text{low} < \text{high} < \infty$。
    n : int
        样本数，在 [1, 10⁷] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        ``n`` 个样本。

    Raises
    ------
    TypeError, ValueError
        端点不满足 $0 < \text{low} < \text{high} < \infty$，``n`` 越界，或 ``seed`` 越界。

    Examples
    --------
    >>> lrs = sample_log_uniform(1e-4, 1.0, 1000)
    >>> sum(lr < 1e-3 for lr in lrs), sum(lr > 0.1 for lr in lrs)   # 每个数量级约四分之一
    (254, 242)
    """
    check_int(n, "n", low=1, high=10**7)
    check_positive(low, "low")
    check_in_range(high, "high", low, math.inf, low_open=True, high_open=True)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    # r ~ U(log₁₀ low, log₁₀ high)，α = 10^r
    r = math.log10(low) + (math.log10(high) - math.log10(low)) * torch.rand(n, generator=g, dtype=torch.float64)
    return (10**r).tolist()


def sample_beta(low: float, high: float, n: int, seed: int | None = 0) -> list[float]:
    r"""给指数加权平均的 $\beta$ 采样：对 $1-\beta$ 在对数尺度上均匀采样，$\beta \in [\text{low}, \text{high}]$。

    $0 \le \text{low} < \text{high} < 1$；``n`` 在 [1, 10⁷] 内；``seed`` 是随机种子，``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> betas = sample_beta(0.9, 0.999, 1000)
    >>> sum(b < 0.99 for b in betas), sum(b >= 0.99 for b in betas)   # 0.9～0.99 与 0.99～0.999 各占一半
    (500, 500)
    """
    check_in_range(low, "low", 0.0, 1.0, high_open=True)
    check_in_range(high, "high", low, 1.0, low_open=True, high_open=True)
    # 1 − β ~ 10^U(log₁₀(1 − high), log₁₀(1 − low))
    return [1 - v for v in sample_log_uniform(1 - high, 1 - low, n, seed)]


def averaging_window(beta: float) -> float:
    r"""指数加权平均大约平均的样本数 $1/(1-\beta)$。

    Examples
    --------
    >>> [round(averaging_window(b), 2) for b in (0.9, 0.9005, 0.999, 0.9995)]
    [10.0, 10.05, 1000.0, 2000.0]
    """
    check_in_range(beta, "beta", 0.0, 1.0, high_open=True)
    # 窗口 ≈ 1 / (1 − β)
    return 1 / (1 - beta)


@figure
def grid_vs_random() -> Figure:
    """25 次试验：网格搜索在重要的超参数上只试了 5 个值，随机搜索试了 25 个。"""
    fig, axes = new_figure(2, width=7.6, height=3.6)
    for ax, (title, pts) in zip(axes, (("网格搜索 5×5", grid_points(5)), ("随机搜索 25 点", random_points(25)))):
        ax.scatter(pts[:, 0], pts[:, 1], s=18)
        ax.plot(pts[:, 0], [-0.08] * len(pts), "|", color="tab:red", markersize=12)
        ax.set_ylim(-0.15, 1.05)
        ax.set_title(f"{title}：重要参数上 {len(set(pts[:, 0].tolist()))} 个不同值", fontsize=10)
        ax.set_xlabel("重要的超参数（如学习率）")
        ax.set_ylabel("不重要的超参数（如 Adam 的 ε）")
    return fig
