"""“如何利用初始化缓解梯度消失和爆炸”一页：深层网络里的信号传播。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_int, check_seed
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.init import SCHEMES, critical_weight_variance, init_mean_field, init_mlp, mean_field_chi
from dlguide.models import ACTIVATIONS

__all__ = ["critical_initialization", "critical_propagation", "init_signal_propagation", "signal_propagation"]


def signal_propagation(
    scheme: str,
    activation: str = "relu",
    *,
    depth: int = 50,
    width: int = 64,
    n: int = 256,
    seed: int | None = 0,
) -> dict[str, list[float]]:
    r"""深层 MLP 里逐层的前向信号方差和反向梯度方差。

    网络是 ``depth`` 个 ``width × width`` 的线性层，每层后接 ``activation``（最后一层也接，
    方便逐层比较）；输入是 ``n`` 个标准正态样本，从输出端注入标准正态的梯度 $\partial L/\partial h^{[L]}$。

    Parameters
    ----------
    scheme : str
        [`SCHEMES`][dlguide.init.SCHEMES] 之一。
    activation : str
        ``"tanh"``、``"relu"`` 等 [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    depth, width, n : int
        层数（[1, 1000]）、宽度（[1, 4096]）、样本数（[1, 100000]）；``depth·width²`` 不超过 $10^8$，
        ``depth·width·n`` 不超过 $10^7$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, list[float]]
        ``"z_var"``：每层预激活 $z^{[l]} = W^{[l]}h^{[l-1]}$ 的方差；
        ``"grad_var"``：每层 $\partial L / \partial z^{[l]}$ 的方差；
        ``"weight_grad_norm"``：每层 $\lVert \partial L/\partial W^{[l]} \rVert$。
        下标 0 是最靠近输入的层。

    Raises
    ------
    TypeError, ValueError
        ``scheme``/``activation`` 不认识，尺寸不是整数或越界，或 ``seed`` 越界。

    Examples
    --------
    >>> out = signal_propagation("he", "relu", depth=10)
    >>> [round(v, 1) for v in out["z_var"][::3]]  # He + ReLU：量级不随深度变化
    [2.0, 3.5, 3.5, 4.9]
    """
    check_choice(scheme, "scheme", SCHEMES)
    _check_sizes(activation, depth, width, n, seed)
    layers = [nn.Linear(width, width) for _ in range(depth)]
    for i, layer in enumerate(layers):
        init_mlp(layer, scheme, activation, seed=None if seed is None else (seed * 1000 + i) % 2**63)
    return _propagate(layers, activation, n, seed)


def _check_sizes(activation: str, depth: int, width: int, n: int, seed: int | None) -> None:
    """``activation`` 认识；层数 [1, 1000]、宽度 [1, 4096]、样本数 [1, 100000]，depth·width² ≤ 10⁸、depth·width·n ≤ 10⁷。"""
    check_choice(activation, "activation", ACTIVATIONS)
    for name, value, high in (("depth", depth, 1000), ("width", width, 4096), ("n", n, 100_000)):
        check_int(value, name, low=1, high=high)
    if depth * width * width > 10**8 or depth * width * n > 10**7:
        raise ValueError(f"depth、width、n 太大：depth·width² = {depth * width * width}（上限 10**8），"
                         f"depth·width·n = {depth * width * n}（上限 10**7）")
    check_seed(seed)


def _propagate(layers: list[nn.Linear], activation: str, n: int, seed: int | None) -> dict[str, list[float]]:
    """把 ``n`` 个标准正态样本送过 ``layers``（每层后接激活函数），从输出端注入标准正态梯度，记录逐层统计量。"""
    device = get_device()
    width = layers[0].in_features
    # 输入和权重用不同的种子，避免抽到相关的数
    g = None if seed is None else torch.Generator().manual_seed((seed + 2**31) % 2**63)
    for layer in layers:
        layer.to(device)
    act = ACTIVATIONS[activation]()
    h = torch.randn(n, width, generator=g).to(device)
    zs = []
    for layer in layers:
        z = layer(h)
        z.retain_grad()
        zs.append(z)
        h = act(z)
    # 从输出端注入标准正态的梯度 ∂L/∂h^[L]（相当于 L = Σ h^[L] ⊙ v）
    h.backward(torch.randn(n, width, generator=g).to(device))
    return {
        "z_var": [z.detach().var().item() for z in zs],
        "grad_var": [z.grad.var().item() for z in zs],
        "weight_grad_norm": [torch.linalg.vector_norm(layer.weight.grad).item() for layer in layers],
    }


def critical_propagation(
    activation: str,
    weight_var: float,
    bias_var: float = 0.0,
    *,
    orthogonal: bool = False,
    depth: int = 50,
    width: int = 64,
    n: int = 128,
    seed: int | None = 0,
) -> dict[str, list[float]]:
    r"""与 [`signal_propagation`][dlguide.pages.gradients.initialization.signal_propagation] 相同的测量，
    但权重和偏置按平均场的参数 $(\sigma_w^2, \sigma_b^2)$ 初始化（[`init_mean_field`][dlguide.init.init_mean_field]）。

    Parameters
    ----------
    activation : str
        [`dlguide.models.ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    weight_var, bias_var : float
        $\sigma_w^2 > 0$、$\sigma_b^2 \ge 0$。
    orthogonal : bool
        权重用增益 $\sigma_w$ 的正交矩阵。
    depth, width, n : int
        层数（[1, 1000]）、宽度（[1, 4096]）、样本数（[1, 100000]）；``depth·width²`` 不超过 $10^8$，
        ``depth·width·n`` 不超过 $10^7$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, list[float]]
        同 [`signal_propagation`][dlguide.pages.gradients.initialization.signal_propagation]。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> out = critical_propagation("tanh", 1.76, 0.05, depth=20)
    >>> round(out["z_var"][-1], 1), 0.1 < out["grad_var"][0] / out["grad_var"][-1] < 10
    (0.6, True)
    """
    _check_sizes(activation, depth, width, n, seed)
    layers = [nn.Linear(width, width) for _ in range(depth)]
    for i, layer in enumerate(layers):
        seed_i = None if seed is None else (seed * 1000 + i) % 2**63
        init_mean_field(layer, weight_var, bias_var, orthogonal=orthogonal, seed=seed_i)
    return _propagate(layers, activation, n, seed)


_INIT_STYLES = {
    "small_normal": ("小正态 0.01", "tab:brown"),
    "pytorch_default": ("PyTorch 默认", "tab:gray"),
    "lecun": ("LeCun = Xavier（方阵）", "tab:blue"),
    "he": ("He", "tab:red"),
    "orthogonal": ("正交（增益 g）", "tab:green"),
}


@figure
def init_signal_propagation() -> Figure:
    """50 层、宽 64 的网络里各层预激活的方差：左 tanh，右 ReLU，每条线一种初始化。"""
    fig, axes = new_figure(2, width=8.4, height=3.8)
    for ax, act in zip(axes, ("tanh", "relu")):
        for scheme, (label, color) in _INIT_STYLES.items():
            z_var = signal_propagation(scheme, act, n=128)["z_var"]
            shown = [v if v > 0 else float("nan") for v in z_var]
            ax.plot(range(1, len(z_var) + 1), shown, color=color, label=label)
        ax.set_yscale("log")
        ax.set_ylim(1e-40, 1e3)
        ax.set_xlabel("第 l 层")
        ax.set_title(f"{act}：Var(z) 随深度")
    axes[0].set_ylabel("预激活方差")
    axes[1].legend(fontsize=7, loc="lower left")
    return fig


@figure
def critical_initialization() -> Figure:
    """左：tanh 网络的临界线 χ₁ = 1（σ_b², σ_w² 平面）；右：50 层网络里梯度平方的逐层变化，实测与 χ₁ 的幂对照。"""
    fig, (left, right) = new_figure(2, width=8.8, height=3.8)
    bias_vars = [0.0, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3]
    critical = [critical_weight_variance("tanh", b) for b in bias_vars]
    left.plot(bias_vars, critical, color="black", label="临界线 χ₁ = 1")
    left.fill_between(bias_vars, 0.5, critical, color="tab:blue", alpha=0.12)
    left.fill_between(bias_vars, critical, 4.0, color="tab:red", alpha=0.12)
    left.text(0.17, 1.0, "有序：梯度消失", color="tab:blue")
    left.text(0.02, 3.3, "混沌：梯度爆炸", color="tab:red")
    styles = {1.0: "tab:blue", 1.76: "black", 3.0: "tab:red"}
    for weight_var, color in styles.items():
        left.plot([0.05], [weight_var], "o", color=color, ms=5)
    left.set_xlim(0, 0.3)
    left.set_ylim(0.5, 4.0)
    left.set_xlabel("偏置方差 σ_b²")
    left.set_ylabel("权重方差 σ_w²（× 1/n）")
    left.set_title("tanh 的相图", fontsize=10)
    left.legend(loc="upper left", fontsize=8)
    depth = 50
    for weight_var, color in styles.items():
        grad = critical_propagation("tanh", weight_var, 0.05, depth=depth)["grad_var"]
        layers = list(range(1, depth + 1))
        right.semilogy(layers, [v / grad[-1] for v in grad], color=color, label=f"σ_w² = {weight_var}")
        chi = mean_field_chi("tanh", weight_var, 0.05)
        right.semilogy(layers, [chi ** (depth - l) for l in layers], color=color, ls="--", lw=0.8)
    right.set_xlabel("第 l 层（1 = 最靠近输入）")
    right.set_title("Var(∂L/∂z[l]) / Var(∂L/∂z[50])，虚线为 χ₁ 的幂", fontsize=9)
    right.legend(fontsize=8)
    return fig
