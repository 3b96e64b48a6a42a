"""dlguide.pages.misc.locally_connected（页面：docs/misc/locally-connected.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.locally_connected import LocallyConnected2d
from dlguide.pages.misc.locally_connected import (
    LAYER_KINDS,
    aligned_patterns,
    deepface_parameters,
    layer_parameters,
    position_model,
)
from dlguide.training import accuracy, fit


@pytest.mark.parametrize(("c_in", "c_out", "n", "k", "s"), [(3, 6, 32, 5, 1), (2, 4, 9, 3, 2), (1, 1, 5, 5, 1)])
def test_counts_match_real_layers(c_in: int, c_out: int, n: int, k: int, s: int) -> None:
    conv = nn.Conv2d(c_in, c_out, k, s)
    local = LocallyConnected2d(c_in, c_out, n, k, s, seed=0)
    m = (n - k) // s + 1
    full = nn.Linear(c_in * n * n, c_out * m * m)
    real = [sum(p.numel() for p in layer.parameters()) for layer in (conv, local, full)]
    assert [layer_parameters(kind, c_in, c_out, n, k, s) for kind in LAYER_KINDS] == real


def test_deepface_shapes() -> None:
    rows = deepface_parameters()
    assert [r[0] for r in rows] == ["C1", "M2", "C3", "L4", "L5", "L6", "F7", "F8"]
    assert 1.1e8 < sum(r[3] for r in rows) < 1.25e8


def test_bad_input() -> None:
    for call, error, message in [
        (lambda: layer_parameters("dense", 1, 1, 4, 3), ValueError, "kind"),
        (lambda: layer_parameters("conv", 0, 1, 4, 3), ValueError, "in_channels"),
        (lambda: layer_parameters("conv", 1, 1, 4, 5), ValueError, "kernel_size"),
        (lambda: layer_parameters("conv", 1, 1, 4, 3, bias=None), TypeError, "bias"),
        (lambda: layer_parameters("conv", 1, 1, 10**9, 3), ValueError, "input_size"),
    ]:
        with pytest.raises(error, match=message):
            call()
    assert torch.is_tensor(torch.zeros(1))


def test_aligned_patterns_label_is_the_top_bar() -> None:
    X, y = aligned_patterns(200, seed=5)
    top = X[:, 0, 2, 3:7].mean(1) > 0.5
    assert torch.equal(top.long(), y)
    assert position_model("conv", seed=None)(X[:3]).shape == (3, 2)
    for call, error, message in [
        (lambda: aligned_patterns(2), ValueError, "n"),
        (lambda: aligned_patterns(10, seed=1.5), TypeError, "seed"),
        (lambda: position_model("dense"), ValueError, "kind"),
        (lambda: position_model("conv", seed=-3), ValueError, "seed"),
    ]:
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize("seed", [2, 4])
def test_position_experiment_is_not_one_lucky_seed(seed: int) -> None:
    X_train, y_train = aligned_patterns(300, seed=0)
    X_test, y_test = aligned_patterns(400, seed=1)
    acc = {}
    for kind in ("conv", "local"):
        model = position_model(kind, seed=seed)
        fit(model, X_train, y_train, epochs=20, lr=0.03, batch_size=50, optimizer="adam")
        acc[kind] = accuracy(model, X_test, y_test)
    assert acc["conv"] < 0.76 < 0.98 < acc["local"]
