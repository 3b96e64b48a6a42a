"""“如何利用初始化缓解梯度消失和爆炸”一页：深层网络里的信号传播。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.init import init_mlp
from dlguide.models import ACTIVATIONS

__all__ = ["init_signal_propagation", "signal_propagation"]


def signal_propagation(
    scheme: str,
    activation: str = "relu",
    *,
    depth: int = 50,
    width: int = 64,
    n: int = 256,
    seed: int = 0,
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
        层数、宽度、样本数。
    seed : int
        随机种子。

    Returns
    -------
    dict[str, list[float]]
        ``"z_var"``：每层预激活 $z^{[l]} = W^{[l]}h^{[l-1]}$ 的方差；
        ``"grad_var"``：每层 $\partial L / \partial z^{[l]}$ 的方差；
        ``"weight_grad_norm"``：每层 $\lVert \partial L/\partial W^{[l]} \rVert$。
        下标 0 是最靠近输入的层。

    Raises
    ------
    ValueError
        ``scheme``/``activation`` 不认识，或尺寸不是正整数。

    Examples
    --------
    >>> out = signal_propagation("he", "relu", depth=10)
    >>> [round(v, 1) for v in out["z_var"][::3]]  # He + ReLU：量级不随深度变化
    [2.0, 3.5, 3.5, 4.9]
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation 必须是 {sorted(ACTIVATIONS)} 之一，收到 {activation!r}")
    for name, value in (("depth", depth), ("width", width), ("n", n)):
        check_int(value, name, low=1)
    device = get_device()
    layers = [nn.Linear(width, width) for _ in range(depth)]
    # 输入和权重用不同的种子，避免抽到相关的数
    g = torch.Generator().manual_seed(seed + 2**31)
    for i, layer in enumerate(layers):
        init_mlp(layer, scheme, activation, seed=seed * 1000 + i)
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
