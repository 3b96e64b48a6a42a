"""dlguide.models：docs/basics/unsuitable-datasets.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import ACTIVATIONS, BiLSTMTagger, ResidualBlock, digits_cnn, mlp, residual_mlp


def test_digits_cnn_shapes_and_parameter_count() -> None:
    net = digits_cnn(8, seed=0)
    assert net(torch.zeros(3, 64)).shape == (3, 10)
    convs = [m for m in net if isinstance(m, nn.Conv2d)]
    assert [tuple(c.weight.shape) for c in convs] == [(8, 1, 3, 3), (16, 8, 3, 3)]


def test_mlp_structure() -> None:
    net = mlp([3, 4, 4, 2], "relu", batch_norm=True, seed=0)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"]
    assert set(ACTIVATIONS) >= {"sigmoid", "tanh", "relu"}


def test_residual_mlp_structure_and_errors() -> None:

    net = residual_mlp(3, 5, 4, 2, "tanh", batch_norm=True, seed=0)
    assert sum(isinstance(m, ResidualBlock) for m in net) == 4
    assert net(torch.randn(6, 3)).shape == (6, 2)
    # 残差块的 Jacobian = I + ∂F/∂h
    block = ResidualBlock(3, "tanh")
    h = torch.randn(3)
    J = torch.autograd.functional.jacobian(lambda v: block(v.unsqueeze(0)).squeeze(0), h)
    JF = torch.autograd.functional.jacobian(lambda v: block.act(block.linear(v)), h)
    torch.testing.assert_close(J, torch.eye(3) + JF)
    with pytest.raises(ValueError, match="depth 必须 ≥ 1"):
        residual_mlp(3, 5, 0, 2)
    with pytest.raises(ValueError, match="activation 必须是"):
        residual_mlp(3, 5, 1, 2, "swish")
    with pytest.raises(ValueError, match="activation 必须是"):
        ResidualBlock(3, "swish")


def test_bilstm_tagger_padding_does_not_change_results() -> None:
    model = BiLSTMTagger(20, 5, embedding_dim=6, hidden=5, seed=0)
    model.eval()
    alone = model(torch.tensor([[3, 4, 5]]))
    padded = model(torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]]))
    torch.testing.assert_close(padded[0, :3], alone[0])
    assert [len(p) for p in model.decode(torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]]))] == [3, 5]


def test_bilstm_tagger_losses() -> None:
    X = torch.tensor([[3, 4, 0], [5, 6, 7]])
    y = torch.tensor([[1, 2, -100], [0, 0, 1]])
    crf_model = BiLSTMTagger(10, 3, embedding_dim=4, hidden=4)
    torch.testing.assert_close(crf_model.loss(crf_model(X), y), crf_model.crf.nll(crf_model(X), y))
    soft = BiLSTMTagger(10, 3, embedding_dim=4, hidden=4, crf=False)
    em = soft(X)
    expected = nn.functional.cross_entropy(em[X != 0], y[X != 0])
    torch.testing.assert_close(soft.loss(em, y), expected)
    assert soft.decode(X) == [row[: int(n)] for row, n in zip(em.argmax(-1).tolist(), (X != 0).sum(1).tolist())]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: BiLSTMTagger(1, 3), ValueError, "vocab_size 必须在"),
        (lambda: BiLSTMTagger(5, 3, crf="yes"), TypeError, "crf 必须是 True 或 False"),
        (lambda: BiLSTMTagger(5, 3)(torch.zeros(1, 2)), TypeError, "X 必须是整数张量"),
        (lambda: BiLSTMTagger(5, 3)(torch.tensor([[1, 2], [0, 0]])), ValueError, "至少要有一个非填充"),
    ],
)
def test_bilstm_tagger_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
