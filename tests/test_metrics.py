"""dlguide.metrics：docs/basics/data-split.md）：公式与模拟对照。；docs/optimization/ml-strategy.md）。"""

from __future__ import annotations

import math

import pytest
import torch
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from dlguide.metrics import (
    accuracy_by_length,
    accuracy_standard_error,
    bleu,
    edit_distance,
    entity_precision_recall_f1,
    entity_spans,
    error_rate,
    precision_recall_f1,
    required_test_size,
    roc_auc,
    roc_curve,
)


@pytest.mark.parametrize("n", [100, 1_000, 10_000])
@pytest.mark.parametrize("p", [0.5, 0.9, 0.99])
def test_standard_error_matches_simulation(n: int, p: float) -> None:
    g = torch.Generator().manual_seed(n)
    accs = (torch.rand(4_000, n, generator=g, dtype=torch.float64) < p).double().mean(dim=1)
    assert accs.std().item() == pytest.approx(accuracy_standard_error(p, n), rel=0.05)


@pytest.mark.parametrize("margin", [0.02, 0.01, 0.005, 0.001])
def test_required_size_is_the_smallest_that_works(margin: float) -> None:
    n = required_test_size(margin, 0.9)
    assert 1.96 * accuracy_standard_error(0.9, n) <= margin + 1e-12
    assert 1.96 * accuracy_standard_error(0.9, n - 1) > margin


@pytest.mark.parametrize("seed", range(5))
def test_prf_matches_sklearn(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    t = torch.randint(0, 3, (200,), generator=g).tolist()
    p = torch.randint(0, 3, (200,), generator=g).tolist()
    for positive in (0, 1, 2):
        ours = precision_recall_f1(t, p, positive)
        P, R, F, _ = precision_recall_fscore_support(t, p, labels=[positive], average=None, zero_division=0)
        assert ours == pytest.approx((P[0], R[0], F[0]), abs=1e-4)


def test_prf_zero_division() -> None:
    assert precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)


# 实体级指标：期望值由 seqeval 1.2.2（conlleval 的 Python 实现）算出，终点改成不含。
SEQEVAL_SPANS = [
    (["B-PER", "I-PER", "O", "B-LOC"], [("PER", 0, 2), ("LOC", 3, 4)]),
    (["O", "I-PER", "I-PER", "O"], [("PER", 1, 3)]),
    (["B-PER", "I-LOC", "I-LOC"], [("PER", 0, 1), ("LOC", 1, 3)]),
    (["B-PER", "B-PER", "I-PER"], [("PER", 0, 1), ("PER", 1, 3)]),
    (["I-ORG", "B-ORG", "I-ORG", "I-PER"], [("ORG", 0, 1), ("ORG", 1, 3), ("PER", 3, 4)]),
    (["S-PER", "S-PER", "B-LOC", "E-LOC"], [("PER", 0, 1), ("PER", 1, 2), ("LOC", 2, 4)]),
    (["B-LOC", "I-LOC", "O", "E-LOC", "S-ORG"], [("LOC", 0, 2), ("LOC", 3, 4), ("ORG", 4, 5)]),
    (["B-ORG", "E-ORG", "I-ORG", "E-ORG"], [("ORG", 0, 2), ("ORG", 2, 4)]),
    (["E-PER", "B-PER", "I-PER"], [("PER", 0, 1), ("PER", 1, 3)]),
    ([], []),
]


@pytest.mark.parametrize(("tags", "expected"), SEQEVAL_SPANS)
def test_lenient_spans_match_seqeval(tags: list[str], expected: list) -> None:
    scheme = "BIOES" if any(t[0] in "ES" for t in tags) else "BIO"
    assert entity_spans(tags, scheme) == expected


def test_strict_spans() -> None:
    assert entity_spans(["B-PER", "I-LOC", "I-LOC"], strict=True) == [("PER", 0, 1)]
    assert entity_spans(["B-LOC", "I-LOC", "O"], "BIOES", strict=True) == []
    assert entity_spans(["B-LOC", "I-LOC", "E-LOC", "S-PER"], "BIOES", strict=True) == [("LOC", 0, 3), ("PER", 3, 4)]
    assert entity_spans(["B-LOC", "E-PER"], "BIOES", strict=True) == []


