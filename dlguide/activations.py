"""激活函数及其导数，按公式从零实现，并与 ``torch`` 内置实现对照测试。

每个函数的公式写在计算它的那一行正上方。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from dlguide._checks import (
    check_finite,
    check_in_range,
    check_int,
    check_positive,
    check_tensor,
)

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "PReLU",
    "elu",
    "selu",
    "SELU_ALPHA",
    "SELU_SCALE",
    "gelu",
    "gelu_tanh",
    "silu",
    "Maxout",
]


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    r"""Sigmoid（logistic）函数 $\sigma(z) = 1 / (1 + e^{-z})$。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，取值在 $(0, 1)$ 内（浮点舍入后可能等于 0 或 1）。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in sigmoid(torch.tensor([-2.0, 0.0, 2.0])).tolist()]
    [0.1192, 0.5, 0.8808]
    """
    check_tensor(z, "z")
    # z ≥ 0：σ(z) = 1 / (1 + e^{-z})，指数只在 z ≥ 0 上求，e^{-z} ≤ 1 不会上溢
    positive = 1 / (1 + torch.exp(-z.clamp(min=0)))
    # z < 0：σ(z) = e^{z} / (1 + e^{z})，同理 e^{z} ≤ 1
    e_z = torch.exp(z.clamp(max=0))
    negative = e_z / (1 + e_z)
    # 两个分支处处有限，torch.where 的反向传播不会混进 inf·0 = nan
    return torch.where(z >= 0, positive, negative)


def sigmoid_grad(z: torch.Tensor) -> torch.Tensor:
    r"""Sigmoid 的导数 $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，取值在 $(0, 0.25]$ 内，在 ``z = 0`` 处取最大值 0.25。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in sigmoid_grad(torch.tensor([0.0, 4.0])).tolist()]
    [0.25, 0.0177]
    """
    s = sigmoid(z)
    # σ'(z) = σ(z)(1 − σ(z))：导数可以由前向的输出直接算出
    return s * (1 - s)


def tanh(z: torch.Tensor) -> torch.Tensor:
    r"""双曲正切 $\tanh(z) = \dfrac{e^{z}-e^{-z}}{e^{z}+e^{-z}} = 2\sigma(2z) - 1$，取值 $(-1, 1)$，零中心。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状。导数 $1-\tanh^2(z)$ 在 0 处最大，等于 1。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in tanh(torch.tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.7616, 0.0, 0.7616]
    """
    check_tensor(z, "z")
    # tanh(z) = 2σ(2z) − 1：复用数值稳定的 sigmoid，两端都不会上溢
    return 2 * sigmoid(2 * z) - 1


def relu(z: torch.Tensor) -> torch.Tensor:
    r"""ReLU $\max(0, z)$。在 $z=0$ 处不可导，约定导数取 0（与 PyTorch 相同）。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，非负；``z`` 里的 NaN 原样保留（与 ``torch.relu`` 相同），
        发散的网络不会被 ReLU 悄悄“修好”成 0。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> relu(torch.tensor([-2.0, 0.0, 3.0, float("nan")])).tolist()
    [0.0, 0.0, 3.0, nan]
    """
    check_tensor(z, "z")
    # ReLU(z) = 0（z ≤ 0），z（z > 0）；只有比较和选择，没有指数。
    # 条件写成 z ≤ 0：NaN 不满足任何比较，落到“原样返回 z”的分支，NaN 得以保留
    return torch.where(z <= 0, torch.zeros_like(z), z)


def leaky_relu(z: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    r"""Leaky ReLU：$z$（$z>0$），$\alpha z$（$z\le 0$）。负半轴留一个小斜率，梯度不会恰好为 0。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。
    negative_slope : float
        负半轴斜率 $\alpha$，在 $[0, 1)$ 内，默认 0.01（与 PyTorch 相同）。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量，或 ``negative_slope`` 不是实数。
    ValueError
        ``negative_slope`` 不在 $[0, 1)$ 内。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in leaky_relu(torch.tensor([-2.0, 3.0]), 0.1).tolist()]
    [-0.2, 3.0]
    """
    check_tensor(z, "z")
    check_in_range(negative_slope, "negative_slope", 0.0, 1.0, high_open=True)
    # LeakyReLU(z) = z（z > 0），αz（z ≤ 0）
    return torch.where(z > 0, z, negative_slope * z)


def prelu(z: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    r"""PReLU：与 Leaky ReLU 相同，但负半轴斜率 $a$ 是**可学习的参数**。

    Parameters
    ----------
    z : torch.Tensor
        形状 ``(N, C, ...)`` 或 ``(C,)`` 的浮点张量。
    weight : torch.Tensor
        斜率 $a$：形状 ``(1,)``（所有通道共享）或 ``(C,)``（每个通道一个，``C`` 是 ``z`` 的第 1 维）。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状；对 ``weight`` 可求导。

    Raises
    ------
    TypeError
        ``z`` 或 ``weight`` 不是浮点张量。
    ValueError
        ``weight`` 的元素个数既不是 1 也不是通道数。

    Examples
    --------
    >>> import torch
    >>> prelu(torch.tensor([[-2.0, 3.0]]), torch.tensor([0.25])).tolist()
    [[-0.5, 3.0]]
    """
    check_tensor(z, "z")
    check_tensor(weight, "weight")
    channels = z.shape[1] if z.ndim >= 2 else z.shape[0] if z.ndim == 1 else 1
    if weight.numel() not in (1, channels):
        raise ValueError(f"weight 的元素个数必须是 1 或通道数 {channels}，收到 {weight.numel()}")
    # 把 a 的形状变成 (C, 1, 1, ...)，沿第 1 维（通道）广播
    a = weight.reshape(-1, *([1] * (z.ndim - 2))) if z.ndim >= 2 else weight.reshape(-1)
    # PReLU(z) = z（z > 0），a·z（z ≤ 0）
    return torch.where(z > 0, z, a * z)


class PReLU(nn.Module):
    r"""带可学习斜率的 PReLU 层，初值 $a=0.25$（He 等，2015），与 ``torch.nn.PReLU`` 相同。

    Parameters
    ----------
    num_parameters : int
        1（所有通道共享一个 $a$）或通道数，在 [1, 100000] 内。
    init : float
        $a$ 的初值，有限实数。

    Raises
    ------
    TypeError, ValueError
        ``num_parameters`` 不是 [1, 100000] 内的整数，或 ``init`` 不是有限实数。

    Examples
    --------
    >>> import torch
    >>> layer = PReLU()
    >>> sum(p.numel() for p in layer.parameters())
    1
    >>> layer(torch.tensor([[-4.0, 4.0]])).tolist()
    [[-1.0, 4.0]]
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        super().__init__()
        check_int(num_parameters, "num_parameters", low=1, high=100_000)
        check_finite(init, "init")
        self.weight = nn.Parameter(torch.full((num_parameters,), float(init)))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """逐元素计算 [`prelu`][dlguide.activations.prelu]。"""
        return prelu(z, self.weight)


