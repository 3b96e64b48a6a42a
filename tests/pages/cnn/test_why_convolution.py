"""dlguide.pages.cnn.why_convolution（页面：docs/cnn/why-convolution.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlguide.conv import conv_matrix
from dlguide.pages.cnn.why_convolution import _weight_ids, layer_parameters, shift_right


@pytest.mark.parametrize(("shape", "out", "k"), [((3, 32, 32), 6, 5), ((1, 8, 8), 4, 3), ((16, 10, 12), 8, 1)])
def test_parameter_counts_follow_the_formulas(shape, out, k) -> None:
    c, h, w = shape
    positions = (h - k + 1) * (w - k + 1)
    counts = layer_parameters(shape, out, k)
    assert counts["conv"] == (c * k * k + 1) * out
    assert counts["locally_connected"] == positions * counts["conv"]
    assert counts["fully_connected"] == (c * h * w + 1) * out * positions


def test_weight_id_matrices_have_the_right_sharing() -> None:
    conv = _weight_ids("conv", 10, 3)
    assert conv.shape == (8, 10)
    for d in range(3):  # 每条对角线上是同一个参数
        assert len(set(torch.diagonal(conv, offset=d).tolist())) == 1
    assert len(set(_weight_ids("locally_connected", 10, 3).flatten().tolist())) == 25  # 24 个参数 + 0


def test_conv_matrix_is_equivariant_under_circular_shift_of_a_circular_conv() -> None:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 1, 6, 6, generator=g, dtype=torch.float64)
    w = torch.randn(1, 1, 3, 3, generator=g, dtype=torch.float64)
    conv = lambda t: F.conv2d(F.pad(t, (1, 1, 1, 1), mode="circular"), w)
    for s in range(6):
        assert torch.equal(conv(torch.roll(x, s, 3)), torch.roll(conv(x), s, 3))
    assert conv_matrix(w, (1, 6, 6)).shape == (16, 36)


def test_shift_right_and_bad_input() -> None:
    x = torch.arange(6.0).reshape(2, 3)
    assert shift_right(x, 2).tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 3.0]]
    assert torch.equal(shift_right(x, 0), x)
    with pytest.raises(ValueError, match="pixels 必须在"):
        shift_right(x, 4)
    with pytest.raises(TypeError, match="x 必须是 torch.Tensor"):
        shift_right([1.0], 1)
    with pytest.raises(ValueError, match="x 必须至少是 1 维"):
        shift_right(torch.tensor(1.0), 0)
    with pytest.raises(ValueError, match="input_shape 必须是"):
        layer_parameters((3, 32), 6, 5)
    with pytest.raises(ValueError, match="kernel_size 必须在"):
        layer_parameters((3, 4, 4), 6, 5)
    with pytest.raises(ValueError, match="out_channels 必须在"):
        layer_parameters((3, 4, 4), 10**9, 3)
