"""损失函数，按公式从零实现，并与 ``torch.nn.functional`` 对照测试。"""

from __future__ import annotations

import torch

from dlguide._checks import (
    check_choice,
    check_in_range,
    check_nonnegative,
    check_positive,
    check_same_shape,
    check_tensor,
    resolve_seed,
)

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
    "contrastive_loss",
    "triplet_loss",
    "MINING_STRATEGIES",
    "mine_triplets",
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


def _check_embeddings(*pairs: tuple[object, str]) -> None:
    first = None
    for value, name in pairs:
        check_tensor(value, name, ndim=2)
        if first is None:
            first = (value, name)
        else:
            check_same_shape(first[0], value, first[1], name)


def contrastive_loss(
    x1: torch.Tensor, x2: torch.Tensor, same: torch.Tensor, margin: float = 1.0, reduction: str = "mean"
) -> torch.Tensor:
    r"""对比损失（Hadsell、Chopra、LeCun 2006）：同一身份的一对嵌入拉近，不同身份的推开到至少 ``margin``。

    $$
    \ell = s\cdot\tfrac12 d^2 + (1-s)\cdot\tfrac12\max(0,\ m-d)^2,\qquad d = \lVert \boldsymbol x_1 - \boldsymbol x_2\rVert_2,
    $$

    $s=1$ 表示同一身份。（原论文用 $Y=0$ 表示“相似”，正好与这里相反。）

    Parameters
    ----------
    x1, x2 : torch.Tensor
        形状 ``(n, d)`` 的两组嵌入，第 $i$ 行组成一对。
    same : torch.Tensor
        形状 ``(n,)``，1 表示同一身份、0 表示不同身份（bool 或浮点）。
    margin : float
        间隔 $m$，> 0。
    reduction : str
        ``"mean"``、``"sum"`` 或 ``"none"``。

    Returns
    -------
    torch.Tensor
        ``reduction="none"`` 时形状 ``(n,)``，否则是标量。

    Raises
    ------
    TypeError, ValueError
        形状或取值不合法。

    Examples
    --------
    >>> x1 = torch.tensor([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    >>> x2 = torch.tensor([[0.6, 0.8], [0.6, 0.8], [3.0, 4.0]])  # 距离 1、1、5
    >>> contrastive_loss(x1, x2, torch.tensor([1, 0, 0]), margin=2.0, reduction="none").tolist()
    [0.5, 0.5, 0.0]
    """
    _check_embeddings((x1, "x1"), (x2, "x2"))
    check_tensor(same, "same", kind="any", ndim=1)
    if len(same) != len(x1):
        raise ValueError(f"same 的长度必须等于样本对数 {len(x1)}，收到 {len(same)}")
    if bool(((same != 0) & (same != 1)).any()):
        raise ValueError("same 的取值只能是 0 或 1")
    check_positive(margin, "margin")
    s = same.to(x1.dtype)
    d = (x1 - x2).norm(dim=1)
    # ℓ = s·½d² + (1 − s)·½·max(0, m − d)²
    loss = s * 0.5 * d**2 + (1 - s) * 0.5 * (margin - d).clamp(min=0) ** 2
    return _reduce(loss, check_choice(reduction, "reduction", _REDUCTIONS))


def triplet_loss(
    anchor: torch.Tensor,
    positive: torch.Tensor,
    negative: torch.Tensor,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
) -> torch.Tensor:
    r"""三元组损失：锚点到正例（同一身份）的距离要比到负例（不同身份）的距离小至少 ``margin``。

    $$
    \ell = \max\bigl(0,\ d(\boldsymbol a, \boldsymbol p) - d(\boldsymbol a, \boldsymbol n) + m\bigr),\qquad
    d(\boldsymbol x, \boldsymbol y) = \lVert \boldsymbol x - \boldsymbol y + \epsilon \rVert_p .
    $$

    参数和结果与 ``torch.nn.TripletMarginLoss`` 完全相同，包括把 $\epsilon$ 加在**差**上（而不是范数上）的写法；
    ``swap=True`` 时负例距离取 $\min\bigl(d(\boldsymbol a,\boldsymbol n), d(\boldsymbol p,\boldsymbol n)\bigr)$。
    注意 FaceNet 用的是**平方**欧氏距离、间隔 0.2，PyTorch 用的是不平方的距离、默认间隔 1。

    Parameters
    ----------
    anchor, positive, negative : torch.Tensor
        形状 ``(n, d)``。
    margin : float
        间隔 $m$，> 0（与 PyTorch 一样不接受 0）。
    p : float
        范数的次数，> 0。
    eps : float
        加在差上的小常数，≥ 0。
    swap : bool
        是否用“距离交换”。
    reduction : str
        ``"mean"``、``"sum"`` 或 ``"none"``。

    Returns
    -------
    torch.Tensor
        ``reduction="none"`` 时形状 ``(n,)``，否则是标量。

    Raises
    ------
    TypeError, ValueError
        形状或参数不合法。

    Examples
    --------
    >>> a, pos, neg = torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]]), torch.tensor([[6.0, 8.0]])
    >>> round(triplet_loss(a, pos, neg, margin=1.0).item(), 4)  # max(0, 5 − 10 + 1)
    0.0
    >>> round(triplet_loss(a, neg, pos, margin=1.0).item(), 4)  # 正负例互换：max(0, 10 − 5 + 1)
    6.0
    """
    _check_embeddings((anchor, "anchor"), (positive, "positive"), (negative, "negative"))
    check_positive(margin, "margin")
    check_positive(p, "p")
    check_in_range(eps, "eps", 0.0, float("inf"), high_open=True)
    if not isinstance(swap, bool):
        raise TypeError(f"swap 必须是 True 或 False，收到的是 {type(swap).__name__}")
    check_choice(reduction, "reduction", _REDUCTIONS)
    # d(x, y) = ‖x − y + ε‖_p（与 torch.pairwise_distance 相同）
    d_ap = (anchor - positive + eps).norm(p=p, dim=1)
    d_an = (anchor - negative + eps).norm(p=p, dim=1)
    if swap:
        d_an = torch.minimum(d_an, (positive - negative + eps).norm(p=p, dim=1))
    # ℓ = max(0, d(a, p) − d(a, n) + m)
    return _reduce((d_ap - d_an + margin).clamp(min=0), reduction)


