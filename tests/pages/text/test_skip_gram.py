"""dlguide.pages.text.skip_gram（页面：docs/text/skip-gram.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.text.skip_gram import (
    _offset_projection,
    _pairwise_offset_cosine,
    full_softmax_vs_negative_sampling,
    training_flops,
)


def test_offset_projection_puts_a_constant_offset_on_the_x_axis() -> None:
    g = torch.Generator().manual_seed(0)
    first = torch.randn(4, 6, generator=g, dtype=torch.float64)
    offset = torch.randn(6, generator=g, dtype=torch.float64)
    starts, ends = _offset_projection(first, first + offset)
    torch.testing.assert_close(ends[:, 0] - starts[:, 0], torch.full((4,), offset.norm().item(), dtype=torch.float64))
    torch.testing.assert_close(ends[:, 1], starts[:, 1])


def test_pairwise_cosine_is_one_for_a_constant_offset_and_sees_hidden_components() -> None:
    g = torch.Generator().manual_seed(0)
    first = torch.randn(4, 6, generator=g, dtype=torch.float64)
    offset = torch.randn(6, generator=g, dtype=torch.float64)
    assert _pairwise_offset_cosine(first, first + offset) == 1.0
    # 差向量 = 小的共同分量 + 互相正交的大分量：投影图的横轴仍然都朝右，原空间里两两余弦却接近 0
    spread = 3 * torch.eye(6, dtype=torch.float64)[:4]
    shared = torch.zeros(6, dtype=torch.float64)
    shared[4] = 1.0
    starts, ends = _offset_projection(first, first + shared + spread)
    assert (ends[:, 0] > starts[:, 0]).all()
    assert _pairwise_offset_cosine(first, first + shared + spread) == 0.1  # 1 / (1 + 9)
    # 两两正交、等长：两两余弦是 0，而与平均的余弦是 0.5（所以不用后者）
    assert _pairwise_offset_cosine(torch.zeros(4, 4, dtype=torch.float64), torch.eye(4, dtype=torch.float64)) == 0.0


@pytest.mark.parametrize(("V", "d", "K", "B"), [(20_000, 64, 5, 128), (1000, 8, 4, 2), (50, 3, 1, 7)])
def test_flop_ratio_is_vocab_over_one_plus_k(V: int, d: int, K: int, B: int) -> None:
    full, sampled = training_flops(V, d, K, B)
    # 前向的 logit、反向对 v、反向对输出向量：各 2·B·(行数)·d 次
    assert full == 3 * 2 * B * V * d
    assert sampled == 3 * 2 * B * (1 + K) * d


def test_timing_restores_the_thread_count() -> None:
    threads = torch.get_num_threads()
    full_softmax_vs_negative_sampling(vocab_size=100, dim=4, batch=4, repeats=1)
    assert torch.get_num_threads() == threads


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: full_softmax_vs_negative_sampling(vocab_size=10**9), ValueError, "vocab_size 必须在"),
        (lambda: full_softmax_vs_negative_sampling(negatives=0), ValueError, "negatives 必须在"),
        (lambda: full_softmax_vs_negative_sampling(repeats=1.5), TypeError, "repeats 必须是整数"),
        (lambda: training_flops(vocab_size=10**9), ValueError, "vocab_size 必须在"),
        (lambda: training_flops(batch=0), ValueError, "batch 必须在"),
        (lambda: training_flops(dim="8"), TypeError, "dim 必须是整数"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
