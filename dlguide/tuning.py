r"""超参数调试：随机搜索与网格搜索、对数尺度采样、学习率范围测试、集成等调参技巧。

梯度裁剪见 :mod:`dlguide.gradients`（:func:`dlguide.gradients.clip_grad_norm`）。

所有采样函数都用独立的 CPU 生成器，同样的种子在任何机器上给出同样的点。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_in_range, check_int, check_positive, check_tensor

__all__ = [
    "averaging_window",
    "condition_number",
    "ensemble_accuracy",
    "grid_points",
    "lr_range_test",
    "random_points",
    "sample_beta",
    "sample_log_uniform",
    "sgd_accuracy",
]


# --8<-- [start:search]
def grid_points(per_axis: int, dims: int = 2) -> torch.Tensor:
    """网格搜索：每一维在 [0, 1] 上取 ``per_axis`` 个等距值，共 ``per_axis ** dims`` 个点。

    Examples
    --------
    >>> grid_points(3).tolist()[:4]
    [[0.0, 0.0], [0.0, 0.5], [0.0, 1.0], [0.5, 0.0]]
    """
    check_int(per_axis, "per_axis", low=1)
    check_int(dims, "dims", low=1)
    axis = torch.linspace(0, 1, per_axis, dtype=torch.float64)
    # 笛卡儿积：每一维都只有 per_axis 个不同的值
    return torch.cartesian_prod(*[axis] * dims).reshape(-1, dims)


def random_points(n: int, dims: int = 2, seed: int = 0) -> torch.Tensor:
    """随机搜索：在 $[0, 1]^{dims}$ 里均匀随机取 ``n`` 个点。

    Examples
    --------
    >>> pts = random_points(9)
    >>> tuple(pts.shape), len(set(pts[:, 0].tolist()))   # 9 个点，第一维有 9 个不同的值
    ((9, 2), 9)
    """
    check_int(n, "n", low=1)
    check_int(dims, "dims", low=1)
    g = torch.Generator().manual_seed(seed)
    # 每个点的每一维独立均匀采样：n 个点在每一维上都投影出 n 个不同的值
    return torch.rand(n, dims, generator=g, dtype=torch.float64)
# --8<-- [end:search]


# --8<-- [start:log_scale]
def sample_log_uniform(low: float, high: float, n: int, seed: int = 0) -> list[float]:
    r"""在对数尺度上均匀采样：$r \sim U(\log_{10} \text{low}, \log_{10} \text{high})$，返回 $10^r$。学习率这样取。

    Parameters
    ----------
    low, high : float
        区间端点，$0 < \text{low} < \text{high}$。
    n : int
        样本数，≥ 1。
    seed : int
        随机种子。

    Returns
    -------
    list[float]
        ``n`` 个样本。

    Raises
    ------
    ValueError
        端点不满足 $0 < \text{low} < \text{high}$。

    Examples
    --------
    >>> lrs = sample_log_uniform(1e-4, 1.0, 1000)
    >>> sum(lr < 1e-3 for lr in lrs), sum(lr > 0.1 for lr in lrs)   # 每个数量级约四分之一
    (254, 242)
    """
    check_int(n, "n", low=1)
    check_positive(low, "low")
    check_in_range(high, "high", low, math.inf, low_open=True)
    g = torch.Generator().manual_seed(seed)
    # r ~ U(log₁₀ low, log₁₀ high)，α = 10^r
    r = math.log10(low) + (math.log10(high) - math.log10(low)) * torch.rand(n, generator=g, dtype=torch.float64)
    return (10**r).tolist()


def sample_beta(low: float, high: float, n: int, seed: int = 0) -> list[float]:
    r"""给指数加权平均的 $\beta$ 采样：对 $1-\beta$ 在对数尺度上均匀采样，$\beta \in [\text{low}, \text{high}]$。

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
# --8<-- [end:log_scale]


