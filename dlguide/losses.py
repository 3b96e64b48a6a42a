"""损失函数，按公式从零实现，并与 ``torch.nn.functional`` 对照测试。"""

from __future__ import annotations

import torch

from dlguide._checks import check_choice, check_nonnegative, check_same_shape, check_tensor

__all__ = [
    "binary_cross_entropy_with_logits",
    "mse_loss",
    "mse_grad",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_grad",
    "logistic_loss",
    "logistic_grad",
    "cost",
]

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    check_choice(reduction, "reduction", _REDUCTIONS)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _scale(n: int, reduction: str) -> float:
    """reduction 对梯度的缩放：mean 是 1/n，sum 和 none 是 1。"""
    check_choice(reduction, "reduction", _REDUCTIONS)
    return 1.0 / n if reduction == "mean" else 1.0


def binary_cross_entropy_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""以 logit ``z`` 为输入的二元交叉熵（对样本取平均）。

    $$
    \ell(z, y) = -\bigl[y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))\bigr]
               = \max(z, 0) - z y + \log\bigl(1 + e^{-|z|}\bigr)
    $$

    右边的写法数值稳定，且对 ``z`` 的梯度恰好是 $\sigma(z) - y$。

    Parameters
    ----------
    z : torch.Tensor
        logit（sigmoid 之前的值），浮点张量。
    y : torch.Tensor
        目标，与 ``z`` 同形状，取值在 $[0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        标量，所有元素损失的平均值。

    Raises
    ------
    TypeError
        ``z`` 或 ``y`` 不是浮点张量。
    ValueError
        形状不同，或 ``y`` 越出 $[0, 1]$。

    Examples
    --------
    >>> import torch
    >>> z = torch.tensor([2.0, -1.0])
    >>> y = torch.tensor([1.0, 0.0])
    >>> round(binary_cross_entropy_with_logits(z, y).item(), 4)
    0.2201
    """
    check_tensor(z, "z")
    check_tensor(y, "y")
    check_same_shape(z, y, "z", "y")
    if bool(((y < 0) | (y > 1)).any()):
        raise ValueError("y 的取值必须在 [0, 1] 内")
    # ℓ = max(z, 0) − z·y + log(1 + e^{−|z|})
    loss = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
    return loss.mean()


def mse_loss(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""均方误差 $\frac{1}{n}\sum_i (\hat y_i - y_i)^2$。

    Parameters
    ----------
    prediction : torch.Tensor
        预测值，浮点张量。
    target : torch.Tensor
        目标值，与 ``prediction`` 同形状。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError
        输入不是浮点张量。
    ValueError
        两者形状不同。

    Examples
    --------
    >>> import torch
    >>> mse_loss(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0])).item()
    5.0
    """
    check_tensor(prediction, "prediction")
    check_tensor(target, "target")
    check_same_shape(prediction, target, "prediction", "target")
    # MSE = (1/n) Σ (ŷ − y)²
    return ((prediction - target) ** 2).mean()



def mse_grad(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""均方误差对预测值的梯度（手推公式，不用 autograd）。

    $$
    \frac{\partial}{\partial \hat y_i}\,\frac{1}{n}\sum_j (\hat y_j - y_j)^2 = \frac{2}{n}(\hat y_i - y_i)
    $$

    ``reduction="sum"`` 时没有 $1/n$。

    Parameters
    ----------
    prediction, target : torch.Tensor
        同形状的浮点张量，$n$ 是元素总数。
    reduction : str
        ``"mean"``（与 [`mse_loss`][dlguide.losses.mse_loss] 对应）或 ``"sum"``。

    Returns
    -------
    torch.Tensor
        与 ``prediction`` 同形状。

    Raises
    ------
    TypeError, ValueError
        输入不是浮点张量、形状不同，或 ``reduction`` 不认识。

    Examples
    --------
    >>> import torch
    >>> mse_grad(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0])).tolist()
    [1.0, 3.0]
    >>> mse_grad(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0]), "sum").tolist()
    [2.0, 6.0]
    """
    check_tensor(prediction, "prediction")
    check_tensor(target, "target")
    check_same_shape(prediction, target, "prediction", "target")
    # ∂MSE/∂ŷ = 2(ŷ − y)/n （sum 时不除以 n）
    return 2 * (prediction - target) * _scale(prediction.numel(), reduction)


def _check_logits_target(logits: torch.Tensor, target: torch.Tensor) -> None:
    check_tensor(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits 的形状必须是 (n, K)，收到 {tuple(logits.shape)}")
    if not isinstance(target, torch.Tensor) or target.dtype != torch.int64:
        raise TypeError("target 必须是 int64 类别下标张量")
    if target.shape != logits.shape[:1]:
        raise ValueError(f"target 的形状必须是 ({logits.shape[0]},)，收到 {tuple(target.shape)}")
    if bool(((target < 0) | (target >= logits.shape[1])).any()):
        raise ValueError(f"target 的取值必须在 [0, {logits.shape[1] - 1}] 内")


def log_softmax(logits: torch.Tensor) -> torch.Tensor:
    r"""数值稳定的 log-softmax（沿最后一维）。

    $$
    \log \operatorname{softmax}(z)_k = z_k - \log\sum_j e^{z_j}
      = (z_k - m) - \log\sum_j e^{z_j - m}, \quad m = \max_j z_j
    $$

    减去最大值后指数的参数都 $\le 0$，不会上溢。

    Parameters
    ----------
    logits : torch.Tensor
        浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``logits`` 同形状。

    Raises
    ------
    TypeError
        ``logits`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> log_softmax(torch.tensor([1000.0, 1000.0])).exp().tolist()
    [0.5, 0.5]
    """
    check_tensor(logits, "logits")
    # log softmax(z)_k = (z_k − m) − log Σ_j exp(z_j − m)，m = max z
    shifted = logits - logits.amax(dim=-1, keepdim=True).detach()
    return shifted - torch.log(torch.exp(shifted).sum(dim=-1, keepdim=True))


def cross_entropy(logits: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""多分类交叉熵，输入是 logit 和类别下标（对应 ``torch.nn.CrossEntropyLoss``）。

    $$
    \ell_i = -\log \operatorname{softmax}(z_i)_{y_i}, \qquad
    J = \frac1n\sum_i \ell_i \ (\text{mean}) \quad\text{或}\quad \sum_i \ell_i \ (\text{sum})
    $$

    Parameters
    ----------
    logits : torch.Tensor
        形状 ``(n, K)`` 的浮点张量。
    target : torch.Tensor
        形状 ``(n,)`` 的 int64 类别下标，取值在 $[0, K-1]$。
    reduction : str
        ``"mean"``、``"sum"`` 或 ``"none"``（返回每个样本的损失）。

    Returns
    -------
    torch.Tensor
        标量；``reduction="none"`` 时形状 ``(n,)``。

    Raises
    ------
    TypeError, ValueError
        形状、类型、取值或 ``reduction`` 不合法。

    Examples
    --------
    >>> import torch
    >>> z = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> y = torch.tensor([0, 2])
    >>> [round(v, 4) for v in cross_entropy(z, y, "none").tolist()]
    [0.2395, 1.0986]
    """
    _check_logits_target(logits, target)
    # ℓ_i = −log softmax(z_i)[y_i]：取出每行正确类别那一列
    loss = -log_softmax(logits).gather(1, target[:, None]).squeeze(1)
    return _reduce(loss, reduction)


def cross_entropy_grad(logits: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""交叉熵对 logit 的梯度（手推公式）：$\partial \ell_i / \partial z_i = \operatorname{softmax}(z_i) - \operatorname{onehot}(y_i)$。

    ``reduction="mean"`` 时再除以 $n$。

    Parameters
    ----------
    logits, target, reduction
        同 [`cross_entropy`][dlguide.losses.cross_entropy]。

    Returns
    -------
    torch.Tensor
        形状 ``(n, K)``，每行的和为 0。

    Raises
    ------
    TypeError, ValueError
        同 [`cross_entropy`][dlguide.losses.cross_entropy]。

    Examples
    --------
    >>> import torch
    >>> cross_entropy_grad(torch.zeros(1, 4), torch.tensor([1])).tolist()
    [[0.25, -0.75, 0.25, 0.25]]
    """
    _check_logits_target(logits, target)
    onehot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
    # ∂J/∂z = (softmax(z) − onehot(y)) / n
    return (log_softmax(logits).exp() - onehot) * _scale(len(logits), reduction)


def logistic_loss(z: torch.Tensor, y: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""标签取 $\pm1$ 时的 logistic 损失（逻辑回归的负对数似然）。

    $$
    \ell(z, y) = \log\bigl(1 + e^{-yz}\bigr), \quad y\in\{-1, +1\}
    $$

    它和 $y' = (y+1)/2 \in \{0, 1\}$ 的二元交叉熵是同一个函数，只是标签写法不同。

    Parameters
    ----------
    z : torch.Tensor
        logit，浮点张量。
    y : torch.Tensor
        与 ``z`` 同形状，取值只能是 $-1$ 或 $+1$。
    reduction : str
        ``"mean"``、``"sum"`` 或 ``"none"``。

    Returns
    -------
    torch.Tensor
        标量；``"none"`` 时与 ``z`` 同形状。

    Raises
    ------
    TypeError, ValueError
        输入类型或形状不对、``y`` 不是 $\pm1$，或 ``reduction`` 不认识。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in logistic_loss(torch.tensor([0.0, 3.0]), torch.tensor([1.0, -1.0]), "none").tolist()]
    [0.6931, 3.0486]
    """
    _check_pm1(z, y)
    # ℓ = log(1 + e^{−yz}) = softplus(−yz)，用 max(t,0) + log1p(e^{−|t|}) 计算，t = −yz
    t = -y * z
    return _reduce(t.clamp(min=0) + torch.log1p(torch.exp(-t.abs())), reduction)


def logistic_grad(z: torch.Tensor, y: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    r"""logistic 损失对 $z$ 的梯度：$\partial \ell / \partial z = -y\,\sigma(-yz)$。

    Parameters
    ----------
    z, y, reduction
        同 [`logistic_loss`][dlguide.losses.logistic_loss]。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状。

    Raises
    ------
    TypeError, ValueError
        同 [`logistic_loss`][dlguide.losses.logistic_loss]。

    Examples
    --------
    >>> import torch
    >>> logistic_grad(torch.tensor([0.0]), torch.tensor([1.0])).tolist()
    [-0.5]
    """
    _check_pm1(z, y)
    # ∂ℓ/∂z = −y · σ(−yz)（mean 时再除以 n）
    return -y * torch.sigmoid(-y * z) * _scale(z.numel(), reduction)


def _check_pm1(z: torch.Tensor, y: torch.Tensor) -> None:
    check_tensor(z, "z")
    check_tensor(y, "y")
    check_same_shape(z, y, "z", "y")
    if bool((y.abs() != 1).any()):
        raise ValueError("y 的取值只能是 -1 或 +1")


def cost(per_example_loss: torch.Tensor, weights: list[torch.Tensor] | tuple[torch.Tensor, ...] = (),
         l2: float = 0.0) -> torch.Tensor:
    r"""成本函数 = 损失的平均 + L2 正则项。

    $$
    J(\theta) = \frac1m \sum_{i=1}^{m} \ell\bigl(\hat y^{(i)}, y^{(i)}\bigr)
               + \frac{\lambda}{2m} \sum_l \lVert W^{[l]} \rVert_F^2
    $$

    （正则项除以 $m$ 是吴恩达课程的写法；PyTorch 的 ``weight_decay`` 不除以 $m$。）

    Parameters
    ----------
    per_example_loss : torch.Tensor
        形状 ``(m,)``，$m \ge 1$：每个样本的损失（例如 ``reduction="none"`` 的结果）。
    weights : sequence of torch.Tensor
        要正则化的权重（通常不含偏置），浮点张量的序列，可以为空。
    l2 : float
        $\lambda \ge 0$，有限。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        ``per_example_loss`` 不是非空的一维浮点张量，``weights`` 不是浮点张量的序列，或 ``l2`` 为负或无穷。

    Examples
    --------
    >>> import torch
    >>> cost(torch.tensor([1.0, 3.0]), [torch.tensor([[1.0, 2.0]])], l2=0.4).item()
    2.5
    """
    check_tensor(per_example_loss, "per_example_loss", nonempty=True)
    if per_example_loss.ndim != 1:
        raise ValueError(f"per_example_loss 必须是一维 (m,)，收到 {tuple(per_example_loss.shape)}")
    if isinstance(weights, (str, bytes, torch.Tensor)) or not isinstance(weights, (list, tuple)):
        raise TypeError(f"weights 必须是张量的列表或元组，收到的是 {type(weights).__name__}")
    for i, w in enumerate(weights):
        check_tensor(w, f"weights[{i}]")
    check_nonnegative(l2, "l2")
    m = len(per_example_loss)
    # J = (1/m) Σ ℓ_i + λ/(2m) Σ_l ‖W_l‖²
    penalty = sum((w**2).sum() for w in weights)
    return per_example_loss.mean() + l2 / (2 * m) * penalty
