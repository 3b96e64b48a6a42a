"""“深度学习调参经验”一页：学习率范围测试、特征缩放与条件数、集成。"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_in_range,
    check_int,
    check_model_input,
    check_module,
    check_positive,
    check_same_length,
    check_seed,
    check_tensor,
)
from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.models import mlp
from dlguide.training import fit

__all__ = ["condition_number", "ensemble_accuracy", "lr_range_test", "lr_range_test_curve"]


def lr_range_test(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    lr_min: float = 1e-4,
    lr_max: float = 10.0,
    steps: int = 60,
    batch_size: int = 64,
    seed: int | None = 0,
) -> tuple[list[float], list[float]]:
    r"""学习率范围测试（Smith, 2017）：每个小批量把学习率按几何级数从 ``lr_min`` 增大到 ``lr_max``，记录损失。

    训练用 [`fit`][dlguide.training.fit]（``lr_at`` 给出每一步的学习率，``on_step`` 记录损失、发散时停止）。

    损失开始下降处到损失最低（或开始发散）处之间是可用的学习率；常取最低点学习率的 1/10 左右。
    ``model`` 会被就地训练，测试完请重新初始化。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型（输出 logit）。
    X, y : torch.Tensor
        训练数据（至少一个样本）和整数类别，样本数相同；其余要求同 [`fit`][dlguide.training.fit]。
    lr_min, lr_max : float
        学习率的起点和终点，$0 < \text{lr\_min} < \text{lr\_max}$。
    steps : int
        步数，≥ 2。
    batch_size : int
        小批量大小，≥ 1。
    seed : int, optional
        抽样种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

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
    check_module(model, "model")
    check_tensor(X, "X", kind="any", nonempty=True)
    check_tensor(y, "y", kind="any")
    check_same_length(X, y, "X", "y")
    check_seed(seed)
    check_positive(lr_min, "lr_min")
    check_in_range(lr_max, "lr_max", lr_min, 1e6, low_open=True)
    check_int(steps, "steps", low=2, high=100_000)
    check_int(batch_size, "batch_size", low=1)

    def lr_at(step: int) -> float:
        # 几何级数：lr_k = lr_min · (lr_max / lr_min)^{k / (steps − 1)}
        return lr_min * (lr_max / lr_min) ** (step / (steps - 1))

    lrs, losses = [], []

    def record(step: int, loss: float) -> bool:
        if not math.isfinite(loss):  # 发散：停止，不记录
            return True
        lrs.append(lr_at(step))
        losses.append(loss)
        return step + 1 == steps

    batches = math.ceil(len(X) / batch_size)
    fit(model, X, y, epochs=math.ceil(steps / batches), batch_size=batch_size, lr=lr_min, lr_at=lr_at, seed=seed,
        on_step=record)
    return lrs, losses


