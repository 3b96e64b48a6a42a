"""梯度的测量工具。"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["layer_grad_norms"]


# --8<-- [start:layer_grad_norms]
def layer_grad_norms(model: nn.Module, kind: type[nn.Module] = nn.Linear) -> list[float]:
    """按前向顺序返回每个 ``kind`` 层（默认 ``nn.Linear``）权重梯度的 L2 范数。

    需要先对损失调用 ``backward()``。没有梯度的层记为 ``0.0``。

    Parameters
    ----------
    model : torch.nn.Module
        已经反向传播过的模型。
    kind : type
        统计哪一类层，默认 ``nn.Linear``。

    Returns
    -------
    list[float]
        每层 $\\lVert \\partial L / \\partial W^{[l]} \\rVert_2$，第 0 个是最靠近输入的层。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Linear(2, 2, bias=False), nn.Linear(2, 1, bias=False))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(1.0)
    ...     _ = net[1].weight.fill_(1.0)
    >>> net(torch.tensor([[1.0, 2.0]])).sum().backward()
    >>> [round(g, 4) for g in layer_grad_norms(net)]
    [3.1623, 4.2426]
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model 必须是 torch.nn.Module，收到的是 {type(model).__name__}")
    norms = []
    for layer in model.modules():
        if isinstance(layer, kind):
            grad = layer.weight.grad
            # ‖∂L/∂W‖₂（把整个矩阵看成一个向量）
            norms.append(0.0 if grad is None else torch.linalg.vector_norm(grad).item())
    return norms
# --8<-- [end:layer_grad_norms]
