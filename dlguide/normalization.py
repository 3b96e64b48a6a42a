r"""归一化层：批标准化（训练与推断、滑动统计量、PyTorch 的 momentum 约定）、层标准化、组标准化。

三者都把一组数减去均值、除以标准差，再做逐通道（或逐元素）的仿射变换 $\gamma\hat x + \beta$：

$$
\hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad y = \gamma \hat x + \beta .
$$

区别只在 $\mu, \sigma^2$ 在哪些轴上求：对 ``(N, C, H, W)``，批标准化在 ``(N, H, W)`` 上（每个通道一组），
层标准化在 ``(C, H, W)`` 上（每个样本一组），组标准化在“一组通道 × ``(H, W)``”上（每个样本、每组一组）。
``tests/test_normalization.py`` 核对它们与 ``nn.BatchNorm1d/2d``、``nn.LayerNorm``、``nn.GroupNorm`` 的前向、反向、
滑动统计量在浮点舍入误差内一致。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_bool, check_in_range, check_int, check_tensor

__all__ = [
    "batch_norm",
    "BatchNorm",
    "layer_norm",
    "group_norm",
]

FEATURES_MAX = 1 << 20
"""通道数、组数的上限（远大于任何真实网络）。"""


def _check_eps(eps: float) -> float:
    return check_in_range(eps, "eps", 0.0, 1.0, low_open=True)


def _check_affine(t: object, name: str, size: int, ref: torch.Tensor) -> torch.Tensor | None:
    if t is None:
        return None
    t = check_tensor(t, name, ndim=1)
    if t.shape[0] != size:
        raise ValueError(f"{name} 的长度必须等于通道数 {size}，收到 {t.shape[0]}")
    return t.to(ref.dtype)


def batch_norm(
    x: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    training: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""批标准化（函数版，与 ``F.batch_norm`` 的参数顺序相同）。

    ``x`` 的第 1 维是通道 $C$，其余各维（批、长度、高、宽）合起来是每个通道的 $m$ 个数。

    - **训练**（``training=True``）：用这 $m$ 个数的均值 $\mu_B$ 和**有偏**方差 $\sigma_B^2$ 标准化，
      并就地更新滑动统计量（PyTorch 的约定，``momentum`` 是**新值**的权重）：
      $\hat\mu \leftarrow (1-m)\hat\mu + m\,\mu_B$，$\hat\sigma^2 \leftarrow (1-m)\hat\sigma^2 + m\,\frac{m_B}{m_B-1}\sigma_B^2$
      （存的是**无偏**方差）。
    - **推断**（``training=False``）：用滑动统计量 $\hat\mu, \hat\sigma^2$，输出与批里其他样本无关。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C)``、``(N, C, L)`` 或 ``(N, C, H, W)`` 的浮点张量。
    running_mean, running_var : torch.Tensor
        长度 ``C`` 的滑动均值、滑动方差；训练时被就地更新。
    weight, bias : torch.Tensor, optional
        长度 ``C`` 的 $\gamma$、$\beta$；``None`` 表示 1 和 0。
    training : bool
        训练（用批统计量并更新滑动统计量）还是推断（用滑动统计量）。
    momentum : float
        新批统计量的权重 $m \in [0, 1]$，PyTorch 默认 0.1（Keras/TensorFlow 的 ``momentum=0.99`` 是旧值的权重，相当于这里的 0.01）。
    eps : float
        加在方差上防止除以 0，在 $(0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        形状不合要求，或训练时每个通道只有 1 个数（方差无定义，PyTorch 同样报错）。

    Examples
    --------
    >>> x = torch.tensor([[1.0], [3.0]])                 # 2 个样本、1 个通道
    >>> mean, var = torch.zeros(1), torch.ones(1)
    >>> [round(v, 4) for v in batch_norm(x, mean, var).flatten().tolist()]
    [-1.0, 1.0]
    >>> round(mean.item(), 4), round(var.item(), 4)      # 0.9·0 + 0.1·2；0.9·1 + 0.1·2（无偏方差 2）
    (0.2, 1.1)
    >>> [round(v, 4) for v in batch_norm(x, mean, var, training=False).flatten().tolist()]
    [0.7628, 2.6697]
    """
    x = check_tensor(x, "x", ndim=(2, 3, 4), nonempty=True)
    C = x.shape[1]
    running_mean = check_tensor(running_mean, "running_mean", ndim=1)
    running_var = check_tensor(running_var, "running_var", ndim=1)
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t.shape[0] != C:
            raise ValueError(f"{name} 的长度必须等于 x 的通道数 {C}，收到 {t.shape[0]}")
    weight = _check_affine(weight, "weight", C, x)
    bias = _check_affine(bias, "bias", C, x)
    check_bool(training, "training")
    m = check_in_range(momentum, "momentum", 0.0, 1.0)
    eps = _check_eps(eps)
    dims = [0, *range(2, x.ndim)]  # 除通道外的所有维
    shape = [1, C] + [1] * (x.ndim - 2)  # 把长度 C 的向量广播回 x 的形状
    if training:
        n = x.numel() // C
        if n < 2:
            raise ValueError(f"训练时每个通道至少要有 2 个数才能求方差，收到 x 的形状 {tuple(x.shape)}")
        # μ_B = (1/m) Σ x，σ²_B = (1/m) Σ (x − μ_B)²（有偏）
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        with torch.no_grad():
            # μ̂ ← (1 − m) μ̂ + m μ_B；σ̂² ← (1 − m) σ̂² + m · n/(n − 1) · σ²_B（无偏）
            running_mean.mul_(1 - m).add_(m * mean.detach())
            running_var.mul_(1 - m).add_(m * var.detach() * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    # x̂ = (x − μ) / √(σ² + ε)
    x_hat = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    # y = γ x̂ + β
    if weight is not None:
        x_hat = x_hat * weight.reshape(shape)
    if bias is not None:
        x_hat = x_hat + bias.reshape(shape)
    return x_hat


class BatchNorm(nn.Module):
    r"""批标准化层：一个类同时顶替 ``nn.BatchNorm1d`` 和 ``nn.BatchNorm2d``（参数和缓冲区同名，``state_dict`` 可以互相加载）。

    ``model.train()`` 时用批统计量并更新滑动统计量，``model.eval()`` 时用滑动统计量。

    Parameters
    ----------
    num_features : int
        通道数 $C$。
    eps : float
        加在方差上的小数。
    momentum : float or None
        新批统计量的权重（PyTorch 约定，默认 0.1）；``None`` 表示累计平均（第 $t$ 批的权重为 $1/t$）。
    affine : bool
        是否有可学习的 $\gamma$（初值 1）和 $\beta$（初值 0）。

    Examples
    --------
    >>> bn = BatchNorm(3)
    >>> x = torch.randn(8, 3, 4, 4)
    >>> y = bn(x)
    >>> bool(y.mean(dim=(0, 2, 3)).abs().max() < 1e-6), round(y.var(dim=(0, 2, 3), unbiased=False).mean().item(), 3)
    (True, 1.0)
    >>> int(bn.num_batches_tracked), sum(p.numel() for p in bn.parameters())
    (1, 6)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True) -> None:
        super().__init__()
        self.num_features = check_int(num_features, "num_features", low=1, high=FEATURES_MAX)
        self.eps = _check_eps(eps)
        self.momentum = None if momentum is None else check_in_range(momentum, "momentum", 0.0, 1.0)
        check_bool(affine, "affine")
        self.weight = nn.Parameter(torch.ones(num_features)) if affine else None
        self.bias = nn.Parameter(torch.zeros(num_features)) if affine else None
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        momentum = self.momentum
        if self.training:
            self.num_batches_tracked.add_(1)
            if momentum is None:  # 累计平均：第 t 批的权重 1/t
                momentum = 1.0 / float(self.num_batches_tracked)
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          self.training, 0.0 if momentum is None else momentum, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.weight is not None}"


def layer_norm(
    x: torch.Tensor,
    normalized_shape: int | Sequence[int],
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""层标准化：对每个样本，在最后 ``len(normalized_shape)`` 维上求均值和（有偏）方差。

    与批里其他样本无关，训练和推断的计算完全相同，没有滑动统计量（Transformer、RNN 用它）。
    $\gamma, \beta$ 的形状是 ``normalized_shape``（逐元素，而不是逐通道）。

    Parameters
    ----------
    x : torch.Tensor
        浮点张量，最后几维的形状等于 ``normalized_shape``。
    normalized_shape : int or sequence of int
        要标准化的最后几维的形状。
    weight, bias : torch.Tensor, optional
        形状为 ``normalized_shape`` 的 $\gamma$、$\beta$。
    eps : float
        加在方差上的小数，在 $(0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        ``x`` 的最后几维与 ``normalized_shape`` 不符，或 ``weight``/``bias`` 形状不对。

    Examples
    --------
    >>> [round(v, 4) for v in layer_norm(torch.tensor([[1.0, 2.0, 3.0]]), 3).flatten().tolist()]
    [-1.2247, 0.0, 1.2247]
    """
    x = check_tensor(x, "x", nonempty=True)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) and not isinstance(normalized_shape, bool) else normalized_shape
    if not isinstance(shape, Sequence) or isinstance(shape, str) or len(shape) == 0:
        raise TypeError(f"normalized_shape 必须是正整数或非空的正整数序列，收到 {normalized_shape!r}")
    shape = tuple(check_int(s, f"normalized_shape[{i}]", low=1, high=FEATURES_MAX) for i, s in enumerate(shape))
    if tuple(x.shape[x.ndim - len(shape):]) != shape or x.ndim < len(shape):
        raise ValueError(f"x 的最后 {len(shape)} 维必须是 {shape}，收到形状 {tuple(x.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(check_tensor(t, name).shape) != shape:
            raise ValueError(f"{name} 的形状必须是 {shape}，收到 {tuple(t.shape)}")
    eps = _check_eps(eps)
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    # μ、σ² 在每个样本的最后几维上求（有偏方差）
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, unbiased=False, keepdim=True)
    # x̂ = (x − μ)/√(σ² + ε)；y = γ ⊙ x̂ + β（逐元素）
    y = (x - mean) / torch.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(
    x: torch.Tensor,
    num_groups: int,
    weight: torch.Tensor | None = None,
    bias: torch.Tensor | None = None,
    eps: float = 1e-5,
) -> torch.Tensor:
    r"""组标准化：把 $C$ 个通道分成 $G$ 组，每个样本的每组（``C/G`` 个通道 × 全部空间位置）一起标准化。

    $G=1$ 时统计量与层标准化相同（仿射参数仍是逐通道的），$G=C$ 时就是实例标准化。
    与批大小无关，小批量（检测、分割）里代替批标准化（Wu & He，2018）。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, *)`` 的浮点张量，``*`` 是任意个空间维。
    num_groups : int
        组数 $G$，必须整除 $C$。
    weight, bias : torch.Tensor, optional
        长度 ``C`` 的逐通道 $\gamma$、$\beta$。
    eps : float
        加在方差上的小数，在 $(0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        ``x`` 少于 2 维，``num_groups`` 不整除通道数，或仿射参数长度不对。

    Examples
    --------
    >>> x = torch.tensor([[[1.0], [3.0], [10.0], [30.0]]])      # (N=1, C=4, L=1)，两组：{1, 3}、{10, 30}
    >>> [round(v, 4) for v in group_norm(x, 2).flatten().tolist()]
    [-1.0, 1.0, -1.0, 1.0]
    """
    x = check_tensor(x, "x", nonempty=True)
    if x.ndim < 2:
        raise ValueError(f"x 必须至少是 2 维 (N, C, ...)，收到形状 {tuple(x.shape)}")
    N, C = x.shape[:2]
    G = check_int(num_groups, "num_groups", low=1, high=FEATURES_MAX)
    if C % G:
        raise ValueError(f"num_groups 必须整除 x 的通道数 {C}，收到 {G}")
    weight = _check_affine(weight, "weight", C, x)
    bias = _check_affine(bias, "bias", C, x)
    eps = _check_eps(eps)
    groups = x.reshape(N, G, -1)  # (N, G, C/G · 空间)
    # 每个样本、每组：μ、σ²（有偏）
    mean = groups.mean(dim=-1, keepdim=True)
    var = groups.var(dim=-1, unbiased=False, keepdim=True)
    # x̂ = (x − μ)/√(σ² + ε)
    y = ((groups - mean) / torch.sqrt(var + eps)).reshape(x.shape)
    shape = [1, C] + [1] * (x.ndim - 2)
    # y = γ_c x̂ + β_c（逐通道）
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y
