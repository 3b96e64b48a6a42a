"""dlguide.pages.sequence.attention（页面：docs/sequence/attention.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.sequence.attention import (
    LENGTH_EDGES,
    normalize_dates,
    reversal_accuracy,
    train_dates,
    train_reversal,
)


def test_training_helpers_are_deterministic() -> None:
    a, b = train_reversal("additive", steps=3, seed=2), train_reversal("additive", steps=3, seed=2)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    result = reversal_accuracy(a, n=40)
    assert list(result) == [f"{lo}–{hi - 1}" for lo, hi in zip(LENGTH_EDGES[:-1], LENGTH_EDGES[1:])]
    assert all(0.0 <= v <= 1.0 for v in result.values())


def test_attention_gain_is_not_the_extra_parameters() -> None:
    """页面上的对比：点积注意力多了 W_c（41,421 对 33,165 个参数）。把无注意力模型的隐状态加到 74 维、参数量追平，它照样不行。"""
    params = lambda net: sum(p.numel() for p in net.parameters())
    assert params(train_reversal("dot", steps=1)) == 41_421
    assert params(train_reversal(None, steps=1)) == 33_165
    wider = train_reversal(None, hidden=74)
    assert params(wider) == 41_545
    accuracy = reversal_accuracy(wider)  # CPU 上是 {'3–5': 0.6, '6–8': 0.05, '9–12': 0.0}；点积注意力是 0.85、0.56、0.25
    assert accuracy["3–5"] < 0.75 and accuracy["6–8"] < 0.2 and accuracy["9–12"] < 0.1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: train_reversal("luong", steps=1), ValueError, "attention 必须是"),
        (lambda: train_reversal(steps=10**9), ValueError, "steps 必须在"),
        (lambda: train_reversal(hidden=1), ValueError, "hidden 必须在"),
        (lambda: train_reversal(hidden=75, steps=1), ValueError, "hidden 必须是偶数"),
        (lambda: train_dates(n=10), ValueError, "n 必须在"),
        (lambda: reversal_accuracy(torch.nn.Linear(2, 2)), TypeError, "model 必须是 dlguide.models.Seq2Seq"),
        (lambda: normalize_dates(train_dates(n=100, epochs=1), "二〇一九年三月五日"), TypeError, "texts 必须是非空的字符串列表"),
        (lambda: normalize_dates(train_dates(n=100, epochs=1), ["2019年3月5号"]), ValueError, "词表之外的字符"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
