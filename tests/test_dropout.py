"""dlguide.dropout：与 nn.Dropout 的统计性质一致，CPU 上同一种子下逐元素相同。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.dropout import Dropout, dropout


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_same_statistics_as_nn_dropout(p: float) -> None:
    x = torch.full((200_000,), 3.0)
    torch.manual_seed(0)
    ours = dropout(x, p)
    torch.manual_seed(1)
    ref = nn.Dropout(p)(x)
    for y in (ours, ref):
        kept = y != 0
        assert abs(1 - kept.float().mean().item() - p) < 0.005  # 丢弃比例 ≈ p
        assert torch.allclose(y[kept], torch.tensor(3.0 / (1 - p)))  # 保留的放大 1/(1 − p)
        assert abs(y.mean().item() - 3.0) < 0.05  # 期望不变


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
def test_identical_to_nn_dropout_with_the_same_seed_on_cpu(p: float) -> None:
    x = torch.randn(4, 50, generator=torch.Generator().manual_seed(5), requires_grad=True)
    x2 = x.detach().clone().requires_grad_()
    torch.manual_seed(7)
    ref = nn.functional.dropout(x, p)
    torch.manual_seed(7)
    ours = dropout(x2, p)
    torch.testing.assert_close(ours, ref, rtol=0, atol=0)
    ref.sum().backward()
    ours.sum().backward()
    torch.testing.assert_close(x2.grad, x.grad, rtol=0, atol=0)


def test_train_and_eval_modes() -> None:
    layer = Dropout(0.5)
    x = torch.ones(1000)
    assert (layer(x) == 0).any()
    layer.eval()
    assert torch.equal(layer(x), x)
    assert repr(layer) == "Dropout(p=0.5)"
    assert list(layer.parameters()) == []


def test_generator_makes_masks_reproducible() -> None:
    x = torch.ones(100)
    a = dropout(x, 0.4, generator=torch.Generator().manual_seed(3))
    b = dropout(x, 0.4, generator=torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: dropout([1.0], 0.5), TypeError, "x"),
        (lambda: dropout(torch.ones(3, dtype=torch.int64), 0.5), TypeError, "x"),
        (lambda: dropout(torch.ones(3), 1.5), ValueError, "p"),
        (lambda: dropout(torch.ones(3), -0.1), ValueError, "p"),
        (lambda: dropout(torch.ones(3), float("nan")), ValueError, "p"),
        (lambda: dropout(torch.ones(3), "0.5"), TypeError, "p"),
        (lambda: dropout(torch.ones(3), 0.5, training=None), TypeError, "training"),
        (lambda: dropout(torch.ones(3), 0.5, generator=0), TypeError, "generator"),
        (lambda: Dropout(2.0), ValueError, "p"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
