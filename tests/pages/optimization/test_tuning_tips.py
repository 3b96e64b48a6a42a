"""dlguide.pages.optimization.tuning_tips（页面：docs/optimization/tuning-tips.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import pytest
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


def test_tuning_helpers_check_models_and_data() -> None:
    from torch import nn  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    from dlguide.pages.optimization.tuning_tips import (  # noqa: PLC0415
        condition_number,
        ensemble_accuracy,
        lr_range_test,
    )

    X, y = torch.zeros(4, 2), torch.tensor([0, 1, 1, 0])
    a, b = nn.Linear(2, 2), nn.Linear(2, 3)
    for args, error, message in (
        (("net", X, y), TypeError, "models 必须是 nn.Module 的列表或元组"),
        ((a, X, y), TypeError, "models 必须是 nn.Module 的列表或元组"),
        (([a, None], X, y), TypeError, r"models\[1\] 必须是 torch.nn.Module"),
        (([a, b], X, y), ValueError, r"models\[1\] 的输出必须是 \(N, C\) 的 logit"),
        (([a], X[:, :1], y), ValueError, r"models\[0\] 不接受 X"),
        (([a], X, y[:3]), ValueError, "X 与 y 的样本数"),
        (([a], X, torch.tensor(1)), ValueError, "y 必须是 1 维张量"),
        (([a], X, y + 5), ValueError, r"y 的类别必须在 \[0, 1\] 内"),
        (([a], None, y), TypeError, "X 必须是 torch.Tensor"),
    ):
        with pytest.raises(error, match=message):
            ensemble_accuracy(*args)
    singles, both = ensemble_accuracy([a, a], torch.full((4, 2), float("nan")), y)
    assert all(s != s for s in singles) and both != both  # NaN 的 logit：不给出一个看似正常的准确率
    with pytest.raises(ValueError, match="X 不能是空张量"):
        lr_range_test(a, X[:0], y[:0])  # 以前是 ZeroDivisionError
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Module"):
        lr_range_test(None, X, y)
    with pytest.raises(ValueError, match="seed 必须在"):
        lr_range_test(a, X, y, seed=-1)
    with pytest.raises(ValueError, match="X 不能是空张量"):
        condition_number(torch.zeros(0, 2))
    with pytest.raises(ValueError, match="X 必须是 2 维张量"):
        condition_number(torch.tensor(1.0))
