"""“初始化权重为什么不能为 0”一页：对称性与隐藏单元的差异。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_module
from dlguide.data import make_moons
from dlguide.figures import figure, new_figure
from dlguide.init import constant_, init_mlp, zeros_
from dlguide.models import mlp
from dlguide.training import accuracy, fit

__all__ = ["hidden_unit_spread", "symmetric_init_decision_regions"]


def hidden_unit_spread(model: nn.Module) -> list[float]:
    r"""每个隐藏层里各单元参数的最大差异 $\max_{j}\lVert(\boldsymbol w_j, b_j)-(\boldsymbol w_1, b_1)\rVert_\infty$。

    结果为 0 说明这一层所有单元的输入权重和偏置完全相同，即对称性没有被打破。
    隐藏层指除最后一个以外的所有 ``nn.Linear``。

    Parameters
    ----------
    model : torch.nn.Module
        含若干 ``nn.Linear`` 的模型。

    Returns
    -------
    list[float]
        每个隐藏层一个数，按前向顺序。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``。

    Examples
    --------
    >>> from dlguide.models import mlp
    >>> net = init_mlp(mlp([2, 4, 1]), "zeros")
    >>> hidden_unit_spread(net)
    [0.0]
    >>> hidden_unit_spread(init_mlp(mlp([2, 4, 1]), "he"))[0] > 0
    True
    """
    check_module(model, "model")
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    spreads = []
    for layer in linears[:-1]:
        params = layer.weight.detach()
        if layer.bias is not None:
            params = torch.cat([params, layer.bias.detach()[:, None]], dim=1)
        # 每个单元（每一行）与第一个单元的最大差
        spreads.append((params - params[0]).abs().max().item())
    return spreads


@figure
def symmetric_init_decision_regions() -> Figure:
    """在 moons 上训练同一个 tanh 网络：常数初始化得到直线边界，随机初始化得到弯曲边界。"""
    X, y = make_moons(200, noise=0.1)
    grid_x, grid_y = torch.meshgrid(torch.linspace(-1.5, 2.5, 120), torch.linspace(-1.0, 1.5, 90), indexing="xy")
    grid = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)
    fig, axes = new_figure(2, width=8.4, height=3.4)
    for ax, (title, scheme) in zip(axes, (("常数初始化 0.5", "constant"), ("He 初始化", "he"))):
        net = mlp([2, 16, 16, 2], "tanh", seed=0)
        if scheme == "constant":
            for layer in net:
                if isinstance(layer, nn.Linear):
                    constant_(layer.weight, 0.5)
                    zeros_(layer.bias)
        else:
            init_mlp(net, "he", "tanh")
        fit(net, X, y, epochs=300, lr=0.5)
        net.cpu()
        with torch.no_grad():
            pred = net(grid).argmax(dim=1).reshape(grid_x.shape).float()
        ax.contourf(grid_x, grid_y, pred, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
        ax.scatter(X[:, 0], X[:, 1], c=["tab:blue" if c == 0 else "tab:orange" for c in y.tolist()], s=8)
        ax.set_title(f"{title}：训练准确率 {accuracy(net, X, y):.2f}")
    return fig
