"""“ReLU 为什么好过 tanh 和 sigmoid”一页：深层网络各层的梯度范数。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_choice,
    check_int,
    check_seed,
)
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.gradients import layer_grad_norms
from dlguide.init import init_mlp
from dlguide.models import mlp

__all__ = ["gradient_norms_by_depth", "gradient_profile"]


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

    check_int(depth, "depth", low=1, high=1000)
    check_int(width, "width", low=1, high=4096)
    if (depth + 1) * width * width > 10**8:
        raise ValueError(f"depth 和 width 给出的网络有约 {(depth + 1) * width * width} 个参数，上限 10**8")
    check_choice(init, "init", ("default", "xavier", "he"))
    check_seed(seed)
    net = mlp([width] * (depth + 1) + [1], activation, seed=seed)
    if init != "default":
        init_mlp(net, init, activation, seed=seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    X, y = torch.randn(256, width, generator=g), torch.randn(256, 1, generator=g)
    device = get_device()
    net.to(device)
    # 一次前向 + 反向；梯度在每层乘上 Wᵀ·diag(g'(z))，激活函数的导数决定它是缩小还是保持
    nn.functional.mse_loss(net(X.to(device)), y.to(device)).backward()
    return layer_grad_norms(net)


@figure
def gradient_norms_by_depth() -> Figure:
    """10 层 MLP 各层权重梯度的范数（对数坐标）：左边是 PyTorch 默认初始化，右边是与激活函数匹配的初始化。"""

    settings = [
        ("PyTorch 默认初始化", {"sigmoid": "default", "tanh": "default", "relu": "default"}),
        ("匹配的初始化（sigmoid/tanh: Xavier，ReLU: He）", {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}),
    ]
    fig, axes = new_figure(2, width=9.0, height=3.6)
    for ax, (title, inits) in zip(axes, settings):
        for activation, init in inits.items():
            norms = gradient_profile(activation, depth=10, init=init)
            ax.semilogy(range(1, len(norms) + 1), norms, marker="o", ms=3, label=activation)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("层（1 = 最靠近输入）")
    axes[0].set_ylabel("‖∂L/∂W[l]‖₂")
    axes[0].legend()
    return fig
