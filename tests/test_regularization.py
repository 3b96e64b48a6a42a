"""dlguide.regularization：docs/activations/regularization.md）。"""

from __future__ import annotations

import copy

import pytest
import torch
import torch.nn.functional as F

from dlguide.data import polynomial_features
from dlguide.models import mlp
from dlguide.regularization import (
    dropout_l2_penalty,
    l1_penalty,
    l1_subgradient,
    l2_penalty,
    lasso_ista,
    ridge_regression,
    soft_threshold,
)


def _train(net, opt, penalty=None, steps=15):
    g = torch.Generator().manual_seed(1)
    X, Y = torch.randn(32, 3, generator=g), torch.randn(32, 1, generator=g)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(net(X), Y)
        if penalty is not None:
            loss = loss + penalty(net.parameters())
        loss.backward()
        opt.step()
    return torch.cat([p.detach().flatten() for p in net.parameters()])


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_l2_penalty_with_sgd_equals_weight_decay(momentum: float) -> None:
    a = mlp([3, 8, 1], "tanh", seed=0)
    b = copy.deepcopy(a)
    pa = _train(a, torch.optim.SGD(a.parameters(), lr=0.1, momentum=momentum), lambda ps: l2_penalty(ps, 0.05))
    pb = _train(b, torch.optim.SGD(b.parameters(), lr=0.1, momentum=momentum, weight_decay=0.05))
    torch.testing.assert_close(pa, pb)


