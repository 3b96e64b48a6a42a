r"""正则化：L2 / L1 惩罚、软阈值（L1 的近端算子）、岭回归与 lasso，以及 dropout 的等价 L2 惩罚。

约定：成本函数 $J(\boldsymbol w) = \frac{1}{2n}\lVert X\boldsymbol w - \boldsymbol y\rVert^2 + \Omega(\boldsymbol w)$，
L2 惩罚 $\Omega = \frac{\lambda}{2}\lVert\boldsymbol w\rVert_2^2$（梯度 $\lambda\boldsymbol w$，与 PyTorch 的 ``weight_decay=λ`` 对应），
L1 惩罚 $\Omega = \lambda\lVert\boldsymbol w\rVert_1$。
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from dlguide._checks import check_in_range, check_int, check_nonnegative, check_tensor

__all__ = [
    "l2_penalty",
    "l1_penalty",
    "l1_subgradient",
    "soft_threshold",
    "ridge_regression",
    "lasso_ista",
    "dropout_l2_penalty",
]


def _parameters(params: torch.Tensor | Iterable[torch.Tensor]) -> list[torch.Tensor]:
    if not isinstance(params, torch.Tensor) and (isinstance(params, (str, bytes)) or not isinstance(params, Iterable)):
        raise TypeError(f"params 必须是张量或张量的可迭代对象（例如 model.parameters()），收到的是 {type(params).__name__}")
    tensors = [params] if isinstance(params, torch.Tensor) else list(params)
    if not tensors:
        raise ValueError("params 至少要有一个张量")
    for i, p in enumerate(tensors):
        check_tensor(p, f"params[{i}]")
    return tensors


def l2_penalty(params: torch.Tensor | Iterable[torch.Tensor], lam: float) -> torch.Tensor:
    r"""L2 惩罚 $\frac{\lambda}{2}\sum_k \lVert W_k\rVert_F^2$。它对 $W$ 的梯度是 $\lambda W$。

    Parameters
    ----------
    params : torch.Tensor or iterable of torch.Tensor
        要惩罚的参数，例如 ``model.parameters()``。
    lam : float
        正则化系数 $\lambda \ge 0$，有限。

    Returns
    -------
    torch.Tensor
        标量，可以直接加到损失上反向传播。

    Raises
    ------
    TypeError
        参数不是浮点张量，或 ``lam`` 不是实数。
    ValueError
        ``lam < 0`` 或 ``params`` 为空。

    Examples
    --------
    >>> l2_penalty(torch.tensor([3.0, 4.0]), 0.1).item()
    1.25
    """
    check_nonnegative(lam, "lam")
    # Ω₂ = (λ/2) Σ_k ‖W_k‖²
    return lam / 2 * sum(p.pow(2).sum() for p in _parameters(params))


def l1_penalty(params: torch.Tensor | Iterable[torch.Tensor], lam: float) -> torch.Tensor:
    r"""L1 惩罚 $\lambda\sum_k \lVert W_k\rVert_1$。autograd 给出的是次梯度 $\lambda\operatorname{sign}(W)$（在 0 处取 0）。

    Parameters
    ----------
    params : torch.Tensor or iterable of torch.Tensor
        要惩罚的参数。
    lam : float
        正则化系数 $\lambda \ge 0$，有限。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError
        参数不是浮点张量，或 ``lam`` 不是实数。
    ValueError
        ``lam < 0`` 或 ``params`` 为空。

    Examples
    --------
    >>> round(l1_penalty(torch.tensor([3.0, -4.0]), 0.1).item(), 4)
    0.7
    """
    check_nonnegative(lam, "lam")
    # Ω₁ = λ Σ_k ‖W_k‖₁
    return lam * sum(p.abs().sum() for p in _parameters(params))


def l1_subgradient(w: torch.Tensor) -> torch.Tensor:
    r"""$\lVert w\rVert_1$ 的一个次梯度 $\operatorname{sign}(w)$：$w\neq0$ 时是导数，$w=0$ 时取 $[-1, 1]$ 里的 0。

    Parameters
    ----------
    w : torch.Tensor
        浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``w`` 同形状，取值 $\{-1, 0, 1\}$。

    Raises
    ------
    TypeError
        ``w`` 不是浮点张量。

    Examples
    --------
    >>> l1_subgradient(torch.tensor([-2.0, 0.0, 0.5])).tolist()
    [-1.0, 0.0, 1.0]
    """
    check_tensor(w, "w")
    # ∂|w| = {sign(w)}（w ≠ 0），[−1, 1]（w = 0，取 0）
    return torch.sign(w)


def soft_threshold(w: torch.Tensor, threshold: float) -> torch.Tensor:
    r"""软阈值 $S_t(w) = \operatorname{sign}(w)\max(|w| - t, 0)$，即 $t\lVert\cdot\rVert_1$ 的近端算子。

    $S_t(v) = \arg\min_w \frac12(w - v)^2 + t|w|$：绝对值不超过 $t$ 的分量被置为**恰好** 0，其余向 0 收缩 $t$。

    Parameters
    ----------
    w : torch.Tensor
        浮点张量。
    threshold : float
        阈值 $t \ge 0$，有限。

    Returns
    -------
    torch.Tensor
        与 ``w`` 同形状。

    Raises
    ------
    TypeError
        ``w`` 不是浮点张量。
    ValueError
        ``threshold < 0``。

    Examples
    --------
    >>> soft_threshold(torch.tensor([-2.0, -0.3, 0.0, 0.5, 3.0]), 0.5).tolist()
    [-1.5, -0.0, 0.0, 0.0, 2.5]
    """
    check_tensor(w, "w")
    check_nonnegative(threshold, "threshold")
    # S_t(w) = sign(w)·max(|w| − t, 0)
    return torch.sign(w) * (w.abs() - threshold).clamp(min=0)


def _check_xy(X: torch.Tensor, y: torch.Tensor) -> None:
    check_tensor(X, "X", nonempty=True)
    check_tensor(y, "y")
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X 必须是 (n, d)、y 必须是 (n,)，收到 {tuple(X.shape)} 和 {tuple(y.shape)}")


def ridge_regression(X: torch.Tensor, y: torch.Tensor, lam: float) -> tuple[torch.Tensor, torch.Tensor]:
    r"""岭回归（L2 正则的最小二乘）的闭式解；截距不受惩罚。

    最小化 $\frac{1}{2n}\lVert X\boldsymbol w + b - \boldsymbol y\rVert^2 + \frac{\lambda}{2}\lVert\boldsymbol w\rVert^2$：
    先把 $X$、$\boldsymbol y$ 中心化，再解 $(X_c^\top X_c/n + \lambda I)\,\boldsymbol w = X_c^\top \boldsymbol y_c/n$。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)`` 的浮点张量（建议 float64）。
    y : torch.Tensor
        形状 ``(n,)``。
    lam : float
        $\lambda \ge 0$；为 0 时是普通最小二乘（用最小范数解）。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``(w, b)``：权重 ``(d,)`` 和标量截距。

    Raises
    ------
    TypeError, ValueError
        形状或 ``lam`` 不合要求。

    Examples
    --------
    >>> X = torch.tensor([[0.0], [1.0], [2.0]], dtype=torch.float64)
    >>> w, b = ridge_regression(X, 2 * X[:, 0] + 1, 0.0)
    >>> round(w.item(), 6), round(b.item(), 6)
    (2.0, 1.0)
    """
    _check_xy(X, y)
    check_nonnegative(lam, "lam")
    n, d = X.shape
    x_mean, y_mean = X.mean(dim=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    # (XᵀX/n + λI) w = Xᵀy/n
    A = Xc.T @ Xc / n + lam * torch.eye(d, dtype=X.dtype, device=X.device)
    rhs = Xc.T @ yc / n
    w = torch.linalg.lstsq(A, rhs.unsqueeze(1)).solution.squeeze(1) if lam == 0 else torch.linalg.solve(A, rhs)
    # b = ȳ − x̄ᵀw：截距不受惩罚
    return w, y_mean - x_mean @ w


def lasso_ista(
    X: torch.Tensor, y: torch.Tensor, lam: float, steps: int = 500
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""用近端梯度法（ISTA）解 lasso：$\min \frac{1}{2n}\lVert X\boldsymbol w + b - \boldsymbol y\rVert^2 + \lambda\lVert\boldsymbol w\rVert_1$。

    每步先对平方误差走一步梯度下降，再做软阈值：
    $\boldsymbol w \leftarrow S_{\eta\lambda}\bigl(\boldsymbol w - \eta\,X_c^\top(X_c\boldsymbol w - \boldsymbol y_c)/n\bigr)$，
    步长 $\eta = 1/L$，$L$ 是 $X_c^\top X_c/n$ 的最大特征值。软阈值让很多分量**恰好**为 0。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)``。
    y : torch.Tensor
        形状 ``(n,)``。
    lam : float
        $\lambda \ge 0$。
    steps : int
        迭代步数，在 [1, 100000] 内。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``(w, b)``。

    Raises
    ------
    TypeError, ValueError
        形状、``lam`` 或 ``steps`` 不合要求。

    Examples
    --------
    >>> X = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], dtype=torch.float64)
    >>> w, b = lasso_ista(X, torch.tensor([2.0, 0.1, -2.0, -0.1], dtype=torch.float64), lam=0.1)
    >>> w.round(decimals=3).tolist()  # 小的那个系数被压成恰好 0
    [1.8, 0.0]
    """
    _check_xy(X, y)
    check_nonnegative(lam, "lam")
    check_int(steps, "steps", low=1, high=100_000)
    n, d = X.shape
    x_mean, y_mean = X.mean(dim=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    # η = 1/L，L = λ_max(XᵀX/n)：保证每步不增大目标函数
    lipschitz = torch.linalg.eigvalsh(Xc.T @ Xc / n).max().item()
    eta = 1.0 / max(lipschitz, 1e-12)
    w = torch.zeros(d, dtype=X.dtype, device=X.device)
    for _ in range(steps):
        grad = Xc.T @ (Xc @ w - yc) / n
        # w ← S_{ηλ}(w − η∇)：梯度步 + L1 的近端步
        w = soft_threshold(w - eta * grad, eta * lam)
    return w, y_mean - x_mean @ w


def dropout_l2_penalty(X: torch.Tensor, w: torch.Tensor, p: float) -> torch.Tensor:
    r"""线性回归的输入上做 (inverted) dropout 时，期望损失里多出的那一项。

    $\tilde x_{ij} = x_{ij} m_{ij}/(1-p)$，$m_{ij}\sim\text{Bernoulli}(1-p)$，则

    $$
    \mathbb E_m\Bigl[\tfrac1n\lVert \boldsymbol y - \tilde X\boldsymbol w\rVert^2\Bigr]
    = \tfrac1n\lVert \boldsymbol y - X\boldsymbol w\rVert^2 + \frac{p}{1-p}\sum_j w_j^2\,\overline{x_j^2},
    \qquad \overline{x_j^2} = \tfrac1n\textstyle\sum_i x_{ij}^2 .
    $$

    也就是一个按特征二阶矩加权的 L2 惩罚（Wager 等，2013）。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)``。
    w : torch.Tensor
        形状 ``(d,)``。
    p : float
        丢弃概率，在 $[0, 1)$ 内。

    Returns
    -------
    torch.Tensor
        标量 $\frac{p}{1-p}\sum_j w_j^2\,\overline{x_j^2}$。

    Raises
    ------
    TypeError, ValueError
        形状或 ``p`` 不合要求。

    Examples
    --------
    >>> X = torch.tensor([[1.0, 2.0], [1.0, 2.0]])
    >>> dropout_l2_penalty(X, torch.tensor([1.0, 1.0]), 0.5).item()
    5.0
    """
    check_tensor(X, "X", nonempty=True)
    check_tensor(w, "w")
    check_in_range(p, "p", 0.0, 1.0, high_open=True)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(f"X 必须是 (n, d)、w 必须是 (d,)，收到 {tuple(X.shape)} 和 {tuple(w.shape)}")
    # p/(1−p) · Σ_j w_j² · mean_i x_ij²
    return p / (1 - p) * (w.pow(2) * X.pow(2).mean(dim=0)).sum()
