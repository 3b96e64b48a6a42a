"""dlguide.perceptron：与 scikit-learn 的 Perceptron 逐轮对照，收敛上界，坏输入。"""

from __future__ import annotations

import math

import pytest
import torch
from sklearn.linear_model import Perceptron

from dlguide.perceptron import mistake_bound, perceptron_predict, step, train_perceptron


def _separable(seed: int, n: int = 60, d: int = 3) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    w = torch.randn(d, generator=g, dtype=torch.float64)
    z = X @ w + 0.3
    keep = z.abs() > 0.2
    return X[keep], torch.where(z[keep] > 0, 1, -1), w


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("epochs", [1, 2, 5])
def test_matches_sklearn_epoch_by_epoch(seed: int, epochs: int) -> None:
    X, y, _ = _separable(seed)
    ours = train_perceptron(X, y, epochs=epochs)
    sk = Perceptron(eta0=1.0, shuffle=False, penalty=None, tol=None, max_iter=ours.epochs).fit(X.numpy(), y.numpy())
    assert torch.allclose(ours.weight, torch.from_numpy(sk.coef_[0]), atol=1e-10)
    assert ours.bias == pytest.approx(float(sk.intercept_[0]), abs=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_mistakes_below_novikoff_bound(seed: int) -> None:
    X, y, _ = _separable(seed, n=200, d=2)
    result = train_perceptron(X, y, epochs=10_000)
    assert result.converged
    assert (perceptron_predict(X, result.weight, result.bias) == y).all()
    # 学到的分界面本身也分开数据，它给出一个成立的上界
    assert result.mistakes <= mistake_bound(X, y, result.weight, result.bias)


def test_learning_rate_only_scales_weights() -> None:
    X, y, _ = _separable(0)
    a, b = train_perceptron(X, y), train_perceptron(X, y, lr=0.1)
    assert a.mistakes_per_epoch == b.mistakes_per_epoch
    assert torch.allclose(a.weight * 0.1, b.weight)


def test_xor_never_converges_and_shuffle_is_seeded() -> None:
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([-1, 1, 1, -1])
    assert not train_perceptron(X, y, epochs=200).converged
    r1 = train_perceptron(X, y, epochs=10, shuffle=True, seed=3)
    r2 = train_perceptron(X, y, epochs=10, shuffle=True, seed=3)
    assert r1.mistakes_per_epoch == r2.mistakes_per_epoch
    train_perceptron(X, y, epochs=2, shuffle=True, seed=None)


def test_step_and_bound_values() -> None:
    assert step(torch.tensor([-0.1, 0.0, 0.1])).tolist() == [0.0, 0.0, 1.0]
    X = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    assert mistake_bound(X, torch.tensor([1, -1]), torch.tensor([2.0, 0.0])) == pytest.approx(2.0)
    assert math.isclose(mistake_bound(X, torch.tensor([1, -1]), torch.tensor([1.0, 0.0]), 0.0), 2.0)


def test_bad_input() -> None:
    X, y = torch.zeros(3, 2), torch.tensor([1, -1, 1])
    cases = [
        (lambda: train_perceptron(None, y), TypeError, "X"),
        (lambda: train_perceptron(X, torch.tensor([0, 1, 1])), ValueError, "y"),
        (lambda: train_perceptron(X, y[:2]), ValueError, "样本数"),
        (lambda: train_perceptron(X, y, epochs=10**9), ValueError, "epochs"),
        (lambda: train_perceptron(X, y, lr=float("nan")), ValueError, "lr"),
        (lambda: train_perceptron(X, y, seed=-1), ValueError, "seed"),
        (lambda: train_perceptron(X, y, shuffle="yes"), TypeError, "shuffle"),
        (lambda: perceptron_predict(X, torch.zeros(3)), ValueError, "weight"),
        (lambda: perceptron_predict(X, torch.zeros(2), float("inf")), ValueError, "bias"),
        (lambda: perceptron_predict(X, torch.zeros(2), "0"), TypeError, "bias"),
        (lambda: mistake_bound(X, y, torch.zeros(2)), ValueError, "weight/bias"),
        (lambda: mistake_bound(torch.tensor([[1.0], [2.0]]), torch.tensor([1, -1]), torch.tensor([1.0])), ValueError, "γ"),
        (lambda: step("z"), TypeError, "z"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
