"""dlguide.pages.sequence.seq2seq（页面：docs/sequence/seq2seq.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from dlguide.decoding import beam_search
from dlguide.pages.sequence.seq2seq import GREEDY_TRAP, LENGTH_TRAP, TOY_VOCAB, prefix_language_model, spell


def _sentence_prob(spec: dict, sentence: str) -> float:
    p, prefix = 1.0, ""
    for ch in sentence:
        p *= spec.get(prefix, {"#": 1.0}).get(ch, 0.0)
        prefix += ch
    return p


@pytest.mark.parametrize("spec", [GREEDY_TRAP, LENGTH_TRAP])
def test_toy_models_are_distributions_and_beam_finds_the_best(spec: dict) -> None:
    for dist in spec.values():
        assert sum(dist.values()) == pytest.approx(1.0)
    # 穷举长度 ≤ 5 的句子，找概率最大的
    best = max(
        ("".join(w) + "#" for n in range(5) for w in itertools.product(TOY_VOCAB[2:], repeat=n)),
        key=lambda s: _sentence_prob(spec, s),
    )
    step, state = prefix_language_model(spec)
    words, log_p = beam_search(step, state, bos=0, eos=1, beam_width=50, max_len=6)[0]
    assert spell(words) + "#" == best
    assert math.exp(log_p) == pytest.approx(_sentence_prob(spec, best))


def test_step_tracks_each_hypothesis_prefix() -> None:
    step, state = prefix_language_model(GREEDY_TRAP)
    log_probs, state = step(torch.tensor([0]), state)
    # 两个假设：一个在 "a" 后面，一个在 "b" 后面
    state = state.repeat(2)
    log_probs, state = step(torch.tensor([TOY_VOCAB.index("a"), TOY_VOCAB.index("b")]), state)
    assert log_probs.exp()[0, TOY_VOCAB.index("#")].item() == pytest.approx(0.3)
    assert log_probs.exp()[1, TOY_VOCAB.index("#")].item() == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: prefix_language_model([("", {"a": 1.0})]), TypeError, "spec 必须是"),
        (lambda: prefix_language_model({"": {"a": 0.5}}), ValueError, "概率之和必须是 1"),
        (lambda: prefix_language_model({"": {"q": 1.0}}), ValueError, "的词必须是"),
        (lambda: prefix_language_model({"q": {"a": 1.0}}), ValueError, "前缀只能由"),
        (lambda: prefix_language_model({"": {"a": 1.5, "#": -0.5}}), ValueError, "必须在"),
        (lambda: spell("ab"), TypeError, "tokens 必须是整数列表"),
        (lambda: spell([1]), ValueError, "tokens 的元素 必须在"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
