"""dlguide.metrics：docs/basics/data-split.md）：公式与模拟对照。；docs/optimization/ml-strategy.md）。

BLEU 与 sacreBLEU 对照、编辑距离与错误率（docs/sequence）。
"""

from __future__ import annotations

import math

import pytest
import torch
from sklearn.metrics import precision_recall_fscore_support

from dlguide.metrics import (
    accuracy_by_length,
    accuracy_standard_error,
    bleu,
    edit_distance,
    error_rate,
    precision_recall_f1,
    required_test_size,
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
