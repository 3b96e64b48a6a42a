r"""损失曲面：鞍点、病态二次函数、Rosenbrock 函数，以及用 Hessian 判断临界点的工具。

用 [`dlguide.optim.minimize`][dlguide.optim.minimize] 在这些二元函数上比较优化算法的轨迹。
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from dlguide._checks import check_callable, check_finite, check_in_range, check_numbers, check_tensor

__all__ = [
    "hessian_eigenvalues",
    "ill_conditioned_quadratic",
    "max_stable_lr",
    "rosenbrock",
    "saddle",
]


def _check_point(x: torch.Tensor) -> None:
    check_tensor(x, "x")
    if x.ndim == 0 or x.shape[-1] != 2:
        raise ValueError(f"x 的最后一维必须是 2（二元函数），收到形状 {tuple(x.shape)}")


def saddle(x: torch.Tensor) -> torch.Tensor:
    r"""马鞍面 $f(x, y) = x^2 - y^2$：原点梯度为零，沿 $x$ 向上弯、沿 $y$ 向下弯。

    Examples
    --------
    >>> import torch
    >>> saddle(torch.tensor([1.0, 2.0])).item()
    -3.0
    """
    _check_point(x)
    # f(x, y) = x² − y²
    return x[..., 0] ** 2 - x[..., 1] ** 2


def ill_conditioned_quadratic(x: torch.Tensor, condition: float = 20.0) -> torch.Tensor:
    r"""病态二次函数 $f(x, y) = \tfrac12(x^2 + \kappa y^2)$，Hessian 特征值为 $1$ 和 $\kappa$（条件数 $\kappa$）。

    ``x`` 是最后一维为 2 的浮点张量（一个点或一批点），条件数 ``condition`` 是 $[1, \infty)$ 内的有限实数。
    ``x`` 里的 NaN/inf 按 PyTorch 的语义传播。

    Examples
    --------
    >>> import torch
    >>> ill_conditioned_quadratic(torch.tensor([2.0, 1.0]), condition=10.0).item()
    7.0
    """
    _check_point(x)
    check_in_range(condition, "condition", 1.0, float("inf"), high_open=True)
    # f(x, y) = ½ (x² + κ y²)
    return 0.5 * (x[..., 0] ** 2 + condition * x[..., 1] ** 2)


def rosenbrock(x: torch.Tensor, a: float = 1.0, b: float = 100.0) -> torch.Tensor:
    r"""Rosenbrock 函数 $f(x, y) = (a-x)^2 + b\,(y-x^2)^2$，最小值 0 在 $(a, a^2)$，位于一条弯曲的窄谷底。

    ``x`` 是最后一维为 2 的浮点张量，``a``、``b`` 是有限实数。

    Examples
    --------
    >>> import torch
    >>> rosenbrock(torch.tensor([1.0, 1.0])).item(), rosenbrock(torch.tensor([0.0, 0.0])).item()
    (0.0, 1.0)
    """
    _check_point(x)
    check_finite(a, "a")
    check_finite(b, "b")
    # f(x, y) = (a − x)² + b (y − x²)²
    return (a - x[..., 0]) ** 2 + b * (x[..., 1] - x[..., 0] ** 2) ** 2


def hessian_eigenvalues(f: Callable[[torch.Tensor], torch.Tensor], x: Sequence[float]) -> list[float]:
    """``f`` 在点 ``x`` 处 Hessian 的特征值（从小到大，float64，保留 6 位小数）。

    全为正：局部极小；全为负：局部极大；有正有负：鞍点。

    Parameters
    ----------
    f : callable
        把形状 ``(d,)`` 的张量映射到标量的函数。
    x : Sequence[float]
        求值点：有限实数的非空序列。

    Returns
    -------
    list[float]
        ``d`` 个特征值。

    Raises
    ------
    TypeError, ValueError
        ``f`` 不可调用或不返回标量，或 ``x`` 不是有限实数的非空序列。

    Examples
    --------
    >>> hessian_eigenvalues(saddle, [0.0, 0.0])
    [-2.0, 2.0]
    """
    check_callable(f, "f")
    point = torch.tensor(check_numbers(x, "x", finite=True), dtype=torch.float64)
    value = f(point)
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise ValueError(f"f 必须把 x 映射成一个标量张量，收到 {type(value).__name__}"
                         + (f"（形状 {tuple(value.shape)}）" if isinstance(value, torch.Tensor) else ""))
    # H_ij = ∂²f / ∂x_i ∂x_j ，用 autograd 求两次导
    H = torch.autograd.functional.hessian(f, point)
    return [round(v, 6) for v in torch.linalg.eigvalsh(H).tolist()]


def max_stable_lr(H: torch.Tensor) -> float:
    r"""二次函数 $\tfrac12 x^\top H x$ 上梯度下降的稳定上限 $2/L$，$L = \lambda_{\max}(H)$。

    梯度下降把沿第 $i$ 个特征方向的分量每步乘以 $1-\alpha\lambda_i$；$\alpha > 2/L$ 时这个因子的绝对值大于 1，发散。

    Parameters
    ----------
    H : torch.Tensor
        对称正定矩阵。

    Returns
    -------
    float
        $2/\lambda_{\max}$。

    Raises
    ------
    ValueError
        ``H`` 不是方阵或最大特征值不为正。

    Examples
    --------
    >>> import torch
    >>> max_stable_lr(torch.diag(torch.tensor([1.0, 20.0])))
    0.1
    """
    check_tensor(H, "H")
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H 必须是方阵，收到形状 {tuple(H.shape)}")
    L = torch.linalg.eigvalsh(H.double()).max().item()
    if L <= 0:
        raise ValueError(f"H 的最大特征值必须 > 0，收到 {L}")
    # α_max = 2 / L
    return round(2.0 / L, 12)
