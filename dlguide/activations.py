"""激活函数及其导数，按公式从零实现，并与 ``torch`` 内置实现对照测试。

每个函数的公式写在计算它的那一行正上方。
"""

from __future__ import annotations

import torch

from dlguide._checks import check_tensor

__all__ = ["sigmoid", "sigmoid_grad"]


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