# --8<-- [start:lr_range_test]
def lr_range_test(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    lr_min: float = 1e-4,
    lr_max: float = 10.0,
    steps: int = 60,
    batch_size: int = 64,
    seed: int = 0,
) -> tuple[list[float], list[float]]:
    r"""学习率范围测试（Smith, 2017）：每个小批量把学习率按几何级数从 ``lr_min`` 增大到 ``lr_max``，记录损失。

    损失开始下降处到损失最低（或开始发散）处之间是可用的学习率；常取最低点学习率的 1/10 左右。
    ``model`` 会被就地训练，测试完请重新初始化。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型（输出 logit）。
    X, y : torch.Tensor
        训练数据和整数类别。
    lr_min, lr_max : float
        学习率的起点和终点，$0 < \text{lr\_min} < \text{lr\_max}$。
    steps : int
        步数，≥ 2。
    batch_size : int
        小批量大小，≥ 1。
    seed : int
        抽样种子。

    Returns
    -------
    tuple[list[float], list[float]]
        ``(学习率, 损失)``，损失发散（非有限）后停止记录。

    Examples
    --------
    >>> from dlguide.data import load_digits
    >>> from dlguide.models import mlp
    >>> X, y = load_digits()
    >>> lrs, losses = lr_range_test(mlp([64, 10], seed=0), X, y, steps=40)
    >>> round(lrs[0], 6), len(lrs) == len(losses)
    (0.0001, True)
    """
    from dlguide.device import get_device  # noqa: PLC0415

    check_tensor(X, "X")
    check_positive(lr_min, "lr_min")
    check_in_range(lr_max, "lr_max", lr_min, math.inf, low_open=True)
    check_int(steps, "steps", low=2)
    check_int(batch_size, "batch_size", low=1)
    device = get_device()
    model.to(device)
    X, y = X.to(device), y.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr_min)
    g = torch.Generator().manual_seed(seed)
    lrs, losses = [], []
    for step in range(steps):
        # 几何级数：lr_k = lr_min · (lr_max / lr_min)^{k / (steps − 1)}
        lr = lr_min * (lr_max / lr_min) ** (step / (steps - 1))
        for group in opt.param_groups:
            group["lr"] = lr
        idx = torch.randint(len(X), (batch_size,), generator=g).to(device)
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        if not torch.isfinite(loss):
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        lrs.append(lr)
        losses.append(loss.item())
    return lrs, losses
# --8<-- [end:lr_range_test]


def condition_number(X: torch.Tensor) -> float:
    r"""线性最小二乘 $\frac1{2n}\|Xw-y\|^2$ 的 Hessian $X^\top X/n$ 的条件数 $\lambda_{\max}/\lambda_{\min}$（加了一列全 1 作偏置）。

    条件数越大，梯度下降越慢（见“神经网络的优化算法”一页的 $2/L$ 分析）。

    Examples
    --------
    >>> import torch
    >>> X = torch.tensor([[1.0, 100.0], [2.0, 300.0], [3.0, 200.0], [4.0, 400.0]])
    >>> condition_number(X) > 1e4, round(condition_number((X - X.mean(0)) / X.std(0)), 1)
    (True, 9.0)
    """
    check_tensor(X, "X")
    A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    # H = AᵀA / n，κ = λ_max / λ_min
    eig = torch.linalg.eigvalsh(A.T @ A / len(A))
    return round((eig.max() / eig.min()).item(), 6)


# --8<-- [start:ensemble]
def ensemble_accuracy(models: Sequence[nn.Module], X: torch.Tensor, y: torch.Tensor) -> tuple[list[float], float]:
    """每个模型单独的准确率，以及把它们的 softmax 概率平均之后的准确率。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> a, b = nn.Linear(1, 2), nn.Linear(1, 2)
    >>> with torch.no_grad():
    ...     _ = a.weight.copy_(torch.tensor([[0.0], [1.0]])); _ = a.bias.zero_()
    ...     _ = b.weight.copy_(torch.tensor([[0.0], [-1.0]])); _ = b.bias.zero_()
    >>> ensemble_accuracy([a, b], torch.tensor([[1.0], [-1.0]]), torch.tensor([1, 0]))
    ([1.0, 0.0], 0.5)
    """
    if not models:
        raise ValueError("models 至少要有一个模型")
    device = next(models[0].parameters()).device
    X, y = X.to(device), y.to(device)
    singles, probs = [], []
    with torch.no_grad():
        for m in models:
            m.eval()
            p = torch.softmax(m(X), dim=1)
            m.train()
            singles.append(round((p.argmax(1) == y).double().mean().item(), 4))
            probs.append(p)
        # 集成：p̄ = (1/K) Σ_k p_k，再取 argmax
        mean = torch.stack(probs).mean(0)
    return singles, round((mean.argmax(1) == y).double().mean().item(), 4)
# --8<-- [end:ensemble]


# --8<-- [start:train_in_order]
def sgd_accuracy(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    shuffle: bool,
    epochs: int = 2,
    lr: float = 0.1,
    batch_size: int = 32,
    seed: int = 0,
) -> float:
    """按给定顺序（``shuffle=False``）或每轮重新打乱（``shuffle=True``）做小批量 SGD，返回训练后的准确率。

    Examples
    --------
    >>> import torch
    >>> from dlguide.models import mlp
    >>> X = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    >>> y = (X[:, 0] > 0).long()
    >>> sgd_accuracy(mlp([2, 2], seed=0), X, y, shuffle=True, epochs=50, lr=0.5) > 0.9
    True
    """
    from dlguide.training import accuracy, fit  # noqa: PLC0415

    # 不打乱（shuffle=False）：每轮都按原顺序（例如按类别排好）喂数据
    fit(model, X, y, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, shuffle=shuffle)
    return accuracy(model, X, y)
# --8<-- [end:train_in_order]
