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


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (({"a": {"acc": 0.9}}, "accuracy", {}), ValueError, "optimize 必须是 'acc' 之一"),  # 以前是 KeyError
        (({"a": {"acc": 0.9}}, None, {}), TypeError, "optimize 必须是字符串"),
        (({"a": {"acc": 0.9}}, "acc", {"latency": 10}), ValueError, "constraints 的指标名 必须是 'acc' 之一"),
        (({"a": {"acc": 0.9}}, "acc", {"acc": None}), TypeError, r"constraints\['acc'\] 必须是实数"),
        (({"a": {"acc": 0.9}}, "acc", {"acc": float("nan")}), ValueError, r"constraints\['acc'\] 必须在"),
        (({"a": {"acc": 0.9}}, "acc", ["acc"]), TypeError, "constraints 必须是"),
        (({"a": None}, "acc", {}), TypeError, r"candidates\['a'\] 必须是"),
        (({"a": {"acc": float("nan")}}, "acc", {}), ValueError, r"candidates\['a'\]\['acc'\] 必须在"),
        (({}, "acc", {}), TypeError, "candidates 必须是非空的"),
        (("abc", "acc", {}), TypeError, "candidates 必须是非空的"),
    ],
)
def test_select_model_names_the_bad_argument(args, error, message) -> None:
    with pytest.raises(error, match=message):
        select_model(*args)


def test_error_analysis_ceiling_counts_are_integers() -> None:
    for kwargs, error, name in (({"n_errors_sampled": 2.5}, TypeError, "n_errors_sampled"),
                                ({"n_errors_sampled": None}, TypeError, "n_errors_sampled"),
                                ({"n_in_category": "2"}, TypeError, "n_in_category"),
                                ({"n_errors_sampled": 0}, ValueError, "n_errors_sampled")):
        with pytest.raises(error, match=f"^{name} "):
            error_analysis_ceiling(**{"dev_error": 0.1, "n_errors_sampled": 10, "n_in_category": 1, **kwargs})
