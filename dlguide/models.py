"""各章实验共用的小模型。"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from dlguide._checks import (
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_module,
    check_seed,
    check_sizes,
    check_tensor,
)
from dlguide.recurrent import set_forget_bias

__all__ = [
    "ACTIVATIONS",
    "RECURRENT_LAYERS",
    "RecurrentNet",
    "ResidualBlock",
    "check_sequence_input",
    "digits_cnn",
    "mlp",
    "residual_mlp",
    "small_cnn",
]

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
"""按名字选激活函数（全书统一的名字）。"""


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
        隐藏层激活函数的名字，见 [`ACTIVATIONS`][dlguide.models.ACTIVATIONS]。
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


class ResidualBlock(nn.Module):
    r"""残差块 $\boldsymbol h \mapsto \boldsymbol h + F(\boldsymbol h)$，$F$ 是 ``Linear → [BatchNorm] → 激活``。

    Parameters
    ----------
    width : int
        输入输出宽度（相同，才能相加）。
    activation : str
        [`ACTIVATIONS`][dlguide.models.ACTIVATIONS] 里的名字。
    batch_norm : bool
        是否在激活之前加 ``BatchNorm1d``。

    Examples
    --------
    >>> block = ResidualBlock(4, "relu")
    >>> with torch.no_grad():
    ...     _ = block.linear.weight.zero_()
    ...     _ = block.linear.bias.zero_()
    ...
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
    """``Linear(in, width)`` → ``depth`` 个 [`ResidualBlock`][dlguide.models.ResidualBlock] → ``Linear(width, out)``。

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


def digits_cnn(channels: int = 16, seed: int | None = None) -> nn.Sequential:
    """8×8 手写数字的小卷积网络：两层 3×3 卷积 + 全局平均池化 + 线性分类器。

    输入是展平的 ``(n, 64)``，网络内部还原成 ``(n, 1, 8, 8)``。全局平均池化让分类器只看到
    “哪些局部图案出现过”，这正是卷积对局部相关性的假设。

    Parameters
    ----------
    channels : int
        第一层卷积的通道数（第二层是它的两倍），≥ 1。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        输出 10 个 logit。

    Raises
    ------
    ValueError
        ``channels`` 不是正整数。

    Examples
    --------
    >>> import torch
    >>> net = digits_cnn(seed=0)
    >>> tuple(net(torch.zeros(5, 64)).shape)
    (5, 10)
    """
    check_int(channels, "channels", low=1)
    if seed is not None:
        torch.manual_seed(seed)
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8×8 → 4×4
        nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # 全局平均池化：不保留位置
        nn.Linear(2 * channels, 10),
    )


def small_cnn(seed: int = 0) -> nn.Sequential:
    """一个小 CNN（两层卷积 + 全连接），输入 3×32×32，输出 10 类。

    Examples
    --------
    >>> import torch
    >>> small_cnn()(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 10])
    """
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 10),
    )


RECURRENT_LAYERS: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}
"""[`RecurrentNet`][dlguide.models.RecurrentNet] 认识的循环层。"""


class RecurrentNet(nn.Module):
    r"""一层（或几层）循环网络加一个线性输出头：序列进，最后一步（或每一步）的预测出。

    ``every_step=False``（N→1，序列分类/回归）：$\hat{\boldsymbol y} = V\boldsymbol h_T + \boldsymbol c$；
    ``every_step=True``（N→N，逐步标注）：每个时刻都输出 $\hat{\boldsymbol y}_t = V\boldsymbol h_t + \boldsymbol c$。
    循环层是 PyTorch 内置的 ``nn.RNN``（tanh）、``nn.GRU`` 或 ``nn.LSTM``，``batch_first=True``。

    Parameters
    ----------
    kind : str
        ``"rnn"``、``"gru"`` 或 ``"lstm"``。
    input_size, hidden_size, output_size : int
        输入维数 $I$、隐藏维数 $H$、输出维数 $O$，在 [1, 4096] 内。
    num_layers : int
        循环层层数，在 [1, 16] 内。
    every_step : bool
        是否每个时刻都输出。
    forget_bias : float, optional
        只对 LSTM：给出时用 [`set_forget_bias`][dlguide.recurrent.set_forget_bias] 设置有效遗忘门偏置。
    seed : int, optional
        给出时用它初始化参数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界；``forget_bias`` 用在了非 LSTM 上。

    Examples
    --------
    >>> import torch
    >>> net = RecurrentNet("lstm", 2, 8, 1, seed=0)
    >>> tuple(net(torch.zeros(5, 30, 2)).shape)                    # (B, T, I) → (B, O)
    (5, 1)
    >>> tuple(RecurrentNet("gru", 2, 8, 3, every_step=True)(torch.zeros(5, 30, 2)).shape)  # → (B, T, O)
    (5, 30, 3)
    """

    def __init__(
        self,
        kind: str = "lstm",
        input_size: int = 1,
        hidden_size: int = 16,
        output_size: int = 1,
        *,
        num_layers: int = 1,
        every_step: bool = False,
        forget_bias: float | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        check_choice(kind, "kind", tuple(RECURRENT_LAYERS))
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
            check_int(value, name, low=1, high=4096)
        check_int(num_layers, "num_layers", low=1, high=16)
        check_bool(every_step, "every_step")
        if forget_bias is not None:
            if kind != "lstm":
                raise ValueError(f"forget_bias 只适用于 kind='lstm'，收到 kind={kind!r}")
            check_finite(forget_bias, "forget_bias")
        if seed is not None:
            torch.manual_seed(check_seed(seed))
        self.kind = kind
        self.every_step = every_step
        self.rnn = RECURRENT_LAYERS[kind](input_size, hidden_size, num_layers=num_layers, batch_first=True)
        if forget_bias is not None:
            set_forget_bias(self.rnn, forget_bias)
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_sequence_input(x, self.rnn)
        # (B, T, I) → 每个时刻最后一层的隐藏状态 (B, T, H)
        states, _ = self.rnn(x)
        # 每一步都输出：(B, T, O)；只要最后一步：(B, O)
        return self.head(states if self.every_step else states[:, -1])


def check_sequence_input(x: object, rnn: nn.RNNBase, name: str = "x") -> torch.Tensor:
    """确认 ``x`` 是能喂给 ``batch_first`` 循环层 ``rnn`` 的输入：非空的 ``(B, T, I)`` 浮点张量，``I`` 与 dtype 都对得上。

    Parameters
    ----------
    x : object
        要检查的输入。
    rnn : torch.nn.RNNBase
        要接收它的循环层。
    name : str
        参数名，写进错误信息。

    Returns
    -------
    torch.Tensor
        原样返回 ``x``。

    Raises
    ------
    TypeError
        ``x`` 不是浮点张量，或 dtype 与 ``rnn`` 的参数不同。
    ValueError
        ``x`` 不是 3 维、为空，或最后一维不是 ``rnn.input_size``。

    Examples
    --------
    >>> check_sequence_input(torch.zeros(2, 5, 3), nn.GRU(4, 8, batch_first=True))
    Traceback (most recent call last):
    ...
    ValueError: x 的形状必须是 (B, T, 4)（最后一维是 input_size），收到 (2, 5, 3)
    """
    check_module(rnn, "rnn", nn.RNNBase)
    check_tensor(x, name, ndim=3, nonempty=True)
    if x.shape[-1] != rnn.input_size:
        raise ValueError(f"{name} 的形状必须是 (B, T, {rnn.input_size})（最后一维是 input_size），收到 {tuple(x.shape)}")
    dtype = rnn.weight_ih_l0.dtype
    if x.dtype != dtype:
        raise TypeError(f"{name} 的 dtype 必须与模型参数相同（{dtype}），收到 {x.dtype}")
    return x
