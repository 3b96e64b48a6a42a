"""各章实验共用的小模型。"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from dlguide._checks import check_int, check_sizes

__all__ = [
    "ACTIVATIONS",
    "ResidualBlock",
    "course_example_cnn",
    "digits_cnn",
    "digits_conv_net",
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


def course_example_cnn(
    conv1_filters: int = 8,
    conv2_filters: int = 16,
    *,
    in_channels: int = 3,
    num_classes: int = 10,
    seed: int | None = None,
) -> nn.Sequential:
    """吴恩达课程“卷积神经网络示例”的网络（仿 LeNet-5）：输入 32×32×3，两段“卷积 → ReLU → 最大池化”，再接三个全连接层。

    ``CONV1``：``conv1_filters`` 个 5×5 核、步幅 1、不填充 → 28×28；``POOL1``：2×2 最大池化、步幅 2 → 14×14；
    ``CONV2``：``conv2_filters`` 个 5×5 核 → 10×10；``POOL2`` → 5×5；展平后 ``FC3``（120）→ ``FC4``（84）→ 输出层（10）。
    课程的表格里 ``CONV1`` 是 8 个核（讲解时说的是 6 个），这里默认取 8，与那张表的激活值个数一致。
    输出层给出 logit，softmax 在损失函数（``nn.CrossEntropyLoss``）里。

    Parameters
    ----------
    conv1_filters, conv2_filters : int
        两个卷积层的核个数（输出通道数），在 [1, 1024] 内。
    in_channels : int
        输入通道数，在 [1, 64] 内（LeNet-5 原文是 1 个通道的灰度图）。
    num_classes : int
        类别数，在 [1, 10000] 内。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        子模块名依次是 ``conv1, relu1, pool1, conv2, relu2, pool2, flatten, fc3, relu3, fc4, relu4, output``。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> import torch
    >>> net = course_example_cnn(seed=0)
    >>> tuple(net(torch.zeros(2, 3, 32, 32)).shape)
    (2, 10)
    >>> sum(p.numel() for p in net.parameters())
    62958
    """
    from dlguide._checks import check_seed  # noqa: PLC0415  # 追加的函数不改动文件头部的 import（多人并行追加）

    for name, value, high in (("conv1_filters", conv1_filters, 1024), ("conv2_filters", conv2_filters, 1024),
                              ("in_channels", in_channels, 64), ("num_classes", num_classes, 10_000)):
        check_int(value, name, low=1, high=high)
    if seed is not None:
        torch.manual_seed(check_seed(seed))
    layers = [
        ("conv1", nn.Conv2d(in_channels, conv1_filters, kernel_size=5)),  # 32×32 → 28×28
        ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(kernel_size=2, stride=2)),  # 28×28 → 14×14
        ("conv2", nn.Conv2d(conv1_filters, conv2_filters, kernel_size=5)),  # 14×14 → 10×10
        ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(kernel_size=2, stride=2)),  # 10×10 → 5×5
        ("flatten", nn.Flatten()),  # (C, 5, 5) → 25C
        ("fc3", nn.Linear(conv2_filters * 5 * 5, 120)),
        ("relu3", nn.ReLU()),
        ("fc4", nn.Linear(120, 84)),
        ("relu4", nn.ReLU()),
        ("output", nn.Linear(84, num_classes)),
    ]
    net = nn.Sequential()
    for name, layer in layers:
        net.add_module(name, layer)
    return net


def digits_conv_net(channels: int = 8, head: str = "max", seed: int | None = None) -> nn.Sequential:
    """8×8 手写数字的小卷积网络：两层 3×3 卷积（补 0 保持 8×8）+ 分类头，用来比较“卷积 + 全局池化”与“卷积 + 全连接”。

    ``head="max"``/``"avg"``：全局最大/平均池化后接 ``Linear(2·channels, 10)``，分类器只知道“哪些局部图案出现过”，
    不知道在哪里；``head="flatten"``：展平后接 ``Linear(2·channels·64, 10)``，分类器看得见每个特征的位置。

    Parameters
    ----------
    channels : int
        第一层卷积的通道数（第二层是它的两倍），在 [1, 256] 内。
    head : str
        ``"max"``、``"avg"`` 或 ``"flatten"``。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        输入展平的 ``(n, 64)``，输出 10 个 logit；第一层卷积是 ``net[1]``。

    Raises
    ------
    TypeError, ValueError
        ``channels`` 不是整数或越界，``head`` 不认识。

    Examples
    --------
    >>> import torch
    >>> net = digits_conv_net(8, seed=0)
    >>> tuple(net(torch.zeros(5, 64)).shape), sum(p.numel() for p in net.parameters())
    ((5, 10), 1418)
    >>> sum(p.numel() for p in digits_conv_net(2, head="flatten").parameters())
    2666
    """
    from dlguide._checks import check_choice, check_seed  # noqa: PLC0415  # 追加的函数不改动文件头部的 import（多人并行追加）

    check_int(channels, "channels", low=1, high=256)
    check_choice(head, "head", ("max", "avg", "flatten"))
    if seed is not None:
        torch.manual_seed(check_seed(seed))
    c = channels
    heads = {
        "max": [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(2 * c, 10)],  # 全局最大池化：不保留位置
        "avg": [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * c, 10)],
        "flatten": [nn.Flatten(), nn.Linear(2 * c * 8 * 8, 10)],  # 每个位置一组权重：保留位置
    }
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),  # (n, 64) → (n, 1, 8, 8)
        nn.Conv2d(1, c, 3, padding=1), nn.ReLU(),
        nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(),
        *heads[head],
    )
