"""“为什么要用非线性激活函数”一页：没有激活函数的多层网络等于一层线性变换。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_module
from dlguide.data import make_xor
from dlguide.figures import figure, new_figure
from dlguide.models import mlp
from dlguide.training import accuracy, fit

__all__ = ["collapse_linear", "linear_vs_mlp_boundaries"]


def collapse_linear(model: nn.Sequential) -> nn.Linear:
    r"""把只由 ``nn.Linear``（和 ``nn.Identity``）堆成的网络合并成**一个**等价的仿射层。

    两层 $\boldsymbol y = W_2(W_1\boldsymbol x + \boldsymbol b_1) + \boldsymbol b_2
    = (W_2W_1)\boldsymbol x + (W_2\boldsymbol b_1 + \boldsymbol b_2)$，逐层重复即可。

    Parameters
    ----------
    model : torch.nn.Sequential
        只含 ``nn.Linear`` 与 ``nn.Identity`` 的网络（例如 ``mlp(sizes, "identity")``）。

    Returns
    -------
    torch.nn.Linear
        一个新的线性层，对任何输入都与 ``model`` 给出相同的输出（差别只有浮点舍入）。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Sequential``，或其中含有别的层（例如非线性激活函数）。

    Examples
    --------
    >>> import torch
    >>> from dlguide.models import mlp
    >>> net = mlp([3, 5, 4, 2], "identity", seed=0)
    >>> one = collapse_linear(net)
    >>> one
    Linear(in_features=3, out_features=2, bias=True)
    >>> x = torch.randn(6, 3, generator=torch.Generator().manual_seed(0))
    >>> torch.allclose(net(x), one(x), atol=1e-6)
    True
    """
    check_module(model, "model", nn.Sequential)
    linears = []
    for layer in model:
        if isinstance(layer, nn.Linear):
            linears.append(layer)
        elif not isinstance(layer, nn.Identity):
            raise TypeError(f"model 只能含 nn.Linear 和 nn.Identity，收到 {type(layer).__name__}")
    if not linears:
        raise TypeError("model 里至少要有一个 nn.Linear")
    first = linears[0]
    weight = first.weight.detach().clone()
    bias = first.bias.detach().clone() if first.bias is not None else torch.zeros(first.out_features, device=weight.device, dtype=weight.dtype)
    for layer in linears[1:]:
        # W ← W_l W，b ← W_l b + b_l：两次仿射变换的复合仍是仿射变换
        weight = layer.weight.detach() @ weight
        bias = layer.weight.detach() @ bias + (layer.bias.detach() if layer.bias is not None else 0)
    merged = nn.Linear(weight.shape[1], weight.shape[0]).to(weight.device, weight.dtype)
    with torch.no_grad():
        merged.weight.copy_(weight)
        merged.bias.copy_(bias)
    return merged


def _decision_grid(lim: float = 2.0, steps: int = 121) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""正方形 $[-\text{lim}, \text{lim}]^2$ 上的网格点，用来画决策边界。"""
    axis = torch.linspace(-lim, lim, steps)
    xx, yy = torch.meshgrid(axis, axis, indexing="xy")
    return xx, yy, torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)


@figure
def linear_vs_mlp_boundaries() -> Figure:
    """异或数据上三个模型的决策区域：logistic 回归、三层不带激活的线性网络、带 tanh 的 MLP。"""

    X, y = make_xor(200, noise=0.2)
    models = {
        "logistic 回归": mlp([2, 2], seed=0),
        "三层线性（无激活）": mlp([2, 16, 16, 2], "identity", seed=0),
        "MLP（tanh）": mlp([2, 8, 2], "tanh", seed=0),
    }
    xx, yy, grid = _decision_grid()
    fig, axes = new_figure(3, width=9.6, height=3.4)
    for ax, (title, net) in zip(axes, models.items()):
        fit(net, X, y, epochs=200, lr=0.5)
        net.cpu().eval()
        with torch.no_grad():
            region = net(grid).argmax(dim=1).reshape(xx.shape).float()
        ax.contourf(xx, yy, region, levels=[-0.5, 0.5, 1.5], colors=["tab:blue", "tab:orange"], alpha=0.25)
        ax.scatter(X[:, 0], X[:, 1], c=["tab:blue" if t == 0 else "tab:orange" for t in y.tolist()], s=8)
        ax.set_title(f"{title}\n训练准确率 {accuracy(net, X, y):.2f}", fontsize=10)
        ax.set_xlabel("x₁")
        ax.set_aspect("equal")
    axes[0].set_ylabel("x₂")
    return fig
