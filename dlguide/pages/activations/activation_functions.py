"""“Sigmoid、Tanh、ReLU 的优缺点”一页：死单元的比例，激活函数与导数的图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_model_input,
    check_module,
    check_tensor,
)
from dlguide.activations import elu, gelu, leaky_relu, relu, selu, sigmoid, silu, tanh
from dlguide.figures import figure, new_figure

__all__ = ["activations_and_derivatives", "dead_unit_fraction"]


def dead_unit_fraction(model: nn.Sequential, X: torch.Tensor) -> list[float]:
    r"""每个 ReLU 层里“死掉”的单元比例：对 ``X`` 的**每一个**样本，该单元的输入 $z$ 都 $\le 0$。

    这样的单元输出恒为 0，ReLU 的导数恒为 0，它的入射权重和偏置得不到任何梯度，训练无法把它救回来。

    Parameters
    ----------
    model : torch.nn.Sequential
        例如 [`dlguide.models.mlp`][dlguide.models.mlp] 建的网络；统计其中每个 ``nn.ReLU`` 之前的那一层。
    X : torch.Tensor
        一批输入（至少一个样本，形状要被 ``model`` 接受），会搬到模型所在的设备上。

    Returns
    -------
    list[float]
        每个 ReLU 层一个比例，按前向顺序，保留 4 位小数。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Sequential``，或 ``X`` 不是浮点张量。
    ValueError
        ``X`` 为空，或 ``model`` 不接受 ``X``（特征数、dtype 不符）。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Linear(1, 2), nn.ReLU())
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(1.0)
    ...     _ = net[0].bias.copy_(torch.tensor([0.0, -10.0]))
    ...
    >>> dead_unit_fraction(net, torch.tensor([[1.0], [2.0]]))
    [0.5]
    """
    check_module(model, "model", nn.Sequential)
    check_tensor(X, "X", nonempty=True)
    params = list(model.parameters())
    h = X.to(params[0].device) if params else X
    check_model_input(model, h)
    fractions = []
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                # 死单元：对所有样本 z ≤ 0 ⇒ ReLU'(z) = 0 ⇒ ∂L/∂w = 0
                fractions.append(round((h <= 0).all(dim=0).float().mean().item(), 4))
            h = layer(h)
    return fractions


@figure
def activations_and_derivatives() -> Figure:
    """九个激活函数（实线）和它们的导数（虚线，由 autograd 算出），同一坐标范围便于比较。"""

    functions = {
        "sigmoid": sigmoid,
        "tanh": tanh,
        "ReLU": relu,
        "Leaky ReLU / PReLU (α=0.1)": lambda z: leaky_relu(z, 0.1),
        "ELU (α=1)": elu,
        "SELU": selu,
        "GELU": gelu,
        "SiLU / Swish": silu,
        "softplus（ReLU 的平滑版）": torch.nn.functional.softplus,
    }
    z = torch.linspace(-4, 4, 401, requires_grad=True)
    fig, _ = new_figure(1, width=8.4, height=7.2)
    fig.clear()
    axes = fig.subplots(3, 3, sharex=True, sharey=True).ravel()
    for ax, (name, fn) in zip(axes, functions.items()):
        out = fn(z)
        (grad,) = torch.autograd.grad(out.sum(), z)
        ax.plot(z.detach(), out.detach(), label="f(z)")
        ax.plot(z.detach(), grad, ls="--", label="f′(z)")
        ax.axhline(0, color="gray", lw=0.6)
        ax.axvline(0, color="gray", lw=0.6)
        ax.set_title(name, fontsize=10)
        ax.set_ylim(-2, 3)
    axes[0].legend(loc="upper left", fontsize=8)
    return fig
