"""“神经网络的优化算法”一页：全批量 / 小批量 / 单样本梯度下降的损失曲线，优化器轨迹。"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_callable,
    check_choice,
    check_finite,
    check_int,
    check_nonnegative,
    check_numbers,
    check_positive,
    check_same_length,
    check_seed,
    check_tensor,
)
from dlguide.data import load_digits
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.landscape import ill_conditioned_quadratic
from dlguide.optim import adam_step, minimize, sgd_step
from dlguide.training import fit

__all__ = [
    "implicit_bias",
    "iteration_losses",
    "minibatch_curves",
    "noisy_mean_sgd",
    "optimizer_paths",
    "successive_diff_std",
]


def iteration_losses(
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    batch_size: int | None,
    lr: float,
    steps: int,
    seed: int | None = 0,
) -> list[float]:
    """在 ``(X, y)`` 上训练 softmax 回归，返回**每次更新之后**整个训练集上的交叉熵。

    ``batch_size=None`` 是全批量梯度下降，``1`` 是随机梯度下降，中间是小批量（每轮打乱后按顺序切分）。
    训练用 [`fit`][dlguide.training.fit]；记录的是全训练集的损失（而不是当前小批量的损失），
    所以曲线的抖动只来自更新方向的噪声。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)`` 的浮点输入，至少一个样本。
    y : torch.Tensor
        形状 ``(n,)`` 的整数类别，取值在 [0, 10000) 内（类别数就是最大值 + 1）。
    batch_size : int or None
        小批量大小，≥ 1；``None`` 为全批量。
    lr : float
        学习率，> 0。
    steps : int
        更新次数，≥ 1。
    seed : int, optional
        初始化和抽样的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        长度 ``steps`` 的损失序列。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> from dlguide.data import load_digits
    >>> X, y = load_digits()
    >>> losses = iteration_losses(X[:200], y[:200], batch_size=None, lr=0.5, steps=20)
    >>> len(losses), all(a > b for a, b in zip(losses, losses[1:]))
    (20, True)
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    check_same_length(X, y, "X", "y")
    if int(y.min()) < 0 or int(y.max()) >= 10_000:
        raise ValueError(f"y 的类别必须在 [0, 10000) 内，收到 [{int(y.min())}, {int(y.max())}]")
    check_positive(lr, "lr")
    check_int(steps, "steps", low=1, high=100_000)
    if batch_size is not None:
        check_int(batch_size, "batch_size", low=1)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    n, d = X.shape
    k = int(y.max()) + 1
    # softmax 回归：一个线性层，权重 ~ N(0, 0.01²)，偏置 0
    model = nn.Linear(d, k)
    with torch.no_grad():
        model.weight.copy_(0.01 * torch.randn(k, d, generator=g))
        model.bias.zero_()
    losses: list[float] = []

    def record(step: int, _batch_loss: float) -> bool:
        # 记录的是每次更新之后整个训练集上的损失
        with torch.no_grad():
            losses.append(nn.functional.cross_entropy(model(X_dev), y_dev).item())
        return step + 1 == steps

    device = get_device()
    X_dev, y_dev = X.to(device), y.to(device)
    batches = 1 if batch_size is None else math.ceil(n / batch_size)
    fit(model, X, y, epochs=math.ceil(steps / batches), lr=lr, batch_size=batch_size, seed=seed, on_step=record)
    return losses


def successive_diff_std(values: Sequence[float]) -> float:
    """相邻两项之差的标准差：衡量一条曲线“抖”得有多厉害（与整体下降趋势基本无关）。

    ``values`` 是至少 3 个实数的序列（或一维张量），NaN/inf 按 PyTorch 的语义传播；否则抛出 ``TypeError``/``ValueError``。

    Examples
    --------
    >>> successive_diff_std([3.0, 2.0, 1.0, 0.0])   # 匀速下降，一点不抖
    0.0
    >>> round(successive_diff_std([1.0, 0.0, 1.0, 0.0]), 3)
    1.155
    """
    t = torch.tensor(check_numbers(values, "values", nonempty=False), dtype=torch.float64)
    if t.numel() < 3:
        raise ValueError(f"values 至少需要 3 个数，收到 {t.numel()} 个")
    return round(t.diff().std().item(), 6)


