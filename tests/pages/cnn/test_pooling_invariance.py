"""dlguide.pages.cnn.pooling_invariance（页面：docs/cnn/pooling-invariance.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest
import torch

from dlguide.pages.cnn.pooling_invariance import (
    STAGES,
    edge_features,
    relative_change,
    sample_patch,
    sensitivity,
    transform,
)


def test_convolution_is_exactly_shift_equivariant_and_global_pooling_invariant() -> None:
    x = sample_patch(32)
    for d in (1, 3, 5):
        moved = transform(x, "shift", d)
        assert torch.equal(edge_features(moved), torch.roll(edge_features(x), (d, d), (-2, -1)))
        assert relative_change(STAGES["全局平均池化"](x), STAGES["全局平均池化"](moved)) == 0.0


def test_transforms_are_identity_at_zero_and_shift_is_invertible() -> None:
    x = sample_patch(16)
    assert torch.equal(transform(transform(x, "shift", 3), "shift", -3), x)
    assert torch.allclose(transform(x, "rotate", 0.0), x, atol=1e-6)
    assert torch.allclose(transform(x, "scale", 1.0), x, atol=1e-6)


def test_pooling_reduces_sensitivity_to_small_shifts() -> None:
    result = sensitivity(sample_patch(64), "shift", [1])
    assert result["卷积"][0] > result["最大池化 2×2"][0] > result["最大池化 4×4"][0] > result["全局最大池化"][0]


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: sample_patch(4), ValueError, "size"),
        (lambda: sample_patch(64, top=100), ValueError, "top"),
        (lambda: edge_features(torch.zeros(1, 3, 8, 8)), ValueError, "x"),
        (lambda: transform(torch.zeros(1, 1, 4, 4), "flip", 1), ValueError, "kind"),
        (lambda: transform(torch.zeros(1, 1, 4, 4), "shift", 1.5), TypeError, "amount"),
        (lambda: transform(torch.zeros(1, 1, 4, 4), "scale", 0.0), ValueError, "amount"),
        (lambda: transform(torch.zeros(1, 1, 4, 4), "rotate", float("nan")), ValueError, "amount"),
        (lambda: relative_change(torch.zeros(2), torch.ones(2)), ValueError, "a"),
        (lambda: relative_change(torch.ones(2), torch.ones(3)), ValueError, "a"),
        (lambda: sensitivity(torch.zeros(1, 1, 6, 6), "shift", [1]), ValueError, "x"),
        (lambda: sensitivity(sample_patch(16), "shift", []), TypeError, "amounts"),
        (lambda: sensitivity(sample_patch(16), "shift", [1, 2.5]), TypeError, "amounts[1]"),
        (lambda: sensitivity(sample_patch(16), "scale", [0.0]), ValueError, "amounts[0]"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
