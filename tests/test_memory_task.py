"""dlguide.memory_task：标记回忆任务上的训练、缓存与门的统计。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.data import make_adding_problem
from dlguide.memory_task import gate_means_at_marker, train_marked_recall, trained_recall_net
from dlguide.models import RecurrentNet
from dlguide.recurrent import trace_gates


def test_train_marked_recall_learns_a_short_delay_and_is_deterministic() -> None:
    results = [train_marked_recall(RecurrentNet("lstm", 2, 8, 1, forget_bias=1.0, seed=0), 6, n=512, epochs=8) for _ in range(2)]
    assert results[0] == results[1]
    assert results[0]["losses"][-1] < 0.1 < 0.3 < results[0]["losses"][0]
    both = train_marked_recall(RecurrentNet("gru", 2, 4, 1, seed=0), 6, n=64, epochs=1, test_lengths=[6, 30])
    assert list(both["test_mse"]) == [6, 30]


def test_trained_recall_net_is_cached_per_arguments() -> None:
    net, result = trained_recall_net("rnn", length=4, hidden=3)
    assert trained_recall_net("rnn", length=4, hidden=3)[0] is net
    assert trained_recall_net("rnn", length=4, hidden=3, seed=1)[0] is not net
    assert not net.training and list(result["test_mse"]) == [4]


def test_trained_recall_net_does_not_cache_unseeded_runs() -> None:
    # seed=None 用全局随机状态：两次调用是两次不同的训练，不能把第一次的模型当作第二次的结果
    torch.manual_seed(123)
    first, _ = trained_recall_net("gru", length=4, hidden=3, seed=None)
    second, _ = trained_recall_net("gru", length=4, hidden=3, seed=None)
    assert first is not second
    assert not torch.equal(first.rnn.weight_hh_l0, second.rnn.weight_hh_l0)
    assert not first.training and not second.training


def test_gate_means_at_marker_separates_marked_steps() -> None:
    X, _ = make_adding_problem(8, 6, markers=1, seed=0)
    trace = trace_gates(nn.LSTM(2, 3, batch_first=True), X)
    trace["i"] = torch.where(X[..., 1].T[..., None] > 0.5, 0.9, 0.1).expand_as(trace["i"])
    means = gate_means_at_marker(trace, X)
    assert sorted(means) == ["f", "i", "o"]
    assert means["i"] == pytest.approx((0.1, 0.9))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: train_marked_recall("net"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: train_marked_recall(nn.GRU(2, 2), 1), ValueError, "length 必须在"),
        (lambda: train_marked_recall(nn.GRU(2, 2), 5, epochs=10**9), ValueError, "epochs 必须在"),
        (lambda: train_marked_recall(nn.GRU(2, 2), 5, test_lengths=5), TypeError, "test_lengths 必须是整数序列"),
        (lambda: train_marked_recall(nn.GRU(2, 2), 5, test_lengths=[1]), ValueError, "test_lengths 的元素 必须在"),
        (lambda: trained_recall_net("cnn"), ValueError, "kind 必须是"),
        (lambda: trained_recall_net("rnn", length=10**9), ValueError, "length 必须在"),
        (lambda: gate_means_at_marker([], torch.zeros(2, 3, 2)), TypeError, "trace 必须是"),
        (lambda: gate_means_at_marker({"i": torch.zeros(4, 2, 1)}, torch.zeros(2, 3, 2)), ValueError, "X 与 trace"),
        (lambda: gate_means_at_marker({"i": torch.zeros(3, 2, 1)}, torch.zeros(2, 3, 1)), ValueError, r"X 的形状必须是 \(B, T, 2\)"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_train_marked_recall_checks_batch_size() -> None:
    net = RecurrentNet("gru", 2, 4, 1, seed=0)
    for bad in (None, 0, "64"):
        with pytest.raises((TypeError, ValueError), match="batch_size"):
            train_marked_recall(net, 4, n=8, epochs=1, batch_size=bad)