def test_entity_prf_matches_seqeval() -> None:
    true = [["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"], ["O", "B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "O"], ["O", "B-ORG", "I-ORG", "O"]]
    assert entity_precision_recall_f1(true, pred) == (0.6667, 0.6667, 0.6667)  # seqeval 默认模式
    assert entity_precision_recall_f1(true, pred, strict=True) == (0.5, 0.3333, 0.4)  # seqeval mode="strict", IOB2


def test_boundary_error_costs_one_fp_and_one_fn() -> None:
    true = [["B-LOC", "I-LOC", "I-LOC", "O"]]
    assert entity_precision_recall_f1(true, [["B-LOC", "I-LOC", "O", "O"]]) == (0.0, 0.0, 0.0)
    assert entity_precision_recall_f1(true, [["B-ORG", "I-ORG", "I-ORG", "O"]]) == (0.0, 0.0, 0.0)
    assert entity_precision_recall_f1(true, [["O"] * 4]) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: entity_spans("B-PER"), TypeError, "tags 必须是标签字符串的列表"),
        (lambda: entity_spans(["B-PER", 3]), TypeError, "标签必须是字符串"),
        (lambda: entity_spans(["E-PER"]), ValueError, "不属于 BIO 方案"),
        (lambda: entity_spans(["X"]), ValueError, "不属于 BIO 方案"),
        (lambda: entity_spans(["O"], scheme="IOB1"), ValueError, "scheme 必须是"),
        (lambda: entity_spans(["O"], strict=1), TypeError, "strict 必须是 True 或 False"),
        (lambda: entity_precision_recall_f1([["O"]], []), ValueError, "句子数必须相同"),
        (lambda: entity_precision_recall_f1([["O"]], [["O", "O"]]), ValueError, "等长"),
        (lambda: entity_precision_recall_f1(None, []), TypeError, "y_true 必须是"),
    ],
)
def test_entity_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def _corpus(seed: int, n: int = 30, refs: int = 2) -> tuple[list[list[str]], list[list[list[str]]]]:
    """词表很小的随机“译文”，n-gram 重合多，长度各异（有的比参考短，有的长）。"""
    g = torch.Generator().manual_seed(seed)
    words = ["a", "b", "c", "d", "e"]

    def sentence() -> list[str]:
        length = int(torch.randint(4, 12, (1,), generator=g))
        return [words[int(i)] for i in torch.randint(0, len(words), (length,), generator=g)]

    return [sentence() for _ in range(n)], [[sentence() for _ in range(refs)] for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("refs", [1, 3])
def test_bleu_matches_sacrebleu(seed: int, refs: int) -> None:
    from sacrebleu.metrics import BLEU  # noqa: PLC0415  只有这个测试需要

    candidates, references = _corpus(seed, refs=refs)
    ours = bleu(candidates, references)
    # sacreBLEU 的参考按“第 k 个参考”分组；tokenize="none" 按空格分词，不做平滑
    streams = [[" ".join(r[k]) for r in references] for k in range(refs)]
    theirs = BLEU(tokenize="none", smooth_method="none").corpus_score([" ".join(c) for c in candidates], streams)
    assert ours.score * 100 == pytest.approx(theirs.score, abs=1e-9)
    assert [p * 100 for p in ours.precisions] == pytest.approx(theirs.precisions, abs=1e-2)
    assert ours.brevity_penalty == pytest.approx(theirs.bp, abs=1e-4)
    assert (ours.candidate_length, ours.reference_length) == (theirs.sys_len, theirs.ref_len)


def test_bleu_clipping_and_brevity() -> None:
    refs = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    assert bleu(["the the the the the the the".split()], [refs], max_n=1).precisions == [round(2 / 7, 4)]
    short = bleu([["the", "cat"]], [[["the", "cat", "is", "on", "the", "mat"]]], max_n=2)
    assert short.brevity_penalty == round(math.exp(1 - 6 / 2), 4)
    assert bleu([["a", "b"]], [[["a", "b"]]], max_n=2).score == 1.0


def _levenshtein(a: str, b: str) -> int:
    if not a or not b:
        return len(a) + len(b)
    return min(_levenshtein(a[1:], b) + 1, _levenshtein(a, b[1:]) + 1, _levenshtein(a[1:], b[1:]) + (a[0] != b[0]))


@pytest.mark.parametrize("seed", range(10))
def test_edit_distance_matches_recursive_definition(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    a = "".join("abc"[int(i)] for i in torch.randint(0, 3, (int(torch.randint(0, 7, (1,), generator=g)),), generator=g))
    b = "".join("abc"[int(i)] for i in torch.randint(0, 3, (int(torch.randint(0, 7, (1,), generator=g)),), generator=g))
    assert edit_distance(a, b) == _levenshtein(a, b) == edit_distance(b, a)


def test_error_rate_and_accuracy_by_length() -> None:
    assert error_rate([[1, 2, 3]], [[1, 3]]) == 0.5
    assert error_rate([[]], [[1, 2]]) == 1.0
    assert accuracy_by_length([True, False, True], [1, 5, 9], [0, 4, 8, 12]) == {"0–3": 1.0, "4–7": 0.0, "8–11": 1.0}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: bleu("the cat", [["the cat".split()]]), TypeError, "candidates 必须是句子的列表"),
        (lambda: bleu(["the cat"], [["the cat".split()]]), TypeError, "candidates\\[0\\] 必须是词的序列"),
        (lambda: bleu([["a"]], [[]]), ValueError, "references\\[0\\] 必须是至少一个参考译文"),
        (lambda: bleu([["a"]], [[["a"]], [["b"]]]), ValueError, "必须等长且非空"),
        (lambda: bleu([["a"]], [[["a"]]], max_n=0), ValueError, "max_n 必须在"),
        (lambda: bleu([[None]], [[["a"]]]), TypeError, "里的词必须是字符串或整数"),
        (lambda: edit_distance(3, "a"), TypeError, "hypothesis 必须是序列"),
        (lambda: error_rate(["a"], [""]), ValueError, "总长度必须 > 0"),
        (lambda: error_rate("ab", ["ab"]), TypeError, "hypotheses 必须是序列的列表"),
        (lambda: accuracy_by_length([True], [1, 2], [0, 3]), ValueError, "必须等长"),
        (lambda: accuracy_by_length([True], [1], [3, 3]), ValueError, "严格递增"),
    ],
)
def test_sequence_metric_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_roc_matches_sklearn(ties: bool, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    scores = torch.randn(300, generator=g, dtype=torch.float64)
    if ties:
        scores = scores.round(decimals=1)  # 大量并列的分数
    labels = (torch.rand(300, generator=g) < torch.sigmoid(2 * scores)).long()
    fpr, tpr, thr = roc_curve(scores, labels)
    ref_fpr, ref_tpr, ref_thr = sk_roc_curve(labels.numpy(), scores.numpy(), drop_intermediate=False)
    torch.testing.assert_close(fpr, torch.tensor(ref_fpr))
    torch.testing.assert_close(tpr, torch.tensor(ref_tpr))
    torch.testing.assert_close(thr[1:], torch.tensor(ref_thr[1:]))
    assert roc_auc(scores, labels) == pytest.approx(roc_auc_score(labels.numpy(), scores.numpy()), abs=5e-5)


def test_roc_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="正例和负例都至少要有一个"):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([1, 1]))
    with pytest.raises(ValueError, match="0 或 1"):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([1, 2]))
    with pytest.raises(TypeError, match="labels 必须是整数或 bool"):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([1.0, 0.0]))
    with pytest.raises(ValueError, match="有限数"):
        roc_auc(torch.tensor([float("nan"), 0.2]), torch.tensor([1, 0]))
    with pytest.raises(ValueError, match="长度必须相同"):
        roc_auc(torch.tensor([0.1, 0.2, 0.3]), torch.tensor([1, 0]))


