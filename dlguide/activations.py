"""激活函数及其导数，按公式从零实现，并与 ``torch`` 内置实现对照测试。

每个函数的公式写在计算它的那一行正上方。
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping

import torch
from torch import nn
from torch.overrides import TorchFunctionMode, resolve_name

from dlguide._checks import (
    check_in_range,
    check_int,
    check_module,
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
    "dead_unit_fraction",
    "traced_ops",
    "TRANSCENDENTAL",
    "gradient_profile",
    "activation_properties",
    "properties_table",
    "variance_map",
]


# --8<-- [start:sigmoid]
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
    >>> sigmoid(torch.tensor([-2.0, 0.0, 2.0])).round(decimals=4).tolist()
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
# --8<-- [end:sigmoid]


# --8<-- [start:sigmoid_grad]
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
    >>> sigmoid_grad(torch.tensor([0.0, 4.0])).round(decimals=4).tolist()
    [0.25, 0.0177]
    """
    s = sigmoid(z)
    # σ'(z) = σ(z)(1 − σ(z))：导数可以由前向的输出直接算出
    return s * (1 - s)
# --8<-- [end:sigmoid_grad]


# --8<-- [start:tanh]
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
    >>> tanh(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4).tolist()
    [-0.7616, 0.0, 0.7616]
    """
    check_tensor(z, "z")
    # tanh(z) = 2σ(2z) − 1：复用数值稳定的 sigmoid，两端都不会上溢
    return 2 * sigmoid(2 * z) - 1
# --8<-- [end:tanh]


# --8<-- [start:relu]
def relu(z: torch.Tensor) -> torch.Tensor:
    r"""ReLU $\max(0, z)$。在 $z=0$ 处不可导，约定导数取 0（与 PyTorch 相同）。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，非负。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> relu(torch.tensor([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    check_tensor(z, "z")
    # ReLU(z) = z（z > 0），0（z ≤ 0）；只有比较和选择，没有指数
    return torch.where(z > 0, z, torch.zeros_like(z))
# --8<-- [end:relu]


# --8<-- [start:leaky_relu]
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
    >>> leaky_relu(torch.tensor([-2.0, 3.0]), 0.1).round(decimals=4).tolist()
    [-0.2, 3.0]
    """
    check_tensor(z, "z")
    check_in_range(negative_slope, "negative_slope", 0.0, 1.0, high_open=True)
    # LeakyReLU(z) = z（z > 0），αz（z ≤ 0）
    return torch.where(z > 0, z, negative_slope * z)
# --8<-- [end:leaky_relu]


# --8<-- [start:prelu]
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
# --8<-- [end:prelu]


class PReLU(nn.Module):
    r"""带可学习斜率的 PReLU 层，初值 $a=0.25$（He 等，2015），与 ``torch.nn.PReLU`` 相同。

    Parameters
    ----------
    num_parameters : int
        1（所有通道共享一个 $a$）或通道数。
    init : float
        $a$ 的初值。

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
        check_int(num_parameters, "num_parameters", low=1)
        self.weight = nn.Parameter(torch.full((num_parameters,), float(init)))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """逐元素计算 :func:`prelu`。"""
        return prelu(z, self.weight)


# --8<-- [start:elu]
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
# --8<-- [end:elu]


SELU_ALPHA = 1.6732632423543772848170429916717
r"""SELU 的 $\alpha$（Klambauer 等，2017）。"""
SELU_SCALE = 1.0507009873554804934193349852946
r"""SELU 的 $\lambda$；与 $\alpha$ 一起使 $\mathcal N(0,1)$ 输入的输出均值为 0、方差为 1。"""


# --8<-- [start:selu]
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
    >>> selu(torch.tensor([-100.0, 0.0, 1.0])).round(decimals=4).tolist()
    [-1.7581, 0.0, 1.0507]
    """
    # SELU(z) = λ·z（z > 0），λα(e^z − 1)（z ≤ 0）
    return SELU_SCALE * elu(z, SELU_ALPHA)
# --8<-- [end:selu]


# --8<-- [start:gelu]
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
    >>> gelu(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4).tolist()
    [-0.1587, 0.0, 0.8413]
    """
    check_tensor(z, "z")
    # GELU(z) = z·Φ(z)，Φ(z) = ½(1 + erf(z/√2))
    return z * 0.5 * (1 + torch.erf(z / math.sqrt(2)))
# --8<-- [end:gelu]


# --8<-- [start:gelu_tanh]
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
    >>> gelu_tanh(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4).tolist()
    [-0.1588, 0.0, 0.8412]
    """
    check_tensor(z, "z")
    # GELU(z) ≈ ½z(1 + tanh(√(2/π)(z + 0.044715 z³)))
    return 0.5 * z * (1 + tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))
# --8<-- [end:gelu_tanh]


# --8<-- [start:silu]
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
    >>> silu(torch.tensor([-1.0, 0.0, 1.0])).round(decimals=4).tolist()
    [-0.2689, 0.0, 0.7311]
    """
    # SiLU(z) = z·σ(z)
    return z * sigmoid(z)
# --8<-- [end:silu]


# --8<-- [start:maxout]
class Maxout(nn.Module):
    r"""Maxout 层：$k$ 组仿射变换逐元素取最大，$h_i(\boldsymbol x) = \max_{j=1..k}\bigl(\boldsymbol w_{ij}^\top\boldsymbol x + b_{ij}\bigr)$。

    Parameters
    ----------
    in_features : int
        输入宽度。
    out_features : int
        输出宽度。
    k : int
        每个输出取最大的“片”数，≥ 2（Goodfellow 等 2013 常用 2–5）。

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
        for name, value, low in (("in_features", in_features, 1), ("out_features", out_features, 1), ("k", k, 2)):
            check_int(value, name, low=low)
        self.out_features, self.k = out_features, k
        # k 组 (W_j, b_j) 放在一个线性层里：输出 out_features·k 个数
        self.linear = nn.Linear(in_features, out_features * k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` 形状 ``(..., in_features)``，返回 ``(..., out_features)``。"""
        # z_{ij} = w_{ij}ᵀx + b_{ij}，整理成 (..., out, k)
        z = self.linear(x).unflatten(-1, (self.out_features, self.k))
        # h_i = max_j z_{ij}
        return z.amax(dim=-1)
# --8<-- [end:maxout]


# --8<-- [start:dead_unit_fraction]
def dead_unit_fraction(model: nn.Sequential, X: torch.Tensor) -> list[float]:
    r"""每个 ReLU 层里“死掉”的单元比例：对 ``X`` 的**每一个**样本，该单元的输入 $z$ 都 $\le 0$。

    这样的单元输出恒为 0，ReLU 的导数恒为 0，它的入射权重和偏置得不到任何梯度，训练无法把它救回来。

    Parameters
    ----------
    model : torch.nn.Sequential
        例如 :func:`dlguide.models.mlp` 建的网络；统计其中每个 ``nn.ReLU`` 之前的那一层。
    X : torch.Tensor
        一批输入，会搬到模型所在的设备上。

    Returns
    -------
    list[float]
        每个 ReLU 层一个比例，按前向顺序，保留 4 位小数。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Sequential``，或 ``X`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Linear(1, 2), nn.ReLU())
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(1.0)
    ...     _ = net[0].bias.copy_(torch.tensor([0.0, -10.0]))
    >>> dead_unit_fraction(net, torch.tensor([[1.0], [2.0]]))
    [0.5]
    """
    check_module(model, "model", nn.Sequential)
    check_tensor(X, "X")
    fractions = []
    h = X.to(next(model.parameters()).device)
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                # 死单元：对所有样本 z ≤ 0 ⇒ ReLU'(z) = 0 ⇒ ∂L/∂w = 0
                fractions.append(round((h <= 0).all(dim=0).float().mean().item(), 4))
            h = layer(h)
    return fractions
# --8<-- [end:dead_unit_fraction]


TRANSCENDENTAL = frozenset(
    {"exp", "expm1", "log", "log1p", "erf", "tanh", "sigmoid", "sin", "cos", "softplus", "gelu", "silu", "elu", "selu"}
)
"""需要调用超越函数（指数、对数、误差函数、三角函数……）的运算名，供 :func:`traced_ops` 的结果筛选。"""


class _Recorder(TorchFunctionMode):
    """记下 ``with`` 块里调用过的每个 torch 函数 / 张量方法的短名字。"""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        name = resolve_name(func) or getattr(func, "__name__", repr(func))
        short = name.rsplit(".", 1)[-1]
        if short not in {"is_floating_point", "dim", "size"}:
            self.names.append(short)
        return func(*args, **(kwargs or {}))


# --8<-- [start:traced_ops]
def traced_ops(fn: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor | None = None) -> list[str]:
    """运行一次 ``fn(z)``，按顺序返回它调用的 PyTorch 运算名（用 ``TorchFunctionMode`` 记录）。

    用来数一个激活函数的前向要做几步、有没有超越函数（见 :data:`TRANSCENDENTAL`）。

    Parameters
    ----------
    fn : callable
        张量到张量的函数，例如 :func:`relu`。
    z : torch.Tensor, optional
        输入；默认 ``torch.linspace(-3, 3, 7)``。

    Returns
    -------
    list[str]
        运算的短名字，例如 ``["gt", "zeros_like", "where"]``。

    Raises
    ------
    TypeError
        ``fn`` 不可调用。

    Examples
    --------
    >>> traced_ops(relu)
    ['gt', 'zeros_like', 'where']
    >>> [op for op in traced_ops(sigmoid) if op in TRANSCENDENTAL]
    ['exp', 'exp']
    """
    if not callable(fn):
        raise TypeError(f"fn 必须可调用，收到的是 {type(fn).__name__}")
    z = torch.linspace(-3, 3, 7) if z is None else z
    recorder = _Recorder()
    with recorder:
        fn(z)
    return recorder.names
# --8<-- [end:traced_ops]


# --8<-- [start:gradient_profile]
def gradient_profile(
    activation: str,
    depth: int = 10,
    width: int = 32,
    init: str = "default",
    seed: int = 0,
) -> list[float]:
    r"""深度为 ``depth`` 的 MLP 在一批随机数据上反向传播一次，返回每个线性层权重梯度的范数。

    网络是 :func:`dlguide.models.mlp` 的 ``[width] * (depth + 1) + [1]``，损失是对随机目标的 MSE；
    范数由 :func:`dlguide.gradients.layer_grad_norms` 计算，第 0 个最靠近输入。

    Parameters
    ----------
    activation : str
        :data:`dlguide.models.ACTIVATIONS` 里的名字，例如 ``"sigmoid"``、``"tanh"``、``"relu"``。
    depth : int
        隐藏层数，≥ 1。
    width : int
        每层宽度，≥ 1。
    init : str
        ``"default"``（PyTorch 默认）、``"xavier"``（$\mathcal N(0, 2/(n_\text{in}+n_\text{out}))$）
        或 ``"he"``（$\mathcal N(0, 2/n_\text{in})$）；偏置在后两种里置 0。
    seed : int
        参数和数据的随机种子。

    Returns
    -------
    list[float]
        ``depth + 1`` 个梯度范数。

    Raises
    ------
    ValueError
        ``depth``、``width`` 越界或 ``init`` 不认识。

    Examples
    --------
    >>> norms = gradient_profile("sigmoid", depth=5)
    >>> len(norms), norms[0] < norms[-1] / 100
    (6, True)
    """
    from dlguide.device import get_device  # noqa: PLC0415
    from dlguide.gradients import layer_grad_norms  # noqa: PLC0415
    from dlguide.models import mlp  # noqa: PLC0415

    for name, value in (("depth", depth), ("width", width)):
        check_int(value, name, low=1)
    inits = {"default": None, "xavier": nn.init.xavier_normal_, "he": nn.init.kaiming_normal_}
    if init not in inits:
        raise ValueError(f"init 必须是 {sorted(inits)} 之一，收到 {init!r}")
    net = mlp([width] * (depth + 1) + [1], activation, seed=seed)
    if inits[init] is not None:
        for layer in net:
            if isinstance(layer, nn.Linear):
                inits[init](layer.weight)
                nn.init.zeros_(layer.bias)
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(256, width, generator=g), torch.randn(256, 1, generator=g)
    device = get_device()
    net.to(device)
    # 一次前向 + 反向；梯度在每层乘上 Wᵀ·diag(g'(z))，激活函数的导数决定它是缩小还是保持
    nn.functional.mse_loss(net(X.to(device)), y.to(device)).backward()
    return layer_grad_norms(net)
# --8<-- [end:gradient_profile]


def _derivative(fn: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor, h: float = 1e-4) -> torch.Tensor:
    r"""中心差分 $f'(z) \approx (f(z+h) - f(z-h)) / 2h$。"""
    return (fn(z + h) - fn(z - h)) / (2 * h)


# --8<-- [start:variance_map]
def variance_map(fn: Callable[[torch.Tensor], torch.Tensor], variance: float) -> tuple[float, float]:
    r"""$z\sim\mathcal N(0, v)$ 时 $f(z)$ 的均值和方差，用 $[-12, 12]$ 上的梯形积分计算。

    下一层的输入是 $\sum_i w_i a_i$；若权重满足 $\sum_i w_i = 0$、$\sum_i w_i^2 = 1$（LeCun 初始化的期望情形），
    它的方差就是 $\operatorname{Var} f$。所以 $v \mapsto \operatorname{Var} f(\sqrt v\,z)$ 是“方差逐层怎样变化”的映射，
    不动点 $v=1$ 且向它收缩，就是 SELU 的自归一化。

    Parameters
    ----------
    fn : callable
        逐元素激活函数，接受 float64 张量。
    variance : float
        输入方差 $v > 0$。

    Returns
    -------
    tuple[float, float]
        $(\mathbb E f(z), \operatorname{Var} f(z))$。

    Raises
    ------
    ValueError
        ``variance`` 不是正数。

    Examples
    --------
    >>> [round(x, 4) for x in variance_map(selu, 1.0)]
    [0.0, 1.0]
    >>> round(variance_map(relu, 1.0)[0], 4)  # 1/√(2π)
    0.3989
    """
    check_positive(variance, "variance")
    u = torch.linspace(-12, 12, 24001, dtype=torch.float64)
    pdf = torch.exp(-0.5 * u**2) / math.sqrt(2 * math.pi)
    values = fn(math.sqrt(variance) * u)
    mean = torch.trapezoid(values * pdf, u).item()
    second = torch.trapezoid(values**2 * pdf, u).item()
    # Var f = E[f²] − (E f)²
    return mean, second - mean**2
# --8<-- [end:variance_map]


# --8<-- [start:activation_properties]
def activation_properties(fn: Callable[[torch.Tensor], torch.Tensor]) -> dict[str, object]:
    r"""在网格上用数值方法检查一个逐元素激活函数的九条性质。

    所有检查都在 float64 上做，网格是 $[-10, 10]$ 上步长 0.01 的点（含 0），“很大”指 $|z| = 10^3$。

    Parameters
    ----------
    fn : callable
        逐元素的激活函数（函数或 ``nn.Module``），接受 float64 张量。

    Returns
    -------
    dict
        ``nonlinear``：二阶差分不全为 0；
        ``kinks``：一阶导数跳变的网格点数（``-1`` 表示函数本身不连续）；
        ``cheap``：前向不调用超越函数（见 :data:`TRANSCENDENTAL`）；
        ``saturates``：$|f'(\pm10^3)| < 10^{-3}$ 的一侧，``"左"``、``"右"``、``"两侧"`` 或 ``""``；
        ``monotonic``：网格上的差分同号；
        ``bounded``：``"两侧"``、``"下"``、``"上"`` 或 ``""``（$|f|$ 在 $|z|\ge 10^2$ 处不超过 10 的那一侧）；
        ``identity_at_0``：$f(0)=0$ 且 $f'(0)=1$；
        ``parameters``：可学习参数个数；
        ``self_normalizing``：$z\sim\mathcal N(0,1)$ 时 $f(z)$ 均值 0、方差 1，且方差映射
        $v \mapsto \operatorname{Var} f(\sqrt v\,z)$ 把 $v=0.5$ 和 $v=2$ 都拉向 1。

    Raises
    ------
    TypeError
        ``fn`` 不可调用。

    Examples
    --------
    >>> props = activation_properties(relu)
    >>> props["nonlinear"], props["kinks"], props["saturates"], props["identity_at_0"]
    (True, 1, '左', False)
    """
    if not callable(fn):
        raise TypeError(f"fn 必须可调用，收到的是 {type(fn).__name__}")
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64)
    h = 1e-6
    with torch.no_grad():
        f = fn(z)
        # 非线性：二阶差分 f(z+Δ) − 2f(z) + f(z−Δ) 不全为 0
        nonlinear = bool((f[2:] - 2 * f[1:-1] + f[:-2]).abs().max() > 1e-9)
        # 可微：左右差商 (f(z) − f(z−h))/h 与 (f(z+h) − f(z))/h 相差明显的点是“折点”
        left, right = (f - fn(z - h)) / h, (fn(z + h) - f) / h
        jumps = fn(z + h) - fn(z - h)
        kinks = -1 if bool((jumps.abs() > 1e-3).any()) else int(((left - right).abs() > 1e-3).sum())
        # 饱和：|f'(±10³)| < 10⁻³
        big = torch.tensor([-1e3, 1e3], dtype=torch.float64)
        flat = (_derivative(fn, big).abs() < 1e-3).tolist()
        saturates = {(True, True): "两侧", (True, False): "左", (False, True): "右"}.get(tuple(flat), "")
        # 单调：相邻差分全 ≥ 0 或全 ≤ 0
        step = f[1:] - f[:-1]
        monotonic = bool((step >= -1e-12).all() or (step <= 1e-12).all())
        # 有界：|z| ≥ 10² 的几处，f 的绝对值不超过 10 的那一侧算有界
        far = torch.tensor([1e2, 3e2, 1e3, 1e4], dtype=torch.float64)
        low_ok, high_ok = bool((fn(-far).abs() <= 10).all()), bool((fn(far).abs() <= 10).all())
        bounded = {(True, True): "两侧", (True, False): "下", (False, True): "上"}.get((low_ok, high_ok), "")
        # 在 0 附近近似恒等：f(0) = 0 且 f'(0) = 1
        zero = torch.zeros(1, dtype=torch.float64)
        identity = abs(fn(zero).item()) < 1e-6 and abs(_derivative(fn, zero).item() - 1) < 1e-2
        # 自归一化：N(0,1) ↦ 均值 0、方差 1，且方差映射在 v = 0.5、2 处向 1 收缩
        mean, var = variance_map(fn, 1.0)
        contracts = all(abs(variance_map(fn, v)[1] - 1) < 0.9 * abs(v - 1) for v in (0.5, 2.0))
        normalizing = abs(mean) < 1e-3 and abs(var - 1) < 1e-3 and contracts
    cheap = not set(traced_ops(fn, torch.linspace(-3, 3, 7, dtype=torch.float64))) & TRANSCENDENTAL
    parameters = sum(p.numel() for p in fn.parameters()) if isinstance(fn, nn.Module) else 0
    return {
        "nonlinear": nonlinear,
        "kinks": kinks,
        "cheap": cheap,
        "saturates": saturates,
        "monotonic": monotonic,
        "bounded": bounded,
        "identity_at_0": identity,
        "parameters": parameters,
        "self_normalizing": normalizing,
    }
# --8<-- [end:activation_properties]


# --8<-- [start:properties_table]
def properties_table(functions: Mapping[str, Callable[[torch.Tensor], torch.Tensor]]) -> str:
    """对每个激活函数调用 :func:`activation_properties`，排成一张文本表（✓ / ✗）。

    Parameters
    ----------
    functions : Mapping[str, callable]
        名字到激活函数。

    Returns
    -------
    str
        每个函数一行；列依次是：非线性、可微、无超越函数、不饱和、单调、有界、0 处近似恒等、参数个数、自归一化。

    Raises
    ------
    TypeError
        ``functions`` 不是映射。

    Examples
    --------
    >>> print(properties_table({"tanh": tanh}))
    函数 非线性 可微 计算简单 不饱和   单调 有界 近似恒等 参数 自归一化
    tanh ✓      处处 ✗        ✗(两侧) ✓    ✓    ✓        0    ✗
    """
    if not isinstance(functions, Mapping):
        raise TypeError(f"functions 必须是 dict 之类的映射，收到的是 {type(functions).__name__}")

    def mark(flag: object) -> str:
        return "✓" if flag else "✗"

    rows = [["函数", "非线性", "可微", "计算简单", "不饱和", "单调", "有界", "近似恒等", "参数", "自归一化"]]
    for name, fn in functions.items():
        p = activation_properties(fn)
        kinks = int(p["kinks"])  # type: ignore[call-overload]
        smooth = "不连续" if kinks < 0 else "处处" if kinks == 0 else f"除{kinks}点"
        saturation = "✓" if not p["saturates"] else f"✗({p['saturates']})"
        bounded = "✓" if p["bounded"] == "两侧" else f"✗({p['bounded']})" if p["bounded"] else "✗"
        cells = [name, mark(p["nonlinear"]), smooth, mark(p["cheap"]), saturation, mark(p["monotonic"]), bounded,
                 mark(p["identity_at_0"]), str(p["parameters"]), mark(p["self_normalizing"])]
        rows.append(cells)

    def width(text: str) -> int:  # 中文字符占两格
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        " ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip() for row in rows
    )
# --8<-- [end:properties_table]
