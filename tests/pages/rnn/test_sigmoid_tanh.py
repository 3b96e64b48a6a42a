"""dlguide.pages.rnn.sigmoid_tanh（页面：docs/rnn/sigmoid-tanh.md）：可换激活函数的 LSTM。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.rnn.sigmoid_tanh import VARIANTS, SwappedLSTM, compare_activations, gate_fraction_between
from dlguide.recurrent import lstm_gates


def test_standard_variant_is_nn_lstm() -> None:
    model = SwappedLSTM(seed=3).double()
    x = torch.randn(4, 9, 2, dtype=torch.float64)
    hs, cs = model.states(x)
    reference, (h_n, c_n) = model.lstm(x)
    torch.testing.assert_close(hs, reference)
    torch.testing.assert_close(cs[:, -1], c_n[0])


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_variant_applies_its_activations(name: str) -> None:
    gate, candidate, output = VARIANTS[name]
    model = SwappedLSTM(gate, candidate, output, seed=1).double()
    x = torch.randn(3, 2, 2, dtype=torch.float64)
    hs, cs = model.states(x)
    lstm = model.lstm
    weights = (lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0)
    i, f, g, o = lstm_gates(x[:, 1], hs[:, 0], *weights, gate_activation=gate, candidate_activation=candidate)
    torch.testing.assert_close(cs[:, 1], f * cs[:, 0] + i * g)
    squash = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda a: a}[output]
    torch.testing.assert_close(hs[:, 1], o * squash(cs[:, 1]))
    if gate == "sigmoid" and candidate in ("sigmoid", "relu"):
        assert bool((cs >= 0).all())  # 候选值非负、门为正：记忆单元从 0 出发永不为负


def test_gate_fraction_between_and_errors() -> None:
    assert gate_fraction_between(torch.tensor([0.05, 0.5, 0.95, 0.5])) == 0.5
    with pytest.raises(ValueError, match="low、high 必须满足"):
        gate_fraction_between(torch.tensor([0.5]), 0.9, 0.1)
    with pytest.raises(TypeError, match="gates 必须是 torch.Tensor"):
        gate_fraction_between([0.5])
    with pytest.raises(ValueError, match="gate 必须是"):
        SwappedLSTM("softmax")
    with pytest.raises(ValueError, match="hidden_size 必须在"):
        SwappedLSTM(hidden_size=10**9)
    with pytest.raises(ValueError, match="names 的元素 必须是"):
        compare_activations(("没有这个",))
    with pytest.raises(TypeError, match="names 必须是变体名字的元组"):
        compare_activations("标准")
