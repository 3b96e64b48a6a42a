"""dlguide.data：docs/activations/regularization.md）。；docs/optimization/ml-strategy.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch

from dlguide.data import (
    load_digits,
    make_adding_problem,
    make_moons,
    make_sine,
    make_xor,
    polynomial_features,
    shift_digits,
)


def test_polynomial_features() -> None:
    P = polynomial_features(torch.tensor([0.5, -2.0], dtype=torch.float64), 4)
    assert P.tolist() == [[0.5, 0.25, 0.125, 0.0625], [-2.0, 4.0, -8.0, 16.0]]


def test_make_sine_is_deterministic_and_checked() -> None:

    x1, y1 = make_sine(10, seed=3)
    x2, y2 = make_sine(10, seed=3)
    assert torch.equal(x1, x2) and torch.equal(y1, y2) and bool((x1.abs() <= 1).all())
    with pytest.raises(ValueError, match="noise 必须在"):
        make_sine(10, noise=2.0)
    with pytest.raises(TypeError, match="n 必须是整数"):
        make_sine(2.5)


def test_xor_is_balanced_and_deterministic() -> None:
    X1, y1 = make_xor(400, seed=3)
    X2, y2 = make_xor(400, seed=3)
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert y1.sum().item() == 200
    # 标签由角决定：同号为 0，异号为 1
    assert torch.equal(y1, (torch.sign(X1.round()).prod(1) < 0).long())


def test_moons_and_digits_shapes() -> None:
    X, y = make_moons(50)
    assert X.shape == (50, 2) and set(y.tolist()) == {0, 1}
    X, y = load_digits(standardize=False)
    assert X.shape == (1797, 64) and X.max().item() == 16.0


def test_shift_digits_keeps_range_and_moves_mass() -> None:
    X = torch.rand(5, 64, generator=torch.Generator().manual_seed(0))
    S = shift_digits(X, pixels=2, noise=0.0)
    assert torch.equal(S.reshape(5, 8, 8)[:, 2:, 2:], X.reshape(5, 8, 8)[:, :6, :6])
    assert S.reshape(5, 8, 8)[:, :2, :].abs().sum() == 0
    assert 0 <= shift_digits(X, noise=1.0).min() and shift_digits(X, noise=1.0).max() <= 1


@pytest.mark.parametrize("markers", [1, 2])
def test_adding_problem_markers_targets_and_determinism(markers: int) -> None:
    X, y = make_adding_problem(500, 12, markers=markers, seed=4)
    X2, y2 = make_adding_problem(500, 12, markers=markers, seed=4)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert X.shape == (500, 12, 2) and y.shape == (500, 1) and X.dtype == torch.float32
    marks = X[..., 1]
    assert marks.sum(dim=1).tolist() == [float(markers)] * 500
    assert bool((marks[:, :6].sum(dim=1) == 1).all())  # 第一个标记总在前半段
    if markers == 2:
        assert bool((marks[:, 6:].sum(dim=1) == 1).all())  # 第二个在后半段
    assert bool(((X[..., 0] >= -1) & (X[..., 0] <= 1)).all())
    torch.testing.assert_close(y, (X[..., 0] * marks).sum(dim=1, keepdim=True))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n 必须在"),
        ({"n": 10**9}, ValueError, "n 必须在"),
        ({"length": 1}, ValueError, "length 必须在"),
        ({"markers": 3}, ValueError, "markers 必须在"),
        ({"length": 2.5}, TypeError, "length 必须是整数"),
        ({"seed": -1}, ValueError, "seed 必须在"),
    ],
)
def test_adding_problem_errors(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        make_adding_problem(**kwargs)
