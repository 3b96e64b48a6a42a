"""dlguide.pages.misc.dilated_convolution（页面：docs/misc/dilated-convolution.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.conv import receptive_field, receptive_field_sizes
from dlguide.pages.misc.dilated_convolution import CausalConv1d, coverage, dilated_stack


@pytest.mark.parametrize("dilations", [[1, 2, 4], [1, 1, 1, 1], [1, 3, 9], [2, 4]])
def test_receptive_field_formula_matches_gradient(dilations: list[int]) -> None:
    net = dilated_stack(dilations, kernel_size=2)
    expected = 1 + sum(dilations)
    assert receptive_field(net, (1, 64), position=(63,)) == (expected,)
    assert receptive_field_sizes(net)[-1][0] == expected


def test_wavenet_dilations_give_exactly_one_path() -> None:
    # 核长 2、扩张率 1, 2, 4, 8：感受野里每个输入恰有一条路径（二进制表示唯一）
    paths = torch.ones(1, 1, 1, dtype=torch.float64)
    for d in (1, 2, 4, 8):
        paths = torch.nn.functional.conv_transpose1d(paths, torch.ones(1, 1, 2, dtype=torch.float64), dilation=d)
    assert paths.flatten().tolist() == [1.0] * 16
    assert int(coverage([1, 2, 4], 3).min()) >= 1


def test_causal_conv_keeps_length_and_is_causal() -> None:
    layer = CausalConv1d(2, 3, dilation=2)
    x = torch.randn(1, 2, 20, requires_grad=True)
    layer(x)[0, :, 10].sum().backward()
    assert (x.grad[..., 11:] == 0).all()


def test_bad_input() -> None:
    for call, error, message in [
        (lambda: dilated_stack([]), TypeError, "dilations"),
        (lambda: dilated_stack("124"), TypeError, "dilations"),
        (lambda: dilated_stack([0]), ValueError, "dilations"),
        (lambda: dilated_stack([1] * 40), ValueError, "dilations"),
        (lambda: dilated_stack([1], seed=-1), ValueError, "seed"),
        (lambda: coverage([100]), ValueError, "dilations"),
        (lambda: coverage([1], kernel_size=0), ValueError, "kernel_size"),
        (lambda: coverage([1], kernel_size=2), ValueError, "kernel_size"),
        (lambda: CausalConv1d(0), ValueError, "channels"),
    ]:
        with pytest.raises(error, match=message):
            call()


def test_causal_conv_rejects_bad_x() -> None:
    layer = CausalConv1d(2)
    with pytest.raises(ValueError, match="x"):
        layer(torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match="x"):
        layer(torch.zeros(2, 5))
