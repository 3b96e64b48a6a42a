"""dlguide.pages.cnn.fully_connected（页面：docs/cnn/fully-connected.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.pages.cnn.fully_connected import conv_to_linear, linear_to_conv, parameter_shares


@pytest.mark.parametrize("shape", [(3, 4, 5), (7, 1, 1), (2, 6, 2)])
@pytest.mark.parametrize("bias", [True, False])
def test_round_trip_keeps_the_weights(shape, bias) -> None:
    C, h, w = shape
    fc = nn.Linear(C * h * w, 5, bias=bias)
    conv = linear_to_conv(fc, shape)
    back = conv_to_linear(conv, shape)
    torch.testing.assert_close(back.weight, fc.weight)
    assert (back.bias is None) == (not bias)
    x = torch.randn(3, C, h, w)
    torch.testing.assert_close(conv(x).flatten(1), fc(x.flatten(1)))


def test_shares_are_fractions() -> None:
    for total, fc in parameter_shares().values():
        assert 0 < fc < total


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: linear_to_conv(nn.Conv2d(1, 1, 1), (1, 1, 1)), TypeError, "linear"),
        (lambda: linear_to_conv(nn.Linear(10, 2), (3, 2, 2)), ValueError, "linear.in_features"),
        (lambda: linear_to_conv(nn.Linear(12, 2), (3, 4)), TypeError, "in_shape"),
        (lambda: linear_to_conv(nn.Linear(12, 2), (3, 0, 4)), ValueError, "in_shape[1]"),
        (lambda: conv_to_linear(nn.Linear(3, 3), (3, 1, 1)), TypeError, "conv"),
        (lambda: conv_to_linear(nn.Conv2d(3, 4, 3, padding=1), (3, 3, 3)), ValueError, "conv"),
        (lambda: conv_to_linear(nn.Conv2d(3, 4, 3), (3, 5, 5)), ValueError, "conv"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