MINING_STRATEGIES = ("random", "semihard", "hard")
"""[`mine_triplets`][dlguide.losses.mine_triplets] 的策略。"""


def mine_triplets(
    embeddings: torch.Tensor,
    labels: torch.Tensor,
    strategy: str = "semihard",
    margin: float = 1.0,
    seed: int | None = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""在一个小批量里为每个锚点挑一个正例和一个负例（在线挖掘），返回三组下标 ``(a, p, n)``。

    - ``"random"``：正例、负例都随机挑；
    - ``"semihard"``（FaceNet）：正例随机挑，负例取满足 $d(a,p) < d(a,n)$ 的负例里离锚点**最近**的
      （这样的负例还在间隔之内时损失才不为 0）；没有这样的负例时取最远的负例；
    - ``"hard"``（batch hard，Hermans 等 2017）：最远的正例和最近的负例。

    距离是欧氏距离，只用来挑样本，不参与求导。批里没有正例的锚点（这个身份只出现一次）被跳过。

    Parameters
    ----------
    embeddings : torch.Tensor
        形状 ``(n, d)``。
    labels : torch.Tensor
        形状 ``(n,)`` 的整数身份。
    strategy : str
        ``"random"``、``"semihard"`` 或 ``"hard"``。
    margin : float
        间隔 $m$，> 0（保留给调用方对照，挑样本时不用）。
    seed : int, optional
        ``"random"`` 与 ``"semihard"`` 随机挑正例时用的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor, torch.Tensor]
        三个等长的 int64 下标张量。

    Raises
    ------
    TypeError, ValueError
        形状不符或 ``strategy`` 不认识。

    Examples
    --------
    >>> emb = torch.tensor([[0.0], [1.0], [0.2], [5.0]])
    >>> labels = torch.tensor([0, 0, 1, 1])
    >>> a, p, n = mine_triplets(emb, labels, "hard")
    >>> a.tolist(), p.tolist(), n.tolist()  # 锚点 0 的最近负例是 2（距离 0.2），锚点 3 的最近负例是 1
    ([0, 1, 2, 3], [1, 0, 3, 2], [2, 2, 0, 1])
    """
    check_tensor(embeddings, "embeddings", ndim=2)
    check_tensor(labels, "labels", kind="int", ndim=1)
    if len(labels) != len(embeddings):
        raise ValueError(f"labels 的长度必须等于嵌入个数 {len(embeddings)}，收到 {len(labels)}")
    check_choice(strategy, "strategy", MINING_STRATEGIES)
    check_positive(margin, "margin")
    g = torch.Generator().manual_seed(resolve_seed(seed))
    with torch.no_grad():
        dist = torch.cdist(embeddings, embeddings).cpu()  # (n, n)
    same = (labels[:, None] == labels[None, :]).cpu()
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos_mask, neg_mask = same & ~eye, ~same
    has = pos_mask.any(dim=1) & neg_mask.any(dim=1)
    anchors = has.nonzero().flatten()
    if strategy == "hard":
        # 最远的正例 argmax_{p} d(a, p)，最近的负例 argmin_{n} d(a, n)
        p = dist.masked_fill(~pos_mask, -1.0).argmax(dim=1)
        n = dist.masked_fill(~neg_mask, float("inf")).argmin(dim=1)
        return anchors, p[anchors], n[anchors]
    # 随机正例：在合法位置上放随机分数取最大
    p = torch.rand(dist.shape, generator=g).masked_fill(~pos_mask, -1.0).argmax(dim=1)
    if strategy == "random":
        n = torch.rand(dist.shape, generator=g).masked_fill(~neg_mask, -1.0).argmax(dim=1)
        return anchors, p[anchors], n[anchors]
    d_ap = dist.gather(1, p[:, None])  # (n, 1)
    # semi-hard：d(a, n) > d(a, p) 的负例里最近的一个；没有就取最远的负例
    semi = neg_mask & (dist > d_ap)
    n_semi = dist.masked_fill(~semi, float("inf")).argmin(dim=1)
    n_far = dist.masked_fill(~neg_mask, -1.0).argmax(dim=1)
    n = torch.where(semi.any(dim=1), n_semi, n_far)
    return anchors, p[anchors], n[anchors]
