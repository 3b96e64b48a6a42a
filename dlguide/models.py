"""各章实验共用的小模型。"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "mlp"]

#: 按名字选激活函数（全书统一的名字）。
ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "identity": nn.Identity,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "elu": nn.ELU,
    "selu": nn.SELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


# --8<-- [start:mlp]
def mlp(
    sizes: Sequence[int],
    activation: str = "relu",
    *,
    batch_norm: bool = False,
    seed: int | None = None,
) -> nn.Sequential:
    """多层感知机：``Linear → [BatchNorm] → 激活`` 重复，最后一层只有 ``Linear``。

    Parameters
    ----------
    sizes : Sequence[int]
        各层宽度，包括输入和输出，至少 2 个正整数，例如 ``[2, 16, 16, 1]``。
    activation : str
        隐藏层激活函数的名字，见 :data:`ACTIVATIONS`。
    batch_norm : bool
        是否在每个隐藏层的激活之前加 ``BatchNorm1d``。
    seed : int, optional
        给出时用它初始化参数（PyTorch 默认的初始化），结果可复现。

    Returns
    -------
    torch.nn.Sequential
        线性层可以用 ``[m for m in net if isinstance(m, nn.Linear)]`` 取出。

    Raises
    ------
    ValueError
        ``sizes`` 少于 2 个或含非正数，或 ``activation`` 不认识。

    Examples
    --------
    >>> net = mlp([2, 8, 1], "tanh", seed=0)
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=8, bias=True)
      (1): Tanh()
      (2): Linear(in_features=8, out_features=1, bias=True)
    )
    >>> sum(p.numel() for p in net.parameters())
    33
    """
    sizes = list(sizes)
    if len(sizes) < 2 or any(not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError(f"sizes 必须是至少 2 个正整数，收到 {sizes}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation 必须是 {sorted(ACTIVATIONS)} 之一，收到 {activation!r}")
    if seed is not None:
        torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:  # 隐藏层：线性 → [BN] → 非线性
            if batch_norm:
                layers.append(nn.BatchNorm1d(fan_out))
            layers.append(ACTIVATIONS[activation]())
    return nn.Sequential(*layers)
# --8<-- [end:mlp]