def noisy_mean_sgd(
    schedule: Callable[[int], float], *, steps: int = 2000, w0: float = -20.0, seed: int | None = 0
) -> list[float]:
    r"""单样本 SGD 估计均值 $w^\star=\mathbb E[x]=3$：$w \leftarrow w - \alpha_t (w - x_t)$，$x_t\sim\mathcal N(3, 1)$。

    损失 $\frac12(w-x_t)^2$ 的随机梯度是 $w - x_t$。返回每一步之后的 $|w_t - 3|$，用来看步长序列 $\alpha_t$ 是否满足
    Robbins–Monro 条件 $\sum_t\alpha_t=\infty$、$\sum_t\alpha_t^2<\infty$。

    Parameters
    ----------
    schedule : callable
        ``schedule(t)`` 给出第 ``t`` 步（从 0 数）的步长 $\alpha_t$，一个有限的非负实数。
    steps : int
        步数，1～10⁶。
    w0 : float
        初值。
    seed : int, optional
        样本的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        ``steps`` 个误差 $|w_t - 3|$。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对，或 ``schedule(t)`` 出错、返回的不是有限的非负实数。

    Examples
    --------
    >>> errors = noisy_mean_sgd(lambda t: 1 / (t + 1), steps=1000)
    >>> errors[-1] < 0.1   # α_t = 1/(t+1) 时 w_t 就是样本均值
    True
    """
    check_callable(schedule, "schedule")
    check_int(steps, "steps", low=1, high=1_000_000)
    check_finite(w0, "w0")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    xs = (torch.randn(steps, generator=g, dtype=torch.float64) + 3.0).tolist()
    w, errors = float(w0), []
    for t, x in enumerate(xs):
        try:
            lr = schedule(t)
        except Exception as err:
            raise TypeError(f"schedule 必须接受整数步数 t 并返回步长：schedule({t}) 出错：{err}") from err
        check_nonnegative(lr, f"schedule({t})")
        # w ← w − α_t ∂/∂w ½(w − x_t)² = w − α_t (w − x_t)
        w -= lr * (w - x)
        errors.append(abs(w - 3.0))
    return errors


