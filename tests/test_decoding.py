"""dlguide.decoding：贪心 = 束宽 1；束足够宽时等于穷举；长度归一化；状态重排；与 Seq2Seq 的单步一致。"""

from __future__ import annotations

import itertools

import pytest
import torch

from dlguide.decoding import beam_search, decode_batch, greedy_search, length_normalized_score
from dlguide.models import Seq2Seq

V, BOS, EOS = 5, 0, 1


def _history_model(seed: int):
    """下一个词的分布取决于整个前缀（状态里存前缀的哈希），用来检验束搜索正确地重排了状态。"""
    def step(tokens: torch.Tensor, state: torch.Tensor):
        new_state = state * 7 + tokens + 1  # 每个假设自己的前缀“指纹”
        rows = []
        for key in new_state.tolist():
            g = torch.Generator().manual_seed(seed * 100_003 + key % 1_000_003)
            logits = 2 * torch.randn(V, generator=g, dtype=torch.float64)
            logits[BOS] = float("-inf")
            rows.append(torch.log_softmax(logits, 0))
        return torch.stack(rows), new_state

    return step


def _exhaustive(step, max_len: int, alpha: float) -> tuple[list[int], float]:
    """枚举所有长度 ≤ max_len 的句子（以 EOS 结束或到 max_len 截断），按归一化得分取最好的。"""
    best: tuple[float, list[int], float] | None = None
    for length in range(1, max_len + 1):
        for words in itertools.product(range(2, V), repeat=length - 1):
            for last in (EOS, *range(2, V)):
                if last != EOS and length < max_len:
                    continue  # 没结束的句子只在 max_len 处算候选
                seq = [*words, last]
                state, tokens, total = torch.tensor([0]), torch.tensor([BOS]), 0.0
                for word in seq:
                    log_probs, state = step(tokens, state)
                    total += log_probs[0, word].item()
                    tokens = torch.tensor([word])
                score = length_normalized_score(min(total, 0.0), length, alpha)
                out = list(words) if last == EOS else seq
                if best is None or score > best[0] + 1e-12:
                    best = (score, out, total)
    assert best is not None
    return best[1], best[2]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0])
def test_wide_beam_equals_exhaustive_search(seed: int, alpha: float) -> None:
    step = _history_model(seed)
    words, total = _exhaustive(step, 4, alpha)
    found = beam_search(step, torch.tensor([0]), bos=BOS, eos=EOS, beam_width=1000, max_len=4, alpha=alpha)[0]
    assert found[0] == words
    assert found[1] == pytest.approx(total)


@pytest.mark.parametrize("seed", range(4))
def test_beam_width_one_is_greedy(seed: int) -> None:
    step = _history_model(seed)
    greedy = greedy_search(step, torch.tensor([0]), bos=BOS, eos=EOS, max_len=6)[0]
    beam = beam_search(step, torch.tensor([0]), bos=BOS, eos=EOS, beam_width=1, max_len=6)[0]
    assert greedy[0] == beam[0] and greedy[1] == pytest.approx(beam[1])


def test_beam_scores_are_the_sequence_log_probabilities() -> None:
    step = _history_model(9)
    for words, total in beam_search(step, torch.tensor([0]), bos=BOS, eos=EOS, beam_width=4, max_len=5):
        state, tokens, expected = torch.tensor([0]), torch.tensor([BOS]), 0.0
        for word in words + ([EOS] if len(words) < 5 else []):
            log_probs, state = step(tokens, state)
            expected += log_probs[0, word].item()
            tokens = torch.tensor([word])
        assert total == pytest.approx(expected)


def test_greedy_batch_is_independent_per_row() -> None:
    step = _history_model(1)
    batch = greedy_search(step, torch.tensor([0, 5]), bos=BOS, eos=EOS, max_len=6)
    one = greedy_search(step, torch.tensor([5]), bos=BOS, eos=EOS, max_len=6)[0]
    assert batch[1][0] == one[0]


def test_length_normalization() -> None:
    assert length_normalized_score(-6.0, 4, 0.5) == pytest.approx(-3.0)
    assert length_normalized_score(-6.0, 4, 0.0) == -6.0


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_decode_batch_with_seq2seq(attention: str | None) -> None:
    net = Seq2Seq(9, 9, embed=8, hidden=12, attention=attention, seed=0)
    src = torch.tensor([[4, 5, 6, 7], [8, 4, 0, 0]])
    net.train()
    greedy = decode_batch(net, src, bos=1, eos=2, max_len=6)
    assert net.training  # 解码时切到 eval，结束后恢复
    assert decode_batch(net, src, bos=1, eos=2, max_len=6, beam_width=1) == greedy
    # 手写的贪心：每步用 step，和 decode_batch 相同
    with torch.no_grad():
        net.eval()
        state = net.encode(src[1:])
        tokens, out = torch.tensor([1]), []
        for _ in range(6):
            log_probs, state = net.step(tokens, state)
            tokens = log_probs.argmax(1)
            if tokens.item() == 2:
                break
            out.append(tokens.item())
    assert greedy[1] == out


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: greedy_search("step", bos=0, eos=1, max_len=3), TypeError, "step 必须是可调用对象"),
        (lambda: greedy_search(lambda t, s: (t, s), bos=0, eos=1, max_len=3), ValueError, "log_probs 必须是形状"),
        (lambda: greedy_search(lambda t, s: None, bos=0, eos=1, max_len=3), TypeError, "step 必须返回"),
        (lambda: greedy_search(lambda t, s: None, state=[1], bos=0, eos=1, max_len=3), TypeError, "state 必须是张量"),
        (lambda: greedy_search(lambda t, s: None, bos=0, eos=1, max_len=10**9), ValueError, "max_len 必须在"),
        (lambda: beam_search(lambda t, s: None, torch.zeros(2, 3), bos=0, eos=1, beam_width=2, max_len=3), ValueError, "一次只解码一条输入"),
        (lambda: beam_search(lambda t, s: None, bos=0, eos=1, beam_width=0, max_len=3), ValueError, "beam_width 必须在"),
        (lambda: beam_search(lambda t, s: None, bos=0, eos=1, beam_width=2, max_len=3, alpha=2.0), ValueError, "alpha 必须在"),
        (lambda: length_normalized_score(0.5, 3, 0.7), ValueError, "log_prob 必须在"),
        (lambda: length_normalized_score(-1.0, 0, 0.7), ValueError, "length 必须在"),
        (lambda: decode_batch(torch.nn.Linear(2, 2), torch.ones(1, 2, dtype=torch.long), bos=1, eos=2, max_len=3), TypeError, "model 必须是有"),
        (lambda: decode_batch(Seq2Seq(9, 9, embed=4, hidden=4), [[1, 2]], bos=1, eos=2, max_len=3), TypeError, "src 必须是 torch.Tensor"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()

