"""“ReLU 为什么好过 tanh 和 sigmoid”一页：深层网络各层的梯度范数。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_bool,
    check_choice,
    check_in_range,
    check_int,
    check_model_input,
    check_module,
    check_seed,
    check_tensor,
)
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.gradients import layer_grad_norms
from dlguide.init import init_mean_field, init_mlp
from dlguide.models import mlp

__all__ = ["gradient_norms_by_depth", "gradient_profile", "gradient_profile_at", "saturated_fraction"]

_MAX_SIZE = 4096  # 层数和宽度的上限：更大的网络在读者的 CPU 上跑不完


def gradient_profile(
    activation: str,
    depth: int = 10,
    width: int = 32,
    init: str = "default",
    seed: int | None = 0,
) -> list[float]:
    r"""深度为 ``depth`` 的 MLP 在一批随机数据上反向传播一次，返回每个线性层权重梯度的范数。

    网络是 [`dlguide.models.mlp`][dlguide.models.mlp] 的 ``[width] * (depth + 1) + [1]``，损失是对随机目标的 MSE；
    范数由 [`dlguide.gradients.layer_grad_norms`][dlguide.gradients.layer_grad_norms] 计算，第 0 个最靠近输入。

    Parameters
    ----------
    activation : str
        [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字，例如 ``"sigmoid"``、``"tanh"``、``"relu"``。
    depth : int
        隐藏层数，在 [1, 1000] 内。
    width : int
        每层宽度，在 [1, 4096] 内；参数总数 ``(depth + 1)·width²`` 不超过 $10^8$。
    init : str
        ``"default"``（PyTorch 默认）、``"xavier"``（$\mathcal N(0, 2/(n_\text{in}+n_\text{out}))$）
        或 ``"he"``（$\mathcal N(0, 2/n_\text{in})$）；后两种由 [`init_mlp`][dlguide.init.init_mlp] 初始化，偏置置 0。
    seed : int, optional
        参数和数据的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        ``depth + 1`` 个梯度范数。

    Raises
    ------
    TypeError, ValueError
        ``depth``、``width`` 越界，``activation`` 或 ``init`` 不认识，或 ``seed`` 越界。

    Examples
    --------
    >>> norms = gradient_profile("sigmoid", depth=5)
    >>> len(norms), norms[0] < norms[-1] / 100
    (6, True)
    """

    _check_size(depth, width)
    check_choice(init, "init", ("default", "xavier", "he"))
    check_seed(seed)
    net = mlp([width] * (depth + 1) + [1], activation, seed=seed)
    if init != "default":
        init_mlp(net, init, activation, seed=seed)
    return _backward_norms(net, width, seed)


def _check_size(depth: int, width: int) -> None:
    """``depth`` 在 [1, 1000] 内，``width`` 在 [1, 4096] 内，参数总数 ``(depth + 1)·width²`` 不超过 $10^8$。"""
    check_int(depth, "depth", low=1, high=1000)
    check_int(width, "width", low=1, high=_MAX_SIZE)
    if (depth + 1) * width * width > 10**8:
        raise ValueError(f"depth 和 width 给出的网络有约 {(depth + 1) * width * width} 个参数，上限 10**8")


def _backward_norms(net: nn.Module, width: int, seed: int | None) -> list[float]:
    """在 256 个随机样本上对随机目标的 MSE 做一次前向和反向，返回各线性层权重梯度的范数。"""
    g = None if seed is None else torch.Generator().manual_seed(seed)
    X, y = torch.randn(256, width, generator=g), torch.randn(256, 1, generator=g)
    device = get_device()
    net.to(device)
    # 一次前向 + 反向；梯度在每层乘上 Wᵀ·diag(g'(z))，激活函数的导数决定它是缩小还是保持
    nn.functional.mse_loss(net(X.to(device)), y.to(device)).backward()
    return layer_grad_norms(net)


def gradient_profile_at(
    activation: str,
    weight_var: float,
    bias_var: float = 0.0,
    *,
    orthogonal: bool = False,
    center: bool = False,
    depth: int = 10,
    width: int = 32,
    seed: int | None = 0,
) -> list[float]:
    r"""与 [`gradient_profile`][dlguide.pages.activations.relu_vs_sigmoid.gradient_profile] 相同的网络和数据，
    但按 $(\sigma_w^2, \sigma_b^2)$ 初始化（[`init_mean_field`][dlguide.init.init_mean_field]）：$W\sim\mathcal N(0, \sigma_w^2/n)$。

    Parameters
    ----------
    activation : str
        [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    weight_var, bias_var : float
        $\sigma_w^2 > 0$（$\sigma_w$ 就是相对 LeCun 初始化的增益）、$\sigma_b^2 \ge 0$。
    orthogonal : bool
        权重用增益 $\sigma_w$ 的正交矩阵。
    center : bool
        为 ``True`` 时除第一层外每层偏置再减去 $0.5\sum_i W_{ji}$，抵消 sigmoid 输出的均值 0.5。
    depth, width : int
        隐藏层数（[1, 1000]）、宽度（[1, 4096]），参数总数 ``(depth + 1)·width²`` 不超过 $10^8$。
    seed : int, optional
        参数和数据的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        ``depth + 1`` 个权重梯度范数，第 0 个最靠近输入。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> norms = gradient_profile_at("sigmoid", 16.0, center=True)
    >>> len(norms), 0.1 < norms[0] / norms[-1] < 10
    (11, True)
    """
    _check_size(depth, width)
    check_bool(center, "center")
    check_seed(seed)
    net = mlp([width] * (depth + 1) + [1], activation)
    init_mean_field(net, weight_var, bias_var, orthogonal=orthogonal, input_mean=0.5 if center else 0.0, seed=seed)
    return _backward_norms(net, width, seed)


def saturated_fraction(net: nn.Module, X: torch.Tensor, threshold: float = 0.1) -> float:
    r"""``net`` 在输入 ``X`` 上，sigmoid/tanh 隐藏单元中**饱和**的比例：导数不到最大导数的 ``threshold`` 倍。

    tanh 的最大导数是 1，sigmoid 是 1/4；判据分别是 $1-\tanh^2 z < t$ 和 $4\sigma(z)(1-\sigma(z)) < t$。
    所有 ``Tanh``/``Sigmoid`` 层的单元合在一起算。

    Parameters
    ----------
    net : torch.nn.Module
        逐层调用的 ``nn.Sequential``（如 [`dlguide.models.mlp`][dlguide.models.mlp]）。
    X : torch.Tensor
        输入，形状 ``(N, 输入维数)``。
    threshold : float
        $t\in(0, 1)$。

    Returns
    -------
    float
        饱和单元（按样本计）所占比例，保留 2 位小数；没有 sigmoid/tanh 层时是 0.0。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> from dlguide.models import mlp
    >>> net = mlp([2, 4, 1], "tanh", seed=0)
    >>> saturated_fraction(net, torch.zeros(3, 2)), saturated_fraction(net, 100 * torch.ones(3, 2))
    (0.0, 1.0)
    """
    check_module(net, "net", nn.Sequential)
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_in_range(threshold, "threshold", 0.0, 1.0, low_open=True, high_open=True)
    device = next(net.parameters(), torch.empty(0)).device  # 没有参数的网络（只有激活函数）留在 CPU 上
    check_model_input(net, X.to(device), "net", "X")
    h, saturated, total = X.to(device), 0, 0
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Tanh):
                # tanh′(z) = 1 − tanh²(z)，最大值 1
                relative = 1 - torch.tanh(h) ** 2
            elif isinstance(layer, nn.Sigmoid):
                # σ′(z) = σ(1 − σ)，最大值 1/4
                relative = 4 * torch.sigmoid(h) * (1 - torch.sigmoid(h))
            else:
                relative = None
            if relative is not None:
                saturated += int((relative < threshold).sum())
                total += relative.numel()
            h = layer(h)
    return round(saturated / total, 2) if total else 0.0


@figure
def gradient_norms_by_depth() -> Figure:
    """10 层 MLP 各层权重梯度的范数（对数坐标）：左边是 PyTorch 默认初始化，右边是常用的初始化，外加权重 ×4、偏置抵消均值的 sigmoid。"""

    settings = [
        ("PyTorch 默认初始化", {"sigmoid": "default", "tanh": "default", "relu": "default"}),
        ("常用的初始化（sigmoid/tanh: Xavier，ReLU: He）", {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}),
    ]
    fig, axes = new_figure(2, width=9.0, height=3.6)
    for ax, (title, inits) in zip(axes, settings):
        for activation, init in inits.items():
            norms = gradient_profile(activation, depth=10, init=init)
            ax.semilogy(range(1, len(norms) + 1), norms, marker="o", ms=3, label=activation)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("层（1 = 最靠近输入）")
    rescued = gradient_profile_at("sigmoid", 16.0, center=True)
    axes[1].semilogy(range(1, len(rescued) + 1), rescued, marker="s", ms=3, ls="--", color="tab:blue",
                     label="sigmoid，σ_w² = 16 + 居中偏置")
    axes[0].set_ylabel("‖∂L/∂W[l]‖₂")
    axes[0].legend()
    axes[1].legend(fontsize=8)
    return fig
