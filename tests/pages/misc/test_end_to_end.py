"""dlguide.pages.misc.end_to_end（页面：docs/misc/end-to-end.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.misc.end_to_end import digit_canvases, hand_features, learning_curve, recenter


def test_canvas_keeps_the_digit_and_recenter_undoes_the_shift() -> None:
    X = torch.rand(5, 64, generator=torch.Generator().manual_seed(0))
    C = digit_canvases(X, seed=7)
    assert torch.allclose(C.sum(1), X.sum(1))
    assert torch.allclose(recenter(C), recenter(digit_canvases(X, seed=8)))


def test_features_are_means() -> None:
    X = torch.arange(64.0)[None]
    f = hand_features(X)
    assert f.shape == (1, 32)
    assert f[0, 0].item() == pytest.approx((0 + 1 + 8 + 9) / 4)


def test_bad_input() -> None:
    for call, error, message in [
        (lambda: hand_features(torch.zeros(2, 10)), ValueError, "X"),
        (lambda: digit_canvases(None), TypeError, "X"),
        (lambda: recenter(torch.zeros(2, 64)), ValueError, "C"),
        (lambda: learning_curve("svm", [10]), ValueError, "method"),
        (lambda: learning_curve("features", []), TypeError, "sizes"),
        (lambda: learning_curve("features", [5]), ValueError, "sizes"),
        (lambda: learning_curve("features", "10"), TypeError, "sizes"),
    ]:
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize("seed", [1, 4])
def test_full_data_ordering_is_not_one_lucky_seed(seed: int) -> None:
    e2e, pixels, features = (learning_curve(m, [1257], seed=seed)[0] for m in ("end_to_end", "pixels", "features"))
    assert e2e >= pixels > features + 0.02
