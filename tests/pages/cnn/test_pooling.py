"""dlguide.pages.cnn.pooling（页面：docs/cnn/pooling.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlguide.conv import receptive_field_sizes
from dlguide.pages.cnn.pooling import EXAMPLE


def _autograd_receptive_field(layers: list[tuple[int, int]], size: int = 64) -> int:
    """把每层当作全 1 的平均池化，看中心输出对输入的梯度覆盖多宽。"""
    x = torch.zeros(1, 1, size, requires_grad=True)
    y = x
    for k, s in layers:
        y = F.avg_pool1d(y, k, s)
    y[0, 0, y.shape[-1] // 2].backward()
    nonzero = (x.grad[0, 0] != 0).nonzero().flatten()
    return int(nonzero.max() - nonzero.min() + 1)


@pytest.mark.parametrize(
    "layers",
    [[(3, 1), (3, 1)], [(3, 1), (2, 2), (3, 1)], [(7, 2), (3, 2), (3, 1), (3, 1)], [(5, 1), (2, 2), (5, 1), (2, 2)]],
)
def test_receptive_field_recurrence_matches_autograd(layers) -> None:
    """页面用的 [`receptive_field_sizes`][dlguide.conv.receptive_field_sizes]（池化与卷积同一个递推）与梯度实测一致。"""
    assert receptive_field_sizes([(k, s, 1) for k, s in layers])[-1][0] == _autograd_receptive_field(layers)


def test_example_is_the_pages_4x4_input() -> None:
    x = torch.tensor(EXAMPLE)[None, None]
    assert F.max_pool2d(x, 2).flatten().tolist() == [4.0, 2.0, 2.0, 7.0]