def test_precision_recall_f1_checks_labels() -> None:
    from dlguide.metrics import precision_recall_f1  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    for bad, error, message in (
        (None, TypeError, "y_true 必须是数的序列"),
        (3, TypeError, "y_true 必须是数的序列"),
        ([1, None, 0], TypeError, "y_true 的元素必须是整数，第 1 个是 NoneType"),
        ([1, 2.5, 0], TypeError, "y_true 的元素必须是整数，第 1 个是 float"),
    ):
        with pytest.raises(error, match=message):
            precision_recall_f1(bad, [1, 0, 0])
    for bad in (None, "1", 2.5, float("inf")):
        with pytest.raises(TypeError, match="positive 必须是整数"):
            precision_recall_f1([1, 0], [1, 0], positive=bad)
    assert precision_recall_f1(torch.tensor([1, 0, 1]), torch.tensor([1, 1, 1])) == (0.6667, 1.0, 0.8)


def test_edit_distance_takes_strings_and_token_lists_only() -> None:
    from dlguide.metrics import edit_distance  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    assert edit_distance("", "abc") == 3 and edit_distance(["我", "爱"], ["我"]) == 1
    for bad in ([None, "b"], [1.5, 2], [True]):
        with pytest.raises(TypeError, match="hypothesis 的元素必须是字符串或整数"):
            edit_distance(bad, ["b"])
        with pytest.raises(TypeError, match="reference 的元素必须是字符串或整数"):
            edit_distance(["b"], bad)


def test_sequence_metrics_name_the_list_with_a_bad_item() -> None:
    """列表里某一项不是序列时，错误写明是哪个参数的第几项（以前是 len() 的 TypeError，或只写 hypothesis）。"""
    from dlguide.metrics import accuracy_by_length, entity_precision_recall_f1, error_rate  # noqa: PLC0415

    with pytest.raises(TypeError, match=r"hypotheses\[0\]"):
        error_rate([None, "ab"], ["ab", "ab"])
    with pytest.raises(TypeError, match=r"references\[1\]"):
        error_rate(["ab", "ab"], ["ab", 3])
    with pytest.raises(TypeError, match=r"y_true\[0\]"):
        entity_precision_recall_f1([None], [["O"]])
    with pytest.raises(TypeError, match=r"y_pred\[0\]"):
        entity_precision_recall_f1([["O"]], [None])
    with pytest.raises(TypeError, match="correct"):
        accuracy_by_length([None, True], [3, 4], [3, 6])
    with pytest.raises(TypeError, match="lengths"):
        accuracy_by_length([True, True], [None, 4], [3, 6])
    with pytest.raises(TypeError, match="lengths"):
        accuracy_by_length([True, True], [2.5, 4], [3, 6])
