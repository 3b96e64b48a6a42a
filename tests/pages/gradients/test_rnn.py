"""dlguide.pages.gradients.rnn（页面：docs/gradients/rnn.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.init import xavier_uniform_
from dlguide.pages.gradients.rnn import rnn_state_grad_norms
from dlguide.recurrent import lstm_state_grad_norms, recurrent_weight, set_forget_bias


def test_identity_linear_rnn_gradient_is_exactly_scale_power() -> None:
    norms = rnn_state_grad_norms(10, activation="identity", init="identity", scale=1.2)
    assert norms == pytest.approx([1.2 ** (10 - t) for t in range(11)], rel=1e-5)


def test_rnn_matches_explicit_jacobian() -> None:
    # batch=1 时 ‖∂L/∂h_0‖ = ‖uᵀ ∂h_T/∂h_0‖，用 autograd 显式求 Jacobian 核对

    steps, hidden, seed, scale = 6, 8, 3, 1.3
    norms = rnn_state_grad_norms(steps, hidden=hidden, activation="tanh", init="normal", scale=scale, batch=1, seed=seed)
    W = recurrent_weight(hidden, "normal", scale, seed)
    g = torch.Generator().manual_seed(seed + 1)
    U = xavier_uniform_(torch.empty(hidden, 4), generator=g)
    xs = torch.randn(steps, 1, 4, generator=g)
    u = torch.randn(hidden, generator=g)
    u = u / u.norm()

    def unroll(h0: torch.Tensor) -> torch.Tensor:
        h = h0
        for t in range(steps):
            h = torch.tanh(W @ h + U @ xs[t, 0])
        return h

    J = torch.autograd.functional.jacobian(unroll, torch.zeros(hidden))
    assert norms[0] == pytest.approx((u @ J).norm().item(), rel=1e-5)
    assert len(norms) == steps + 1 and norms[-1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: recurrent_weight(4, "xavier"), ValueError, "init 必须是"),
        (lambda: recurrent_weight(0), ValueError, r"hidden 必须在 \[1, 10000\] 内"),
        (lambda: recurrent_weight(4, scale=0.0), ValueError, r"scale 必须在 \(0, inf\) 内"),
        (lambda: rnn_state_grad_norms(5, activation="sigmoid"), ValueError, "activation 必须是"),
        (lambda: rnn_state_grad_norms(0), ValueError, r"steps 必须在 \[1, 10000\] 内"),
        (lambda: lstm_state_grad_norms(5, batch=0), ValueError, r"batch 必须在 \[1, 10000\] 内"),
        (lambda: set_forget_bias(nn.GRU(2, 2), 1.0), TypeError, "lstm 必须是 torch.nn.LSTM"),
        (lambda: set_forget_bias(nn.LSTM(2, 2, bias=False), 1.0), ValueError, "lstm 必须带偏置"),
        (lambda: set_forget_bias(nn.LSTM(2, 2), float("nan")), ValueError, "value 必须是有限实数"),
        (lambda: set_forget_bias(nn.LSTM(2, 2), "1"), TypeError, "value 必须是实数"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_rnn_sizes_bounded_and_seed_checked() -> None:
    for kwargs, message in (({"steps": 10**9}, "steps 必须在"), ({"steps": 5, "hidden": 10**9}, "hidden 必须在"),
                            ({"steps": 10_000, "batch": 10_000}, "steps·batch·hidden"), ({"steps": 5, "seed": -1}, "seed 必须在")):
        with pytest.raises(ValueError, match=message):
            rnn_state_grad_norms(**kwargs)
    with pytest.raises(TypeError, match="scale 必须是实数"):
        rnn_state_grad_norms(5, scale="1")
    torch.manual_seed(0)
    a = rnn_state_grad_norms(5, hidden=4, batch=2, seed=None)
    torch.manual_seed(0)
    assert a == rnn_state_grad_norms(5, hidden=4, batch=2, seed=None)
