"""dlguide.pages.misc.perceptron（页面：docs/misc/perceptron.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import pytest
import torch

from dlguide.pages.misc.perceptron import XOR_X, XOR_Y, separable_data, xor_network


@pytest.mark.parametrize("margin", [0.05, 0.2, 0.5])
def test_separable_data_has_exact_margin(margin: float) -> None:
    X, y = separable_data(150, margin, seed=2)
    u = torch.tensor([1.0, -0.3]) / math.hypot(1.0, 0.3)
    d = y.float() * (X @ u)
    assert d.min().item() == pytest.approx(margin, abs=1e-5)
    assert X.norm(dim=1).max() <= 1.0 + 1e-6


def test_xor_network_and_seed_none() -> None:
    assert xor_network(XOR_X).tolist() == XOR_Y.tolist()
    assert separable_data(10, seed=None)[0].shape == (10, 2)


def test_bad_input() -> None:
    cases = [
        (lambda: separable_data(1), ValueError, "n"),
        (lambda: separable_data(10, 0.0), ValueError, "margin"),
        (lambda: separable_data(10, 0.9), ValueError, "margin"),
        (lambda: separable_data(10, seed="0"), TypeError, "seed"),
        (lambda: xor_network(torch.zeros(3, 3)), ValueError, "X"),
        (lambda: xor_network(None), TypeError, "X"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
