r"""评估指标与它们的统计误差：查准率/查全率/F1，准确率的标准误和所需的测试集大小。

在 $n$ 个独立同分布的测试样本上测得准确率 $\hat p$，它的标准误是
$\operatorname{SE} = \sqrt{p(1-p)/n}$，近似 95% 置信区间的半宽是 $1.96\,\operatorname{SE}$。
需要分辨的差距越小，需要的样本越多，但所需的**绝对数量**与数据集总量无关。
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import torch

from dlguide._checks import (
    check_bool,
    check_choice,
    check_in_range,
    check_int,
    check_numbers,
    check_positive,
    check_tensor,
)

__all__ = [
    "accuracy_standard_error",
    "precision_recall_f1",
    "required_test_size",
    "entity_spans",
    "entity_precision_recall_f1",
    "BleuScore",
    "accuracy_by_length",
    "bleu",
    "edit_distance",
    "error_rate",
    "roc_auc",
    "roc_curve",
]








def precision_recall_f1(y_true: Sequence[int], y_pred: Sequence[int], positive: int = 1) -> tuple[float, float, float]:
    r"""查准率 $P = \frac{TP}{TP+FP}$、查全率 $R = \frac{TP}{TP+FN}$ 和它们的调和平均 $F_1 = \frac{2PR}{P+R}$。

    分母为 0 时该项记为 0（与 scikit-learn 的 ``zero_division=0`` 一致）。

    Parameters
    ----------
    y_true, y_pred : Sequence[int]
        真实类别和预测类别：整数的序列（或一维整数张量），等长、非空。
    positive : int
        当作正类的类别（整数）。

    Returns
    -------
    tuple[float, float, float]
        ``(P, R, F1)``，各保留 4 位小数。

    Raises
    ------
    TypeError
        类别不是整数。
    ValueError
        两个序列长度不同或为空。

    Examples
    --------
    >>> precision_recall_f1([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    (0.6667, 0.6667, 0.6667)
    """
    t = check_numbers(y_true, "y_true", kind="int", nonempty=False)
    p = check_numbers(y_pred, "y_pred", kind="int", nonempty=False)
    check_int(positive, "positive")
    if len(t) != len(p) or not t:
        raise ValueError(f"y_true 与 y_pred 必须等长且非空，收到 {len(t)} 和 {len(p)}")
    tp = sum(a == positive and b == positive for a, b in zip(t, p))
    fp = sum(a != positive and b == positive for a, b in zip(t, p))
    fn = sum(a == positive and b != positive for a, b in zip(t, p))
    # P = TP / (TP + FP)：预测为正的里面有多少是真的
    precision = tp / (tp + fp) if tp + fp else 0.0
    # R = TP / (TP + FN)：真的正例里面找回了多少
    recall = tp / (tp + fn) if tp + fn else 0.0
    # F1 = 2PR / (P + R)：调和平均，两者任何一个低都会把它拉低
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def accuracy_standard_error(accuracy: float, n: int) -> float:
    r"""在 ``n`` 个独立样本上测得的准确率的标准误 $\sqrt{p(1-p)/n}$。

    Parameters
    ----------
    accuracy : float
        准确率 $p$，在 [0, 1] 内。
    n : int
        测试样本数，≥ 1。

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> round(accuracy_standard_error(0.9, 10_000), 4)
    0.003
    """
    check_in_range(accuracy, "accuracy", 0.0, 1.0)
    check_int(n, "n", low=1)
    # SE = √(p(1 − p) / n)：n 次伯努利试验的均值的标准差
    return math.sqrt(accuracy * (1 - accuracy) / n)


def required_test_size(margin: float, accuracy: float = 0.9, z: float = 1.96) -> int:
    r"""让准确率的置信区间半宽 $z\cdot\operatorname{SE}$ 不超过 ``margin`` 所需的最少样本数 $\lceil z^2 p(1-p)/\text{margin}^2\rceil$。

    Parameters
    ----------
    margin : float
        可接受的半宽，在 (0, 1) 内，例如 0.005 表示 ±0.5 个百分点。
    accuracy : float
        预计的准确率 $p$，在 [0, 1] 内（$p=0.5$ 时最保守）。
    z : float
        正态分位数，1.96 对应 95% 置信度，> 0。

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> required_test_size(0.01, accuracy=0.9)
    3458
    """
    check_in_range(margin, "margin", 0.0, 1.0, low_open=True, high_open=True)
    check_in_range(accuracy, "accuracy", 0.0, 1.0)
    check_positive(z, "z")
    # z·√(p(1−p)/n) ≤ margin  ⇔  n ≥ z² p(1−p) / margin²
    return max(1, math.ceil(z**2 * accuracy * (1 - accuracy) / margin**2 - 1e-9))


def _split_tag(tag: object, scheme: str) -> tuple[str, str]:
    """``"B-PER"`` → ``("B", "PER")``，``"O"`` → ``("O", "")``；前缀不属于 ``scheme`` 时报错。"""
    if not isinstance(tag, str):
        raise TypeError(f"tags 里的标签必须是字符串（如 'B-PER'），收到的是 {type(tag).__name__}")
    if tag == "O":
        return "O", ""
    prefix, sep, kind = tag.partition("-")
    if not sep or not kind or prefix not in scheme:
        raise ValueError(f"标签 {tag!r} 不属于 {scheme} 方案：应为 'O' 或 '<{'/'.join(scheme)}>-<类型>'")
    return prefix, kind


def entity_spans(tags: Sequence[str], scheme: str = "BIO", strict: bool = False) -> list[tuple[str, int, int]]:
    r"""把 BIO 或 BIOES 标签序列解码成实体 ``(类型, 起点, 终点)``，终点不含（Python 切片的约定）。

    - BIO：``B-X`` 开始一个 X 实体，``I-X`` 延续它，``O`` 在实体之外；
    - BIOES：另加 ``E-X``（实体的最后一个字）和 ``S-X``（单字实体）。

    模型的输出不一定合法（例如 ``O`` 后面直接跟 ``I-PER``）。默认（``strict=False``）按 conlleval 脚本和
    seqeval 的默认做法**宽松**解码：类型改变或出现 ``B``/``S`` 就开始新实体，孤立的 ``I-X`` 也算一个实体的开头；
    ``strict=True`` 只接受完整合法的实体（BIO：``B I*``；BIOES：``B I* E`` 或 ``S``），其余丢弃。

    Parameters
    ----------
    tags : Sequence[str]
        一个句子的标签。
    scheme : str
        ``"BIO"`` 或 ``"BIOES"``；出现方案外的前缀（如 BIO 里的 ``E-X``）时报错。
    strict : bool
        是否只接受合法的实体。

    Returns
    -------
    list[tuple[str, int, int]]
        按起点排列。

    Raises
    ------
    TypeError, ValueError
        标签不是字符串，或不属于 ``scheme``。

    Examples
    --------
    >>> entity_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"])
    [('PER', 0, 2), ('LOC', 3, 4), ('LOC', 4, 6)]
    >>> entity_spans(["O", "I-PER", "I-PER", "O"])  # 孤立的 I：宽松解码仍算一个实体
    [('PER', 1, 3)]
    >>> entity_spans(["O", "I-PER", "I-PER", "O"], strict=True)
    []
    >>> entity_spans(["S-ORG", "B-PER", "I-PER", "E-PER", "B-LOC"], scheme="BIOES", strict=True)
    [('ORG', 0, 1), ('PER', 1, 4)]
    """
    check_choice(scheme, "scheme", ("BIO", "BIOES"))
    check_bool(strict, "strict")
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        raise TypeError(f"tags 必须是标签字符串的列表，收到的是 {type(tags).__name__}")
    parsed = [_split_tag(t, scheme) for t in tags] + [("O", "")]  # 末尾补一个 O，收尾最后一个实体
    spans: list[tuple[str, int, int]] = []
    if strict:
        start, kind = None, ""
        for i, (prefix, k) in enumerate(parsed):
            if start is not None and prefix == "I" and k == kind:
                continue  # 实体在延续
            if start is not None and prefix == "E" and k == kind:
                spans.append((kind, start, i + 1))  # BIOES：E 合法地结束实体
                start = None
                continue
            if start is not None and scheme == "BIO":
                spans.append((kind, start, i))  # BIO：B I* 之后任何别的标签都结束实体
            start = None  # BIOES 里没有以 E 结束的实体不合法，丢弃
            if prefix == "S":
                spans.append((k, i, i + 1))
            elif prefix == "B":
                start, kind = i, k
        return spans
    # 宽松解码：与 conlleval / seqeval 默认模式的 end_of_chunk、start_of_chunk 规则相同
    prev, prev_kind, start = "O", "", 0
    for i, (prefix, k) in enumerate(parsed):
        ends = prev in "ES" or (prev in "BI" and prefix in "BSO") or (prev != "O" and prev_kind != k)
        starts = prefix in "BS" or (prev in "ESO" and prefix in "EI") or (prefix != "O" and prev_kind != k)
        if ends:
            spans.append((prev_kind, start, i))
        if starts:
            start = i
        prev, prev_kind = prefix, k
    return spans


def entity_precision_recall_f1(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], scheme: str = "BIO", strict: bool = False
) -> tuple[float, float, float]:
    r"""实体级（精确匹配）的查准率、查全率和 F1（micro 平均，CoNLL-2003 的评测方式）。

    一个预测实体算对，当且仅当**类型、起点、终点**都和某个真实实体完全相同。于是边界错一个字的预测
    同时贡献一个 FP（预测的错实体）和一个 FN（漏掉的真实体）。

    $$ P = \frac{|\text{预测}\cap\text{真实}|}{|\text{预测}|},\ R = \frac{|\text{预测}\cap\text{真实}|}{|\text{真实}|},\ F_1=\frac{2PR}{P+R} $$

    Parameters
    ----------
    y_true, y_pred : Sequence[Sequence[str]]
        每个句子的真实标签和预测标签，句数相同、对应句子等长。
    scheme, strict
        见 [`entity_spans`][dlguide.metrics.entity_spans]。

    Returns
    -------
    tuple[float, float, float]
        ``(P, R, F1)``，各保留 4 位小数；分母为 0 时记为 0。

    Examples
    --------
    >>> gold = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]]
    >>> entity_precision_recall_f1(gold, [["B-PER", "I-PER", "O", "B-LOC", "O"]])  # 地名少标一个字
    (0.5, 0.5, 0.5)
    """
    for name, value in (("y_true", y_true), ("y_pred", y_pred)):
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise TypeError(f"{name} 必须是句子标签序列的列表，收到的是 {type(value).__name__}")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true 与 y_pred 的句子数必须相同，收到 {len(y_true)} 和 {len(y_pred)}")
    true_set, pred_set = set(), set()
    for i, (t, p) in enumerate(zip(y_true, y_pred)):
        for name, value in (("y_true", t), ("y_pred", p)):
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise TypeError(f"{name}[{i}] 必须是标签（字符串）的列表，收到的是 {type(value).__name__}")
        if len(t) != len(p):
            raise ValueError(f"第 {i} 句的 y_true 与 y_pred 必须是等长的标签列表")
        true_set |= {(i, *span) for span in entity_spans(t, scheme, strict)}
        pred_set |= {(i, *span) for span in entity_spans(p, scheme, strict)}
    tp = len(true_set & pred_set)
    # P = TP / 预测的实体数，R = TP / 真实的实体数
    precision = tp / len(pred_set) if pred_set else 0.0
    recall = tp / len(true_set) if true_set else 0.0
    # F1 = 2PR / (P + R)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


class BleuScore(NamedTuple):
    """[`bleu`][dlguide.metrics.bleu] 的结果：总分和它的组成部分。"""

    #: BLEU，在 [0, 1] 内（sacreBLEU 等工具报告的是它的 100 倍）。
    score: float
    #: 截断计数的 n-gram 查准率 $p_1, \dots, p_N$。
    precisions: list[float]
    #: 简短惩罚 BP。
    brevity_penalty: float
    #: 候选译文的总词数 $c$。
    candidate_length: int
    #: 有效参考长度 $r$。
    reference_length: int


def _tokens(value: object, name: str) -> list:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} 必须是词的序列（列表或元组），收到的是 {type(value).__name__}")
    for token in value:
        if not isinstance(token, (str, int)) or isinstance(token, bool):
            raise TypeError(f"{name} 里的词必须是字符串或整数，收到的是 {type(token).__name__}")
    return list(value)


def _ngrams(tokens: list, n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu(
    candidates: Sequence[Sequence[str]],
    references: Sequence[Sequence[Sequence[str]]],
    max_n: int = 4,
) -> BleuScore:
    r"""语料级 BLEU（Papineni 等 2002），按定义计算：截断计数的 n-gram 查准率的几何平均乘以简短惩罚。

    $$
    p_n = \frac{\sum_{\text{句}}\sum_{g} \min\bigl(\operatorname{count}(g), \max_{\text{参考}}\operatorname{count}_{\text{ref}}(g)\bigr)}
               {\sum_{\text{句}}\sum_{g\in n\text{-grams}} \operatorname{count}(g)}, \qquad
    \mathrm{BP} = \begin{cases} 1 & c > r \\ e^{1-r/c} & c \le r \end{cases}, \qquad
    \mathrm{BLEU} = \mathrm{BP}\cdot\exp\Bigl(\sum_{n=1}^{N}\tfrac1N\log p_n\Bigr).
    $$

    “截断计数”指每个 n-gram 的计数被截断在它在任一参考里出现的最多次数，所以“the the the the”拿不到高分；
    $c$ 是候选的总词数，$r$ 是每句取长度最接近候选的参考（一样近时取短的）后的总长度。
    任何一个 $p_n=0$ 时 BLEU 为 0（不做平滑），这也是单句 BLEU 常常为 0 的原因。

    Parameters
    ----------
    candidates : Sequence[Sequence[str]]
        分好词的候选译文，每句一个词列表。
    references : Sequence[Sequence[Sequence[str]]]
        每句候选的一个或多个参考译文（分好词）。
    max_n : int
        最长的 n-gram，在 ``[1, 10]`` 内，标准取 4。

    Returns
    -------
    BleuScore
        ``score`` 在 [0, 1] 内，以及 ``precisions``、``brevity_penalty``、``candidate_length``、``reference_length``。

    Raises
    ------
    TypeError, ValueError
        输入不是分好词的句子列表，句数不一致、为空，或某句没有参考。

    Examples
    --------
    >>> cand = "the the the the the the the".split()
    >>> refs = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    >>> bleu([cand], [refs], max_n=1).precisions  # 截断计数的一元查准率：the 最多在一个参考里出现 2 次
    [0.2857]
    >>> result = bleu(["the cat is on the mat".split()], [["the cat is on the red mat".split()]])
    >>> round(result.score, 4), result.precisions, result.brevity_penalty  # 候选短了一个词：BP < 1
    (0.6732, [1.0, 0.8, 0.75, 0.6667], 0.8465)
    >>> bleu(["the cat sat on the mat".split()], [["the cat is on the mat".split()]]).score  # 没有一个 4-gram 对上
    0.0
    """
    check_int(max_n, "max_n", low=1, high=10)
    if isinstance(candidates, (str, bytes)) or not isinstance(candidates, Sequence):
        raise TypeError(f"candidates 必须是句子的列表，收到的是 {type(candidates).__name__}")
    if isinstance(references, (str, bytes)) or not isinstance(references, Sequence):
        raise TypeError(f"references 必须是每句参考译文的列表，收到的是 {type(references).__name__}")
    if len(candidates) != len(references) or not candidates:
        raise ValueError(f"candidates 与 references 必须等长且非空，收到 {len(candidates)} 和 {len(references)}")
    matches, totals = [0] * max_n, [0] * max_n
    c = r = 0
    for i, (cand, refs) in enumerate(zip(candidates, references)):
        cand = _tokens(cand, f"candidates[{i}]")
        if isinstance(refs, (str, bytes)) or not isinstance(refs, Sequence) or not refs:
            raise ValueError(f"references[{i}] 必须是至少一个参考译文（词列表）的列表")
        refs = [_tokens(ref, f"references[{i}]") for ref in refs]
        c += len(cand)
        # 有效参考长度：长度最接近候选的参考，一样近时取短的
        r += min((abs(len(ref) - len(cand)), len(ref)) for ref in refs)[1]
        for n in range(1, max_n + 1):
            counts = _ngrams(cand, n)
            max_ref = Counter()
            for ref in refs:
                max_ref |= _ngrams(ref, n)  # 每个 n-gram 在任一参考里的最多次数
            # 截断计数：min(count(g), max_ref count(g))
            matches[n - 1] += sum(min(k, max_ref[g]) for g, k in counts.items())
            totals[n - 1] += sum(counts.values())
    # p_n = 截断后的匹配数 / 候选的 n-gram 总数
    precisions = [m / t if t else 0.0 for m, t in zip(matches, totals)]
    # BP = 1（c > r），否则 exp(1 − r/c)
    bp = 1.0 if c > r else (math.exp(1 - r / c) if c else 0.0)
    # BLEU = BP · exp(Σ (1/N) log p_n)；任何 p_n = 0 时为 0
    score = bp * math.exp(sum(math.log(p) for p in precisions) / max_n) if min(precisions) > 0 else 0.0
    return BleuScore(score, [round(p, 4) for p in precisions], round(bp, 4), c, r)


def edit_distance(hypothesis: str | Sequence, reference: str | Sequence) -> int:
    r"""编辑距离（Levenshtein）：把 ``hypothesis`` 变成 ``reference`` 最少要几次替换、删除、插入。

    动态规划 $D_{i,j} = \min(D_{i-1,j}+1,\ D_{i,j-1}+1,\ D_{i-1,j-1}+[a_i\ne b_j])$。

    Parameters
    ----------
    hypothesis, reference : str or Sequence
        两个序列：字符串（按字比较），或词（字符串）、整数的列表。

    Returns
    -------
    int

    Raises
    ------
    TypeError
        不是序列，或列表里有既不是字符串也不是整数的元素（例如 ``None``）。

    Examples
    --------
    >>> edit_distance("kitten", "sitting"), edit_distance([1, 2, 3], [1, 3])
    (3, 1)
    """
    for value, name in ((hypothesis, "hypothesis"), (reference, "reference")):
        if not isinstance(value, Sequence):
            raise TypeError(f"{name} 必须是序列（字符串或列表），收到的是 {type(value).__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, (str, numbers.Integral)) or isinstance(item, bool):
                raise TypeError(f"{name} 的元素必须是字符串或整数，第 {i} 个是 {type(item).__name__}")
    a, b = list(hypothesis), list(reference)
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            # D[i][j] = min(删除, 插入, 替换或相同)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
        previous = current
    return previous[-1]


def error_rate(hypotheses: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    r"""错误率 $\frac{\sum \text{编辑距离}}{\sum |\text{参考}|}$：按词算是词错率 WER，按字或标签算是字错率 CER。

    可以大于 1（插入很多时）。保留 4 位小数。

    Parameters
    ----------
    hypotheses, references : Sequence[Sequence]
        等长的序列列表；参考的总长度须 > 0。

    Returns
    -------
    float

    Examples
    --------
    >>> error_rate(["abc", "de"], ["abd", "de"])
    0.2
    """
    if isinstance(hypotheses, (str, bytes)) or not isinstance(hypotheses, Sequence):
        raise TypeError(f"hypotheses 必须是序列的列表，收到的是 {type(hypotheses).__name__}")
    if isinstance(references, (str, bytes)) or not isinstance(references, Sequence):
        raise TypeError(f"references 必须是序列的列表，收到的是 {type(references).__name__}")
    if len(hypotheses) != len(references) or not references:
        raise ValueError(f"hypotheses 与 references 必须等长且非空，收到 {len(hypotheses)} 和 {len(references)}")
    for name, items in (("hypotheses", hypotheses), ("references", references)):
        for i, item in enumerate(items):
            if not isinstance(item, Sequence):
                raise TypeError(f"{name}[{i}] 必须是序列（字符串或列表），收到的是 {type(item).__name__}")
    total = sum(len(ref) for ref in references)
    if total == 0:
        raise ValueError("references 的总长度必须 > 0")
    # 错误率 = Σ 编辑距离 / Σ 参考长度
    return round(sum(edit_distance(h, r) for h, r in zip(hypotheses, references)) / total, 4)


def accuracy_by_length(correct: Sequence[bool], lengths: Sequence[int], edges: Sequence[int]) -> dict[str, float]:
    """按长度分组的准确率：第 $i$ 组是长度在 ``[edges[i], edges[i+1])`` 内的样本，保留 2 位小数。

    Parameters
    ----------
    correct : Sequence[bool]
        每个样本是否正确（例如整句完全匹配）。
    lengths : Sequence[int]
        每个样本的长度，与 ``correct`` 等长。
    edges : Sequence[int]
        递增的分组边界，至少 2 个；不在任何组里的样本被忽略。

    Returns
    -------
    dict[str, float]
        ``{"3–5": 0.9, ...}``；空组不出现。

    Examples
    --------
    >>> accuracy_by_length([True, True, False, False], [3, 4, 7, 8], edges=[3, 6, 9])
    {'3–5': 1.0, '6–8': 0.0}
    """
    if isinstance(correct, (str, bytes)) or not isinstance(correct, Sequence):
        raise TypeError(f"correct 必须是布尔值的序列，收到的是 {type(correct).__name__}")
    if isinstance(lengths, (str, bytes)) or not isinstance(lengths, Sequence):
        raise TypeError(f"lengths 必须是整数的序列，收到的是 {type(lengths).__name__}")
    if isinstance(edges, (str, bytes)) or not isinstance(edges, Sequence):
        raise TypeError(f"edges 必须是整数的序列，收到的是 {type(edges).__name__}")
    if len(correct) != len(lengths):
        raise ValueError(f"correct 与 lengths 必须等长，收到 {len(correct)} 和 {len(lengths)}")
    for c in correct:
        if not isinstance(c, (bool, numbers.Integral)) and not (isinstance(c, torch.Tensor) and c.numel() == 1):
            raise TypeError(f"correct 的元素必须是 bool（或 0/1），收到的是 {type(c).__name__}")
    for n in lengths:
        check_int(n, "lengths 的元素", low=0, high=10**6)
    for e in edges:
        check_int(e, "edges 的元素", low=0, high=10**6)
    if len(edges) < 2 or any(a >= b for a, b in zip(edges[:-1], edges[1:])):
        raise ValueError(f"edges 必须是至少 2 个严格递增的整数，收到 {list(edges)}")
    result = {}
    for low, high in zip(edges[:-1], edges[1:]):
        group = [bool(c) for c, n in zip(correct, lengths) if low <= n < high]
        if group:
            result[f"{low}–{high - 1}"] = round(sum(group) / len(group), 2)
    return result


def _check_scores_labels(scores: object, labels: object) -> tuple[torch.Tensor, torch.Tensor]:
    check_tensor(scores, "scores", ndim=1, nonempty=True)
    check_tensor(labels, "labels", kind="any", ndim=1)
    if labels.is_floating_point() or labels.is_complex():
        raise TypeError(f"labels 必须是整数或 bool 张量（1 = 正例），收到的是 {labels.dtype}")
    if len(labels) != len(scores):
        raise ValueError(f"scores 与 labels 的长度必须相同，收到 {len(scores)} 和 {len(labels)}")
    positive = labels.to(torch.int64).cpu()
    if bool(((positive != 0) & (positive != 1)).any()):
        raise ValueError("labels 的取值只能是 0 或 1")
    if int(positive.sum()) in (0, len(positive)):
        raise ValueError("labels 里正例和负例都至少要有一个，否则 ROC 没有定义")
    if not bool(scores.isfinite().all()):
        raise ValueError("scores 必须是有限数")
    return scores.detach().to(torch.float64).cpu(), positive.bool()


def roc_curve(scores: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""ROC 曲线：阈值 $t$ 从高到低扫过每个不同的分数，判定 $\text{score}\ge t$ 为正，记录

    $$
    \mathrm{TPR}(t) = \frac{\mathrm{TP}(t)}{P},\qquad \mathrm{FPR}(t) = \frac{\mathrm{FP}(t)}{N} .
    $$

    第一个点是阈值 $+\infty$ 处的 $(0, 0)$。结果与 ``sklearn.metrics.roc_curve(..., drop_intermediate=False)`` 相同。

    Parameters
    ----------
    scores : torch.Tensor
        形状 ``(n,)`` 的有限分数，越大越像正例。
    labels : torch.Tensor
        形状 ``(n,)`` 的整数或 bool，1 表示正例；正、负例都至少一个。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor, torch.Tensor]
        ``fpr``、``tpr``、``thresholds``（float64，阈值从大到小）。

    Raises
    ------
    TypeError, ValueError
        形状、类型或取值不合法。

    Examples
    --------
    >>> fpr, tpr, thr = roc_curve(torch.tensor([0.9, 0.8, 0.7, 0.1]), torch.tensor([1, 0, 1, 0]))
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    s, positive = _check_scores_labels(scores, labels)
    order = torch.sort(s, descending=True, stable=True).indices
    s, positive = s[order], positive[order]
    # 并列的分数一起越过阈值：只在每段相同分数的最后一个位置取点
    last = torch.cat([s[1:] != s[:-1], torch.tensor([True])])
    tp = torch.cumsum(positive.to(torch.float64), dim=0)[last]
    fp = torch.cumsum((~positive).to(torch.float64), dim=0)[last]
    zero = torch.zeros(1, dtype=torch.float64)
    # TPR = TP / P，FPR = FP / N
    tpr = torch.cat([zero, tp / tp[-1]])
    fpr = torch.cat([zero, fp / fp[-1]])
    thresholds = torch.cat([torch.tensor([math.inf], dtype=torch.float64), s[last]])
    return fpr, tpr, thresholds


def roc_auc(scores: torch.Tensor, labels: torch.Tensor) -> float:
    r"""ROC 曲线下的面积（梯形法则），等于随机取一个正例、一个负例时正例分数更高的概率（并列算一半）。

    与 ``sklearn.metrics.roc_auc_score`` 相同，保留 4 位小数。

    Parameters
    ----------
    scores, labels : torch.Tensor
        同 [`roc_curve`][dlguide.metrics.roc_curve]。

    Returns
    -------
    float
        $[0, 1]$ 内的 AUC；0.5 相当于瞎猜。

    Raises
    ------
    TypeError, ValueError
        同 [`roc_curve`][dlguide.metrics.roc_curve]。

    Examples
    --------
    >>> roc_auc(torch.tensor([0.9, 0.8, 0.7, 0.1]), torch.tensor([1, 0, 1, 0]))
    0.75
    """
    fpr, tpr, _ = roc_curve(scores, labels)
    # AUC = Σ (FPR_k − FPR_{k−1})·(TPR_k + TPR_{k−1}) / 2
    return round(float(((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2).sum()), 4)
