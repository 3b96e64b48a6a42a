"""dlguide.pages.optimization.tuning_tips（页面：docs/optimization/tuning-tips.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import torch

from dlguide.models import mlp
from dlguide.pages.optimization.tuning_tips import condition_number, ensemble_accuracy, lr_range_test


def test_condition_number_of_standardized_data_is_small() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(500, 3, generator=g) * torch.tensor([1.0, 100.0, 0.01]) + 50
    assert condition_number(X) > 1e6
    assert condition_number((X - X.mean(0)) / X.std(0)) < 2


def test_lr_range_test_stops_on_divergence() -> None:
    X = torch.randn(64, 4, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    lrs, losses = lr_range_test(mlp([4, 2], seed=0), X, y, lr_min=1e-3, lr_max=1e6, steps=50, batch_size=32)
    assert len(lrs) == len(losses) <= 50
    assert all(math.isfinite(v) for v in losses)


def test_ensemble_of_identical_models_equals_single() -> None:
    net = mlp([4, 3], seed=0)
    X = torch.randn(20, 4, generator=torch.Generator().manual_seed(0))
    y = torch.randint(3, (20,), generator=torch.Generator().manual_seed(1))
    singles, ens = ensemble_accuracy([net, net], X, y)
    assert singles[0] == singles[1] == ens
