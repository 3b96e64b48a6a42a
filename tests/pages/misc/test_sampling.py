"""dlguide.pages.misc.sampling（页面：docs/misc/sampling.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.misc.sampling import overlap_counts, sampling_layers


@pytest.mark.parametrize(("k", "s"), [(4, 2), (6, 3), (2, 2), (3, 1)])
def test_overlap_is_uniform_when_stride_divides_kernel(k: int, s: int) -> None:
    counts = overlap_counts(8, k, s)
    assert set(counts[k:-k]) == {k // s}


def test_overlap_is_uneven_otherwise() -> None:
    assert len(set(overlap_counts(8, 3, 2)[3:-3])) == 2


def test_layers_scale_by_two() -> None:
    x = torch.zeros(1, 4, 8, 8)
    for name, module in sampling_layers(4).items():
        out = module(x)
        assert out.shape[1] == 4, name
        assert out.shape[2] in (4, 16), name


def test_bad_input() -> None:
    for call, error, message in [
        (lambda: overlap_counts(0, 3, 2), ValueError, "size"),
        (lambda: overlap_counts(4, "3", 2), TypeError, "kernel_size"),
        (lambda: overlap_counts(4, 3, 10**9), ValueError, "stride"),
        (lambda: sampling_layers(0), ValueError, "channels"),
    ]:
        with pytest.raises(error, match=message):
            call()
