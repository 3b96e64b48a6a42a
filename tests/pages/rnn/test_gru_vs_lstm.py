"""dlguide.pages.rnn.gru_vs_lstm（页面：docs/rnn/gru-vs-lstm.md）：参数量公式、计数器。"""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from dlguide.pages.rnn.gru_vs_lstm import (
    counter_lstm,
    counting_sequence,
    leaky_counter_gru,
    parameter_count,
    saturating_gru,
)
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


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_leaky_counter_gru_encodes_the_count_as_one_minus_keep_to_the_n(keep: float) -> None:
    gru = leaky_counter_gru(keep).double()
    h = trace_gates(gru, torch.ones(40, 1, 1, dtype=torch.float64))["h"].flatten()
    expected = 1 - keep ** torch.arange(1, 41, dtype=torch.float64)
    torch.testing.assert_close(h, expected, rtol=1e-7, atol=1e-7)  # tanh(10) 与 1 差 4e-9
    assert bool((h.diff() > 0).all())  # 严格递增：精度无限时每个计数都分得开


def test_leaky_counter_gru_runs_out_of_float32_precision() -> None:
    h = trace_gates(leaky_counter_gru(0.9), torch.ones(1000, 1, 1))["h"].flatten()
    assert len(set(h.tolist())) < 200  # 1 − 0.9ⁿ 在 float32 里一百多步后就不再变化
    c = trace_gates(counter_lstm(), torch.ones(1000, 1, 1))["c"].flatten()
    assert len(set(c.tolist())) == 1000


def test_errors() -> None:
    with pytest.raises(ValueError, match="kind 必须是"):
        parameter_count("transformer", 3, 4)
    with pytest.raises(ValueError, match="hidden_size 必须在"):
        parameter_count("gru", 3, 10**9)
    with pytest.raises(TypeError, match="bidirectional 必须是 True 或 False"):
        parameter_count("gru", 3, 4, bidirectional=1)
    with pytest.raises(ValueError, match="n 必须在"):
        counting_sequence(0)
    with pytest.raises(ValueError, match=r"keep 必须在 \(0.0, 1.0\) 内"):
        leaky_counter_gru(1.0)
    with pytest.raises(TypeError, match="keep 必须是实数"):
        leaky_counter_gru("0.9")
