"""dlguide.glm：损失与 PyTorch 内置损失、torch.distributions 的对数似然对照；梯度 μ − y；坏输入。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import distributions as D

from dlguide.glm import FAMILIES, GeneralizedLinearModel, glm_nll, inverse_link, link

G = torch.Generator().manual_seed(0)
ETA = torch.randn(20, generator=G, dtype=torch.float64)
LOGITS = torch.randn(20, 5, generator=G, dtype=torch.float64)
Y01 = (torch.rand(20, generator=G) < 0.5).double()
COUNTS = torch.poisson(torch.full((20,), 2.0, dtype=torch.float64), generator=G)
LABELS = torch.randint(0, 5, (20,), generator=G)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_pytorch(reduction: str) -> None:
    assert torch.allclose(glm_nll(ETA, Y01, "bernoulli", reduction), F.binary_cross_entropy_with_logits(ETA, Y01, reduction=reduction))
    assert torch.allclose(glm_nll(LOGITS, LABELS, "categorical", reduction), F.cross_entropy(LOGITS, LABELS, reduction=reduction))
    assert torch.allclose(glm_nll(ETA, COUNTS, "poisson", reduction), F.poisson_nll_loss(ETA, COUNTS, reduction=reduction))
    assert torch.allclose(2 * glm_nll(ETA, COUNTS, "gaussian", reduction), F.mse_loss(ETA, COUNTS, reduction=reduction))


def test_full_equals_distributions() -> None:
    pairs = [
        (glm_nll(ETA, Y01, "bernoulli", "none", full=True), -D.Bernoulli(logits=ETA).log_prob(Y01)),
        (glm_nll(LOGITS, LABELS, "categorical", "none", full=True), -D.Categorical(logits=LOGITS).log_prob(LABELS)),
        (glm_nll(ETA, COUNTS, "poisson", "none", full=True), -D.Poisson(ETA.exp()).log_prob(COUNTS)),
        (glm_nll(ETA, COUNTS, "gaussian", "none", full=True), -D.Normal(ETA, 1.0).log_prob(COUNTS)),
    ]
    for ours, theirs in pairs:
        assert torch.allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("family", FAMILIES)
def test_gradient_is_mean_minus_y(family: str) -> None:
    eta = (LOGITS if family == "categorical" else ETA).clone().requires_grad_()
    y = {"gaussian": COUNTS, "bernoulli": Y01, "poisson": COUNTS, "categorical": LABELS}[family]
    glm_nll(eta, y, family, "sum").backward()
    target = F.one_hot(LABELS, 5).double() if family == "categorical" else y
    assert torch.allclose(eta.grad, inverse_link(eta.detach(), family) - target, atol=1e-10)


@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson"])
def test_link_inverts_inverse_link(family: str) -> None:
    assert torch.allclose(link(inverse_link(ETA, family), family), ETA, atol=1e-10)


def test_categorical_link_up_to_a_constant() -> None:
    back = link(inverse_link(LOGITS, "categorical"), "categorical")
    diff = back - LOGITS
    assert torch.allclose(diff, diff[:, :1].expand_as(diff), atol=1e-10)


def test_model_shapes_and_seed() -> None:
    a = GeneralizedLinearModel(3, "categorical", num_classes=4, seed=1)
    b = GeneralizedLinearModel(3, "categorical", num_classes=4, seed=1)
    assert torch.equal(a.linear.weight, b.linear.weight)
    assert a(torch.zeros(2, 3)).shape == (2, 4)
    assert GeneralizedLinearModel(3, "poisson", seed=None)(torch.zeros(2, 3)).shape == (2,)


def test_bad_input() -> None:
    cases = [
        (lambda: inverse_link(ETA, "gamma"), ValueError, "family"),
        (lambda: inverse_link(None), TypeError, "eta"),
        (lambda: inverse_link(ETA, "categorical"), ValueError, "eta"),
        (lambda: link("mu"), TypeError, "mu"),
        (lambda: glm_nll(ETA, COUNTS, "bernoulli"), ValueError, "y"),
        (lambda: glm_nll(ETA, -COUNTS - 1, "poisson"), ValueError, "y"),
        (lambda: glm_nll(ETA, COUNTS[:3], "gaussian"), ValueError, "形状"),
        (lambda: glm_nll(LOGITS, LABELS + 10, "categorical"), ValueError, "类别"),
        (lambda: glm_nll(LOGITS, LABELS.double(), "categorical"), TypeError, "y"),
        (lambda: glm_nll(ETA, Y01, "bernoulli", "avg"), ValueError, "reduction"),
        (lambda: glm_nll(ETA, Y01, "bernoulli", full=1), TypeError, "full"),
        (lambda: GeneralizedLinearModel(0), ValueError, "in_features"),
        (lambda: GeneralizedLinearModel(10**9), ValueError, "in_features"),
        (lambda: GeneralizedLinearModel(3, "categorical", num_classes=1), ValueError, "num_classes"),
        (lambda: GeneralizedLinearModel(3, seed=-1), ValueError, "seed"),
        (lambda: GeneralizedLinearModel(3)(torch.zeros(2, 4)), ValueError, "x"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
