"""dlguide.pages.activations.nonlinearity（页面：docs/activations/nonlinearity.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import mlp
from dlguide.pages.activations.nonlinearity import collapse_linear


@pytest.mark.parametrize("sizes", [[3, 2], [3, 7, 2], [4, 8, 1, 8, 5]])
def test_collapse_matches_network(sizes: list[int]) -> None:
    net = mlp(sizes, "identity", seed=1).double()
    one = collapse_linear(net)
    x = torch.randn(50, sizes[0], generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    torch.testing.assert_close(one(x), net(x))
    assert one.weight.shape == (sizes[-1], sizes[0])


def test_collapse_without_bias() -> None:
    net = nn.Sequential(nn.Linear(3, 4, bias=False), nn.Identity(), nn.Linear(4, 2))
    x = torch.randn(5, 3)
    torch.testing.assert_close(collapse_linear(net)(x), net(x))


def test_collapse_rejects_nonlinear_layers() -> None:
    with pytest.raises(TypeError, match="只能含 nn.Linear"):
        collapse_linear(mlp([2, 4, 2], "relu"))
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Sequential"):
        collapse_linear(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="至少要有一个"):
        collapse_linear(nn.Sequential(nn.Identity()))
