"""dlguide.pages.misc.glm（页面：docs/misc/glm.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.misc.glm import fit_glm, glm_data


@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "categorical", "poisson"])
def test_glm_data_values(family: str) -> None:
    X, y = glm_data(family, 50, seed=3)
    assert X.shape == (50, 3) and y.shape == (50,)
    if family == "categorical":
        assert y.dtype == torch.int64 and set(y.tolist()) <= {0, 1, 2}
    if family == "poisson":
        assert (y >= 0).all() and torch.equal(y, y.round())


def test_fit_glm_lowers_the_loss() -> None:
    X, y = glm_data("poisson", 100)
    model = fit_glm(X, y, "poisson", epochs=50, lr=0.1, seed=None)
    assert model.linear.weight.shape == (1, 3)


def test_bad_input() -> None:
    X, y = glm_data("bernoulli", 20)
    cases = [
        (lambda: glm_data("gamma"), ValueError, "family"),
        (lambda: glm_data("poisson", 10**9), ValueError, "n"),
        (lambda: fit_glm(None, y, "bernoulli"), TypeError, "X"),
        (lambda: fit_glm(X, y, "categorical"), TypeError, "y"),
        (lambda: fit_glm(X, y, "bernoulli", epochs=0), ValueError, "epochs"),
        (lambda: fit_glm(X, y, "bernoulli", lr=-1.0), ValueError, "lr"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
