"""dlguide.strategy（页面：docs/optimization/ml-strategy.md）。"""

import pytest
import torch
from sklearn.metrics import precision_recall_fscore_support

from dlguide.strategy import error_analysis_ceiling, precision_recall_f1, select_model, shift_digits


@pytest.mark.parametrize("seed", range(5))
def test_prf_matches_sklearn(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    t = torch.randint(0, 3, (200,), generator=g).tolist()
    p = torch.randint(0, 3, (200,), generator=g).tolist()
    for positive in (0, 1, 2):
        ours = precision_recall_f1(t, p, positive)
        P, R, F, _ = precision_recall_fscore_support(t, p, labels=[positive], average=None, zero_division=0)
        assert ours == pytest.approx((P[0], R[0], F[0]), abs=1e-4)


def test_prf_zero_division() -> None:
    assert precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)


def test_select_model_none_feasible() -> None:
    assert select_model({"A": {"acc": 1.0, "ms": 200}}, "acc", {"ms": 100}) is None


def test_shift_digits_keeps_range_and_moves_mass() -> None:
    X = torch.rand(5, 64, generator=torch.Generator().manual_seed(0))
    S = shift_digits(X, pixels=2, noise=0.0)
    assert torch.equal(S.reshape(5, 8, 8)[:, 2:, 2:], X.reshape(5, 8, 8)[:, :6, :6])
    assert S.reshape(5, 8, 8)[:, :2, :].abs().sum() == 0
    assert 0 <= shift_digits(X, noise=1.0).min() and shift_digits(X, noise=1.0).max() <= 1


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="y_true 与 y_pred 必须等长且非空"):
        precision_recall_f1([1], [1, 0])
    with pytest.raises(ValueError, match="n_in_category ≤ n_errors_sampled"):
        error_analysis_ceiling(0.1, 10, 11)
    with pytest.raises(ValueError, match="X 的形状必须是"):
        shift_digits(torch.zeros(3, 10))
    with pytest.raises(ValueError, match="pixels 必须在"):
        shift_digits(torch.zeros(3, 64), pixels=8)
