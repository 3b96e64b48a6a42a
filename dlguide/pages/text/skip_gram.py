"""“Word2Vec 之 Skip-Gram 模型”一页的实验：完整 softmax 与负采样的代价、噪声分布与下采样的图、词向量的二维投影。"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch.utils.flop_counter import FlopCounterMode

from dlguide._checks import check_int, check_seed
from dlguide.corpora import word2vec_corpus
from dlguide.figures import figure, new_figure
from dlguide.word2vec import negative_sampling_loss, noise_distribution, train_word2vec

__all__ = [
    "PROJECTION_PAIRS",
    "embedding_projection",
    "full_softmax_vs_negative_sampling",
    "noise_and_subsampling",
    "training_flops",
]


def _check_sizes(vocab_size: int, dim: int, negatives: int, batch: int) -> None:
    check_int(vocab_size, "vocab_size", low=10, high=200_000)
    check_int(dim, "dim", low=1, high=512)
    check_int(negatives, "negatives", low=1, high=100)
    check_int(batch, "batch", low=1, high=4096)


def _steps(
    vocab_size: int, dim: int, negatives: int, batch: int, seed: int | None
) -> tuple[Callable[[], None], Callable[[], None]]:
    """同一个小批量上的两个训练步（前向 + 反向）：完整 softmax 与负采样。``seed=None`` 时用全局随机状态。"""
    g = None if seed is None else torch.Generator().manual_seed(seed)
    V = torch.randn(vocab_size, dim, generator=g) * 0.01  # 输入向量
    U = (torch.randn(vocab_size, dim, generator=g) * 0.01).requires_grad_()  # 输出向量
    center = torch.randint(vocab_size, (batch,), generator=g)
    context = torch.randint(vocab_size, (batch,), generator=g)
    noise = torch.randint(vocab_size, (batch, negatives), generator=g)
    v = V[center].requires_grad_()  # (B, d)
    ids = torch.cat([context[:, None], noise], dim=1)  # (B, 1 + K)
    targets = torch.zeros(batch, 1 + negatives)
    targets[:, 0] = 1.0

    def full_softmax() -> None:
        # −log p(o | c) = −u_oᵀv_c + log Σ_w exp(u_wᵀv_c)：要算全部 V 个 logit
        F.cross_entropy(v @ U.T, context).backward()  # (B, V)

    def sampled() -> None:
        # 只有这 1 + K 行输出向量参与计算，梯度也只落在这些行上（相当于稀疏更新）
        u = U.detach()[ids].requires_grad_()  # (B, 1 + K, d)
        logits = torch.bmm(u, v[:, :, None]).squeeze(2)  # (B, 1 + K)：每行 1 + K 个内积 u_jᵀv_c
        negative_sampling_loss(logits, targets).backward()

    return full_softmax, sampled


def training_flops(vocab_size: int = 20_000, dim: int = 64, negatives: int = 5, batch: int = 128) -> tuple[int, int]:
    r"""一个小批量前向 + 反向的浮点运算次数：完整 softmax 与负采样，由 PyTorch 的 ``FlopCounterMode`` 统计。

    计数器只数矩阵乘法（一次乘加算 2 次运算），不数 softmax、sigmoid 这些逐元素运算，它们在两边都是同一量级的小头。
    前向的 logit 各要 $2BVd$ 和 $2B(1+K)d$ 次，反向对 $\boldsymbol v$ 和输出向量各再来一次，所以两者之比正好是 $V/(1+K)$。

    Parameters
    ----------
    vocab_size : int
        词表大小 $V$，在 [10, 200000] 内。
    dim : int
        向量维数 $d$，在 [1, 512] 内。
    negatives : int
        负样本数 $K$，在 [1, 100] 内。
    batch : int
        小批量大小 $B$，在 [1, 4096] 内。

    Returns
    -------
    tuple[int, int]
        ``(完整 softmax 的运算次数, 负采样的运算次数)``。

    Examples
    --------
    >>> training_flops(vocab_size=1000, dim=8, negatives=4, batch=2)  # 3 × 2·2·1000·8 与 3 × 2·2·5·8
    (96000, 480)
    """
    _check_sizes(vocab_size, dim, negatives, batch)
    counts = []
    for step in _steps(vocab_size, dim, negatives, batch, seed=0):
        with FlopCounterMode(display=False) as counter:
            step()
        counts.append(int(counter.get_total_flops()))
    return counts[0], counts[1]


def full_softmax_vs_negative_sampling(
    vocab_size: int = 20_000, dim: int = 64, negatives: int = 5, batch: int = 128, repeats: int = 3, seed: int | None = 0
) -> tuple[float, float]:
    r"""一个小批量的前向 + 反向：完整 softmax 的 Skip-Gram 与负采样各用多少秒（单线程，取 ``repeats`` 次的最小值）。

    完整 softmax 要算 $V$ 个 logit $U\boldsymbol v_c$ 再做 ``cross_entropy``；负采样只算 $1+K$ 个内积。
    每个样本的乘加次数分别约为 $Vd$ 和 $(1+K)d$（精确的计数见 [`training_flops`][dlguide.pages.text.skip_gram.training_flops]）。
    计时时临时改成单线程：机器繁忙时，多线程对负采样这种很小的运算的调度开销可能比计算本身还大，计时就不反映计算量了。

    Parameters
    ----------
    vocab_size : int
        词表大小 $V$，在 [10, 200000] 内。
    dim : int
        向量维数，在 [1, 512] 内。
    negatives : int
        负样本数 $K$，在 [1, 100] 内。
    batch : int
        小批量大小，在 [1, 4096] 内。
    repeats : int
        重复次数，在 [1, 20] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[float, float]
        ``(完整 softmax 的秒数, 负采样的秒数)``。

    Examples
    --------
    >>> full, sampled = full_softmax_vs_negative_sampling(vocab_size=1000, dim=8, batch=16, repeats=1)
    >>> full > 0 and sampled > 0
    True
    """
    _check_sizes(vocab_size, dim, negatives, batch)
    check_int(repeats, "repeats", low=1, high=20)
    steps = _steps(vocab_size, dim, negatives, batch, check_seed(seed))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        seconds = []
        for step in steps:
            step()  # 预热：第一次调用有一次性的开销
            best = float("inf")
            for _ in range(repeats):
                start = time.perf_counter()
                step()
                best = min(best, time.perf_counter() - start)
            seconds.append(best)
    finally:
        torch.set_num_threads(threads)
    return seconds[0], seconds[1]


@figure
def noise_and_subsampling() -> Figure:
    """左：按词频排名的噪声分布，α = 1、3/4、0；右：下采样的保留概率随词频的变化（word2vec.c 与论文的公式）。"""
    ranks = torch.arange(1, 10_001, dtype=torch.float64)
    counts = 1e6 / ranks  # 齐普夫定律：第 r 个词的频数 ∝ 1/r
    fig, axes = new_figure(2, width=9.6, height=3.6)
    for power, style in ((1.0, "-"), (0.75, "--"), (0.0, ":")):
        axes[0].loglog(ranks, noise_distribution(counts, power), style, label=f"α = {power:g}")
    axes[0].set_xlabel("词频排名")
    axes[0].set_ylabel("被抽为负样本的概率")
    axes[0].set_title("噪声分布 P(w) ∝ U(w)^α（齐普夫分布的 1 万个词）", fontsize=10)
    axes[0].legend()
    f = torch.logspace(-6, -1, 200, dtype=torch.float64)
    t = 1e-3
    axes[1].semilogx(f, torch.clamp(torch.sqrt(t / f) + t / f, max=1), label="word2vec.c：√(t/f) + t/f")
    axes[1].semilogx(f, torch.clamp(torch.sqrt(t / f), max=1), "--", label="论文：√(t/f)")
    axes[1].axvline(t, color="gray", lw=0.8, ls=":")
    axes[1].set_xlabel("词频 f（占全部词的比例）")
    axes[1].set_ylabel("保留概率")
    axes[1].set_title("高频词下采样，t = 0.001", fontsize=10)
    axes[1].legend(loc="lower left")
    return fig


PROJECTION_PAIRS = (
    ("中国", "北京"), ("日本", "东京"), ("法国", "巴黎"), ("英国", "伦敦"),
    ("国王", "王后"), ("父亲", "母亲"), ("男孩", "女孩"), ("男人", "女人"),
)
"""投影图里画的词对：（国家, 首都）和（男, 女）。"""


def _offset_projection(first: torch.Tensor, second: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """投到两个方向上：横轴是平均差向量 mean(second − first) 的方向，纵轴是去掉这个方向后所有点的第一主成分。

    按这种取法，箭头的平均必然朝右；投影还丢掉了其余方向上的分量，所以箭头看起来一致不等于差向量一致，
    要用 ``_pairwise_offset_cosine`` 在原空间里量。
    """
    offset = (second - first).mean(0)
    x_axis = offset / offset.norm()  # (d,)
    points = torch.cat([first, second])  # (2n, d)
    centered = points - points.mean(0)
    residual = centered - (centered @ x_axis)[:, None] * x_axis  # 去掉横轴方向
    _, _, Vh = torch.linalg.svd(residual, full_matrices=False)
    y_axis = Vh[0] * torch.sign(Vh[0][Vh[0].abs().argmax()])  # 符号固定：绝对值最大的分量为正
    coords = torch.stack([centered @ x_axis, centered @ y_axis], dim=1)  # (2n, 2)
    return coords[: len(first)], coords[len(first) :]


def _pairwise_offset_cosine(first: torch.Tensor, second: torch.Tensor) -> float:
    """差向量 second − first 两两之间余弦的平均（在原来的 d 维空间里算，不含自己和自己，保留 2 位小数）。

    不用“与平均差向量的余弦”：n 个两两正交、等长的向量，每个与它们平均的余弦也有 1/√n（n = 4 时是 0.5）。
    """
    unit = F.normalize(second - first, dim=1)  # (n, d)
    cosines = unit @ unit.T  # (n, n)
    off_diagonal = ~torch.eye(len(unit), dtype=torch.bool)
    return round(cosines[off_diagonal].mean().item(), 2) + 0.0  # + 0.0：把 -0.0 写成 0.0


@figure
def embedding_projection() -> Figure:
    """Skip-Gram 词向量投到“平均差向量”和“其余方向的第一主成分”上，标题里是 32 维空间里差向量两两余弦的平均。

    男→女的差向量几乎平行（两两余弦平均 0.86）；国家→首都的箭头在投影里也都朝右，但在原空间里两两余弦平均是 0，
    彼此几乎无关：投影藏起了不一致的分量。
    """
    E, vocab, _ = train_word2vec(word2vec_corpus(10_000))
    fig, axes = new_figure(2, width=9.6, height=4.2)
    for ax, pairs, title in ((axes[0], PROJECTION_PAIRS[:4], "国家 → 首都"), (axes[1], PROJECTION_PAIRS[4:], "男 → 女")):
        first = torch.stack([E[vocab.index[a]] for a, _ in pairs]).double()
        second = torch.stack([E[vocab.index[b]] for _, b in pairs]).double()
        starts, ends = _offset_projection(first, second)
        cosine = _pairwise_offset_cosine(first, second)
        for (a, b), p, q in zip(pairs, starts, ends):
            ax.annotate("", xy=(q[0].item(), q[1].item()), xytext=(p[0].item(), p[1].item()),
                        arrowprops={"arrowstyle": "->", "color": "tab:gray"})
            ax.plot(*p.tolist(), "o", color="tab:blue")
            ax.plot(*q.tolist(), "o", color="tab:red")
            ax.annotate(a, p.tolist(), textcoords="offset points", xytext=(4, 4))
            ax.annotate(b, q.tolist(), textcoords="offset points", xytext=(4, 4))
        ax.set_title(f"{title}：32 维里差向量两两余弦的平均 {cosine:.2f}", fontsize=10)
        ax.set_xlabel("平均差向量的方向")
        ax.set_ylabel("其余方向的第一主成分")
        ax.margins(0.2)
    return fig

