"""各章实验共用的小模型。"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from dlguide._checks import check_int, check_module, check_sizes

__all__ = ["ACTIVATIONS", "ResidualBlock", "collapse_linear", "mlp", "residual_mlp"]

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
    sizes = check_sizes(sizes)
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


# --8<-- [start:residual_mlp]
class ResidualBlock(nn.Module):
    """残差块 $\\boldsymbol h \\mapsto \\boldsymbol h + F(\\boldsymbol h)$，$F$ 是 ``Linear → [BatchNorm] → 激活``。

    Parameters
    ----------
    width : int
        输入输出宽度（相同，才能相加）。
    activation : str
        :data:`ACTIVATIONS` 里的名字。
    batch_norm : bool
        是否在激活之前加 ``BatchNorm1d``。

    Examples
    --------
    >>> block = ResidualBlock(4, "relu")
    >>> with torch.no_grad():
    ...     _ = block.linear.weight.zero_()
    ...     _ = block.linear.bias.zero_()
    >>> block(torch.ones(2, 4)).tolist()  # F ≡ 0 时残差块是恒等映射
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    """

    def __init__(self, width: int, activation: str = "relu", batch_norm: bool = False) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation 必须是 {sorted(ACTIVATIONS)} 之一，收到 {activation!r}")
        self.linear = nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if batch_norm else nn.Identity()
        self.act = ACTIVATIONS[activation]()

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        # h + F(h)：反向时 ∂(h + F(h))/∂h = I + ∂F/∂h，恒等项让梯度至少能原样穿过
        return h + self.act(self.norm(self.linear(h)))


def residual_mlp(
    in_features: int,
    width: int,
    depth: int,
    out_features: int,
    activation: str = "relu",
    *,
    batch_norm: bool = False,
    seed: int | None = None,
) -> nn.Sequential:
    """``Linear(in, width)`` → ``depth`` 个 :class:`ResidualBlock` → ``Linear(width, out)``。

    Parameters
    ----------
    in_features, width, depth, out_features : int
        输入宽度、隐藏宽度、残差块个数、输出宽度，均为正整数。
    activation : str
        残差块里的激活函数。
    batch_norm : bool
        残差块里是否用 BatchNorm。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        线性层共 ``depth + 2`` 个，按前向顺序。

    Raises
    ------
    ValueError
        尺寸不是正整数，或 ``activation`` 不认识。

    Examples
    --------
    >>> net = residual_mlp(2, 8, 3, 1, "tanh", seed=0)
    >>> sum(isinstance(m, nn.Linear) for m in net.modules())
    5
    """
    for name, value in (("in_features", in_features), ("width", width), ("depth", depth), ("out_features", out_features)):
        check_int(value, name, low=1)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation 必须是 {sorted(ACTIVATIONS)} 之一，收到 {activation!r}")
    if seed is not None:
        torch.manual_seed(seed)
    blocks = [ResidualBlock(width, activation, batch_norm) for _ in range(depth)]
    return nn.Sequential(nn.Linear(in_features, width), *blocks, nn.Linear(width, out_features))
# --8<-- [end:residual_mlp]


# --8<-- [start:collapse_linear]
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
# --8<-- [end:collapse_linear]
