r"""word2vec（Mikolov 等 2013）从零实现：词表、高频词下采样、$U(w)^{3/4}$ 噪声分布、Skip-Gram 与 CBOW 的负采样训练。

Skip-Gram 用中心词 $c$ 的输入向量 $\boldsymbol v_c$ 预测窗口里的上下文词 $o$；负采样（SGNS）把
$V$ 路 softmax 换成 $1+K$ 个二分类：

$$
\ell(c, o) = -\log\sigma(\boldsymbol u_o^\top\boldsymbol v_c) - \sum_{k=1}^{K}\log\sigma(-\boldsymbol u_{n_k}^\top\boldsymbol v_c),
\qquad n_k \sim P_n(w)\propto U(w)^{3/4} .
$$

CBOW 反过来，用窗口里上下文向量的平均预测中心词。训练数据由 [`sgns_training_set`][dlguide.word2vec.sgns_training_set]
或 [`cbow_training_set`][dlguide.word2vec.cbow_training_set] 一次性采好（每一遍重新下采样、重新抽负样本），
于是训练就是普通的 [`fit`][dlguide.training.fit]，损失是 [`negative_sampling_loss`][dlguide.word2vec.negative_sampling_loss]。
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
from torch import nn

from dlguide._checks import (
    check_choice,
    check_in_range,
    check_int,
    check_numbers,
    check_positive,
    check_seed,
    check_tensor,
)
from dlguide.training import fit

__all__ = [
    "CBOW",
    "SkipGram",
    "Vocabulary",
    "analogy",
    "analogy_accuracy",
    "build_vocab",
    "cbow_training_set",
    "keep_probabilities",
    "most_similar",
    "negative_sampling_loss",
    "noise_distribution",
    "sgns_training_set",
    "skipgram_pairs",
    "subsample",
    "train_word2vec",
]

MAX_VOCAB = 1_000_000
"""词表大小的上限：嵌入矩阵 V×d 要能放进读者的内存。"""
MAX_EXAMPLES = 20_000_000
"""一次生成的训练样本数上限（每个样本 2 + K 个整数）。"""


def _check_sentences(sentences: object, name: str = "sentences") -> list[list[str]]:
    """确认是非空的“句子列表”，每个句子是词（字符串）的列表或元组。"""
    if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Sequence):
        raise TypeError(f"{name} 必须是句子的列表（每个句子是词的列表），收到的是 {type(sentences).__name__}")
    out = []
    for sentence in sentences:
        if isinstance(sentence, (str, bytes)) or not isinstance(sentence, Sequence):
            raise TypeError(f"{name} 的每个元素必须是词的列表（已经分好词），收到的是 {type(sentence).__name__}")
        if not all(isinstance(w, str) for w in sentence):
            raise TypeError(f"{name} 里的词必须是字符串")
        out.append(list(sentence))
    if not any(out):
        raise ValueError(f"{name} 不能为空（至少要有一个词）")
    return out


@dataclass(frozen=True)
class Vocabulary:
    """词表：按词频从高到低排列的词（同频按字典序），以及它们在语料里出现的次数。

    Examples
    --------
    >>> vocab = build_vocab([["我", "爱", "猫"], ["我", "爱", "狗"]])
    >>> vocab.words, vocab.counts
    (['我', '爱', '狗', '猫'], [2, 2, 1, 1])
    >>> vocab.encode([["我", "爱", "鱼"]])  # 词表外的词被丢掉
    [[0, 1]]
    """

    words: list[str]
    counts: list[int]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words, counts = self.words, self.counts
        if isinstance(words, str) or not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
            raise TypeError(f"words 必须是词（字符串）的列表，收到的是 {type(words).__name__}")
        if len(set(words)) != len(words):
            raise ValueError("words 里的词必须互不相同")
        counts = check_numbers(counts, "counts", kind="int", nonempty=False)
        if len(counts) != len(words) or any(c < 0 for c in counts):
            raise ValueError(f"counts 必须是与 words 等长（{len(words)}）的非负整数列表，收到 {counts}")
        object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})

    def __len__(self) -> int:
        return len(self.words)

    def encode(self, sentences: Sequence[Sequence[str]]) -> list[list[int]]:
        """把分好词的句子换成词号，丢掉词表外的词。"""
        sentences = _check_sentences(sentences)
        return [[self.index[w] for w in s if w in self.index] for s in sentences]


def build_vocab(sentences: Sequence[Sequence[str]], min_count: int = 1) -> Vocabulary:
    """统计词频，保留出现至少 ``min_count`` 次的词。

    Parameters
    ----------
    sentences : Sequence[Sequence[str]]
        分好词的句子。
    min_count : int
        最低词频，≥ 1（word2vec.c 默认 5：太稀有的词学不出可靠的向量）。

    Returns
    -------
    Vocabulary

    Raises
    ------
    TypeError, ValueError
        ``sentences`` 不是分好词的句子列表，或 ``min_count`` 越界，或没有词留下。

    Examples
    --------
    >>> build_vocab([["a", "b", "a"], ["a", "c"]], min_count=2).words
    ['a']
    """
    sentences = _check_sentences(sentences)
    check_int(min_count, "min_count", low=1, high=10**9)
    counts = Counter(w for s in sentences for w in s)
    kept = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    if not kept:
        raise ValueError(f"min_count={min_count} 时没有词留下（最高词频 {max(counts.values())}）")
    if len(kept) > MAX_VOCAB:
        raise ValueError(f"词表有 {len(kept)} 个词，超过上限 {MAX_VOCAB}；请调高 min_count")
    return Vocabulary(kept, [counts[w] for w in kept])


def _check_counts(counts: object, name: str = "counts") -> torch.Tensor:
    if isinstance(counts, Vocabulary):
        counts = counts.counts
    if isinstance(counts, (list, tuple)):
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
            raise TypeError(f"{name} 必须是整数词频的列表或张量")
        counts = torch.tensor(counts, dtype=torch.float64)
    check_tensor(counts, name, kind="any", ndim=1, nonempty=True)
    counts = counts.to(torch.float64)
    if not torch.isfinite(counts).all() or (counts <= 0).any():
        raise ValueError(f"{name} 必须全是有限的正数（词频）")
    return counts


def keep_probabilities(counts: Sequence[int] | torch.Tensor, t: float = 1e-3) -> torch.Tensor:
    r"""高频词下采样：每个词的每次出现被**保留**的概率（word2vec.c 与 gensim 的公式）。

    设词频 $f(w) = \text{count}(w)/\sum\text{count}$，保留概率

    $$ P_{\text{keep}}(w) = \min\Bigl(1,\ \sqrt{t/f(w)} + t/f(w)\Bigr) . $$

    论文（Mikolov 等 2013b）写的是丢弃概率 $1-\sqrt{t/f(w)}$，即保留 $\sqrt{t/f(w)}$，比代码少了 $t/f(w)$ 一项。

    Parameters
    ----------
    counts : Sequence[int] or torch.Tensor
        每个词的出现次数（正数），也可以直接传 [`Vocabulary`][dlguide.word2vec.Vocabulary]。
    t : float
        阈值，在 (0, 1] 内；word2vec.c 默认 1e-3，论文在十亿词的语料上用 1e-5。

    Returns
    -------
    torch.Tensor
        形状 ``(V,)`` 的 float64，在 (0, 1] 内。

    Raises
    ------
    TypeError, ValueError
        词频不是正数，或 ``t`` 越界。

    Examples
    --------
    >>> [round(p, 4) for p in keep_probabilities([900, 90, 10], t=0.01).tolist()]
    [0.1165, 0.4444, 1.0]
    """
    counts = _check_counts(counts)
    check_in_range(t, "t", 0.0, 1.0, low_open=True)
    f = counts / counts.sum()
    # P_keep(w) = √(t / f) + t / f，超过 1 的截断为 1（稀有词总是保留）
    return (torch.sqrt(t / f) + t / f).clamp(max=1.0)


def noise_distribution(counts: Sequence[int] | torch.Tensor, power: float = 0.75) -> torch.Tensor:
    r"""负采样的噪声分布 $P_n(w) = U(w)^{\alpha} / \sum_{w'} U(w')^{\alpha}$，$U$ 是一元词频，$\alpha$ 默认 3/4。

    $\alpha=1$ 是原始词频，$\alpha=0$ 是均匀分布；3/4 介于两者之间：压低高频词、抬高稀有词被抽中的机会。

    Parameters
    ----------
    counts : Sequence[int] or torch.Tensor
        每个词的出现次数，或 [`Vocabulary`][dlguide.word2vec.Vocabulary]。
    power : float
        指数 $\alpha$，在 [0, 1] 内。

    Returns
    -------
    torch.Tensor
        形状 ``(V,)`` 的 float64 概率，和为 1。

    Examples
    --------
    >>> [round(p, 4) for p in noise_distribution([810, 10]).tolist()]
    [0.9643, 0.0357]
    >>> [round(p, 4) for p in noise_distribution([810, 10], power=1.0).tolist()]
    [0.9878, 0.0122]
    """
    counts = _check_counts(counts)
    check_in_range(power, "power", 0.0, 1.0)
    # P_n(w) = U(w)^α / Σ U(w')^α
    weights = counts**power
    return weights / weights.sum()


def _check_ids(sentences: object, name: str = "sentences") -> list[list[int]]:
    if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Sequence):
        raise TypeError(f"{name} 必须是词号列表的列表（见 Vocabulary.encode），收到的是 {type(sentences).__name__}")
    out = []
    for s in sentences:
        if isinstance(s, (str, bytes)) or not isinstance(s, Sequence):
            raise TypeError(f"{name} 的每个元素必须是词号的列表，收到的是 {type(s).__name__}")
        if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in s):
            raise TypeError(f"{name} 里的词号必须是非负整数")
        out.append(list(s))
    if not any(out):
        raise ValueError(f"{name} 不能为空（至少要有一个词）")
    return out


def subsample(
    sentences: Sequence[Sequence[int]], keep: torch.Tensor, generator: torch.Generator | None = None
) -> list[list[int]]:
    """按 [`keep_probabilities`][dlguide.word2vec.keep_probabilities] 随机丢掉高频词的一部分出现（在划窗口之前）。

    被丢掉的词直接从句子里删除，所以剩下的词之间的距离变近了：下采样也悄悄扩大了有效窗口。

    Parameters
    ----------
    sentences : Sequence[Sequence[int]]
        词号序列。
    keep : torch.Tensor
        每个词号的保留概率，形状 ``(V,)``。
    generator : torch.Generator, optional
        随机数发生器（可复现）。

    Returns
    -------
    list[list[int]]

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> subsample([[0, 1, 0, 1, 0, 1]], torch.tensor([0.0, 1.0]), g)
    [[1, 1, 1]]
    """
    sentences = _check_ids(sentences)
    check_tensor(keep, "keep", ndim=1, nonempty=True)
    _check_generator(generator)
    flat, sid = _flatten(sentences)
    if int(flat.max()) >= len(keep):
        raise ValueError(f"sentences 里的词号必须 < len(keep) = {len(keep)}，收到 {int(flat.max())}")
    flat, sid = _subsample_flat(flat, sid, keep, generator)
    lengths = torch.bincount(sid, minlength=len(sentences)).tolist()
    return [part.tolist() for part in torch.split(flat, lengths)]


def _check_generator(generator: object) -> None:
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator 必须是 torch.Generator 或 None，收到的是 {type(generator).__name__}")


def _flatten(sentences: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """把句子接成一条长序列 ``flat``，同时记下每个位置属于第几句 ``sid``。"""
    flat = torch.tensor([i for s in sentences for i in s], dtype=torch.long)
    sid = torch.repeat_interleave(torch.arange(len(sentences)), torch.tensor([len(s) for s in sentences], dtype=torch.long))
    return flat, sid


def _subsample_flat(
    flat: torch.Tensor, sid: torch.Tensor, keep: torch.Tensor, generator: torch.Generator | None
) -> tuple[torch.Tensor, torch.Tensor]:
    # 每次出现独立地以 P_keep(w) 的概率保留
    kept = torch.rand(len(flat), generator=generator, dtype=torch.float64) < keep.double().cpu()[flat]
    return flat[kept], sid[kept]


def skipgram_pairs(
    sentences: Sequence[Sequence[int]], window: int = 2, generator: torch.Generator | None = None
) -> torch.Tensor:
    r"""Skip-Gram 的 (中心词, 上下文词) 对，窗口大小按 word2vec.c 的做法随机缩小。

    每个中心词先抽 $b\sim U\{1,\dots,\text{window}\}$，再取左右各 $b$ 个词：离中心越近的词被用到的机会越大
    （距离为 $d$ 的词出现的概率是 $(\text{window}-d+1)/\text{window}$）。

    Parameters
    ----------
    sentences : Sequence[Sequence[int]]
        词号序列。
    window : int
        最大窗口（单侧），在 [1, 50] 内。
    generator : torch.Generator, optional
        随机数发生器。

    Returns
    -------
    torch.Tensor
        形状 ``(N, 2)`` 的 int64：第 0 列中心词，第 1 列上下文词。

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> skipgram_pairs([[5, 6, 7]], window=1, generator=g).tolist()
    [[5, 6], [6, 5], [6, 7], [7, 6]]
    """
    sentences = _check_ids(sentences)
    check_int(window, "window", low=1, high=50)
    _check_generator(generator)
    return _pairs_flat(*_flatten(sentences), window, generator)


def _pairs_flat(flat: torch.Tensor, sid: torch.Tensor, window: int, generator: torch.Generator | None) -> torch.Tensor:
    spans = torch.randint(1, window + 1, (len(flat),), generator=generator)  # 每个中心词的窗口 b
    pos = torch.arange(len(flat))
    centers, contexts = [], []
    for d in range(1, window + 1):
        same = sid[:-d] == sid[d:]  # 相距 d 的两个位置在同一个句子里
        for c, o in ((pos[:-d], pos[d:]), (pos[d:], pos[:-d])):  # 向右看、向左看
            keep = same & (d <= spans[c])
            centers.append(c[keep])
            contexts.append(o[keep])
    c, o = torch.cat(centers), torch.cat(contexts)
    order = torch.argsort(c * (2 * window + 1) + (o - c + window))  # 按中心词位置、再按上下文位置排序
    return torch.stack([flat[c[order]], flat[o[order]]], dim=1)  # (P, 2)


def _check_training_args(counts: object, window: int, negatives: int, t: float, power: float, passes: int, seed: int):
    counts = _check_counts(counts)
    check_int(window, "window", low=1, high=50)
    check_int(negatives, "negatives", low=1, high=100)
    check_in_range(t, "t", 0.0, 1.0, low_open=True)
    check_in_range(power, "power", 0.0, 1.0)
    check_int(passes, "passes", low=1, high=1000)
    check_seed(seed)
    return counts


def _negatives(n: int, k: int, noise: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    if n * k > MAX_EXAMPLES * 10:
        raise ValueError(f"要抽 {n * k} 个负样本，超过上限；请减少 passes 或语料")
    if n == 0:
        return torch.zeros(0, k, dtype=torch.long)
    return torch.multinomial(noise, n * k, replacement=True, generator=generator).view(n, k)


def _nonempty(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if len(X) == 0:
        raise ValueError("没有得到任何训练样本：句子太短，或下采样阈值 t 太小把词都丢掉了")
    return X, y


def _targets(positive: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
    """目标：正样本 1、负样本 0；恰好抽到正样本本身的负样本记为 -1（损失里忽略，与 word2vec.c 跳过它一致）。"""
    y = torch.zeros(len(positive), 1 + negatives.shape[1])
    y[:, 0] = 1.0
    y[:, 1:][negatives == positive[:, None]] = -1.0
    return y


def sgns_training_set(
    sentences: Sequence[Sequence[int]],
    counts: Sequence[int] | torch.Tensor,
    *,
    window: int = 2,
    negatives: int = 5,
    t: float = 1e-3,
    power: float = 0.75,
    passes: int = 1,
    seed: int | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Skip-Gram 负采样（SGNS）的训练集：每一遍重新下采样、重新划窗口、重新抽负样本。

    Parameters
    ----------
    sentences : Sequence[Sequence[int]]
        词号序列（[`Vocabulary.encode`][dlguide.word2vec.Vocabulary] 的结果）。
    counts : Sequence[int] or torch.Tensor
        词频（决定下采样和噪声分布）。
    window : int
        最大窗口，在 [1, 50] 内。
    negatives : int
        每个正样本配的负样本数 $K$，在 [1, 100] 内（论文：小语料 5–20，大语料 2–5）。
    t : float
        下采样阈值，见 [`keep_probabilities`][dlguide.word2vec.keep_probabilities]。
    power : float
        噪声分布的指数，见 [`noise_distribution`][dlguide.word2vec.noise_distribution]。
    passes : int
        遍数（相当于 epoch 数），在 [1, 1000] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(N, 2 + K)`` 的 int64：``[中心词, 上下文词, 负样本 × K]``；
        ``y`` 形状 ``(N, 1 + K)`` 的 float32：``[1, 0, …, 0]``（负样本恰好等于上下文词时为 -1，表示忽略）。

    Examples
    --------
    >>> X, y = sgns_training_set([[0, 1, 2, 0, 1]], [2, 2, 1], window=1, negatives=3, t=1.0)
    >>> tuple(X.shape), tuple(y.shape), y[0, 0].item()
    ((8, 5), (8, 4), 1.0)
    """
    sentences = _check_ids(sentences)
    counts = _check_training_args(counts, window, negatives, t, power, passes, seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    keep, noise = keep_probabilities(counts, t), noise_distribution(counts, power)
    Xs, ys = [], []
    flat, sid = _flatten(sentences)
    for _ in range(passes):
        pairs = _pairs_flat(*_subsample_flat(flat, sid, keep, g), window, g)  # (N, 2)
        neg = _negatives(len(pairs), negatives, noise, g)  # (N, K)
        Xs.append(torch.cat([pairs, neg], dim=1))
        ys.append(_targets(pairs[:, 1], neg))
    return _nonempty(torch.cat(Xs), torch.cat(ys))


def cbow_training_set(
    sentences: Sequence[Sequence[int]],
    counts: Sequence[int] | torch.Tensor,
    *,
    window: int = 2,
    negatives: int = 5,
    t: float = 1e-3,
    power: float = 0.75,
    passes: int = 1,
    seed: int | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """CBOW 负采样的训练集：一个样本 = 一个中心词和它窗口里的全部上下文词。

    参数与 [`sgns_training_set`][dlguide.word2vec.sgns_training_set] 相同。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(N, 2·window + 1 + K)`` 的 int64：``[上下文 × 2·window, 中心词, 负样本 × K]``，
        上下文按相对位置 ``-window, …, -1, 1, …, window`` 排列，窗口外或句子外的位置填 -1；
        ``y`` 同 [`sgns_training_set`][dlguide.word2vec.sgns_training_set]。

    Examples
    --------
    >>> X, y = cbow_training_set([[0, 1, 2]], [1, 1, 1], window=1, negatives=2, t=1.0)
    >>> X[:, :3].tolist()  # 左边的上下文、右边的上下文、中心词
    [[-1, 1, 0], [0, 2, 1], [1, -1, 2]]
    """
    sentences = _check_ids(sentences)
    counts = _check_training_args(counts, window, negatives, t, power, passes, seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    keep, noise = keep_probabilities(counts, t), noise_distribution(counts, power)
    Xs, ys = [], []
    all_flat, all_sid = _flatten(sentences)
    for _ in range(passes):
        flat, sid = _subsample_flat(all_flat, all_sid, keep, g)  # (N,), (N,)
        spans = torch.randint(1, window + 1, (len(flat),), generator=g)  # (N,)
        offsets = torch.tensor([*range(-window, 0), *range(1, window + 1)])  # (2w,)
        pos = torch.arange(len(flat))[:, None] + offsets  # (N, 2w)
        inside = (pos >= 0) & (pos < len(flat)) & (offsets.abs() <= spans[:, None])
        inside &= sid[pos.clamp(0, len(flat) - 1)] == sid[:, None]  # 不跨句
        context = torch.where(inside, flat[pos.clamp(0, len(flat) - 1)], -1)  # (N, 2w)，-1 是空位
        block = torch.cat([context, flat[:, None]], dim=1)[inside.any(1)]  # (N', 2w + 1)
        neg = _negatives(len(block), negatives, noise, g)  # (N, K)
        Xs.append(torch.cat([block, neg], dim=1))
        ys.append(_targets(block[:, -1], neg))
    return _nonempty(torch.cat(Xs), torch.cat(ys))


class SkipGram(nn.Module):
    r"""Skip-Gram 负采样模型：两张嵌入表，输入向量 $\boldsymbol v$（中心词）和输出向量 $\boldsymbol u$（上下文词）。

    输入 ``X`` 的每行是 ``[c, o, n_1, …, n_K]``，输出 $1+K$ 个 logit $\boldsymbol u_o^\top\boldsymbol v_c,
    \boldsymbol u_{n_1}^\top\boldsymbol v_c,\dots$。初始化照 word2vec.c：$\boldsymbol v\sim U(-0.5/d, 0.5/d)$，
    $\boldsymbol u = 0$。训练后通常只用 ``self.inp.weight`` 作为词向量。

    Parameters
    ----------
    vocab_size : int
        词表大小 $V$，在 [1, 1000000] 内。
    dim : int
        向量维数 $d$，在 [1, 1024] 内。
    seed : int, optional
        初始化的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> model = SkipGram(10, 4)
    >>> tuple(model(torch.tensor([[1, 2, 3, 4]])).shape)
    (1, 3)
    """

    def __init__(self, vocab_size: int, dim: int = 32, seed: int | None = 0) -> None:
        super().__init__()
        check_int(vocab_size, "vocab_size", low=1, high=MAX_VOCAB)
        check_int(dim, "dim", low=1, high=1024)
        check_seed(seed)
        g = None if seed is None else torch.Generator().manual_seed(seed)
        self.inp = nn.Embedding(vocab_size, dim)
        self.out = nn.Embedding(vocab_size, dim)
        with torch.no_grad():
            self.inp.weight.copy_((torch.rand(vocab_size, dim, generator=g) - 0.5) / dim)
            self.out.weight.zero_()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        check_tensor(X, "X", kind="int", ndim=2)
        if X.shape[1] < 2:
            raise ValueError(f"X 每行至少要有中心词和上下文词 2 列，收到 {X.shape[1]} 列")
        v = self.inp(X[:, :1])  # (B, 1, d)
        u = self.out(X[:, 1:])  # (B, 1 + K, d)
        # logit_j = u_jᵀ v_c
        return (u * v).sum(-1)  # (B, 1 + K)


class CBOW(nn.Module):
    r"""CBOW 负采样模型：窗口里上下文输入向量的**平均** $\bar{\boldsymbol v}$ 预测中心词，$\text{logit}_j=\boldsymbol u_j^\top\bar{\boldsymbol v}$。

    输入 ``X`` 的每行是 ``[上下文 × context_size, 中心词, 负样本 × K]``，上下文里的 -1 是空位。

    Parameters
    ----------
    vocab_size : int
        词表大小，在 [1, 1000000] 内。
    dim : int
        向量维数，在 [1, 1024] 内。
    context_size : int
        上下文列数（``2·window``），在 [1, 100] 内。
    seed : int, optional
        初始化的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> model = CBOW(10, 4, context_size=2)
    >>> tuple(model(torch.tensor([[1, -1, 2, 3, 4]])).shape)
    (1, 3)
    """

    def __init__(self, vocab_size: int, dim: int = 32, context_size: int = 4, seed: int | None = 0) -> None:
        super().__init__()
        check_int(vocab_size, "vocab_size", low=1, high=MAX_VOCAB)
        check_int(dim, "dim", low=1, high=1024)
        check_int(context_size, "context_size", low=1, high=100)
        check_seed(seed)
        self.context_size = context_size
        g = None if seed is None else torch.Generator().manual_seed(seed)
        self.inp = nn.Embedding(vocab_size, dim)
        self.out = nn.Embedding(vocab_size, dim)
        with torch.no_grad():
            self.inp.weight.copy_((torch.rand(vocab_size, dim, generator=g) - 0.5) / dim)
            self.out.weight.zero_()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        check_tensor(X, "X", kind="int", ndim=2)
        C = self.context_size
        if X.shape[1] < C + 1:
            raise ValueError(f"X 每行至少要有 context_size + 1 = {C + 1} 列，收到 {X.shape[1]} 列")
        ctx = X[:, :C]  # (B, C)
        present = (ctx >= 0).unsqueeze(-1).to(self.inp.weight.dtype)  # (B, C, 1)
        vectors = self.inp(ctx.clamp(min=0)) * present  # (B, C, d)
        # v̄ = 窗口里上下文向量的平均（不算空位）
        v = vectors.sum(1, keepdim=True) / present.sum(1, keepdim=True).clamp(min=1)  # (B, 1, d)
        u = self.out(X[:, C:])  # (B, 1 + K, d)
        return (u * v).sum(-1)  # (B, 1 + K)


def negative_sampling_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    r"""负采样损失：$-\log\sigma(s_+) - \sum_k\log\sigma(-s_k)$，对样本取平均；目标为 -1 的位置不计。

    就是逐项的二分类交叉熵（正样本标签 1、负样本标签 0）在 $1+K$ 项上**求和**、在样本上平均。

    Parameters
    ----------
    logits : torch.Tensor
        形状 ``(B, 1 + K)``。
    targets : torch.Tensor
        同形状，取 1（正）、0（负）或 -1（忽略）。

    Returns
    -------
    torch.Tensor
        标量。

    Examples
    --------
    >>> s = torch.tensor([[2.0, -1.0, 0.5]])
    >>> round(negative_sampling_loss(s, torch.tensor([[1.0, 0.0, 0.0]])).item(), 4)
    1.4143
    >>> import torch.nn.functional as F
    >>> round(F.binary_cross_entropy_with_logits(s, torch.tensor([[1.0, 0.0, 0.0]]), reduction="sum").item(), 4)
    1.4143
    """
    check_tensor(logits, "logits", ndim=2)
    check_tensor(targets, "targets", ndim=2)
    if logits.shape != targets.shape:
        raise ValueError(f"logits 与 targets 的形状必须相同，收到 {tuple(logits.shape)} 和 {tuple(targets.shape)}")
    # −log σ(s) 对正样本，−log σ(−s) = −log(1 − σ(s)) 对负样本；logsigmoid 数值稳定
    sign = 2 * targets - 1  # 正样本 +1，负样本 −1
    per_term = -nn.functional.logsigmoid(sign * logits) * (targets >= 0)  # (B, 1 + K)
    return per_term.sum(1).mean()


def _unit_rows(embeddings: torch.Tensor) -> torch.Tensor:
    check_tensor(embeddings, "embeddings", ndim=2, nonempty=True)
    e = embeddings.detach().double().cpu()
    return e / e.norm(dim=1, keepdim=True).clamp(min=1e-12)


def _word_index(vocab: object, word: object, name: str) -> int:
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab 必须是 Vocabulary，收到的是 {type(vocab).__name__}")
    if not isinstance(word, str):
        raise TypeError(f"{name} 必须是字符串（一个词），收到的是 {type(word).__name__}")
    if word not in vocab.index:
        raise ValueError(f"{name} = {word!r} 不在词表里")
    return vocab.index[word]


def most_similar(embeddings: torch.Tensor, vocab: Vocabulary, word: str, k: int = 5) -> list[tuple[str, float]]:
    r"""与 ``word`` 余弦相似度最高的 ``k`` 个词（不含它自己）。

    余弦相似度 $\cos(\boldsymbol a,\boldsymbol b)=\boldsymbol a^\top\boldsymbol b/(\lVert\boldsymbol a\rVert\lVert\boldsymbol b\rVert)$。

    Parameters
    ----------
    embeddings : torch.Tensor
        词向量矩阵 ``(V, d)``，行号与 ``vocab`` 一致。
    vocab : Vocabulary
    word : str
    k : int
        返回个数，在 [1, V - 1] 内。

    Returns
    -------
    list[tuple[str, float]]
        ``(词, 余弦相似度)``，相似度保留 3 位小数。

    Examples
    --------
    >>> vocab = Vocabulary(["猫", "狗", "车"], [1, 1, 1])
    >>> E = torch.tensor([[1.0, 0.1], [0.9, 0.2], [-0.1, 1.0]])
    >>> most_similar(E, vocab, "猫", k=2)
    [('狗', 0.993), ('车', 0.0)]
    """
    i = _word_index(vocab, word, "word")
    E = _unit_rows(embeddings)
    if len(E) != len(vocab):
        raise ValueError(f"embeddings 的行数 {len(E)} 与词表大小 {len(vocab)} 不同")
    check_int(k, "k", low=1, high=max(1, len(vocab) - 1))
    sims = E @ E[i]  # (V,)
    sims[i] = -math.inf
    top = sims.topk(k)
    return [(vocab.words[j], round(s, 3) + 0.0) for s, j in zip(top.values.tolist(), top.indices.tolist())]


def analogy(
    embeddings: torch.Tensor, vocab: Vocabulary, a: str, b: str, c: str, k: int = 1
) -> list[tuple[str, float]]:
    r"""类比“a 之于 b，如 c 之于 ?”：找与 $\hat{\boldsymbol b}-\hat{\boldsymbol a}+\hat{\boldsymbol c}$ 余弦最大的词（3CosAdd，排除 a、b、c）。

    $\hat{\ }$ 表示单位化。例如 ``analogy(E, vocab, "男人", "国王", "女人")`` 期望得到“王后”。

    Parameters
    ----------
    embeddings : torch.Tensor
        词向量矩阵 ``(V, d)``。
    vocab : Vocabulary
    a, b, c : str
    k : int
        返回个数，在 [1, V - 3] 内。

    Returns
    -------
    list[tuple[str, float]]
        ``(词, 余弦)``，保留 3 位小数。

    Examples
    --------
    >>> vocab = Vocabulary(["男人", "女人", "国王", "王后", "苹果"], [1] * 5)
    >>> E = torch.tensor([[1.0, 0, 0], [0, 1.0, 0], [1.0, 0, 1.0], [0, 1.0, 1.0], [0.3, 0.3, -1.0]])
    >>> analogy(E, vocab, "男人", "国王", "女人")
    [('王后', 0.959)]
    """
    ia, ib, ic = (_word_index(vocab, w, n) for w, n in ((a, "a"), (b, "b"), (c, "c")))
    E = _unit_rows(embeddings)
    if len(E) != len(vocab):
        raise ValueError(f"embeddings 的行数 {len(E)} 与词表大小 {len(vocab)} 不同")
    check_int(k, "k", low=1, high=max(1, len(vocab) - 3))
    # 目标向量 b − a + c；与各词的余弦（各词已单位化，目标向量再单位化一次）
    target = E[ib] - E[ia] + E[ic]
    sims = E @ (target / target.norm().clamp(min=1e-12))  # (V,)
    sims[[ia, ib, ic]] = -math.inf
    top = sims.topk(k)
    return [(vocab.words[j], round(s, 3) + 0.0) for s, j in zip(top.values.tolist(), top.indices.tolist())]



def analogy_accuracy(
    embeddings: torch.Tensor,
    vocab: Vocabulary,
    questions: Sequence[tuple[str, str, str, str]],
    method: str = "3cosadd",
) -> float:
    r"""类比题的准确率：``(a, b, c, d)`` 中答案的第一名恰好是 ``d`` 的比例。

    - ``method="3cosadd"``（默认）：答案是 [`analogy`][dlguide.word2vec.analogy] 的第一名，即
      $\hat{\boldsymbol b}-\hat{\boldsymbol a}+\hat{\boldsymbol c}$ 的最近邻；
    - ``method="nearest_c"``：对照基线（Linzen 2016 的 only-b 基线；他把题写成 a:a*::b:b*，他的 b 就是这里的 ``c``），
      答案只取 ``c`` 自己的最近邻（同样排除 a、b、c），完全不用向量差。基线也答得对的题，说明不了“差向量一致”，只说明 d 本来就挨着 c。

    Parameters
    ----------
    embeddings : torch.Tensor
        词向量 ``(V, d)``。
    vocab : Vocabulary
    questions : Sequence[tuple[str, str, str, str]]
        类比题，例如 [`word2vec_analogies`][dlguide.corpora.word2vec_analogies] 的结果；非空。
    method : str
        ``"3cosadd"`` 或 ``"nearest_c"``。

    Returns
    -------
    float
        保留 4 位小数。

    Examples
    --------
    >>> vocab = Vocabulary(["男人", "女人", "国王", "王后", "女孩"], [1] * 5)
    >>> E = torch.tensor([[1.0, 0, 0], [0, 1.0, 0], [1.0, 0, 1.0], [0, 1.0, 1.0], [0, 1.0, -0.2]])
    >>> questions = [("男人", "国王", "女人", "王后"), ("女人", "王后", "男人", "国王")]
    >>> analogy_accuracy(E, vocab, questions)
    1.0
    >>> analogy_accuracy(E, vocab, questions, method="nearest_c")  # “女人”最近的是“女孩”：基线答错这一题
    0.5
    """
    check_choice(method, "method", ("3cosadd", "nearest_c"))
    if isinstance(questions, str) or not isinstance(questions, Sequence) or not questions:
        raise TypeError("questions 必须是非空的 (a, b, c, d) 四元组列表")
    if not all(isinstance(q, (tuple, list)) and len(q) == 4 for q in questions):
        raise TypeError("questions 的每个元素必须是 (a, b, c, d) 四元组")
    if method == "3cosadd":
        correct = sum(analogy(embeddings, vocab, a, b, c)[0][0] == d for a, b, c, d in questions)
        return round(correct / len(questions), 4)
    E = _unit_rows(embeddings)
    if len(E) != len(vocab):
        raise ValueError(f"embeddings 的行数 {len(E)} 与词表大小 {len(vocab)} 不同")
    correct = 0
    for a, b, c, d in questions:
        ia, ib, ic = (_word_index(vocab, w, n) for w, n in ((a, "a"), (b, "b"), (c, "c")))
        # 基线：只看 c 的最近邻（排除 a、b、c），不用 b − a
        sims = E @ E[ic]  # (V,)
        sims[[ia, ib, ic]] = -math.inf
        correct += vocab.words[int(sims.argmax())] == d
    return round(correct / len(questions), 4)


def train_word2vec(
    sentences: Sequence[Sequence[str]],
    *,
    model: str = "skipgram",
    dim: int = 32,
    window: int = 2,
    negatives: int = 5,
    t: float = 1e-3,
    power: float = 0.75,
    passes: int = 4,
    min_count: int = 1,
    lr: float = 0.01,
    batch_size: int = 256,
    seed: int | None = 0,
) -> tuple[torch.Tensor, Vocabulary, list[float]]:
    """从分好词的句子训练 word2vec（负采样），返回输入词向量、词表和训练损失。

    流程：[`build_vocab`][dlguide.word2vec.build_vocab] → 采训练集（[`sgns_training_set`][dlguide.word2vec.sgns_training_set]
    或 [`cbow_training_set`][dlguide.word2vec.cbow_training_set]，``passes`` 遍，每遍重新下采样和抽负样本）→
    [`fit`][dlguide.training.fit] 跑一遍，损失是 [`negative_sampling_loss`][dlguide.word2vec.negative_sampling_loss]。
    word2vec.c 用学习率线性衰减的 SGD、一次一个样本；这里用 Adam 和小批量，在几百步内收敛。

    Parameters
    ----------
    sentences : Sequence[Sequence[str]]
        分好词的句子。
    model : str
        ``"skipgram"`` 或 ``"cbow"``。
    dim, window, negatives, t, power, passes, min_count
        见 [`SkipGram`][dlguide.word2vec.SkipGram]、[`sgns_training_set`][dlguide.word2vec.sgns_training_set]、
        [`build_vocab`][dlguide.word2vec.build_vocab]。
    lr : float
        Adam 的学习率，> 0。
    batch_size : int
        小批量大小，在 [1, 100000] 内。
    seed : int, optional
        随机种子（采样和初始化）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, Vocabulary, list[float]]
        词向量 ``(V, dim)``（CPU 上、不带梯度）、词表、每个 epoch 的损失（这里只有一个 epoch）。

    Examples
    --------
    >>> E, vocab, losses = train_word2vec([["我", "爱", "猫"], ["我", "爱", "狗"]] * 50, dim=8, passes=2)
    >>> tuple(E.shape), len(losses)
    ((4, 8), 1)
    """
    check_choice(model, "model", ("skipgram", "cbow"))
    check_positive(lr, "lr")
    check_int(batch_size, "batch_size", low=1, high=100_000)
    check_int(dim, "dim", low=1, high=1024)
    check_seed(seed)
    vocab = build_vocab(sentences, min_count)
    ids = vocab.encode(sentences)
    make = sgns_training_set if model == "skipgram" else cbow_training_set
    X, y = make(ids, vocab.counts, window=window, negatives=negatives, t=t, power=power, passes=passes, seed=seed)
    net = SkipGram(len(vocab), dim, seed) if model == "skipgram" else CBOW(len(vocab), dim, 2 * window, seed)
    losses = fit(net, X, y, loss_fn=negative_sampling_loss, epochs=1, lr=lr, batch_size=batch_size, optimizer="adam", seed=seed)
    return net.inp.weight.detach().cpu(), vocab, losses
