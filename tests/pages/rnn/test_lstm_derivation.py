"""dlguide.pages.rnn.lstm_derivation（页面：docs/rnn/lstm-derivation.md）：直通路梯度、单元 LSTM 的爆炸、对比实验的参数检查。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.memory_task import train_marked_recall
from dlguide.models import RecurrentNet
from dlguide.pages.rnn.lstm_derivation import RECALL_MODELS, cell_path_gradient, compare_on_recall, scalar_lstm


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cell_path_gradient_is_the_product_of_forget_gates(seed: int) -> None:
    torch.manual_seed(seed)
    lstm = nn.LSTM(3, 5).double()
    x = torch.randn(15, 4, 3, dtype=torch.float64)
    grad, product = cell_path_gradient(lstm, x)
    torch.testing.assert_close(grad, product, rtol=1e-12, atol=1e-15)
    assert bool(((product > 0) & (product < 1)).all())


@pytest.mark.parametrize(("w", "steps"), [(0.0, 10), (2.0, 20), (4.0, 30), (-1.0, 15)])
def test_scalar_lstm_gradient_at_the_fixed_point(w: float, steps: int) -> None:
    lstm = scalar_lstm(w).double()
    c0 = torch.zeros(1, 1, 1, dtype=torch.float64, requires_grad=True)
    _, (_, c_T) = lstm(torch.zeros(steps, 1, 1, dtype=torch.float64), (torch.zeros(1, 1, 1, dtype=torch.float64), c0))
    (grad,) = torch.autograd.grad(c_T.sum(), c0)
    # 第一步只有直通路 f = 0.5；之后每步 f + i·w·o = 0.5 + w/4
    assert grad.item() == pytest.approx(0.5 * (0.5 + w / 4) ** (steps - 1), rel=1e-10)


def test_errors() -> None:
    with pytest.raises(ValueError, match="lstm 必须是单层"):
        cell_path_gradient(nn.LSTM(2, 3, num_layers=2), torch.zeros(4, 1, 2))
    with pytest.raises(TypeError, match="lstm 必须是 torch.nn.LSTM"):
        cell_path_gradient(nn.GRU(2, 3), torch.zeros(4, 1, 2))
    with pytest.raises(ValueError, match="x 的最后一维必须是 input_size=2"):
        cell_path_gradient(nn.LSTM(2, 3), torch.zeros(4, 1, 3))
    with pytest.raises(ValueError, match="w 必须是有限实数"):
        scalar_lstm(float("inf"))
    with pytest.raises(ValueError, match="models 的元素 必须是"):
        compare_on_recall(5, ("Transformer",))
    with pytest.raises(TypeError, match="models 必须是名字的元组"):
        compare_on_recall(5, "RNN")
    with pytest.raises(ValueError, match="length 必须在"):
        compare_on_recall(10**9)
    assert set(RECALL_MODELS) == {"RNN", "GRU", "LSTM", "LSTM（默认初始化）"}


def test_plain_rnn_learns_recall_with_ten_times_the_budget() -> None:
    """页面说“192 次更新学不会”只是同样预算下的比较：更新 10 倍、学习率 0.005 时普通 RNN 与默认初始化的 LSTM 都能学会。"""
    short = train_marked_recall(RecurrentNet("rnn", 2, 16, 1, seed=1), 20, seed=1)
    assert short["test_mse"][20] > 0.3  # 192 次更新：停在只会输出常数的 1/3 附近
    rnn = train_marked_recall(RecurrentNet("rnn", 2, 16, 1, seed=1), 20, epochs=60, lr=0.005, seed=1)
    assert rnn["test_mse"][20] < 0.01  # 1920 次更新：学会了（实测 0.0049）
    lstm = train_marked_recall(RecurrentNet("lstm", 2, 16, 1, seed=0), 20, epochs=60, lr=0.005, seed=0)
    assert lstm["test_mse"][20] < 0.01  # 默认初始化的 LSTM 同样学会（实测 0.0001）
