r"""广义线性模型（GLM）写成单层网络：线性层给出自然参数 $\eta$，激活函数是**逆链接函数**（均值函数）。

$$
\eta = \boldsymbol w^\top \boldsymbol x + b ,\qquad \mu = \mathbb E[y \mid \boldsymbol x] = g^{-1}(\eta),\qquad g = \text{链接函数}.
$$

取**规范链接**（canonical link）时，$\eta$ 正好是指数族分布的自然参数，负对数似然是 $\eta$ 的凸函数，
并且对 $\eta$ 的梯度对所有分布都是同一个形式 $\mu - y$：

| 分布 ``family`` | 均值函数 $g^{-1}(\eta)$（激活函数） | 链接函数 $g(\mu)$ | 负对数似然（去掉与 $\eta$ 无关的常数） | PyTorch 里的损失 |
| --- | --- | --- | --- | --- |
| ``"gaussian"``（$\sigma=1$） | 恒等 | 恒等 | $\tfrac12(y-\eta)^2$ | ``MSELoss`` 的一半 |
| ``"bernoulli"`` | sigmoid | logit $\log\frac{\mu}{1-\mu}$ | $\log(1+e^{\eta}) - y\eta$ | ``BCEWithLogitsLoss`` |
| ``"categorical"`` | softmax | $\log\mu$（差一个常数） | $\log\sum_k e^{\eta_k} - \eta_y$ | ``CrossEntropyLoss`` |
| ``"poisson"`` | $\exp$ | $\log$ | $e^{\eta} - y\eta$ | ``PoissonNLLLoss(log_input=True)`` |

``tests/test_glm.py`` 核对这些损失与 PyTorch 的内置损失、与 ``torch.distributions`` 的对数似然一致，
拟合结果与 scikit-learn 的 ``LogisticRegression``、``PoissonRegressor`` 一致。
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlguide._checks import check_bool, check_choice, check_int, check_seed, check_tensor

__all__ = [
    "FAMILIES",
    "GeneralizedLinearModel",
    "glm_nll",
    "inverse_link",
    "link",
]

FAMILIES = ("gaussian", "bernoulli", "categorical", "poisson")
"""支持的指数族分布（都用规范链接）。"""

_REDUCTIONS = ("mean", "sum", "none")


def _check_eta(eta: object, family: str) -> torch.Tensor:
    check_choice(family, "family", FAMILIES)
    if family == "categorical":
        check_tensor(eta, "eta", ndim=2, nonempty=True)
    else:
        check_tensor(eta, "eta")
    return eta  # type: ignore[return-value]


def inverse_link(eta: torch.Tensor, family: str = "bernoulli") -> torch.Tensor:
    r"""均值函数 $\mu = g^{-1}(\eta)$，也就是把 GLM 看成单层网络时的**激活函数**。

    Parameters
    ----------
    eta : torch.Tensor
        自然参数（线性层的输出）；``"categorical"`` 时是 ``(n, K)`` 的 logit，其余任意形状。
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一。

    Returns
    -------
    torch.Tensor
        与 ``eta`` 同形状的 $\mu$：恒等、sigmoid、沿最后一维的 softmax、exp。

    Raises
    ------
    TypeError, ValueError
        ``eta`` 不是浮点张量（``"categorical"`` 时不是 2 维），``family`` 不认识。

    Examples
    --------
    >>> eta = torch.tensor([0.0, 1.0])
    >>> [round(v, 4) for v in inverse_link(eta, "bernoulli").tolist()], [round(v, 4) for v in inverse_link(eta, "poisson").tolist()]
    ([0.5, 0.7311], [1.0, 2.7183])
    """
    _check_eta(eta, family)
    if family == "gaussian":
        # μ = η
        return eta
    if family == "bernoulli":
        # μ = σ(η) = 1 / (1 + e^{−η})
        return torch.sigmoid(eta)
    if family == "categorical":
        # μ_k = e^{η_k} / Σ_j e^{η_j}
        return torch.softmax(eta, dim=-1)
    # μ = e^{η}
    return torch.exp(eta)


def link(mu: torch.Tensor, family: str = "bernoulli") -> torch.Tensor:
    r"""链接函数 $\eta = g(\mu)$：把均值映射回线性预测器的取值范围，是 [`inverse_link`][dlguide.glm.inverse_link] 的反函数。

    ``"categorical"`` 的 softmax 不是一一映射（各分量加同一个常数结果不变），这里取 $\log\mu$ 作代表。

    Parameters
    ----------
    mu : torch.Tensor
        均值：``"bernoulli"`` 在 (0, 1) 内，``"poisson"`` > 0，``"categorical"`` 是 ``(n, K)`` 的概率。
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一。

    Returns
    -------
    torch.Tensor
        与 ``mu`` 同形状的 $\eta$：恒等、logit、log、log。

    Raises
    ------
    TypeError, ValueError
        ``mu`` 不是浮点张量，``family`` 不认识。

    Examples
    --------
    >>> eta = torch.tensor([-2.0, 0.5, 3.0])
    >>> [round(v, 4) for v in link(inverse_link(eta, "bernoulli"), "bernoulli").tolist()]
    [-2.0, 0.5, 3.0]
    """
    check_tensor(mu, "mu")
    check_choice(family, "family", FAMILIES)
    if family == "gaussian":
        # η = μ
        return mu
    if family == "bernoulli":
        # η = logit(μ) = log(μ / (1 − μ))
        return torch.logit(mu)
    # η = log μ（泊松；多类时差一个对所有类别相同的常数）
    return torch.log(mu)


def glm_nll(
    eta: torch.Tensor, y: torch.Tensor, family: str = "bernoulli", reduction: str = "mean", *, full: bool = False
) -> torch.Tensor:
    r"""规范链接 GLM 的负对数似然 $-\log p(y \mid \eta)$：深度学习里各输出层配的损失函数。

    ``full=False``（默认）时去掉与 $\eta$ 无关的常数（高斯的 $\tfrac12\log 2\pi$、泊松的 $\log y!$），
    与 PyTorch 的内置损失逐位对应；``full=True`` 时保留，等于 ``-torch.distributions.*.log_prob``。

    Parameters
    ----------
    eta : torch.Tensor
        自然参数：``"categorical"`` 时 ``(n, K)``，其余 ``(n,)``（或与 ``y`` 同形状）。
    y : torch.Tensor
        观测：高斯任意实数；伯努利 0/1；泊松非负计数（浮点）；多类是 ``(n,)`` 的整数类别。
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一。
    reduction : str
        ``"mean"``、``"sum"`` 或 ``"none"``。
    full : bool
        是否保留与 $\eta$ 无关的常数。

    Returns
    -------
    torch.Tensor
        标量，或 ``reduction="none"`` 时每个样本一个值。

    Raises
    ------
    TypeError, ValueError
        类型、形状不匹配，``y`` 的取值不合这个分布，选项不认识。

    Examples
    --------
    >>> eta = torch.tensor([0.0, 2.0])
    >>> y = torch.tensor([1.0, 0.0])
    >>> [round(v, 4) for v in glm_nll(eta, y, "bernoulli", "none").tolist()]       # log 2、log(1 + e²)
    [0.6931, 2.1269]
    >>> round(glm_nll(eta, torch.tensor([3.0, 1.0]), "poisson", "sum").item(), 4)   # (1 − 0) + (e² − 2)
    6.3891
    """
    _check_eta(eta, family)
    check_choice(reduction, "reduction", _REDUCTIONS)
    check_bool(full, "full")
    if family == "categorical":
        check_tensor(y, "y", kind="int", ndim=1)
        if y.shape[0] != eta.shape[0]:
            raise ValueError(f"y 的长度必须等于 eta 的行数 {eta.shape[0]}，收到 {y.shape[0]}")
        if y.numel() and (y.min() < 0 or y.max() >= eta.shape[1]):
            raise ValueError(f"y 的类别必须在 [0, {eta.shape[1] - 1}] 内，收到 [{y.min().item()}, {y.max().item()}]")
        # ℓ = log Σ_k e^{η_k} − η_y
        loss = torch.logsumexp(eta, dim=1) - eta.gather(1, y.long().to(eta.device)[:, None]).squeeze(1)
    else:
        check_tensor(y, "y")
        if y.shape != eta.shape:
            raise ValueError(f"y 与 eta 的形状必须相同，收到 {tuple(y.shape)} 和 {tuple(eta.shape)}")
        if family == "bernoulli" and not bool(((y == 0) | (y == 1)).all()):
            raise ValueError("y 的取值必须是 0 或 1（伯努利分布）")
        if family == "poisson" and not bool(((y >= 0) & (y == y.round())).all()):
            raise ValueError("y 的取值必须是非负整数计数（泊松分布），用浮点张量存放")
        if family == "gaussian":
            # ℓ = ½(y − η)²  [+ ½ log 2π]
            loss = 0.5 * (y - eta) ** 2 + (0.5 * math.log(2 * math.pi) if full else 0.0)
        elif family == "bernoulli":
            # ℓ = log(1 + e^{η}) − yη = softplus(η) − yη
            loss = F.softplus(eta) - y * eta
        else:
            # ℓ = e^{η} − yη  [+ log y!]
            loss = torch.exp(eta) - y * eta + (torch.lgamma(y + 1) if full else 0.0)
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


class GeneralizedLinearModel(nn.Module):
    r"""GLM 作为单层网络：``forward`` 返回自然参数 $\eta$（logit），[`mean`][dlguide.glm.GeneralizedLinearModel.mean] 返回 $\mu = g^{-1}(\eta)$。

    和深度学习的惯例一样，激活函数不放在 ``forward`` 里，而是并进损失（[`glm_nll`][dlguide.glm.glm_nll]），数值更稳定。

    Parameters
    ----------
    in_features : int
        输入特征数，在 [1, 100000] 内。
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一。
    num_classes : int
        ``"categorical"`` 的类别数，在 [2, 100000] 内；其余分布忽略它（输出一个数）。
    seed : int, optional
        给出时用它初始化参数。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界，``family`` 不认识。

    Examples
    --------
    >>> model = GeneralizedLinearModel(3, "categorical", num_classes=4, seed=0)
    >>> x = torch.zeros(2, 3)
    >>> tuple(model(x).shape), [round(v, 4) for v in model.mean(x).sum(dim=1).tolist()]
    ((2, 4), [1.0, 1.0])
    """

    def __init__(self, in_features: int, family: str = "bernoulli", num_classes: int = 2, seed: int | None = None) -> None:
        super().__init__()
        d = check_int(in_features, "in_features", low=1, high=100_000)
        self.family = check_choice(family, "family", FAMILIES)
        k = check_int(num_classes, "num_classes", low=2, high=100_000)
        if seed is not None:
            torch.manual_seed(check_seed(seed))
        self.linear = nn.Linear(d, k if family == "categorical" else 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""自然参数 $\eta = W\boldsymbol x + \boldsymbol b$：``(n, K)``（多类）或 ``(n,)``。

        Parameters
        ----------
        x : torch.Tensor
            ``(n, in_features)``。

        Returns
        -------
        torch.Tensor
            $\eta$。

        Raises
        ------
        TypeError, ValueError
            ``x`` 不是 2 维浮点张量或特征数不对。

        Examples
        --------
        >>> GeneralizedLinearModel(2, "poisson", seed=0)(torch.zeros(5, 2)).shape
        torch.Size([5])
        """
        check_tensor(x, "x", ndim=2)
        if x.shape[1] != self.linear.in_features:
            raise ValueError(f"x 必须有 {self.linear.in_features} 个特征，收到形状 {tuple(x.shape)}")
        # η = Wx + b
        eta = self.linear(x)
        return eta if self.family == "categorical" else eta.squeeze(1)

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        r"""预测的均值 $\mu = g^{-1}(\eta)$：概率（伯努利、多类）、期望计数（泊松）或期望值（高斯）。

        Parameters
        ----------
        x : torch.Tensor
            ``(n, in_features)``。

        Returns
        -------
        torch.Tensor
            与 ``forward(x)`` 同形状。

        Raises
        ------
        TypeError, ValueError
            同 ``forward``。

        Examples
        --------
        >>> model = GeneralizedLinearModel(2, "bernoulli", seed=0)
        >>> bool(((model.mean(torch.randn(4, 2)) > 0) & (model.mean(torch.randn(4, 2)) < 1)).all())
        True
        """
        return inverse_link(self(x), self.family)

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """平均负对数似然 ``glm_nll(self(x), y, self.family)``。

        Parameters
        ----------
        x : torch.Tensor
            ``(n, in_features)``。
        y : torch.Tensor
            观测，取值要求见 [`glm_nll`][dlguide.glm.glm_nll]。

        Returns
        -------
        torch.Tensor
            标量。

        Raises
        ------
        TypeError, ValueError
            同 ``forward`` 和 [`glm_nll`][dlguide.glm.glm_nll]。

        Examples
        --------
        >>> model = GeneralizedLinearModel(1, "gaussian", seed=0)
        >>> with torch.no_grad():
        ...     _ = model.linear.weight.fill_(2.0)
        ...     _ = model.linear.bias.zero_()
        ...
        >>> model.loss(torch.tensor([[1.0]]), torch.tensor([3.0])).item()         # ½(3 − 2)²
        0.5
        """
        return glm_nll(self(x), y, self.family)
