"""dlguide.pages.applications.face_recognition（页面：docs/applications/face-recognition.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.data import load_digits
from dlguide.pages.applications.face_recognition import (
    PhotoViews,
    best_threshold,
    embedding_net,
    jitter,
    verification_pairs,
    verification_scores,
)


def test_jitter_without_noise_is_a_shift_of_at_most_one_pixel() -> None:
    X, _ = load_digits()
    X = X[:50]
    views = jitter(X, torch.Generator().manual_seed(0), shift=1, noise=0.0).reshape(-1, 8, 8)
    padded = torch.nn.functional.pad(X.reshape(-1, 8, 8), (1, 1, 1, 1))
    for v, p in zip(views, padded):
        assert any(torch.equal(v, p[dy : dy + 8, dx : dx + 8]) for dy in range(3) for dx in range(3))


def test_photo_views_pair_up_identities() -> None:
    views = PhotoViews(seed=1)
    x = torch.rand(4, 64)
    out = views(x)
    assert out.shape == (8, 64)
    assert torch.equal(views.eval()(x), x)


def test_verification_halves_are_disjoint_unseen_identities() -> None:
    A_val, _, d_val = verification_pairs("val")
    A_test, _, d_test = verification_pairs("test")
    assert len(A_val) + len(A_test) == 896 and set(d_val.tolist()) | set(d_test.tolist()) == {5, 6, 7, 8, 9}
    scores, same = verification_scores(embedding_net(), "val", hard_only=True)
    assert int(same.sum()) == len(A_val) and len(scores) < len(A_val) ** 2


def test_best_threshold_separates_perfect_scores() -> None:
    assert best_threshold(torch.tensor([0.9, 0.7, 0.4, 0.2]), torch.tensor([1, 1, 0, 0])) == 0.7


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="X 的形状必须是"):
        jitter(torch.zeros(2, 10), torch.Generator())
    with pytest.raises(TypeError, match="rng 必须是"):
        jitter(torch.zeros(2, 64), 0)
    with pytest.raises(ValueError, match="half 必须是"):
        verification_pairs("train")
    with pytest.raises(TypeError, match="hard_only"):
        verification_scores(None, hard_only="yes")
