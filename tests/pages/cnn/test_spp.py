"""dlguide.pages.cnn.spp（页面：docs/cnn/spp.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest
import torch

from dlguide.data import load_digits
from dlguide.pages.cnn.spp import resize_digits, spp_net, train_multi_size


def test_spp_net_output_does_not_depend_on_input_size() -> None:
    net = spp_net(levels=(1, 3), width=4)
    assert net[-1].in_features == 8 * (1 + 9)
    for h, w in ((5, 5), (8, 17), (40, 9)):
        assert net(torch.zeros(2, 1, h, w)).shape == (2, 10)


def test_resize_keeps_8x8_unchanged() -> None:
    X, _ = load_digits()
    assert torch.equal(resize_digits(X[:3], 8), X[:3].reshape(-1, 1, 8, 8))


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: spp_net(width=0), ValueError, "width"),
        (lambda: spp_net(levels=()), TypeError, "levels"),
        (lambda: spp_net(seed=-1), ValueError, "seed"),
        (lambda: resize_digits(torch.zeros(3, 10), 8), ValueError, "X"),
        (lambda: resize_digits(torch.zeros(3, 64), 10**9), ValueError, "size"),
        (lambda: train_multi_size([]), TypeError, "sizes"),
        (lambda: train_multi_size([8, 100]), ValueError, "sizes[1]"),
        (lambda: train_multi_size([8], rounds=0), ValueError, "rounds"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
