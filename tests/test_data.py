"""dlguide.data：docs/activations/regularization.md）。；docs/optimization/ml-strategy.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch

from dlguide.data import (
    load_digits,
    make_digit_canvases,
    make_gaussian_mixture,
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


def test_digit_canvases_boxes_cover_ink_and_split_is_disjoint() -> None:
    images, boxes, labels = make_digit_canvases(40, size=24, max_digits=2, digit_sizes=(8, 8), seed=3)
    assert images.shape == (40, 1, 24, 24) and 0.0 <= images.min() and images.max() <= 1.0
    for img, b, lab in zip(images, boxes, labels):
        assert len(b) == len(lab) >= 1
        ink = torch.zeros(24, 24, dtype=torch.bool)
        for x1, y1, x2, y2 in b.int().tolist():
            assert 0 <= x1 < x2 <= 24 and 0 <= y1 < y2 <= 24
            ink[y1:y2, x1:x2] = True
        # 每个 > 0.3 的像素都在某个框里
        assert not bool(((img[0] > 0.3) & ~ink).any())
        centres = (b[:, :2] + b[:, 2:]) / 2
        if len(b) == 2:
            assert (centres[0] - centres[1]).abs().max() >= 8
    _, _, test_labels = make_digit_canvases(10, split="test", classes=(7, 3), seed=0)
    assert set(torch.cat(test_labels).tolist()) <= {0, 1}
    again = make_digit_canvases(40, size=24, max_digits=2, digit_sizes=(8, 8), seed=3)
    assert torch.equal(again[0], images)


def test_digit_canvases_reject_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n 必须在"):
        make_digit_canvases(10**9)
    with pytest.raises(ValueError, match="split 必须是"):
        make_digit_canvases(2, split="val")
    with pytest.raises(ValueError, match="digit_sizes\\[1\\]"):
        make_digit_canvases(2, digit_sizes=(12, 10))
    with pytest.raises(TypeError, match="classes"):
        make_digit_canvases(2, classes=(1, 1))
    with pytest.raises(ValueError, match="classes 的元素"):
        make_digit_canvases(2, classes=(1, 12))


def test_gaussian_mixture_centres_and_spread() -> None:
    X, y = make_gaussian_mixture(16_000, modes=8, radius=2.0, std=0.05, seed=0)
    angle = 2 * torch.pi * torch.arange(8) / 8
    centres = 2.0 * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    for k in range(8):
        pts = X[y == k]
        assert (pts.mean(dim=0) - centres[k]).abs().max() < 0.01
        assert pts.std(dim=0).sub(0.05).abs().max() < 0.005
    with pytest.raises(ValueError, match="std"):
        make_gaussian_mixture(10, std=0.0)
    with pytest.raises(ValueError, match="modes"):
        make_gaussian_mixture(10, modes=0)
