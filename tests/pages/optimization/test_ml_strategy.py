"""dlguide.pages.optimization.ml_strategy（页面：docs/optimization/ml-strategy.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.data import shift_digits
from dlguide.metrics import precision_recall_f1
from dlguide.pages.optimization.ml_strategy import error_analysis_ceiling, select_model


def test_select_model_none_feasible() -> None:
    assert select_model({"A": {"acc": 1.0, "ms": 200}}, "acc", {"ms": 100}) is None


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="y_true 与 y_pred 必须等长且非空"):
        precision_recall_f1([1], [1, 0])
    with pytest.raises(ValueError, match="n_in_category ≤ n_errors_sampled"):
        error_analysis_ceiling(0.1, 10, 11)
    with pytest.raises(ValueError, match="X 的形状必须是"):
        shift_digits(torch.zeros(3, 10))
    with pytest.raises(ValueError, match="pixels 必须在"):
        shift_digits(torch.zeros(3, 64), pixels=8)
