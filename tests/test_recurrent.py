"""dlguide.recurrent：RNN/LSTM 中梯度随时间的传播"""

from __future__ import annotations

import torch
from torch import nn

from dlguide.recurrent import lstm_state_grad_norms, set_forget_bias


def test_forget_bias_sums_both_biases_and_gate_value() -> None:
    lstm = set_forget_bias(nn.LSTM(2, 3, num_layers=2), 2.0)
    for layer in range(2):
        total = getattr(lstm, f"bias_ih_l{layer}") + getattr(lstm, f"bias_hh_l{layer}")
        assert total.view(4, 3)[1].tolist() == [2.0] * 3
        assert total.view(4, 3)[[0, 2, 3]].abs().sum().item() == 0.0
    # 输入和状态都为 0 时，遗忘门 = σ(b_f)：用 c_1 = f ⊙ c_0 验证
    single = set_forget_bias(nn.LSTM(2, 3), 2.0)
    with torch.no_grad():
        single.weight_ih_l0.zero_()
        single.weight_hh_l0.zero_()
    c0 = torch.ones(1, 1, 3)
    _, (_, c1) = single(torch.zeros(1, 1, 2), (torch.zeros(1, 1, 3), c0))
    torch.testing.assert_close(c1, torch.sigmoid(torch.tensor(2.0)) * c0)


def test_larger_forget_bias_carries_gradient_further() -> None:
    early = [lstm_state_grad_norms(40, forget_bias=b)[0] for b in (0.0, 1.0, 3.0)]
    assert early[0] < early[1] < early[2]
