"""dlguide.pages.activations.activation_functions（页面：docs/activations/activation-functions.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import mlp
from dlguide.pages.activations.activation_functions import dead_unit_fraction


def test_dead_unit_fraction_counts_units_dead_on_every_sample() -> None:
    net = mlp([1, 4, 1], "relu", seed=0)
    with torch.no_grad():
        net[0].weight.fill_(1.0)
        net[0].bias.copy_(torch.tensor([0.0, -5.0, -10.0, 1.0]))
    X = torch.tensor([[1.0], [2.0]])
    assert dead_unit_fraction(net, X) == [0.5]
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Sequential"):
        dead_unit_fraction(nn.Linear(1, 1), X)
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        dead_unit_fraction(net, torch.tensor([[1]]))


def test_dead_unit_fraction_checks_that_the_model_takes_x() -> None:
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
    with pytest.raises(ValueError, match="model 不接受 X"):
        dead_unit_fraction(net, torch.zeros(4, 3))  # 以前是 RuntimeError
    with pytest.raises(ValueError, match="model 不接受 X|X 必须至少是 1 维"):
        dead_unit_fraction(net, torch.tensor(1.0))
    with pytest.raises(ValueError, match="X 不能是空张量"):
        dead_unit_fraction(net, torch.zeros(0, 2))