def implicit_bias(
    method: str = "sgd", *, seed: int | None = 0, n: int = 20, d: int = 50, steps: int = 1000
) -> dict[str, float]:
    r"""欠定最小二乘（$n$ 个样本、$d>n$ 个特征，训练误差可以降到 0）上，梯度下降和 Adam 各自收敛到哪个解。

    $A\in\mathbb R^{n\times d}$、真实权重、测试集都从标准正态抽样，训练标签带 0.1 的噪声。两种方法都从 $w=0$ 出发、
    用全批量梯度走 ``steps`` 步（梯度下降学习率 0.02，Adam 0.01）。从 0 出发的梯度下降只在 $A$ 的行空间里移动，
    收敛到**最小范数**解 $A^+ b$；Adam 按坐标缩放步长，会离开行空间，收敛到另一个同样零训练误差的解。

    Parameters
    ----------
    method : str
        ``"sgd"``（全批量梯度下降，默认）或 ``"adam"``。
    seed : int, optional
        数据的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    n, d : int
        样本数和特征数，$1 \le n < d \le 10^4$。
    steps : int
        步数，1～10⁵；``steps·n·d`` 不超过 $10^9$。

    Returns
    -------
    dict[str, float]
        ``"train_mse"``、``"test_mse"``（1000 个无噪声测试样本）、``"norm"`` $\lVert w\rVert$、
        ``"to_min_norm"`` $\lVert w - A^+b\rVert$。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> gd = implicit_bias("sgd")
    >>> gd["train_mse"] < 1e-4, gd["to_min_norm"] < 0.01
    (True, True)
    """
    check_choice(method, "method", ("sgd", "adam"))
    check_seed(seed)
    check_int(n, "n", low=1, high=10_000)
    check_int(d, "d", low=n + 1, high=10_000)
    check_int(steps, "steps", low=1, high=100_000)
    if steps * n * d > 10**9:
        raise ValueError(f"steps·n·d = {steps * n * d} 太大，上限 10**9")
    g = None if seed is None else torch.Generator().manual_seed(seed)
    A = torch.randn(n, d, generator=g, dtype=torch.float64)
    w_true = torch.randn(d, generator=g, dtype=torch.float64)
    b = A @ w_true + 0.1 * torch.randn(n, generator=g, dtype=torch.float64)
    A_test = torch.randn(1000, d, generator=g, dtype=torch.float64)
    w, state = torch.zeros(d, dtype=torch.float64), {}
    for _ in range(steps):
        # ∇ ½‖Aw − b‖²/n = Aᵀ(Aw − b)/n
        grad = A.T @ (A @ w - b) / n
        if method == "sgd":
            sgd_step(w, grad, state, lr=0.02)
        else:
            adam_step(w, grad, state, lr=0.01)
    # 最小范数解 w = A⁺ b
    w_min = torch.linalg.pinv(A) @ b
    return {
        "train_mse": ((A @ w - b) ** 2).mean().item(),
        "test_mse": ((A_test @ (w - w_true)) ** 2).mean().item(),
        "norm": w.norm().item(),
        "to_min_norm": (w - w_min).norm().item(),
    }


PATH_SETTINGS: dict[str, dict] = {
    "SGD (lr=0.038)": {"method": "sgd", "lr": 0.038},
    "动量 (lr=0.2, β=0.9)": {"method": "momentum", "lr": 0.2, "beta": 0.9},
    "RMSProp (lr=0.1)": {"method": "rmsprop", "lr": 0.1},
    "Adam (lr=0.3)": {"method": "adam", "lr": 0.3},
}
"""轨迹图用的方法和超参数（与页面上的实验相同）。"""


@figure
def optimizer_paths() -> Figure:
    """在条件数 50 的二次函数 ½(x² + 50y²) 上，四种优化算法从 (−4, 1) 出发的前 40 步。"""
    f = lambda x: ill_conditioned_quadratic(x, 50.0)
    xs, ys = torch.meshgrid(torch.linspace(-4.5, 1.0, 200), torch.linspace(-1.3, 1.3, 120), indexing="xy")
    zs = f(torch.stack([xs, ys], dim=-1))
    fig, (ax,) = new_figure(width=7.0, height=3.6)
    ax.contour(xs, ys, zs, levels=torch.logspace(-2, 1.7, 12).tolist(), colors="gray", linewidths=0.5)
    for label, setting in PATH_SETTINGS.items():
        hp = dict(setting)
        path = minimize(f, [-4.0, 1.0], hp.pop("method"), steps=40, **hp)
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, lw=1, label=label)
    ax.plot([0], [0], "k*", markersize=10)
    ax.set_xlabel("x（平缓方向，曲率 1）")
    ax.set_ylabel("y（陡峭方向，曲率 50）")
    ax.legend(fontsize=8, loc="lower right")
    return fig


@figure
def minibatch_curves() -> Figure:
    """digits 上 softmax 回归：全批量、小批量 32、单样本 SGD 每次更新后的全训练集损失。"""
    X, y = load_digits()
    fig, (ax,) = new_figure(width=7.0, height=3.4)
    for label, bs, lr in (("全批量 (m=1797)", None, 0.5), ("小批量 32", 32, 0.5), ("SGD（批量 1）", 1, 0.5)):
        ax.plot(iteration_losses(X, y, batch_size=bs, lr=lr, steps=100), label=label, lw=1)
    ax.set_xlabel("更新次数")
    ax.set_ylabel("训练集交叉熵")
    ax.legend()
    return fig
