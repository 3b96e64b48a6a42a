r"""评估指标与它们的统计误差：查准率/查全率/F1，准确率的标准误和所需的测试集大小。

在 $n$ 个独立同分布的测试样本上测得准确率 $\hat p$，它的标准误是
$\operatorname{SE} = \sqrt{p(1-p)/n}$，近似 95% 置信区间的半宽是 $1.96\,\operatorname{SE}$。
需要分辨的差距越小，需要的样本越多，但所需的**绝对数量**与数据集总量无关。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from dlguide._checks import check_bool, check_choice, check_in_range, check_int, check_positive, check_tensor

__all__ = [
    "accuracy_standard_error",
    "precision_recall_f1",
    "required_test_size",
    "entity_spans",
    "entity_precision_recall_f1",
    "roc_auc",
    "roc_curve",
]


def precision_recall_f1(y_true: Sequence[int], y_pred: Sequence[int], positive: int = 1) -> tuple[float, float, float]:
    r"""查准率 $P = \frac{TP}{TP+FP}$、查全率 $R = \frac{TP}{TP+FN}$ 和它们的调和平均 $F_1 = \frac{2PR}{P+R}$。

    分母为 0 时该项记为 0（与 scikit-learn 的 ``zero_division=0`` 一致）。

    Parameters
    ----------
    y_true, y_pred : Sequence[int]
        真实类别和预测类别，等长。
    positive : int
        当作正类的类别。

    Returns
    -------
    tuple[float, float, float]
        ``(P, R, F1)``，各保留 4 位小数。

    Raises
    ------
    ValueError
        两个序列长度不同或为空。

    Examples
    --------
    >>> precision_recall_f1([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    (0.6667, 0.6667, 0.6667)
    """
    t, p = list(y_true), list(y_pred)
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
        if isinstance(t, str) or isinstance(p, str) or len(t) != len(p):
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
