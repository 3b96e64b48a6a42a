"""“Word2Vec 之 Skip-Gram 模型”一页的实验：完整 softmax 与负采样的代价、噪声分布与下采样的图、词向量的二维投影。"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from dlguide._checks import check_int, check_seed
from dlguide.corpora import word2vec_corpus
from dlguide.figures import figure, new_figure
from dlguide.word2vec import negative_sampling_loss, noise_distribution, train_word2vec

__all__ = ["PROJECTION_PAIRS", "embedding_projection", "full_softmax_vs_negative_sampling", "noise_and_subsampling"]


def full_softmax_vs_negative_sampling(
    vocab_size: int = 20_000, dim: int = 64, negatives: int = 5, batch: int = 128, repeats: int = 2, seed: int | None = 0
) -> tuple[float, float]:
    r"""一个小批量的前向 + 反向：完整 softmax 的 Skip-Gram 与负采样各用多少秒（取 ``repeats`` 次的最小值）。

    完整 softmax 要算 $V$ 个 logit $U\boldsymbol v_c$ 再做 ``cross_entropy``；负采样只算 $1+K$ 个内积。
    每个样本的乘加次数分别约为 $Vd$ 和 $(1+K)d$。

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
    check_int(vocab_size, "vocab_size", low=10, high=200_000)
    check_int(dim, "dim", low=1, high=512)
    check_int(negatives, "negatives", low=1, high=100)
    check_int(batch, "batch", low=1, high=4096)
    check_int(repeats, "repeats", low=1, high=20)
    g = None if check_seed(seed) is None else torch.Generator().manual_seed(seed)
    V = torch.randn(vocab_size, dim, generator=g) * 0.01  # 输入向量
    U = (torch.randn(vocab_size, dim, generator=g) * 0.01).requires_grad_()  # 输出向量
    center = torch.randint(vocab_size, (batch,), generator=g)
    context = torch.randint(vocab_size, (batch,), generator=g)
    noise = torch.randint(vocab_size, (batch, negatives), generator=g)
    v = V[center].requires_grad_()  # (B, d)
    ids = torch.cat([context[:, None], noise], dim=1)  # (B, 1 + K)

    def full_softmax() -> None:
        # −log p(o | c) = −u_oᵀv_c + log Σ_w exp(u_wᵀv_c)：要算全部 V 个 logit
        F.cross_entropy(v @ U.T, context).backward()  # (B, V)

    def sampled() -> None:
        # 只有这 1 + K 行输出向量参与计算，梯度也只落在这些行上（相当于稀疏更新）
        u = U.detach()[ids].requires_grad_()  # (B, 1 + K, d)
        logits = (u * v[:, None, :]).sum(-1)  # (B, 1 + K)
        targets = torch.zeros_like(logits)
        targets[:, 0] = 1.0
        negative_sampling_loss(logits, targets).backward()

    seconds = []
    for step in (full_softmax, sampled):
        step()  # 预热：第一次调用有一次性的开销
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            best = min(best, time.perf_counter() - start)
        seconds.append(best)
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

    类比成立时，每一对的差向量都接近平均差向量：箭头都朝右、长短相近。
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


@figure
def embedding_projection() -> Figure:
    """Skip-Gram 词向量投到“平均差向量”和“其余方向的第一主成分”上：每对词的箭头都朝右、长短相近（向量类比）。"""
    E, vocab, _ = train_word2vec(word2vec_corpus(10_000))
    fig, axes = new_figure(2, width=9.6, height=4.2)
    for ax, pairs, title in ((axes[0], PROJECTION_PAIRS[:4], "国家 → 首都"), (axes[1], PROJECTION_PAIRS[4:], "男 → 女")):
        first = torch.stack([E[vocab.index[a]] for a, _ in pairs]).double()
        second = torch.stack([E[vocab.index[b]] for _, b in pairs]).double()
        starts, ends = _offset_projection(first, second)
        for (a, b), p, q in zip(pairs, starts, ends):
            ax.annotate("", xy=(q[0].item(), q[1].item()), xytext=(p[0].item(), p[1].item()),
                        arrowprops={"arrowstyle": "->", "color": "tab:gray"})
            ax.plot(*p.tolist(), "o", color="tab:blue")
            ax.plot(*q.tolist(), "o", color="tab:red")
            ax.annotate(a, p.tolist(), textcoords="offset points", xytext=(4, 4))
            ax.annotate(b, q.tolist(), textcoords="offset points", xytext=(4, 4))
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("平均差向量的方向")
        ax.set_ylabel("其余方向的第一主成分")
        ax.margins(0.2)
    return fig

