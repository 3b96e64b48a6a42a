"""dlguide.tuning（页面：docs/optimization/hyperparameters.md、tuning-tips.md）。"""

import math

import pytest
import torch

from dlguide.models import mlp
from dlguide.tuning import (
    averaging_window,
    condition_number,
    ensemble_accuracy,
    grid_points,
    lr_range_test,
    random_points,
    sample_beta,
    sample_log_uniform,
)


def test_grid_and_random_shapes() -> None:
    assert grid_points(4, 3).shape == (64, 3)
    assert random_points(10, 3, seed=1).shape == (10, 3)
    assert torch.equal(random_points(5, seed=2), random_points(5, seed=2))


def test_log_uniform_is_uniform_in_log_space() -> None:
    logs = [math.log10(v) for v in sample_log_uniform(1e-5, 1e-1, 4000, seed=3)]
    assert min(logs) >= -5 and max(logs) <= -1
    assert sum(logs) / len(logs) == pytest.approx(-3, abs=0.05)
    betas = sample_beta(0.9, 0.9999, 3000)
    assert all(0.9 <= b <= 0.9999 for b in betas)
    assert averaging_window(0.98) == pytest.approx(50)


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


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="per_axis 必须 ≥ 1"):
        grid_points(0)
    with pytest.raises(TypeError, match="n 必须是整数"):
        random_points(2.5)
    with pytest.raises(ValueError, match="high 必须在"):
        sample_log_uniform(1.0, 0.1, 3)
    with pytest.raises(ValueError, match="low 必须在"):
        sample_log_uniform(0.0, 1.0, 3)
    with pytest.raises(ValueError, match="high 必须在"):
        sample_beta(0.9, 1.0, 3)
    with pytest.raises(ValueError, match="beta 必须在"):
        averaging_window(1.0)
    with pytest.raises(ValueError, match="steps 必须 ≥ 2"):
        lr_range_test(mlp([2, 2]), torch.zeros(4, 2), torch.zeros(4, dtype=torch.long), steps=1)
    with pytest.raises(ValueError, match="models 至少要有一个模型"):
        ensemble_accuracy([], torch.zeros(1, 2), torch.zeros(1, dtype=torch.long))
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        condition_number(torch.zeros(3, 2, dtype=torch.long))
