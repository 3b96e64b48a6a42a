"""dlguide.training：各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.data import make_moons, make_xor, train_val_split
from dlguide.gradients import layer_grad_norms
from dlguide.models import mlp
from dlguide.training import accuracy, fit


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_xor(3), ValueError, "n 必须 ≥ 4"),
        (lambda: make_xor(10, noise=2.0), ValueError, r"noise 必须在 \[0.0, 1.0\] 内"),
        (lambda: make_moons(1.5), TypeError, "n 必须是整数"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(2)), ValueError, "样本数必须相同"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(3), 1.0), ValueError, "val_fraction"),
        (lambda: mlp([2]), ValueError, "sizes 必须是至少 2 个正整数"),
        (lambda: mlp([2, 1], "swish"), ValueError, "activation 必须是"),
        (lambda: layer_grad_norms("net"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), epochs=0), ValueError, "epochs"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), lr=0.0), ValueError, "lr 必须在"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), optimizer="rmsprop"), ValueError, "optimizer"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_fit_is_reproducible_and_learns_moons() -> None:
    X, y = make_moons(200, noise=0.1)
    runs = []
    for _ in range(2):
        net = mlp([2, 16, 2], "relu", seed=0)
        runs.append(fit(net, X, y, epochs=150, lr=0.3, batch_size=32, seed=1))
    assert runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0] / 3
    assert accuracy(net, X, y) > 0.95


def test_fit_without_shuffle_keeps_order_and_ignores_seed() -> None:
    X = torch.randn(16, 2, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    runs = {(s, seed): fit(mlp([2, 2], seed=0), X, y, epochs=3, batch_size=4, seed=seed, shuffle=s)
            for s in (False, True) for seed in (0, 1)}
    assert runs[(False, 0)] == runs[(False, 1)]
    assert runs[(True, 0)] != runs[(True, 1)]
