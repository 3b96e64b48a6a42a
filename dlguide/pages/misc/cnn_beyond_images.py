"""“CNN 为什么也能用在文本、语音和围棋上”一页：生成的文本任务与 TextCNN、围棋的特征平面、AlphaGo 策略网络的结构。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_tensor, resolve_seed
from dlguide.audio import chirp, spectrogram
from dlguide.figures import figure, new_figure

__all__ = [
    "FILLER",
    "BagOfWords",
    "TextCNN",
    "alphago_policy_net",
    "go_planes",
    "make_negation_corpus",
    "three_views",
]

FILLER = ("the", "movie", "was", "plot", "actors", "and", "it", "is", "story", "music", "a", "quite")
"""填充词；每句还一定含有 ``not`` 和 ``good`` 各一次。"""
VOCAB = ("<pad>", "not", "good") + FILLER


def make_negation_corpus(n: int = 600, length: int = 10, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """生成的“否定”语料：每句都含 ``not`` 和 ``good`` 各一次，位置随机；``not`` 紧挨在 ``good`` 前面（“not good”）时标签为 1。

    两个类别的词袋分布完全相同（每句都是一个 ``not``、一个 ``good`` 加随机填充词），
    只有**相邻的词序**决定标签，而且这个局部模式可以出现在句中任何位置：正是卷积擅长、词袋模型无能为力的情形。
    约一半的句子是正例。

    Parameters
    ----------
    n : int
        句子数，在 [2, 100000] 内。
    length : int
        句长（词数），在 [3, 200] 内。
    seed : int or None
        随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``tokens`` ``(n, length)`` int64（词表 ``VOCAB`` 的下标），``labels`` ``(n,)`` int64。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> tokens, labels = make_negation_corpus(4, 6, seed=1)
    >>> [" ".join(VOCAB[i] for i in row) for row in tokens.tolist()][0], labels.tolist()
    ('movie quite good not is movie', [0, 1, 0, 1])
    """
    n = check_int(n, "n", low=2, high=100_000)
    length = check_int(length, "length", low=3, high=200)
    g = torch.Generator().manual_seed(resolve_seed(seed))
    tokens = torch.randint(3, len(VOCAB), (n, length), generator=g)
    labels = torch.arange(n) % 2
    for i in range(n):
        if labels[i]:
            # 正例：“not good” 相邻，出现在随机位置
            p = int(torch.randint(0, length - 1, (1,), generator=g))
            tokens[i, p], tokens[i, p + 1] = 1, 2
        else:
            # 负例：两词都在，但 not 不紧挨在 good 前面
            while True:
                a, b = torch.randperm(length, generator=g)[:2].tolist()
                if b != a + 1:
                    break
            tokens[i, a], tokens[i, b] = 1, 2
    return tokens, labels


class TextCNN(nn.Module):
    """TextCNN（Kim，2014）的最小版本：词嵌入 → 一维卷积（窗口 ``width`` 个词）→ ReLU → 沿时间的全局最大池化 → 线性分类。

    Parameters
    ----------
    vocab_size : int
        词表大小，在 [2, 1000000] 内。
    embed_dim : int
        嵌入维数，在 [1, 4096] 内。
    filters : int
        卷积核个数，在 [1, 4096] 内。
    width : int
        卷积窗口（词数），在 [1, 32] 内。
    classes : int
        类别数，在 [2, 100000] 内。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> model = TextCNN(len(VOCAB), 8, 4)
    >>> tuple(model(torch.zeros(3, 10, dtype=torch.long)).shape)
    (3, 2)
    """

    def __init__(self, vocab_size: int, embed_dim: int = 8, filters: int = 8, width: int = 2, classes: int = 2) -> None:
        super().__init__()
        self.embed = nn.Embedding(check_int(vocab_size, "vocab_size", low=2, high=1_000_000),
                                  check_int(embed_dim, "embed_dim", low=1, high=4096))
        self.conv = nn.Conv1d(embed_dim, check_int(filters, "filters", low=1, high=4096), check_int(width, "width", low=1, high=32))
        self.out = nn.Linear(filters, check_int(classes, "classes", low=2, high=100_000))

    def features(self, tokens: torch.Tensor) -> torch.Tensor:
        """每个窗口上每个核的响应 ``(B, filters, T − width + 1)``（池化之前）。

        Parameters
        ----------
        tokens : torch.Tensor
            ``(B, T)`` 的整数词下标。

        Returns
        -------
        torch.Tensor
            ``(B, filters, T − width + 1)``。

        Examples
        --------
        >>> tuple(TextCNN(5, 4, 3, width=2).features(torch.zeros(2, 7, dtype=torch.long)).shape)
        (2, 3, 6)
        """
        check_tensor(tokens, "tokens", kind="int", ndim=2, nonempty=True)
        if tokens.shape[1] < self.conv.kernel_size[0]:
            raise ValueError(f"tokens 的长度必须至少是卷积窗口 {self.conv.kernel_size[0]}，收到 {tokens.shape[1]}")
        e = self.embed(tokens).transpose(1, 2)  # (B, E, T)：通道是嵌入维，卷积沿时间滑动
        return torch.relu(self.conv(e))  # (B, F, T − w + 1)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """``(B, T)`` 的词下标 → ``(B, classes)`` 的 logit。

        Parameters
        ----------
        tokens : torch.Tensor
            ``(B, T)``。

        Returns
        -------
        torch.Tensor
            ``(B, classes)``。

        Examples
        --------
        >>> TextCNN(5, 4, 3)(torch.ones(1, 4, dtype=torch.long)).shape
        torch.Size([1, 2])
        """
        # 全局最大池化：模式出现在哪里都一样
        pooled = self.features(tokens).amax(dim=2)  # (B, F)
        return self.out(pooled)


class BagOfWords(nn.Module):
    """词袋基线：嵌入取平均再线性分类，完全不看词序。

    Parameters
    ----------
    vocab_size : int
        词表大小，在 [2, 1000000] 内。
    embed_dim : int
        嵌入维数，在 [1, 4096] 内。
    classes : int
        类别数，在 [2, 100000] 内。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> BagOfWords(5)(torch.zeros(2, 4, dtype=torch.long)).shape
    torch.Size([2, 2])
    """

    def __init__(self, vocab_size: int, embed_dim: int = 8, classes: int = 2) -> None:
        super().__init__()
        self.embed = nn.Embedding(check_int(vocab_size, "vocab_size", low=2, high=1_000_000),
                                  check_int(embed_dim, "embed_dim", low=1, high=4096))
        self.out = nn.Sequential(nn.Linear(embed_dim, 16), nn.ReLU(), nn.Linear(16, check_int(classes, "classes", low=2, high=100_000)))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """``(B, T)`` → ``(B, classes)``。

        Parameters
        ----------
        tokens : torch.Tensor
            ``(B, T)`` 的整数词下标。

        Returns
        -------
        torch.Tensor
            ``(B, classes)``。

        Examples
        --------
        >>> BagOfWords(5)(torch.ones(1, 3, dtype=torch.long)).shape
        torch.Size([1, 2])
        """
        check_tensor(tokens, "tokens", kind="int", ndim=2, nonempty=True)
        # 平均嵌入：任何词序都得到同一个向量
        return self.out(self.embed(tokens).mean(dim=1))


def go_planes(board: torch.Tensor, to_play: int = 1) -> torch.Tensor:
    """把一个围棋局面变成卷积网络的输入：``(3, N, N)`` 的特征平面（己方棋子、对方棋子、空点），与 AlphaGo 的前三个平面相同。

    Parameters
    ----------
    board : torch.Tensor
        ``(N, N)`` 的整数张量，1 = 黑子、−1 = 白子、0 = 空，N 在 [1, 25] 内。
    to_play : int
        轮到谁下：1（黑）或 −1（白）。

    Returns
    -------
    torch.Tensor
        ``(3, N, N)`` float32。

    Raises
    ------
    TypeError, ValueError
        ``board`` 不是方形整数张量或取值不在 {−1, 0, 1}，``to_play`` 不是 ±1。

    Examples
    --------
    >>> board = torch.zeros(19, 19, dtype=torch.long)
    >>> board[3, 3], board[15, 15] = 1, -1
    >>> planes = go_planes(board)
    >>> tuple(planes.shape), planes.sum(dim=(1, 2)).tolist()
    ((3, 19, 19), [1.0, 1.0, 359.0])
    """
    check_tensor(board, "board", kind="int", ndim=2, nonempty=True)
    if board.shape[0] != board.shape[1] or board.shape[0] > 25:
        raise ValueError(f"board 必须是 N×N（N ≤ 25），收到 {tuple(board.shape)}")
    if not bool(((board == 0) | (board == 1) | (board == -1)).all()):
        raise ValueError("board 的取值必须是 1（黑）、−1（白）或 0（空）")
    if isinstance(to_play, bool) or to_play not in (1, -1):
        raise ValueError(f"to_play 必须是 1 或 -1，收到 {to_play!r}")
    # 三个平面：己方、对方、空点（相对于轮到的一方，而不是黑白）
    return torch.stack([board == to_play, board == -to_play, board == 0]).float()


def alphago_policy_net(planes: int = 48, filters: int = 192, layers: int = 13, size: int = 19) -> nn.Sequential:
    """AlphaGo 的监督学习策略网络（Silver 等，Nature 2016，Methods）：没有池化，每层都保持 N×N。

    第 1 层 5×5 卷积（补 2 圈零），第 2 到 12 层 3×3 卷积（补 1 圈），都接 ReLU；最后一层 1×1 卷积输出一个平面，
    **每个位置一个偏置**，展平后做 softmax 得到每个落子点的概率（这里返回 logit，softmax 交给损失）。

    Parameters
    ----------
    planes : int
        输入特征平面数，在 [1, 512] 内（论文 48）。
    filters : int
        每层卷积核个数 $k$，在 [1, 1024] 内（论文 192；也试过 128、256、384）。
    layers : int
        总层数，在 [2, 64] 内（论文 13）。
    size : int
        棋盘边长，在 [1, 25] 内。

    Returns
    -------
    torch.nn.Sequential
        ``(B, planes, N, N)`` → ``(B, N·N)`` 的 logit。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> net = alphago_policy_net(planes=3, filters=8, layers=3, size=9)
    >>> tuple(net(torch.zeros(2, 3, 9, 9)).shape)
    (2, 81)
    """
    p = check_int(planes, "planes", low=1, high=512)
    k = check_int(filters, "filters", low=1, high=1024)
    n_layers = check_int(layers, "layers", low=2, high=64)
    n = check_int(size, "size", low=1, high=25)
    mods: list[nn.Module] = [nn.Conv2d(p, k, 5, padding=2), nn.ReLU()]
    for _ in range(n_layers - 2):
        mods += [nn.Conv2d(k, k, 3, padding=1), nn.ReLU()]
    mods += [nn.Conv2d(k, 1, 1, bias=False), nn.Flatten(), _PositionBias(n * n)]
    return nn.Sequential(*mods)


class _PositionBias(nn.Module):
    """每个落子点一个偏置（AlphaGo 策略网络的最后一层）。"""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(n))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.bias


@figure
def three_views() -> Figure:
    """同一种“网格”数据的三个例子：一句话（词 × 嵌入维）、一段扫频音的对数谱图（频率 × 时间）、一个围棋局面的三个特征平面。"""
    tokens, labels = make_negation_corpus(2, 10, seed=1)
    emb = nn.Embedding(len(VOCAB), 8)
    torch.manual_seed(0)
    nn.init.normal_(emb.weight)
    sentence = tokens[0]
    spec = spectrogram(chirp(300.0, 3000.0, 1.0))  # (频率, 时间)
    board = torch.zeros(9, 9, dtype=torch.long)
    for (r, c), v in {(2, 2): 1, (2, 6): -1, (3, 3): 1, (4, 4): 1, (6, 2): -1, (5, 5): -1, (6, 6): 1}.items():
        board[r, c] = v
    planes = go_planes(board)
    fig, axes = new_figure(3, width=12, height=3.6)
    with torch.no_grad():
        axes[0].imshow(emb(sentence).T.numpy(), aspect="auto", cmap="RdBu")
    axes[0].set_xticks(range(len(sentence)))
    axes[0].set_xticklabels([VOCAB[i] for i in sentence.tolist()], rotation=60, fontsize=7)
    axes[0].set_ylabel("嵌入维")
    axes[0].set_title("文本：1 维序列，嵌入维当通道", fontsize=9)
    axes[1].imshow(spec.numpy(), aspect="auto", origin="lower", cmap="magma")
    axes[1].set_xlabel("帧（时间）")
    axes[1].set_ylabel("频率格")
    axes[1].set_title("语音：对数谱图当作单通道图像", fontsize=9)
    rgb = torch.stack([planes[0], planes[1], 0.85 * planes[2]], dim=-1)
    axes[2].imshow(rgb.numpy())
    axes[2].set_title("围棋：己方/对方/空点三个平面（红/绿/灰）", fontsize=9)
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    return fig
