"""dlguide.pages.optimization.hyperparameters（页面：docs/optimization/hyperparameters.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import pytest
import torch

from dlguide.models import mlp
from dlguide.pages.optimization.hyperparameters import (
    averaging_window,
    grid_points,
    random_points,
    sample_beta,
    sample_log_uniform,
)
from dlguide.pages.optimization.tuning_tips import condition_number, ensemble_accuracy, lr_range_test


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


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"per_axis 必须在 \[1, 10000000\] 内"):
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
    with pytest.raises(ValueError, match=r"steps 必须在 \[2, 100000\] 内"):
        lr_range_test(mlp([2, 2]), torch.zeros(4, 2), torch.zeros(4, dtype=torch.long), steps=1)
    with pytest.raises(ValueError, match="models 至少要有一个模型"):
        ensemble_accuracy([], torch.zeros(1, 2), torch.zeros(1, dtype=torch.long))
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        condition_number(torch.zeros(3, 2, dtype=torch.long))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: grid_points(10**9), ValueError, "per_axis 必须在"),
        (lambda: grid_points(2, 10**9), ValueError, r"dims 必须在 \[1, 20\] 内"),
        (lambda: grid_points(100, 20), ValueError, "网格点太多"),
        (lambda: random_points(10**9), ValueError, r"n 必须在 \[1, 10000000\] 内"),
        (lambda: random_points(10, 10**9), ValueError, r"dims 必须在 \[1, 10000\] 内"),
        (lambda: random_points(10**6, 100), ValueError, "n·dims"),
        (lambda: random_points(3, seed=-1), ValueError, "seed 必须在"),
        (lambda: sample_log_uniform(1e-3, float("inf"), 3), ValueError, "high 必须在"),
        (lambda: sample_log_uniform(1e-3, 1.0, 10**9), ValueError, "n 必须在"),
        (lambda: sample_log_uniform(1e-3, 1.0, 3, seed="0"), TypeError, "seed 必须是整数或 None"),
        (lambda: sample_beta(0.9, 0.99, 10**9), ValueError, "n 必须在"),
        (lambda: sample_beta(0.9, 0.99, 3, seed=2**64), ValueError, "seed 必须在"),
    ],
)
def test_sizes_bounded_and_seeds_checked(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
