"""“文本数据抽取”一页的实验：复现 jieba 的 TF-IDF 关键词，画文档 × 词的 TF-IDF 热力图。"""

from __future__ import annotations

from functools import cache
from importlib import resources

import jieba
from matplotlib.figure import Figure

from dlguide._checks import check_int
from dlguide.corpora import tfidf_documents
from dlguide.figures import figure, new_figure
from dlguide.tfidf import count_matrix, idf, jieba_tokenize, tfidf

__all__ = ["HEATMAP_WORDS", "jieba_idf_table", "jieba_keywords", "tfidf_heatmap"]

# jieba.analyse 的默认停用词（jieba/analyse/tfidf.py 里的 KeywordExtractor.STOP_WORDS）
_JIEBA_STOP_WORDS = frozenset((
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on", "with", "can",
    "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not", "one", "has", "or",
))


@cache
def jieba_idf_table() -> tuple[dict[str, float], float]:
    """jieba 随包附带的 IDF 表 ``jieba/analyse/idf.txt``（MIT 许可）和它的中位数。

    表里每行“词 idf 值”，共 270132 个词；文档没有说明它由哪个语料统计而来。不在表里的词，jieba 用中位数代替。

    Returns
    -------
    tuple[dict[str, float], float]

    Examples
    --------
    >>> table, median = jieba_idf_table()
    >>> len(table), round(median, 4)
    (270132, 11.9548)
    """
    text = resources.files("jieba.analyse").joinpath("idf.txt").read_text(encoding="utf-8")
    fields = text.split()  # 交替的“词 值 词 值 ……”
    table = dict(zip(fields[0::2], map(float, fields[1::2])))
    # 与 jieba 相同：排序后取下标 len // 2 的值
    return table, sorted(table.values())[len(table) // 2]


def jieba_keywords(text: str, k: int = 5) -> list[tuple[str, float]]:
    r"""按 jieba.analyse.extract_tags 的公式重算关键词：$\text{tf}(t)\cdot\text{idf}(t)$。

    jieba 的做法：精确模式分词，只留长度 ≥ 2 且不是停用词的词；$\text{tf}(t)$ = $t$ 的次数 ÷ 留下的词的总数；
    $\text{idf}(t)$ 查 [`jieba_idf_table`][dlguide.pages.text.feature_extraction.jieba_idf_table]，查不到用中位数。

    Parameters
    ----------
    text : str
        一段中文。
    k : int
        返回的关键词数，在 [1, 1000] 内。

    Returns
    -------
    list[tuple[str, float]]
        ``(词, 权重)``，按权重从大到小（同分时按首次出现的先后），权重保留 4 位小数。

    Examples
    --------
    >>> jieba_keywords("深度学习模型在图像识别任务上超过了传统方法。", k=3)
    [('图像识别', 1.4943), ('深度', 0.8697), ('模型', 0.851)]
    """
    if not isinstance(text, str):
        raise TypeError(f"text 必须是字符串，收到的是 {type(text).__name__}")
    check_int(k, "k", low=1, high=1000)
    table, median = jieba_idf_table()
    freq: dict[str, float] = {}
    for w in jieba.lcut(text):
        if len(w.strip()) >= 2 and w.lower() not in _JIEBA_STOP_WORDS:
            freq[w] = freq.get(w, 0.0) + 1.0
    total = sum(freq.values())
    # 权重 = (次数 / 留下的词数) × idf（查不到时用中位数）
    weights = {w: c / total * table.get(w, median) for w, c in freq.items()}
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    return [(w, round(v, 4)) for w, v in ranked[:k]]


HEATMAP_WORDS = ("的", "和", "了", "是", "在", "神经网络", "数据", "语音", "球迷", "提前", "红烧肉", "训练", "国家队")
"""热力图里的词：出现在多篇文档里的词（虚词在前），再加两个只在一篇文档里出现两次的词。"""


@figure
def tfidf_heatmap() -> Figure:
    r"""8 篇示例文档里一些词的原始计数（左）、scikit-learn 默认的 TF-IDF（中）和教科书 idf 的 TF-IDF（右）。

    中图的 idf 是 $\ln\frac{1+N}{1+\mathrm{df}}+1$，任何词的 idf 都至少是 1：“的”被压低了，却没有消失，
    文档 4 里出现 2 次的“的”和这一篇独有的实词几乎一样重。右图用 $\ln\frac{N}{\mathrm{df}}$，“的”才淡到几乎看不见。
    两幅 TF-IDF 图都做了 L2 归一化；只在一篇里出现两次的“训练”“国家队”权重最大。
    """
    tokens = [jieba_tokenize(d) for d in tfidf_documents()]
    counts, vocab = count_matrix(tokens)
    columns = [vocab.index(w) for w in HEATMAP_WORDS]
    fig, axes = new_figure(3, width=12.8, height=3.9)
    panels = (
        (axes[0], counts, "词袋：原始计数", "次数", None),
        (axes[1], tfidf(counts), "TF-IDF，scikit-learn 默认：ln((1+N)/(1+df)) + 1", "权重", 0.55),
        (axes[2], tfidf(counts, idf_weights=idf(counts, smooth=False, add_one=False)), "TF-IDF，教科书：ln(N/df)", "权重", 0.55),
    )
    for ax, values, title, label, vmax in panels:
        image = ax.imshow(values[:, columns].numpy(), cmap="Blues", aspect="auto", vmin=0, vmax=vmax)
        ax.set_xticks(range(len(columns)), list(HEATMAP_WORDS), rotation=60, fontsize=9)
        ax.set_yticks(range(len(tokens)), [f"文档 {i}" for i in range(len(tokens))], fontsize=9)
        ax.grid(False)
        for y in (2.5, 5.5):
            ax.axhline(y, color="tab:red", lw=0.8)
        ax.set_title(title, fontsize=9)
        fig.colorbar(image, ax=ax, label=label, shrink=0.9)
    return fig
