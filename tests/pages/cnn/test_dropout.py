"""dlguide.pages.cnn.dropout（页面：docs/cnn/dropout.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest

from dlguide.dropout import Dropout
from dlguide.pages.cnn.dropout import dropout_mlp, noisy_digits, train_dropout


def test_noisy_digits_only_changes_training_labels() -> None:
    X_tr, y_tr, X_va, y_va, y_clean = noisy_digits(100, noise=0.0)
    assert (y_tr == y_clean).all() and len(X_tr) == 100 and len(X_va) == 1697
    _, y_noisy, _, _, y_clean = noisy_digits(100, noise=1.0)
    assert 0.8 < (y_noisy != y_clean).float().mean().item() < 1.0


def test_mlp_has_two_dropout_layers_and_curves_are_recorded() -> None:
    assert sum(isinstance(m, Dropout) for m in dropout_mlp(0.3)) == 2
    result = train_dropout(0.5, epochs=20, every=10)
    assert result["steps"] == [10, 20] and len(result["val_curve"]) == 2


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: noisy_digits(10), ValueError, "n_train"),
        (lambda: noisy_digits(noise=1.5), ValueError, "noise"),
        (lambda: dropout_mlp(1.0), ValueError, "p"),
        (lambda: dropout_mlp(0.5, width=0), ValueError, "width"),
        (lambda: train_dropout(0.5, epochs=10**9), ValueError, "epochs"),
        (lambda: train_dropout(0.5, every=-1), ValueError, "every"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
