"""dlguide.pages.optimization.optimizers（页面：docs/optimization/optimizers.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.optimization.optimizers import iteration_losses, successive_diff_std


def test_iteration_losses_and_noise_measure() -> None:
    X = torch.randn(64, 3, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    assert len(iteration_losses(X, y, batch_size=8, lr=0.1, steps=7)) == 7
    with pytest.raises(ValueError, match="batch_size 必须 ≥ 1"):
        iteration_losses(X, y, batch_size=0, lr=0.1, steps=3)
    with pytest.raises(ValueError, match=r"steps 必须在 \[1, 100000\] 内"):
        iteration_losses(X, y, batch_size=None, lr=0.1, steps=0)
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        iteration_losses(y.reshape(-1, 1), y, batch_size=None, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="values 至少需要 3 个数"):
        successive_diff_std([1.0, 2.0])
