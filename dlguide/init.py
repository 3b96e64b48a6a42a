r"""权重初始化：按公式从零实现，并与 ``torch.nn.init`` 对照测试。

约定与 PyTorch 相同：``nn.Linear`` 的权重形状是 ``(fan_out, fan_in)``；所有函数**就地**修改张量并返回它；
随机的初始化都接受 ``generator``，用同一个种子时与 ``torch.nn.init`` 抽出的数逐位相同。

另有 [`init_mlp`][dlguide.init.init_mlp]：按方案名初始化一个 MLP 的所有线性层。深层 MLP 里信号传播的测量在
“如何利用初始化缓解梯度消失和爆炸”一页的 [`signal_propagation`][dlguide.pages.gradients.initialization.signal_propagation]。
"""

from __future__ import annotations

import functools
import math

import torch
from torch import nn

from dlguide._checks import (
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_module,
    check_nonnegative,
    check_positive,
    check_seed,
    check_tensor,
)

__all__ = [
    "SCHEMES",
    "calculate_gain",
    "constant_",
    "critical_weight_variance",
    "fans",
    "init_mean_field",
    "init_mlp",
    "kaiming_normal_",
    "kaiming_uniform_",
    "lecun_normal_",
    "mean_field_chi",
    "mean_field_q",
    "normal_",
    "orthogonal_",
    "weight_variance",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

SCHEMES = ("zeros", "small_normal", "lecun", "xavier", "he", "orthogonal", "pytorch_default")
"""[`init_mlp`][dlguide.init.init_mlp] 认识的方案名。"""

_GAIN_FREE = ("linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d")
_GAIN_NAMES = (*_GAIN_FREE, "tanh", "relu", "leaky_relu", "selu")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""激活函数的推荐增益 $g$：初始化的标准差要乘上它，抵消激活函数对方差的缩放。

    Parameters
    ----------
    nonlinearity : str
        ``"linear"``/``"identity"``/``"sigmoid"``/``"conv1d"``…、``"tanh"``、``"relu"``、
        ``"leaky_relu"``、``"selu"``。
    param : float, optional
        ``leaky_relu`` 的负半轴斜率（有限实数），默认 0.01。

    Returns
    -------
    float
        增益 $g$。

    Raises
    ------
    TypeError, ValueError
        ``nonlinearity`` 不认识，或 ``param`` 不是有限实数。

    Examples
    --------
    >>> [round(calculate_gain(a), 4) for a in ("linear", "tanh", "relu", "selu")]
    [1.0, 1.6667, 1.4142, 0.75]
    """
    check_choice(nonlinearity, "nonlinearity", _GAIN_NAMES)
    if param is not None:
        check_finite(param, "param")
    if nonlinearity in _GAIN_FREE:
        return 1.0
    if nonlinearity == "tanh":
        # tanh：g = 5/3（PyTorch 的经验值，使 tanh 网络的信号方差大致保持）
        return 5.0 / 3
    if nonlinearity == "relu":
        # ReLU 砍掉一半的输入，二阶矩减半：g = √2
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        # leaky ReLU：g = √(2 / (1 + a²))
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        # SELU：g = 3/4（PyTorch 为自归一化网络选的值）
        return 3.0 / 4
    raise AssertionError(nonlinearity)  # check_choice 已经排除了其他名字


def fans(tensor: torch.Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)``：一个输出单元收到多少输入、一个输入单元连到多少输出。

    Parameters
    ----------
    tensor : torch.Tensor
        至少 2 维的权重，形状 ``(fan_out, fan_in, *卷积核)``。

    Returns
    -------
    tuple[int, int]
        ``(fan_in, fan_out)``，卷积核的元素数同时乘进两者。

    Raises
    ------
    TypeError, ValueError
        不是浮点张量，或少于 2 维。

    Examples
    --------
    >>> import torch
    >>> fans(torch.empty(256, 784)), fans(torch.empty(16, 3, 5, 5))
    ((784, 256), (75, 400))
    """
    check_tensor(tensor, "tensor")
    if tensor.ndim < 2:
        raise ValueError(f"tensor 至少要 2 维（fan_out, fan_in），收到形状 {tuple(tensor.shape)}")
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def zeros_(tensor: torch.Tensor) -> torch.Tensor:
    """全部置 0（对偏置无害，对权重会导致对称性无法打破）。

    Examples
    --------
    >>> import torch
    >>> zeros_(torch.ones(2, 2)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    return constant_(tensor, 0.0)


def constant_(tensor: torch.Tensor, value: float) -> torch.Tensor:
    """全部置为同一个常数 ``value``（有限实数）。

    Raises
    ------
    TypeError, ValueError
        ``tensor`` 不是浮点张量，或 ``value`` 不是有限实数。

    Examples
    --------
    >>> import torch
    >>> constant_(torch.empty(1, 3), 0.5).tolist()
    [[0.5, 0.5, 0.5]]
    """
    check_tensor(tensor, "tensor")
    check_finite(value, "value")
    with torch.no_grad():
        return tensor.fill_(value)


def normal_(
    tensor: torch.Tensor, std: float = 0.01, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""$w \sim \mathcal N(0, \sigma^2)$，与层的宽度无关（早年常见的 ``randn * 0.01``）。

    Parameters
    ----------
    tensor : torch.Tensor
        要初始化的张量。
    std : float
        标准差 $\sigma \ge 0$，有限。
    generator : torch.Generator, optional
        随机数生成器。

    Raises
    ------
    ValueError
        ``std`` 为负或不是有限实数。

    Examples
    --------
    >>> import torch
    >>> w = normal_(torch.empty(1000, 100), std=0.01, generator=torch.Generator().manual_seed(0))
    >>> round(w.std().item(), 3)
    0.01
    """
    check_tensor(tensor, "tensor")
    check_nonnegative(std, "std")
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


def lecun_normal_(tensor: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    r"""LeCun 初始化：$w \sim \mathcal N(0, 1/n_{\text{in}})$，只看输入个数。

    原笔记称之为 “Xavier 初始化”，其实是 LeCun 等人 1998 年在 *Efficient BackProp* 中给出的。

    Examples
    --------
    >>> import torch
    >>> w = lecun_normal_(torch.empty(256, 400), generator=torch.Generator().manual_seed(0))
    >>> round(w.var().item() * 400, 2)
    1.0
    """
    fan_in, _ = fans(tensor)
    # Var(w) = 1 / n_in：n_in 个方差为 1 的输入相加后，z 的方差仍为 1
    std = math.sqrt(1.0 / fan_in)
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


def xavier_uniform_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Glorot/Xavier 均匀初始化：$w \sim U(-a, a)$，$a = g\sqrt{6/(n_{\text{in}}+n_{\text{out}})}$，增益 $g \ge 0$。

    Raises
    ------
    TypeError, ValueError
        ``tensor`` 不是至少 2 维的浮点张量，或 ``gain`` 为负或不是有限实数。

    Examples
    --------
    >>> import torch
    >>> w = xavier_uniform_(torch.empty(300, 100), generator=torch.Generator().manual_seed(0))
    >>> round(w.abs().max().item(), 3), round(w.var().item() * (300 + 100) / 2, 2)
    (0.122, 0.99)
    """
    fan_in, fan_out = fans(tensor)
    check_nonnegative(gain, "gain")
    # 前向要 n_in·Var(w)=1，反向要 n_out·Var(w)=1，折中取 Var(w) = 2 / (n_in + n_out)
    # U(-a, a) 的方差是 a²/3，所以 a = g·√(3·Var) = g·√(6 / (n_in + n_out))
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def xavier_normal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Glorot/Xavier 正态初始化：$w \sim \mathcal N\bigl(0,\ g^2 \cdot 2/(n_{\text{in}}+n_{\text{out}})\bigr)$，增益 $g \ge 0$。

    Raises
    ------
    TypeError, ValueError
        ``tensor`` 不是至少 2 维的浮点张量，或 ``gain`` 为负或不是有限实数。

    Examples
    --------
    >>> import torch
    >>> w = xavier_normal_(torch.empty(300, 100), generator=torch.Generator().manual_seed(0))
    >>> round(w.var().item() * (300 + 100) / 2, 2)
    1.0
    """
    fan_in, fan_out = fans(tensor)
    check_nonnegative(gain, "gain")
    # σ = g·√(2 / (n_in + n_out))
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


def _kaiming_std(tensor: torch.Tensor, a: float, mode: str, nonlinearity: str) -> float:
    check_finite(a, "a")
    check_choice(mode, "mode", ("fan_in", "fan_out"))
    fan_in, fan_out = fans(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    # σ = g / √n，ReLU 的 g = √2，即 Var(w) = 2 / n
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_normal_(
    tensor: torch.Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""He/Kaiming 正态初始化：$w \sim \mathcal N(0, g^2/n)$，ReLU 时 $g^2=2$，即 $\mathrm{Var}(w)=2/n_{\text{in}}$。

    Parameters
    ----------
    tensor : torch.Tensor
        权重。
    a : float
        ``leaky_relu`` 的负斜率，有限实数（只在 ``nonlinearity="leaky_relu"`` 时用到）。
    mode : str
        ``"fan_in"``（保持前向方差）或 ``"fan_out"``（保持反向方差）。
    nonlinearity : str
        见 [`calculate_gain`][dlguide.init.calculate_gain]。注意 PyTorch 的默认值是 ``"leaky_relu"``，这里默认 ``"relu"``。
    generator : torch.Generator, optional
        随机数生成器。

    Raises
    ------
    TypeError, ValueError
        ``mode`` 或 ``nonlinearity`` 不认识，或 ``a`` 不是有限实数。

    Examples
    --------
    >>> import torch
    >>> w = kaiming_normal_(torch.empty(200, 400), generator=torch.Generator().manual_seed(0))
    >>> round(w.var().item() * 400, 2)
    2.0
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


def kaiming_uniform_(
    tensor: torch.Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    r"""He/Kaiming 均匀初始化：$w \sim U(-b, b)$，$b = g\sqrt{3/n}$。

    ``nn.Linear`` 的默认初始化就是 ``kaiming_uniform_(w, a=√5, nonlinearity="leaky_relu")``，
    即 $b = 1/\sqrt{n_{\text{in}}}$、$\mathrm{Var}(w) = 1/(3n_{\text{in}})$。

    Examples
    --------
    >>> import torch, math
    >>> w = kaiming_uniform_(torch.empty(200, 300), a=math.sqrt(5), nonlinearity="leaky_relu")
    >>> round(w.abs().max().item() * math.sqrt(300), 2)
    1.0
    """
    # U(-b, b) 的方差是 b²/3，令它等于 g²/n：b = g·√(3/n)
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def orthogonal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""（半）正交初始化：$W = g\,Q$，$Q$ 的行（或列）两两正交且为单位向量，所有奇异值都是 $g$。

    做法：抽一个标准正态矩阵做 QR 分解，再把 $Q$ 的各列乘上 $\operatorname{sign}(R_{ii})$，
    这样 $Q$ 在正交矩阵上均匀分布（Mezzadri, 2007）。增益 $g \ge 0$。

    Raises
    ------
    TypeError, ValueError
        ``tensor`` 不是至少 2 维的浮点张量，或 ``gain`` 为负或不是有限实数。

    Examples
    --------
    >>> import torch
    >>> w = orthogonal_(torch.empty(4, 4), generator=torch.Generator().manual_seed(0))
    >>> torch.allclose(w @ w.T, torch.eye(4), atol=1e-6)
    True
    >>> torch.linalg.svdvals(orthogonal_(torch.empty(3, 5), gain=2.0)).round(decimals=4).tolist()
    [2.0, 2.0, 2.0]
    """
    fan_in, _ = fans(tensor)
    check_nonnegative(gain, "gain")
    rows, cols = tensor.shape[0], fan_in
    flat = tensor.new_empty((rows, cols)).normal_(0.0, 1.0, generator=generator)
    if rows < cols:  # 宽矩阵：对转置做 QR，得到正交的行
        flat.t_()
    q, r = torch.linalg.qr(flat)
    # Q ← Q·diag(sign(R_ii))：去掉 QR 分解的符号任意性，Q 才是均匀（Haar）分布的
    q *= torch.diag(r, 0).sign()
    if rows < cols:
        q.t_()
    with torch.no_grad():
        # W = g·Q：所有奇异值都等于 g，‖Wx‖ = g‖x‖ 对（列空间里的）任何 x 成立
        tensor.view_as(q).copy_(q)
        return tensor.mul_(gain)


def weight_variance(scheme: str, fan_in: int, fan_out: int, activation: str = "relu") -> float:
    r"""方案 ``scheme`` 给一个 ``(fan_out, fan_in)`` 权重的方差 $\mathrm{Var}(w)$（公式值）。

    Parameters
    ----------
    scheme : str
        [`SCHEMES`][dlguide.init.SCHEMES] 之一。
    fan_in, fan_out : int
        输入、输出单元数，≥ 1。
    activation : str
        ``"orthogonal"`` 方案按 [`calculate_gain`][dlguide.init.calculate_gain] 取增益（必须是它认识的名字）；
        其余方案与它无关，也可以是 [`ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。

    Returns
    -------
    float
        每个权重元素的方差。

    Raises
    ------
    TypeError, ValueError
        ``scheme`` 或 ``activation`` 不认识，或 ``fan_in``/``fan_out`` 不是正整数。

    Examples
    --------
    >>> [round(weight_variance(s, 64, 64) * 64, 3) for s in ("lecun", "xavier", "he", "pytorch_default")]
    [1.0, 1.0, 2.0, 0.333]
    >>> round(weight_variance("xavier", 784, 256) * 784, 3)
    1.508
    """
    check_choice(scheme, "scheme", SCHEMES)
    check_int(fan_in, "fan_in", low=1)
    check_int(fan_out, "fan_out", low=1)
    _check_activation(activation, scheme)
    table = {
        "zeros": 0.0,
        "small_normal": 0.01**2,
        # LeCun：1/n_in
        "lecun": 1.0 / fan_in,
        # Glorot：2/(n_in + n_out)
        "xavier": 2.0 / (fan_in + fan_out),
        # He：2/n_in
        "he": 2.0 / fan_in,
        # 正交矩阵每行是单位向量：Σ_j w_ij² = g²，平均到每个元素 g²/n_in（行数 ≤ 列数时）
        "orthogonal": calculate_gain(activation) ** 2 / max(fan_in, fan_out) if scheme == "orthogonal" else 0.0,
        # nn.Linear 默认：U(-1/√n_in, 1/√n_in)，方差 1/(3 n_in)
        "pytorch_default": 1.0 / (3 * fan_in),
    }
    return table[scheme]


def init_mlp(
    model: nn.Module, scheme: str, activation: str = "relu", seed: int | None = 0
) -> nn.Module:
    r"""按方案名初始化 ``model`` 里所有 ``nn.Linear`` 的权重，偏置全部置 0。

    Parameters
    ----------
    model : torch.nn.Module
        通常是 [`dlguide.models.mlp`][dlguide.models.mlp] 的结果。
    scheme : str
        [`SCHEMES`][dlguide.init.SCHEMES] 之一；``"pytorch_default"`` 按 ``nn.Linear`` 的默认分布
        $U(-1/\sqrt{n_{\text{in}}}, 1/\sqrt{n_{\text{in}}})$ 重新抽样。
    activation : str
        隐藏层的激活函数名，``"orthogonal"`` 方案用它选增益（见 [`weight_variance`][dlguide.init.weight_variance]）。
    seed : int, optional
        随机种子（CPU 生成器，任何设备上抽到的数相同）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.nn.Module
        同一个 ``model``。

    Raises
    ------
    TypeError, ValueError
        ``model`` 不是 ``nn.Module``，``scheme`` 或 ``activation`` 不认识，或 ``seed`` 越界。

    Examples
    --------
    >>> from dlguide.models import mlp
    >>> net = init_mlp(mlp([4, 3, 2]), "zeros")
    >>> net[0].weight.abs().sum().item(), net[2].bias.abs().sum().item()
    (0.0, 0.0)
    """
    check_module(model, "model")
    check_choice(scheme, "scheme", SCHEMES)
    _check_activation(activation, scheme)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    for layer in model.modules():
        if not isinstance(layer, nn.Linear):
            continue
        w = torch.empty(layer.weight.shape)  # 先在 CPU 上抽样，再拷到参数所在的设备
        if scheme == "pytorch_default":
            # 与 nn.Linear 的默认初始化同分布，但用我们自己的生成器，结果可复现
            kaiming_uniform_(w, a=math.sqrt(5), nonlinearity="leaky_relu", generator=g)
        elif scheme == "zeros":
            zeros_(w)
        elif scheme == "small_normal":
            normal_(w, 0.01, generator=g)
        elif scheme == "lecun":
            lecun_normal_(w, generator=g)
        elif scheme == "xavier":
            xavier_normal_(w, generator=g)
        elif scheme == "he":
            kaiming_normal_(w, nonlinearity="relu", generator=g)
        else:
            orthogonal_(w, gain=calculate_gain(activation), generator=g)
        with torch.no_grad():
            layer.weight.copy_(w)
            if layer.bias is not None:
                layer.bias.zero_()
    return model




def _check_activation(activation: object, scheme: str) -> None:
    """``"orthogonal"`` 方案要按 ``activation`` 取增益，只接受 calculate_gain 认识的名字；其余方案也接受模型里的激活名。"""
    from dlguide.models import ACTIVATIONS  # noqa: PLC0415  models 不导入本模块，这里导入不成环

    names = _GAIN_NAMES if scheme == "orthogonal" else (*_GAIN_NAMES, *(a for a in ACTIVATIONS if a not in _GAIN_NAMES))
    check_choice(activation, "activation", names)
# ---------------------------------------------------------------------------
# 临界初始化：平均场理论（Poole 等 2016；Schoenholz 等 2017）
# ---------------------------------------------------------------------------

@functools.cache
def _normal_grid(points: int) -> tuple[torch.Tensor, torch.Tensor]:
    """$[-10, 10]$ 上 ``points`` 个等距点及梯形积分权重（乘上标准正态密度，和为 1）。"""
    u = torch.linspace(-10.0, 10.0, points, dtype=torch.float64)
    w = torch.full_like(u, 20.0 / (points - 1))
    w[0] = w[-1] = 10.0 / (points - 1)
    # 权重 × 标准正态密度 exp(−u²/2)/√(2π)
    w = w * torch.exp(-0.5 * u**2) / math.sqrt(2 * math.pi)
    return u, w / w.sum()


@functools.cache
def _activation(activation: str) -> nn.Module:
    from dlguide.models import ACTIVATIONS  # noqa: PLC0415

    return ACTIVATIONS[activation]()


def _gaussian_moments(activation: str, q: float) -> tuple[float, float]:
    r"""$z\sim\mathcal N(0, q)$ 时的 $(\mathbb E[\phi(z)^2], \mathbb E[\phi'(z)^2])$，梯形积分。

    $z = \sqrt q\,u$ 的网格在 $z$ 上的间距不超过约 0.01（激活函数的弯曲发生在 $|z|\sim 1$ 的尺度上；
    $q > 2500$ 时点数封顶在 10 万，间距随之变大），点数取偶数，0 不是网格点（ReLU 的折点不影响积分）。
    """
    u, w = _normal_grid(min(2000 * max(1, math.ceil(math.sqrt(q))), 100_000))
    z = (math.sqrt(q) * u).requires_grad_()
    phi = _activation(activation)(z)
    (dphi,) = torch.autograd.grad(phi.sum(), z)
    return (w * phi.detach() ** 2).sum().item(), (w * dphi**2).sum().item()


def _check_mean_field(activation: str, weight_var: float, bias_var: float) -> None:
    from dlguide.models import ACTIVATIONS  # noqa: PLC0415

    check_choice(activation, "activation", ACTIVATIONS)
    check_positive(weight_var, "weight_var")
    check_nonnegative(bias_var, "bias_var")


def mean_field_q(activation: str, weight_var: float, bias_var: float = 0.0) -> float:
    r"""无限宽的深层网络里，预激活方差逐层迭代的不动点 $q^*$。

    第 $l$ 层 $z^{[l]} = W^{[l]}\phi(z^{[l-1]}) + b^{[l]}$，$W_{ij}\sim\mathcal N(0, \sigma_w^2/n)$，
    $b_i\sim\mathcal N(0, \sigma_b^2)$。宽度趋于无穷时 $z^{[l]}$ 的各分量是方差为 $q^{[l]}$ 的高斯变量，且

    $$q^{[l]} = \sigma_w^2\,\mathbb E_{z\sim\mathcal N(0,\,q^{[l-1]})}\bigl[\phi(z)^2\bigr] + \sigma_b^2 .$$

    这里取这个映射最大的不动点（从大的 $q$ 出发迭代收敛到的那个）。期望用梯形积分计算。

    Parameters
    ----------
    activation : str
        [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    weight_var : float
        $\sigma_w^2 > 0$（权重方差乘以扇入）。
    bias_var : float
        $\sigma_b^2 \ge 0$。

    Returns
    -------
    float
        $q^*$；没有正的不动点（信号逐层缩到 0）时是 0.0，没有有限的不动点（逐层无限增大，例如
        ReLU 在 $\sigma_w^2 \ge 2$、$\sigma_b^2>0$ 时）时是 ``inf``；映射恒等、每个 $q$ 都是不动点
        （ReLU 在 $\sigma_w^2 = 2$、$\sigma_b^2 = 0$ 时，He 初始化）时是 ``nan``。

    Raises
    ------
    TypeError, ValueError
        ``activation`` 不认识，或方差越界。

    Examples
    --------
    >>> round(mean_field_q("tanh", 1.76, 0.05), 3)
    0.569
    >>> mean_field_q("tanh", 1.0), round(mean_field_q("relu", 1.0, 0.5), 6)  # ReLU：q = q/2 + 0.5
    (0.0, 1.0)
    >>> mean_field_q("relu", 2.0)  # He 初始化：q = q，方差原样传下去
    nan
    """
    _check_mean_field(activation, weight_var, bias_var)

    def excess(q: float) -> float:
        # F(q) = σ_w² E[φ(z)²] + σ_b² − q，不动点是 F 的零点
        return weight_var * _gaussian_moments(activation, q)[0] + bias_var - q

    if all(abs(excess(q)) <= 1e-9 * q for q in (1e-6, 1.0, 1e3)):
        return math.nan  # 映射是恒等的：每个 q 都是不动点
    low = 1e-12
    if excess(low) <= 0:
        return 0.0
    high = 1.0
    while excess(high) > 0:
        high *= 2
        if high > 1e12:
            return math.inf
    for _ in range(50):  # 二分：F(low) > 0 ≥ F(high)
        mid = (low + high) / 2
        if excess(mid) > 0:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def mean_field_chi(activation: str, weight_var: float, bias_var: float = 0.0) -> float:
    r"""不动点上每层反向传播把梯度平方范数放大的倍数 $\chi_1 = \sigma_w^2\,\mathbb E\bigl[\phi'(z)^2\bigr]$。

    每层的 Jacobian 是 $W^{[l]}\operatorname{diag}\bigl(\phi'(z^{[l-1]})\bigr)$，它把 $\lVert\partial L/\partial z\rVert^2$
    平均乘上 $\chi_1$（$z\sim\mathcal N(0, q^*)$，$q^*$ 见 [`mean_field_q`][dlguide.init.mean_field_q]）。
    $\chi_1<1$：梯度随深度指数消失（有序相）；$\chi_1>1$：指数爆炸（混沌相）；$\chi_1=1$ 是两者的边界，即**临界**。
    注意 $\chi_1$ 里权重和激活函数的导数是**相乘**的：$\phi'\le 1/4$ 可以被 $\sigma_w^2$ 补回来。

    Parameters
    ----------
    activation, weight_var, bias_var
        同 [`mean_field_q`][dlguide.init.mean_field_q]。

    Returns
    -------
    float
        $\chi_1$；$q^*$ 无限（方差逐层无限增大）时取 $q\to\infty$ 的极限。

    Raises
    ------
    TypeError, ValueError
        同 [`mean_field_q`][dlguide.init.mean_field_q]。

    Examples
    --------
    >>> round(mean_field_chi("relu", 2.0), 4)  # He 初始化：σ_w² · 1/2 = 1
    1.0
    >>> round(mean_field_chi("tanh", 1.76, 0.05), 3)
    1.0
    >>> round(mean_field_chi("sigmoid", 1.0), 4)  # LeCun 尺度下 sigmoid 每层把梯度平方缩小约 18 倍
    0.0557
    """
    q = mean_field_q(activation, weight_var, bias_var)
    if math.isinf(q):
        q = 1e12  # 方差逐层无限增大：取 q → ∞ 的极限（ReLU 的 χ₁ 与 q 无关）
    if math.isnan(q):
        q = 1.0  # 映射恒等时任何 q 都是不动点，χ₁ 与 q 无关（正齐次的激活函数）
    # χ₁ = σ_w² E[φ'(z)²]，z ~ N(0, q*)（q* = 0 时取 q → 0⁺ 的极限）
    return weight_var * _gaussian_moments(activation, max(q, 1e-12))[1]


def critical_weight_variance(activation: str, bias_var: float = 0.0) -> float:
    r"""使 $\chi_1 = 1$ 的 $\sigma_w^2$：在给定 $\sigma_b^2$ 下的**临界初始化**（“混沌的边缘”）。

    按 $q^*$ 参数化求解（Schoenholz 等 2017 画相图的办法）：不动点方程给出 $\sigma_w^2(q) = (q-\sigma_b^2)/\mathbb E_q[\phi^2]$，
    再对 $q$ 二分求 $\sigma_w^2(q)\,\mathbb E_q[\phi'^2] = 1$。

    Parameters
    ----------
    activation : str
        [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    bias_var : float
        $\sigma_b^2 \ge 0$。

    Returns
    -------
    float
        临界的 $\sigma_w^2$。临界点在 $q^*\to 0$（如 tanh、$\sigma_b^2=0$）或 $q^*\to\infty$（如 ReLU、$\sigma_b^2>0$）
        时返回极限值。

    Raises
    ------
    TypeError, ValueError
        ``activation`` 不认识、``bias_var`` 越界，或找不到临界点。

    Examples
    --------
    >>> [round(critical_weight_variance(a), 3) for a in ("identity", "tanh", "relu")]
    [1.0, 1.0, 2.0]
    >>> round(critical_weight_variance("tanh", 0.05), 2)
    1.76
    """
    from dlguide.models import ACTIVATIONS  # noqa: PLC0415

    check_choice(activation, "activation", ACTIVATIONS)
    check_nonnegative(bias_var, "bias_var")

    def weight_var_and_chi(q: float) -> tuple[float, float]:
        second, slope = _gaussian_moments(activation, q)
        # 不动点方程 q = σ_w² E_q[φ²] + σ_b² 解出 σ_w²
        weight_var = (q - bias_var) / second
        # χ₁(q) = σ_w²(q)·E_q[φ'²]
        return weight_var, weight_var * slope

    low = bias_var * (1 + 1e-9) + 1e-12
    weight_var, chi = weight_var_and_chi(low)
    if chi >= 1 - 1e-9:
        return weight_var
    high = max(1.0, 2 * low)
    while (step := weight_var_and_chi(high))[1] < 1:
        high *= 2
        if high > 1e12:
            if abs(step[1] - 1) < 1e-6:
                return step[0]
            raise ValueError(f"activation={activation!r}、bias_var={bias_var} 找不到 χ₁ = 1 的临界点")
    for _ in range(45):  # 二分：χ₁(low) < 1 ≤ χ₁(high)
        mid = (low + high) / 2
        if weight_var_and_chi(mid)[1] < 1:
            low = mid
        else:
            high = mid
    return weight_var_and_chi((low + high) / 2)[0]


def init_mean_field(
    model: nn.Module,
    weight_var: float,
    bias_var: float = 0.0,
    *,
    orthogonal: bool = False,
    input_mean: float = 0.0,
    seed: int | None = 0,
) -> nn.Module:
    r"""按平均场的参数化初始化 ``model`` 里所有 ``nn.Linear``：$W\sim\mathcal N(0, \sigma_w^2/n_{\text{in}})$，$b\sim\mathcal N(0, \sigma_b^2)$。

    Parameters
    ----------
    model : torch.nn.Module
        通常是 [`dlguide.models.mlp`][dlguide.models.mlp] 的结果。
    weight_var : float
        $\sigma_w^2 > 0$。
    bias_var : float
        $\sigma_b^2 \ge 0$。
    orthogonal : bool
        为 ``True`` 时权重改用 $\sqrt{\sigma_w^2}\,Q$（[`orthogonal_`][dlguide.init.orthogonal_]，方阵时每个元素的方差仍是 $\sigma_w^2/n$，
        但所有奇异值都相等）。
    input_mean : float
        上一层输出的均值 $m$（sigmoid 约为 0.5）。除第一个线性层外，偏置再减去 $m\sum_i W_{ji}$，
        使 $z_j = \sum_i W_{ji}(a_i - m) + b_j$ 的均值回到 0。
    seed : int, optional
        随机种子（CPU 生成器，任何设备上抽到的数相同）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.nn.Module
        同一个 ``model``。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> from dlguide.models import mlp
    >>> net = init_mean_field(mlp([512, 512, 512], "tanh"), 1.76, 0.05, seed=0)
    >>> round(net[0].weight.var().item() * 512, 2), round(net[0].bias.var().item(), 2)
    (1.76, 0.05)
    >>> net = init_mean_field(mlp([8, 8, 8], "sigmoid"), 16.0, input_mean=0.5)
    >>> torch.allclose(net[2].bias, -0.5 * net[2].weight.sum(dim=1))
    True
    """
    check_module(model, "model")
    check_positive(weight_var, "weight_var")
    check_nonnegative(bias_var, "bias_var")
    check_bool(orthogonal, "orthogonal")
    check_finite(input_mean, "input_mean")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    for i, layer in enumerate(linears):
        w = torch.empty(layer.weight.shape)  # 先在 CPU 上抽样，再拷到参数所在的设备
        if orthogonal:
            # W = σ_w·Q：所有奇异值都是 σ_w
            orthogonal_(w, gain=math.sqrt(weight_var), generator=g)
        else:
            # W_ij ~ N(0, σ_w² / n_in)
            w.normal_(0.0, math.sqrt(weight_var / w.shape[1]), generator=g)
        # b_j ~ N(0, σ_b²)
        b = torch.randn(w.shape[0], generator=g) * math.sqrt(bias_var)
        if i > 0 and input_mean != 0.0:
            # b_j ← b_j − m·Σ_i W_ji：抵消上一层输出的均值 m，z 回到零均值
            b -= input_mean * w.sum(dim=1)
        with torch.no_grad():
            layer.weight.copy_(w)
            if layer.bias is not None:
                layer.bias.copy_(b)
    return model