def elu(z: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    r"""ELU：$z$（$z>0$），$\alpha(e^{z}-1)$（$z\le 0$）。负半轴平滑地饱和到 $-\alpha$，输出均值更接近 0。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。
    alpha : float
        负半轴的饱和值 $-\alpha$，$> 0$。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，取值 $(-\alpha, \infty)$。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。
    ValueError
        ``alpha`` 不是正数。

    Examples
    --------
    >>> import torch
    >>> elu(torch.tensor([-100.0, 0.0, 2.0])).tolist()
    [-1.0, 0.0, 2.0]
    """
    check_tensor(z, "z")
    check_positive(alpha, "alpha")
    # 只对 z ≤ 0 的部分求 e^z − 1（expm1 在 0 附近更精确）；z 很大时不算 e^z，反向不会出现 inf·0
    negative = alpha * torch.expm1(z.clamp(max=0))
    # ELU(z) = z（z > 0），α(e^z − 1)（z ≤ 0）
    return torch.where(z > 0, z, negative)


SELU_ALPHA = 1.6732632423543772848170429916717
r"""SELU 的 $\alpha$（Klambauer 等，2017）。"""
SELU_SCALE = 1.0507009873554804934193349852946
r"""SELU 的 $\lambda$；与 $\alpha$ 一起使 $\mathcal N(0,1)$ 输入的输出均值为 0、方差为 1。"""


def selu(z: torch.Tensor) -> torch.Tensor:
    r"""SELU：$\lambda\,\mathrm{ELU}_\alpha(z)$，$\lambda\approx1.0507$，$\alpha\approx1.6733$。

    两个常数使得：输入为 $\mathcal N(0,1)$ 时输出的均值为 0、方差为 1（“自归一化”）。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，取值 $(-\lambda\alpha, \infty) \approx (-1.758, \infty)$。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in selu(torch.tensor([-100.0, 0.0, 1.0])).tolist()]
    [-1.7581, 0.0, 1.0507]
    """
    # SELU(z) = λ·z（z > 0），λα(e^z − 1)（z ≤ 0）
    return SELU_SCALE * elu(z, SELU_ALPHA)


def gelu(z: torch.Tensor) -> torch.Tensor:
    r"""GELU（精确形式）$z\,\Phi(z) = \tfrac{z}{2}\bigl(1+\operatorname{erf}(z/\sqrt2)\bigr)$，$\Phi$ 是标准正态分布函数。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状。不单调：最小值约 $-0.17$，在 $z\approx-0.75$。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in gelu(torch.tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.1587, 0.0, 0.8413]
    """
    check_tensor(z, "z")
    # GELU(z) = z·Φ(z)，Φ(z) = ½(1 + erf(z/√2))
    return z * 0.5 * (1 + torch.erf(z / math.sqrt(2)))


def gelu_tanh(z: torch.Tensor) -> torch.Tensor:
    r"""GELU 的 tanh 近似 $\tfrac{z}{2}\bigl(1+\tanh\bigl(\sqrt{2/\pi}\,(z+0.044715z^3)\bigr)\bigr)$（BERT、GPT-2 用的形式）。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状；与精确 GELU 的差别小于 $10^{-3}$。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in gelu_tanh(torch.tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.1588, 0.0, 0.8412]
    """
    check_tensor(z, "z")
    # GELU(z) ≈ ½z(1 + tanh(√(2/π)(z + 0.044715 z³)))
    return 0.5 * z * (1 + tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))


