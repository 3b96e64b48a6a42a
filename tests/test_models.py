"""dlguide.models：docs/basics/unsuitable-datasets.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import ACTIVATIONS, ResidualBlock, digits_cnn, mlp, residual_mlp


def test_digits_cnn_shapes_and_parameter_count() -> None:
    net = digits_cnn(8, seed=0)
    assert net(torch.zeros(3, 64)).shape == (3, 10)
    convs = [m for m in net if isinstance(m, nn.Conv2d)]
    assert [tuple(c.weight.shape) for c in convs] == [(8, 1, 3, 3), (16, 8, 3, 3)]


def test_mlp_structure() -> None:
    net = mlp([3, 4, 4, 2], "relu", batch_norm=True, seed=0)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"]
    assert set(ACTIVATIONS) >= {"sigmoid", "tanh", "relu"}


def test_residual_mlp_structure_and_errors() -> None:

    net = residual_mlp(3, 5, 4, 2, "tanh", batch_norm=True, seed=0)
    assert sum(isinstance(m, ResidualBlock) for m in net) == 4
    assert net(torch.randn(6, 3)).shape == (6, 2)
    # 残差块的 Jacobian = I + ∂F/∂h
    block = ResidualBlock(3, "tanh")
    h = torch.randn(3)
    J = torch.autograd.functional.jacobian(lambda v: block(v.unsqueeze(0)).squeeze(0), h)
    JF = torch.autograd.functional.jacobian(lambda v: block.act(block.linear(v)), h)
    torch.testing.assert_close(J, torch.eye(3) + JF)
    with pytest.raises(ValueError, match="depth 必须 ≥ 1"):
        residual_mlp(3, 5, 0, 2)
    with pytest.raises(ValueError, match="activation 必须是"):
        residual_mlp(3, 5, 1, 2, "swish")
    with pytest.raises(ValueError, match="activation 必须是"):
        ResidualBlock(3, "swish")
