"""“如何利用初始化缓解梯度消失和爆炸”一页：深层网络里的信号传播。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_int, check_seed
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.init import SCHEMES, init_mlp
from dlguide.models import ACTIVATIONS

__all__ = ["init_signal_propagation", "signal_propagation"]


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
    check_choice(activation, "activation", ACTIVATIONS)
    for name, value, high in (("depth", depth, 1000), ("width", width, 4096), ("n", n, 100_000)):
        check_int(value, name, low=1, high=high)
    if depth * width * width > 10**8 or depth * width * n > 10**7:
        raise ValueError(f"depth、width、n 太大：depth·width² = {depth * width * width}（上限 10**8），"
                         f"depth·width·n = {depth * width * n}（上限 10**7）")
    check_seed(seed)
    device = get_device()
    layers = [nn.Linear(width, width) for _ in range(depth)]
    # 输入和权重用不同的种子，避免抽到相关的数
    g = None if seed is None else torch.Generator().manual_seed((seed + 2**31) % 2**63)
    for i, layer in enumerate(layers):
        init_mlp(layer, scheme, activation, seed=None if seed is None else (seed * 1000 + i) % 2**63)
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