def condition_number(X: torch.Tensor) -> float:
    r"""线性最小二乘 $\frac1{2n}\|Xw-y\|^2$ 的 Hessian $X^\top X/n$ 的条件数 $\lambda_{\max}/\lambda_{\min}$（加了一列全 1 作偏置）。

    条件数越大，梯度下降越慢（见“神经网络的优化算法”一页的 $2/L$ 分析）。``X`` 是形状 ``(n, d)``、$n \ge 1$
    的浮点张量，否则抛出 ``TypeError``/``ValueError``。

    Examples
    --------
    >>> import torch
    >>> X = torch.tensor([[1.0, 100.0], [2.0, 300.0], [3.0, 200.0], [4.0, 400.0]])
    >>> condition_number(X) > 1e4, round(condition_number((X - X.mean(0)) / X.std(0)), 1)
    (True, 9.0)
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    # H = AᵀA / n，κ = λ_max / λ_min
    eig = torch.linalg.eigvalsh(A.T @ A / len(A))
    return round((eig.max() / eig.min()).item(), 6)


def ensemble_accuracy(models: Sequence[nn.Module], X: torch.Tensor, y: torch.Tensor) -> tuple[list[float], float]:
    """每个模型单独的准确率，以及把它们的 softmax 概率平均之后的准确率（各保留 4 位小数）。

    ``models`` 是非空的 ``nn.Module`` 序列，每个都输出 ``(N, C)`` 的 logit；``X`` 至少一个样本、每个模型都接受；
    ``y`` 是 ``(N,)`` 的整数类别，取值在 ``[0, C)`` 内。不满足时抛出写明参数名的 ``TypeError``/``ValueError``。
    与 [`accuracy`][dlguide.training.accuracy] 一样，某个模型的 logit 含 NaN（输入含 NaN 或模型已发散）时，
    它的准确率和集成的准确率都是 ``nan``，不把 NaN 算成某一类。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> a, b = nn.Linear(1, 2), nn.Linear(1, 2)
    >>> with torch.no_grad():
    ...     _ = a.weight.copy_(torch.tensor([[0.0], [1.0]])); _ = a.bias.zero_()
    ...     _ = b.weight.copy_(torch.tensor([[0.0], [-1.0]])); _ = b.bias.zero_()
    ...
    >>> ensemble_accuracy([a, b], torch.tensor([[1.0], [-1.0]]), torch.tensor([1, 0]))
    ([1.0, 0.0], 0.5)
    """
    if isinstance(models, (str, bytes, nn.Module)) or not isinstance(models, Sequence):
        raise TypeError(f"models 必须是 nn.Module 的列表或元组，收到的是 {type(models).__name__}")
    if not models:
        raise ValueError("models 至少要有一个模型")
    for i, m in enumerate(models):
        check_module(m, f"models[{i}]")
    check_tensor(X, "X", kind="any", nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    check_same_length(X, y, "X", "y")
    params = list(models[0].parameters())
    device = params[0].device if params else X.device
    X, y = X.to(device), y.to(device)
    classes = None
    for i, m in enumerate(models):
        out = check_model_input(m, X, f"models[{i}]")
        if out.ndim != 2 or out.shape[1] < 2 or out.shape[1] != (classes or out.shape[1]):
            raise ValueError(
                f"models[{i}] 的输出必须是 (N, C) 的 logit，C ≥ 2 且各模型相同，收到每个样本 {tuple(out.shape[1:])}"
            )
        classes = out.shape[1]
        if int(y.min()) < 0 or int(y.max()) >= out.shape[1]:
            raise ValueError(f"y 的类别必须在 [0, {out.shape[1] - 1}] 内，收到 [{int(y.min())}, {int(y.max())}]")
    singles, probs = [], []
    with torch.no_grad():
        for m in models:
            m.eval()
            p = torch.softmax(m(X), dim=1)
            m.train()
            # NaN 没有大小：argmax 会把它当成最大值，所以含 NaN 时准确率记为 nan
            singles.append(float("nan") if bool(p.isnan().any()) else round((p.argmax(1) == y).double().mean().item(), 4))
            probs.append(p)
        # 集成：p̄ = (1/K) Σ_k p_k，再取 argmax
        mean = torch.stack(probs).mean(0)
    if bool(mean.isnan().any()):
        return singles, float("nan")
    return singles, round((mean.argmax(1) == y).double().mean().item(), 4)


@figure
def lr_range_test_curve() -> Figure:
    """digits 上 softmax 回归的学习率范围测试：学习率从 10⁻⁴ 几何增长到 10，损失先降后爆。"""
    X, y = load_digits()
    lrs, losses = lr_range_test(mlp([64, 10], seed=0), X, y, lr_min=1e-4, lr_max=10.0, steps=100)
    fig, (ax,) = new_figure(width=6.4, height=3.4)
    ax.semilogx(lrs, losses)
    ax.set_xlabel("学习率（每步几何增长）")
    ax.set_ylabel("小批量损失")
    return fig
