"""dlguide.pages.rnn.rnn（页面：docs/rnn/rnn.md）：手写 BPTT 与 autograd 对照。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.rnn.rnn import rnn_bptt


@pytest.mark.parametrize(("T", "B", "I", "H"), [(1, 1, 1, 1), (5, 3, 2, 4), (12, 2, 3, 6)])
def test_bptt_matches_autograd_with_state_and_bias(T: int, B: int, I: int, H: int) -> None:
    g = torch.Generator().manual_seed(T + H)
    xs, ys = torch.randn(T, B, I, generator=g, dtype=torch.float64), torch.randn(T, B, H, generator=g, dtype=torch.float64)
    params = [
        torch.randn(H, I, generator=g, dtype=torch.float64),
        0.5 * torch.randn(H, H, generator=g, dtype=torch.float64),
        torch.randn(H, generator=g, dtype=torch.float64),
        torch.randn(B, H, generator=g, dtype=torch.float64),
    ]
    manual = rnn_bptt(xs, params[3], params[0], params[1], params[2], ys)
    leaves = [p.clone().requires_grad_() for p in params]
    h, loss = leaves[3], torch.zeros((), dtype=torch.float64)
    for t in range(T):
        h = torch.tanh(xs[t] @ leaves[0].T + h @ leaves[1].T + leaves[2])
        loss = loss + 0.5 * ((h - ys[t]) ** 2).sum()
    grads = torch.autograd.grad(loss, leaves)
    torch.testing.assert_close(manual["loss"], loss.detach())
    for name, grad in zip(["weight_ih", "weight_hh", "bias", "h0"], grads, strict=True):
        torch.testing.assert_close(manual[name], grad, rtol=1e-10, atol=1e-12)


def test_bptt_errors() -> None:
    xs, h0, W_ih, W_hh, b, ys = torch.zeros(3, 2, 4), torch.zeros(2, 5), torch.zeros(5, 4), torch.zeros(5, 5), torch.zeros(5), torch.zeros(3, 2, 5)
    with pytest.raises(TypeError, match="xs 必须是 torch.Tensor"):
        rnn_bptt([1.0], h0, W_ih, W_hh, b, ys)
    with pytest.raises(ValueError, match="weight_ih 的形状必须是"):
        rnn_bptt(xs, h0, torch.zeros(5, 3), W_hh, b, ys)
    with pytest.raises(ValueError, match="targets 的形状必须是"):
        rnn_bptt(xs, h0, W_ih, W_hh, b, torch.zeros(3, 2, 4))
    with pytest.raises(TypeError, match="bias 的 dtype 必须与 xs 相同"):
        rnn_bptt(xs, h0, W_ih, W_hh, b.double(), ys)
    with pytest.raises(ValueError, match="xs 不能是空张量"):
        rnn_bptt(torch.zeros(0, 2, 4), h0, W_ih, W_hh, b, ys)
