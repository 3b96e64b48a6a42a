"""“Word2Vec”一页的实验：独热向量与 word2vec 词向量的余弦相似度对比图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.corpora import word2vec_corpus
from dlguide.figures import figure, new_figure
from dlguide.word2vec import train_word2vec

__all__ = ["SIMILARITY_WORDS", "similarity_matrices"]

SIMILARITY_WORDS = ("北京", "东京", "中国", "日本", "国王", "王后", "父亲", "母亲", "苹果", "香蕉", "猫", "狗", "热", "冷")
"""相似度图里的词：四组，每组内部相关。"""


@figure
def similarity_matrices() -> Figure:
    """独热向量两两正交（左，单位阵）；word2vec 词向量（右）里同类的词余弦相似度高，成块出现。"""
    E, vocab, _ = train_word2vec(word2vec_corpus(10_000))
    rows = torch.stack([E[vocab.index[w]] for w in SIMILARITY_WORDS]).double()
    rows = rows / rows.norm(dim=1, keepdim=True)
    fig, axes = new_figure(2, width=9.6, height=4.2)
    n = len(SIMILARITY_WORDS)
    for ax, matrix, title in (
        (axes[0], torch.eye(n, dtype=torch.float64), "独热向量：任意两个词的余弦都是 0"),
        (axes[1], rows @ rows.T, "word2vec（Skip-Gram，32 维）"),
    ):
        image = ax.imshow(matrix.numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks(range(n), list(SIMILARITY_WORDS), rotation=90, fontsize=9)
        ax.set_yticks(range(n), list(SIMILARITY_WORDS), fontsize=9)
        ax.grid(False)
        ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=axes, label="余弦相似度", shrink=0.8)
    return fig
