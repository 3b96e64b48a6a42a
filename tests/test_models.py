"""dlguide.models：docs/basics/unsuitable-datasets.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import ACTIVATIONS, RecurrentNet, ResidualBlock, digits_cnn, mlp, residual_mlp


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


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_recurrent_net_heads_and_layers(kind: str) -> None:
    x = torch.randn(5, 7, 3)
    last = RecurrentNet(kind, 3, 6, 2, num_layers=2, seed=0)
    assert isinstance(last.rnn, {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind])
    assert last.rnn.batch_first and last.rnn.num_layers == 2
    states, _ = last.rnn(x)
    torch.testing.assert_close(last(x), last.head(states[:, -1]))  # N→1：只用最后一步
    every = RecurrentNet(kind, 3, 6, 2, every_step=True, seed=0)
    assert every(x).shape == (5, 7, 2)  # N→N：每一步
    # 同一个种子 → 同样的参数
    again = RecurrentNet(kind, 3, 6, 2, num_layers=2, seed=0)
    assert all(torch.equal(a, b) for a, b in zip(last.parameters(), again.parameters()))


def test_recurrent_net_forget_bias_and_errors() -> None:
    net = RecurrentNet("lstm", 2, 4, 1, forget_bias=2.0)
    total = net.rnn.bias_ih_l0 + net.rnn.bias_hh_l0
    assert total.view(4, 4)[1].tolist() == [2.0] * 4
    with pytest.raises(ValueError, match="forget_bias 只适用于 kind='lstm'"):
        RecurrentNet("gru", 2, 4, 1, forget_bias=1.0)
    with pytest.raises(ValueError, match="kind 必须是"):
        RecurrentNet("transformer", 2, 4, 1)
    with pytest.raises(ValueError, match="hidden_size 必须在"):
        RecurrentNet("rnn", 2, 10**9, 1)
    with pytest.raises(TypeError, match="every_step 必须是 True 或 False"):
        RecurrentNet("rnn", 2, 4, 1, every_step="yes")


def test_recurrent_net_rejects_bad_input() -> None:
    net = RecurrentNet("gru", 3, 4, 1)
    with pytest.raises(ValueError, match=r"x 的形状必须是 \(B, T, 3\)"):
        net(torch.zeros(2, 5, 2))
    with pytest.raises(TypeError, match="x 的 dtype 必须与模型参数相同"):
        net(torch.zeros(2, 5, 3, dtype=torch.float64))
    with pytest.raises(TypeError, match="x 必须是 torch.Tensor"):
        net([[0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="forget_bias 必须是有限实数"):
        RecurrentNet("lstm", 3, 4, 1, forget_bias=float("nan"))
