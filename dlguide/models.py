"""各章实验共用的小模型。"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from dlguide._checks import check_bool, check_int, check_seed, check_sizes, check_tensor
from dlguide.crf import LinearChainCRF

__all__ = [
    "ACTIVATIONS",
    "ResidualBlock",
    "digits_cnn",
    "mlp",
    "residual_mlp",
    "small_cnn",
    "BiLSTMTagger",
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


class BiLSTMTagger(nn.Module):
    r"""字级序列标注器：嵌入 → 双向 LSTM → 线性层得到每个字每个标签的发射分数，可选再接一层线性链 CRF。

    ``forward(X)`` 返回发射分数 ``(B, L, T)``。``crf=True`` 时用 [`loss`][dlguide.models.BiLSTMTagger.loss]
    （CRF 的负对数似然）训练、用维特比解码；``crf=False`` 时就是逐字 softmax 分类，损失是交叉熵、解码是逐字 argmax。
    输入里的 0 是填充：LSTM 用 ``pack_padded_sequence`` 跳过填充，所以一句话单独算和放在填充过的批里算，结果相同。

    Parameters
    ----------
    vocab_size : int
        字表大小（含 0 号填充），在 [2, 1000000] 内。
    num_tags : int
        标签数，在 [1, 1000] 内。
    embedding_dim, hidden : int
        嵌入维数和每个方向的隐藏维数，在 [1, 1024] 内。
    crf : bool
        是否接 CRF 层。
    seed : int
        初始化的随机种子。

    Examples
    --------
    >>> import torch
    >>> model = BiLSTMTagger(10, 3, embedding_dim=4, hidden=4)
    >>> X = torch.tensor([[1, 2, 3], [4, 5, 0]])  # 第二句长 2，右侧填充
    >>> tuple(model(X).shape)
    (2, 3, 3)
    >>> [len(p) for p in model.decode(X)]
    [3, 2]
    """

    def __init__(
        self, vocab_size: int, num_tags: int, *, embedding_dim: int = 32, hidden: int = 32, crf: bool = True, seed: int = 0
    ) -> None:
        super().__init__()
        check_int(vocab_size, "vocab_size", low=2, high=1_000_000)
        check_int(num_tags, "num_tags", low=1, high=1000)
        check_int(embedding_dim, "embedding_dim", low=1, high=1024)
        check_int(hidden, "hidden", low=1, high=1024)
        check_bool(crf, "crf")
        torch.manual_seed(check_seed(seed))
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden, batch_first=True, bidirectional=True)
        self.emit = nn.Linear(2 * hidden, num_tags)
        self.crf = LinearChainCRF(num_tags, seed=seed) if crf else None

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        check_tensor(X, "X", kind="int", ndim=2, nonempty=True)
        lengths = (X != 0).sum(1)
        if (lengths == 0).any():
            raise ValueError("X 的每一行至少要有一个非填充（非 0）的字")
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(X), lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=X.shape[1])  # (B, L, 2H)
        return self.emit(out)  # (B, L, T)

    def loss(self, emissions: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """训练损失：有 CRF 时是它的负对数似然，否则是逐字交叉熵；``tags`` 里的 -100 是填充。

        直接作为 [`fit`][dlguide.training.fit] 的 ``loss_fn``：``fit(model, X, y, loss_fn=model.loss, ...)``。
        """
        if self.crf is not None:
            return self.crf.nll(emissions, tags)
        return nn.functional.cross_entropy(emissions.flatten(0, 1), tags.flatten(), ignore_index=-100)

    @torch.no_grad()
    def decode(self, X: torch.Tensor, constraints: tuple[torch.Tensor, torch.Tensor] | None = None) -> list[list[int]]:
        """每句的预测标签号（长度等于非填充的字数）：CRF 用维特比，否则逐字 argmax。

        ``constraints`` 只用于 CRF，见 [`LinearChainCRF.decode`][dlguide.crf.LinearChainCRF.decode]。
        """
        if constraints is not None and self.crf is None:
            raise ValueError("constraints 只能用于带 CRF 层的模型（crf=True）")
        was_training = self.training
        self.eval()
        emissions = self(X)
        self.train(was_training)
        mask = X != 0
        if self.crf is not None:
            return self.crf.decode(emissions, mask, constraints)
        best = emissions.argmax(-1).tolist()
        return [row[: int(n)] for row, n in zip(best, mask.sum(1).tolist())]
