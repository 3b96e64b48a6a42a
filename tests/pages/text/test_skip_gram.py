"""dlguide.pages.text.skip_gram（页面：docs/text/skip-gram.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.text.skip_gram import _offset_projection, full_softmax_vs_negative_sampling


def test_offset_projection_puts_a_constant_offset_on_the_x_axis() -> None:
    g = torch.Generator().manual_seed(0)
    first = torch.randn(4, 6, generator=g, dtype=torch.float64)
    offset = torch.randn(6, generator=g, dtype=torch.float64)
    starts, ends = _offset_projection(first, first + offset)
    torch.testing.assert_close(ends[:, 0] - starts[:, 0], torch.full((4,), offset.norm().item(), dtype=torch.float64))
    torch.testing.assert_close(ends[:, 1], starts[:, 1])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: full_softmax_vs_negative_sampling(vocab_size=10**9), ValueError, "vocab_size 必须在"),
        (lambda: full_softmax_vs_negative_sampling(negatives=0), ValueError, "negatives 必须在"),
        (lambda: full_softmax_vs_negative_sampling(repeats=1.5), TypeError, "repeats 必须是整数"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
