"""dlguide.pages.rnn.gru_vs_lstm（页面：docs/rnn/gru-vs-lstm.md）：参数量公式、计数器。"""

from __future__ import annotations

import itertools

import pytest
from torch import nn

from dlguide.pages.rnn.gru_vs_lstm import counter_lstm, counting_sequence, parameter_count, saturating_gru
from dlguide.recurrent import trace_gates


@pytest.mark.parametrize(("kind", "layers", "bidirectional"), list(itertools.product(["rnn", "gru", "lstm"], [1, 3], [False, True])))
def test_parameter_count_matches_pytorch(kind: str, layers: int, bidirectional: bool) -> None:
    module = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind](7, 5, num_layers=layers, bidirectional=bidirectional)
    assert parameter_count(kind, 7, 5, num_layers=layers, bidirectional=bidirectional) == sum(p.numel() for p in module.parameters())


def test_counter_lstm_counts_and_gru_stays_bounded() -> None:
    x = counting_sequence(50)
    c = trace_gates(counter_lstm(), x)["c"].flatten()
    assert c[49].item() == pytest.approx(50, abs=0.1) and abs(c[-1].item()) < 0.2  # 每步约 +1 / −1
    h = trace_gates(saturating_gru(), x)["h"].flatten()
    assert h.abs().max().item() < 1


def test_errors() -> None:
    with pytest.raises(ValueError, match="kind 必须是"):
        parameter_count("transformer", 3, 4)
    with pytest.raises(ValueError, match="hidden_size 必须在"):
        parameter_count("gru", 3, 10**9)
    with pytest.raises(TypeError, match="bidirectional 必须是 True 或 False"):
        parameter_count("gru", 3, 4, bidirectional=1)
    with pytest.raises(ValueError, match="n 必须在"):
        counting_sequence(0)
