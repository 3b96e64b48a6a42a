r"""词袋与 TF-IDF：按公式从零实现，与 scikit-learn 的 ``CountVectorizer``/``TfidfVectorizer`` 逐项相等。

文档 $d$ 里词 $t$ 的权重是

$$
w_{t,d} = \operatorname{tf}(t,d)\cdot\operatorname{idf}(t), \qquad
\operatorname{idf}(t) = \ln\frac{1+N}{1+\operatorname{df}(t)} + 1 ,
$$

$N$ 是文档数，$\operatorname{df}(t)$ 是**含有** $t$ 的文档数（不是 $t$ 出现的总次数）。
scikit-learn 的默认设置就是这个平滑版本；教科书版本是 $\ln\frac{N}{\operatorname{df}(t)}$。
最后每个文档向量除以它的 L2 范数。中文先用 jieba 分词（[`jieba_tokenize`][dlguide.tfidf.jieba_tokenize]）。
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Sequence

import jieba
import torch

from dlguide._checks import check_bool, check_choice, check_tensor

# jieba 第一次分词时往 stderr 写“Building prefix dict…”几行提示（笔记本里显示成红色输出）：只留警告和错误
jieba.setLogLevel(logging.WARNING)

__all__ = [
    "count_matrix",
    "idf",
    "jieba_tokenize",
    "tfidf",
]

MAX_VOCAB = 200_000
"""词表大小上限：``(文档数, 词表)`` 的稠密矩阵要放得进内存。"""


def jieba_tokenize(text: str, stopwords: Collection[str] = ()) -> list[str]:
    """用 jieba（精确模式）切词，去掉标点、空白和 ``stopwords`` 里的词。

    一个词只要含有一个字母、数字或汉字（``str.isalnum``）就保留，所以“，”“。”被去掉，“3×3”留下。

    Parameters
    ----------
    text : str
        一段中文。
    stopwords : Collection[str]
        要去掉的停用词。

    Returns
    -------
    list[str]

    Raises
    ------
    TypeError
        ``text`` 不是字符串，或 ``stopwords`` 不是字符串的集合。

    Examples
    --------
    >>> jieba_tokenize("我爱自然语言处理，也爱深度学习。")
    ['我', '爱', '自然语言', '处理', '也', '爱', '深度', '学习']
    >>> jieba_tokenize("我爱自然语言处理。", stopwords={"我"})
    ['爱', '自然语言', '处理']
    """
    if not isinstance(text, str):
        raise TypeError(f"text 必须是字符串，收到的是 {type(text).__name__}")
    if (
        isinstance(stopwords, (str, torch.Tensor))
        or not isinstance(stopwords, Collection)
        or not all(isinstance(w, str) for w in stopwords)
    ):
        raise TypeError(f"stopwords 必须是字符串的集合（set、list……），收到的是 {type(stopwords).__name__}")
    stop = set(stopwords)
    return [w for w in jieba.lcut(text) if any(ch.isalnum() for ch in w) and w not in stop]


def _check_documents(documents: object) -> list[list[str]]:
    if isinstance(documents, (str, bytes)) or not isinstance(documents, Sequence):
        raise TypeError(f"documents 必须是分好词的文档列表（每篇是词的列表），收到的是 {type(documents).__name__}")
    out = []
    for doc in documents:
        if isinstance(doc, (str, bytes)) or not isinstance(doc, Sequence) or not all(isinstance(w, str) for w in doc):
            raise TypeError("documents 的每篇文档必须是词（字符串）的列表；先用 jieba_tokenize 分词")
        out.append(list(doc))
    if not out:
        raise ValueError("documents 不能为空")
    return out


def count_matrix(
    documents: Sequence[Sequence[str]], vocabulary: Sequence[str] | None = None, *, binary: bool = False
) -> tuple[torch.Tensor, list[str]]:
    """词袋：文档 × 词的计数矩阵（对应 scikit-learn 的 ``CountVectorizer``）。

    只保留每个词出现了几次，词序全部丢掉：“狗咬人”和“人咬狗”的词袋相同。

    Parameters
    ----------
    documents : Sequence[Sequence[str]]
        分好词的文档。
    vocabulary : Sequence[str], optional
        词表；默认取全部文档里出现过的词，**按字典序**排列（与 scikit-learn 相同）。
        给定词表时，词表外的词被忽略（新文档用训练时的词表）。
    binary : bool
        为 ``True`` 时只记是否出现（0/1）。

    Returns
    -------
    tuple[torch.Tensor, list[str]]
        形状 ``(文档数, 词表大小)`` 的 float64 计数矩阵，以及词表。

    Raises
    ------
    TypeError, ValueError
        ``documents`` 不是分好词的文档列表，词表为空或有重复。

    Examples
    --------
    >>> counts, vocab = count_matrix([["狗", "咬", "人"], ["人", "咬", "狗"], ["狗", "狗"]])
    >>> vocab
    ['人', '咬', '狗']
    >>> counts.tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 2.0]]
    """
    documents = _check_documents(documents)
    check_bool(binary, "binary")
    if vocabulary is None:
        vocab = sorted({w for doc in documents for w in doc})
    else:
        if isinstance(vocabulary, str) or not isinstance(vocabulary, Sequence) or not all(isinstance(w, str) for w in vocabulary):
            raise TypeError(f"vocabulary 必须是词（字符串）的列表，收到的是 {type(vocabulary).__name__}")
        vocab = list(vocabulary)
        if len(set(vocab)) != len(vocab):
            raise ValueError("vocabulary 里有重复的词")
    if not vocab:
        raise ValueError("词表为空：documents 里没有词，或 vocabulary 是空列表")
    if len(vocab) > MAX_VOCAB:
        raise ValueError(f"词表有 {len(vocab)} 个词，超过上限 {MAX_VOCAB}")
    index = {w: j for j, w in enumerate(vocab)}
    counts = torch.zeros(len(documents), len(vocab), dtype=torch.float64)  # (D, V)
    for i, doc in enumerate(documents):
        for w, c in Counter(w for w in doc if w in index).items():
            counts[i, index[w]] = 1.0 if binary else c
    return counts, vocab


def idf(counts: torch.Tensor, *, smooth: bool = True, add_one: bool = True) -> torch.Tensor:
    r"""逆文档频率。

    - ``smooth=True``：$\ln\frac{1+N}{1+\operatorname{df}}$，相当于多了一篇含有所有词的文档，df=0 也不会除以 0；
    - ``smooth=False``：$\ln\frac{N}{\operatorname{df}}$（教科书公式）；
    - ``add_one=True`` 再加 1（scikit-learn 的做法），出现在所有文档里的词权重不会变成 0。

    ``smooth=True, add_one=True`` 等于 ``TfidfVectorizer(smooth_idf=True)``；``smooth=False, add_one=True`` 等于
    ``smooth_idf=False``；``smooth=False, add_one=False`` 是教科书公式。

    Parameters
    ----------
    counts : torch.Tensor
        ``(文档数, 词表大小)`` 的计数矩阵（[`count_matrix`][dlguide.tfidf.count_matrix]）。
    smooth, add_one : bool

    Returns
    -------
    torch.Tensor
        形状 ``(词表大小,)`` 的 float64；``smooth=False`` 时 df=0 的词是 ``inf``。

    Examples
    --------
    >>> counts = torch.tensor([[1.0, 3.0], [1.0, 0.0], [1.0, 0.0]])  # 第 0 个词篇篇都有，第 1 个词只在一篇里出现 3 次
    >>> [round(v, 4) for v in idf(counts, smooth=False, add_one=False).tolist()]
    [0.0, 1.0986]
    >>> [round(v, 4) for v in idf(counts).tolist()]
    [1.0, 1.6931]
    """
    check_tensor(counts, "counts", ndim=2, nonempty=True)
    check_bool(smooth, "smooth")
    check_bool(add_one, "add_one")
    counts = counts.double()
    n = counts.shape[0]
    # df(t) = 含有 t 的文档数（每篇只算一次，和 t 在文档里出现几次无关）
    df = (counts > 0).sum(0).double()  # (V,)
    # smooth: ln((1 + N) / (1 + df))；否则 ln(N / df)
    weights = torch.log((1 + n) / (1 + df)) if smooth else torch.log(n / df)
    return weights + 1 if add_one else weights


def tfidf(
    counts: torch.Tensor,
    *,
    idf_weights: torch.Tensor | None = None,
    smooth_idf: bool = True,
    sublinear_tf: bool = False,
    norm: str | None = "l2",
) -> torch.Tensor:
    r"""TF-IDF 矩阵，参数与 scikit-learn 的 ``TfidfTransformer`` 同名同义。

    $\operatorname{tf}$ 是原始计数；``sublinear_tf=True`` 时换成 $1+\ln\operatorname{tf}$（计数为 0 的仍是 0），
    一个词出现 10 次不再是出现 1 次的 10 倍重要。乘上 idf 后，每行按 ``norm`` 归一化。

    Parameters
    ----------
    counts : torch.Tensor
        ``(文档数, 词表大小)`` 的计数矩阵。
    idf_weights : torch.Tensor, optional
        训练集上算好的 idf（给新文档算 TF-IDF 时用）；默认由 ``counts`` 自己算
        （``idf(counts, smooth=smooth_idf)``）。
    smooth_idf : bool
        见 [`idf`][dlguide.tfidf.idf]。
    sublinear_tf : bool
        是否用 $1+\ln\operatorname{tf}$。
    norm : str or None
        ``"l2"``（默认）、``"l1"`` 或 ``None``。

    Returns
    -------
    torch.Tensor
        形状同 ``counts`` 的 float64。

    Examples
    --------
    >>> counts = torch.tensor([[1.0, 3.0], [1.0, 0.0]])
    >>> [[round(v, 4) for v in row] for row in tfidf(counts, norm=None).tolist()]
    [[1.0, 4.2164], [1.0, 0.0]]
    >>> [[round(v, 4) for v in row] for row in tfidf(counts, sublinear_tf=True).tolist()]
    [[0.3211, 0.9471], [1.0, 0.0]]
    """
    check_tensor(counts, "counts", ndim=2, nonempty=True)
    check_bool(smooth_idf, "smooth_idf")
    check_bool(sublinear_tf, "sublinear_tf")
    check_choice(norm, "norm", ("l2", "l1", None))
    counts = counts.double()
    if (counts < 0).any() or not torch.isfinite(counts).all():
        raise ValueError("counts 必须是有限的非负计数")
    if idf_weights is None:
        idf_weights = idf(counts, smooth=smooth_idf)
    else:
        check_tensor(idf_weights, "idf_weights", ndim=1)
        if len(idf_weights) != counts.shape[1]:
            raise ValueError(f"idf_weights 的长度 {len(idf_weights)} 必须等于词表大小 {counts.shape[1]}")
    # 亚线性 tf：1 + ln(tf)，tf = 0 处仍为 0
    tf = torch.where(counts > 0, 1 + torch.log(counts.clamp(min=1e-300)), 0.0) if sublinear_tf else counts
    weights = tf * idf_weights.double()  # (D, V)
    if norm is None:
        return weights
    # 每行除以它的 L2（或 L1）范数；全零行保持为 0
    lengths = weights.norm(p=2 if norm == "l2" else 1, dim=1, keepdim=True)  # (D, 1)
    return weights / torch.where(lengths > 0, lengths, 1.0)