def silu(z: torch.Tensor) -> torch.Tensor:
    r"""SiLU / Swish（$\beta=1$）：$z\,\sigma(z)$。平滑、不单调，最小值约 $-0.278$，在 $z\approx-1.28$。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> [round(v, 4) for v in silu(torch.tensor([-1.0, 0.0, 1.0])).tolist()]
    [-0.2689, 0.0, 0.7311]
    """
    # SiLU(z) = z·σ(z)
    return z * sigmoid(z)


class Maxout(nn.Module):
    r"""Maxout 层：$k$ 组仿射变换逐元素取最大，$h_i(\boldsymbol x) = \max_{j=1..k}\bigl(\boldsymbol w_{ij}^\top\boldsymbol x + b_{ij}\bigr)$。

    Parameters
    ----------
    in_features : int
        输入宽度，在 [1, 100000] 内。
    out_features : int
        输出宽度，在 [1, 100000] 内。
    k : int
        每个输出取最大的“片”数，在 [2, 100] 内（Goodfellow 等 2013 常用 2–5）。

    Raises
    ------
    TypeError, ValueError
        尺寸不是整数或越界，或参数总数 $k\,(n_\text{in}+1)\,n_\text{out}$ 超过 $10^8$（400 MB）。

    Examples
    --------
    >>> import torch
    >>> layer = Maxout(4, 3, k=2)
    >>> tuple(layer(torch.zeros(5, 4)).shape)
    (5, 3)
    >>> sum(p.numel() for p in layer.parameters())  # k·(4 + 1)·3
    30
    """

    def __init__(self, in_features: int, out_features: int, k: int = 2) -> None:
        super().__init__()
        for name, value, low, high in (
            ("in_features", in_features, 1, 100_000), ("out_features", out_features, 1, 100_000), ("k", k, 2, 100)
        ):
            check_int(value, name, low=low, high=high)
        if k * (in_features + 1) * out_features > 10**8:
            raise ValueError(
                f"in_features、out_features、k 给出的参数太多：k·(in_features + 1)·out_features = "
                f"{k * (in_features + 1) * out_features}，上限 10**8"
            )
        self.in_features, self.out_features, self.k = in_features, out_features, k
        # k 组 (W_j, b_j) 放在一个线性层里：输出 out_features·k 个数
        self.linear = nn.Linear(in_features, out_features * k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` 形状 ``(..., in_features)``，dtype 与层的参数相同，返回 ``(..., out_features)``。"""
        check_tensor(x, "x")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"x 的最后一维必须是 in_features = {self.in_features}，收到形状 {tuple(x.shape)}")
        if x.dtype != self.linear.weight.dtype:
            raise TypeError(f"x 的 dtype 必须与层的参数相同（{self.linear.weight.dtype}），收到 {x.dtype}")
        # z_{ij} = w_{ij}ᵀx + b_{ij}，整理成 (..., out, k)
        z = self.linear(x).unflatten(-1, (self.out_features, self.k))
        # h_i = max_j z_{ij}
        return z.amax(dim=-1)


