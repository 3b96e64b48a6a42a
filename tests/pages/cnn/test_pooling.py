"""dlguide.pages.cnn.pooling（页面：docs/cnn/pooling.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F

from dlguide.pages.cnn.pooling import receptive_field


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
    assert receptive_field(layers)[-1] == _autograd_receptive_field(layers)


@pytest.mark.parametrize(
    ("layers", "error", "name"),
    [("3x3", TypeError, "layers"), ([], TypeError, "layers"), ([(3,)], TypeError, "layers[0]"),
     ([(0, 1)], ValueError, "layers[0][0]"), ([(3, 10**9)], ValueError, "layers[0][1]")],
)
def test_bad_input(layers, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        receptive_field(layers)