def test_l2_gradient_is_lambda_w_and_l1_gradient_is_subgradient() -> None:
    w = torch.tensor([-3.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    (g2,) = torch.autograd.grad(l2_penalty(w, 0.3), w)
    torch.testing.assert_close(g2, 0.3 * w.detach())
    (g1,) = torch.autograd.grad(l1_penalty([w, w], 0.3), w)
    torch.testing.assert_close(g1, 2 * 0.3 * l1_subgradient(w.detach()))
    assert l2_penalty([torch.ones(2), torch.ones(3)], 2.0).item() == 5.0


def test_soft_threshold_is_the_prox_of_l1() -> None:
    # S_t(v) = argmin_w ½(w − v)² + t|w|：在细网格上直接求最小值对照
    grid = torch.linspace(-5, 5, 100001, dtype=torch.float64)
    for v in (-3.0, -0.4, 0.0, 0.2, 1.7):
        objective = 0.5 * (grid - v) ** 2 + 0.5 * grid.abs()
        assert soft_threshold(torch.tensor([v], dtype=torch.float64), 0.5).item() == pytest.approx(
            grid[objective.argmin()].item(), abs=1e-4
        )


def test_ridge_matches_normal_equations_and_lstsq() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(30, 4, generator=g, dtype=torch.float64)
    y = torch.randn(30, generator=g, dtype=torch.float64)
    w, b = ridge_regression(X, y, 0.0)
    A = torch.cat([X, torch.ones(30, 1, dtype=torch.float64)], 1)
    sol = torch.linalg.lstsq(A, y.unsqueeze(1)).solution.squeeze(1)
    torch.testing.assert_close(torch.cat([w, b.reshape(1)]), sol)
    # λ > 0：梯度为 0
    w, b = ridge_regression(X, y, 0.7)
    wr = w.clone().requires_grad_()
    br = b.clone().requires_grad_()
    cost = ((X @ wr + br - y) ** 2).mean() / 2 + l2_penalty(wr, 0.7)
    gw, gb = torch.autograd.grad(cost, (wr, br))
    assert gw.abs().max() < 1e-10 and abs(gb.item()) < 1e-10


def test_lasso_satisfies_kkt_conditions() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(40, 10, generator=g, dtype=torch.float64)
    y = X[:, 0] * 3 + 0.1 * torch.randn(40, generator=g, dtype=torch.float64)
    lam = 0.2
    w, b = lasso_ista(X, y, lam, steps=3000)
    grad = X.T @ (X @ w + b - y) / 40
    nz = w != 0
    # 非零分量：∇ = −λ·sign(w)；零分量：|∇| ≤ λ
    torch.testing.assert_close(grad[nz], -lam * torch.sign(w[nz]), atol=1e-6, rtol=0)
    assert (grad[~nz].abs() <= lam + 1e-8).all()
    assert int((~nz).sum()) >= 8


def test_dropout_penalty_matches_monte_carlo() -> None:
    g = torch.Generator().manual_seed(0)
    X = torch.randn(20, 3, generator=g, dtype=torch.float64)
    w = torch.randn(3, generator=g, dtype=torch.float64)
    y = torch.randn(20, generator=g, dtype=torch.float64)
    p = 0.5
    mask = (torch.rand(20000, 20, 3, generator=g, dtype=torch.float64) > p).double() / (1 - p)
    mc = (((X * mask) @ w - y) ** 2).mean()
    exact = ((X @ w - y) ** 2).mean() + dropout_l2_penalty(X, w, p)
    assert mc.item() == pytest.approx(exact.item(), rel=0.02)
    assert dropout_l2_penalty(X, w, 0.0).item() == 0.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: l2_penalty(torch.ones(2), -1.0), ValueError, r"lam 必须在 \[0, inf\) 内"),
        (lambda: l1_penalty([], 0.1), ValueError, "params 至少要有一个张量"),
        (lambda: l2_penalty([torch.ones(2, dtype=torch.long)], 0.1), TypeError, r"params\[0\] 必须是浮点张量"),
        (lambda: l1_subgradient([1.0]), TypeError, "w 必须是 torch.Tensor"),
        (lambda: soft_threshold(torch.ones(2), -0.1), ValueError, "threshold 必须在"),
        (lambda: polynomial_features(torch.ones(2), 0), ValueError, r"degree 必须在 \[1, 100\] 内"),
        (lambda: ridge_regression(torch.ones(3, 2), torch.ones(4), 0.1), ValueError, "X 必须是"),
        (lambda: lasso_ista(torch.ones(3, 2), torch.ones(3), 0.1, steps=0), ValueError, r"steps 必须在 \[1, 100000\] 内"),
        (lambda: lasso_ista(torch.ones(3, 2), torch.ones(3), 0.1, steps=10**9), ValueError, r"steps 必须在 \[1, 100000\] 内"),
        (lambda: l2_penalty(None, 0.1), TypeError, "params 必须是张量或张量的可迭代对象"),
        (lambda: l1_penalty(3, 0.1), TypeError, "params 必须是张量或张量的可迭代对象"),
        (lambda: l1_penalty("w", 0.1), TypeError, "params 必须是张量或张量的可迭代对象"),
        (lambda: l1_penalty(torch.ones(2), float("inf")), ValueError, r"lam 必须在 \[0, inf\) 内"),
        (lambda: ridge_regression(torch.ones(3, 2), torch.ones(3), float("inf")), ValueError, "lam 必须在"),
        (lambda: lasso_ista(torch.ones(3, 2), torch.ones(3), float("inf")), ValueError, "lam 必须在"),
        (lambda: soft_threshold(torch.ones(2), float("inf")), ValueError, "threshold 必须在"),
        (lambda: ridge_regression(torch.ones(0, 2), torch.ones(0), 0.1), ValueError, "X 不能是空张量"),
        (lambda: dropout_l2_penalty(torch.ones(0, 2), torch.ones(2), 0.5), ValueError, "X 不能是空张量"),
        (lambda: dropout_l2_penalty(torch.ones(3, 2), torch.ones(2), 1.0), ValueError, r"p 必须在 \[0.0, 1.0\) 内"),
        (lambda: dropout_l2_penalty(torch.ones(3, 2), torch.ones(3), 0.5), ValueError, "w 必须是 \\(d,\\)"),
    ],
)
def test_bad_input_is_rejected(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
