"""dlguide.pages.gradients.zero_init（页面：docs/gradients/zero-init.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.init import constant_, zeros_
from dlguide.models import mlp
from dlguide.pages.gradients.zero_init import hidden_unit_spread


def test_hidden_unit_spread() -> None:
    net = mlp([3, 5, 4, 2], "tanh", seed=0)
    for layer in [m for m in net if isinstance(m, nn.Linear)]:
        constant_(layer.weight, 0.3)
        zeros_(layer.bias)
    assert hidden_unit_spread(net) == [0.0, 0.0]
    with torch.no_grad():
        net[0].bias[2] = 1.0
    assert hidden_unit_spread(net) == [1.0, 0.0]
    with pytest.raises(TypeError, match="model 必须是"):
        hidden_unit_spread("net")
