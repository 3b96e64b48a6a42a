"""dlguide.recurrent：RNN/LSTM 中梯度随时间的传播"""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from dlguide.recurrent import (
    CELL_ACTIVATIONS,
    gru_cell,
    lstm_cell,
    lstm_gates,
    lstm_state_grad_norms,
    recurrent_weight,
    rnn_cell,
    run_recurrent,
    set_forget_bias,
)


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


# ---------------------------------------------------------------------------
# 从方程写出的单元与展开：与 nn.RNN / nn.GRU / nn.LSTM 逐项对照（输出、最终状态、梯度）
# ---------------------------------------------------------------------------

KINDS = {
    "rnn_tanh": lambda **kw: nn.RNN(nonlinearity="tanh", **kw),
    "rnn_relu": lambda **kw: nn.RNN(nonlinearity="relu", **kw),
    "gru": lambda **kw: nn.GRU(**kw),
    "lstm": lambda **kw: nn.LSTM(**kw),
    "lstm_proj": lambda **kw: nn.LSTM(proj_size=2, **kw),
}
LAYOUTS = list(itertools.product(KINDS, (1, 2), (False, True), (False, True), (True, False)))


def _make(kind: str, layers: int, bidirectional: bool, batch_first: bool, bias: bool) -> nn.RNNBase:
    torch.manual_seed(0)
    module = KINDS[kind](
        input_size=3, hidden_size=4, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias
    )
    return module.double()


def _state_shape(module: nn.RNNBase, batch: int, size: int) -> tuple[int, int, int]:
    return (module.num_layers * (2 if module.bidirectional else 1), batch, size)


def _initial_state(module: nn.RNNBase, batch: int, g: torch.Generator):
    H = module.hidden_size
    P = getattr(module, "proj_size", 0) or H
    h0 = torch.randn(_state_shape(module, batch, P), generator=g, dtype=torch.float64)
    if isinstance(module, nn.LSTM):
        return h0, torch.randn(_state_shape(module, batch, H), generator=g, dtype=torch.float64)
    return h0


def _flatten(result) -> list[torch.Tensor]:
    out, state = result
    return [out, *state] if isinstance(state, tuple) else [out, state]


@pytest.mark.parametrize(("kind", "layers", "bidirectional", "batch_first", "bias"), LAYOUTS)
def test_run_recurrent_matches_builtin_outputs_states_and_gradients(
    kind, layers, bidirectional, batch_first, bias
) -> None:
    module = _make(kind, layers, bidirectional, batch_first, bias)
    g = torch.Generator().manual_seed(1)
    T, B = 5, 3
    shape = (B, T, 3) if batch_first else (T, B, 3)
    x = torch.randn(shape, generator=g, dtype=torch.float64, requires_grad=True)
    hx = _initial_state(module, B, g)
    hx = tuple(h.requires_grad_() for h in hx) if isinstance(hx, tuple) else hx.requires_grad_()
    ours = _flatten(run_recurrent(module, x, hx))
    theirs = _flatten(module(x, hx))
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)
    # 梯度：同一个随机的上游梯度，对输入、初始状态和全部参数
    inputs = [x, *(hx if isinstance(hx, tuple) else (hx,)), *module.parameters()]
    upstream = [torch.randn(t.shape, generator=g, dtype=torch.float64) for t in ours]
    grads_ours = torch.autograd.grad(ours, inputs, upstream)
    grads_theirs = torch.autograd.grad(theirs, inputs, upstream)
    for a, b in zip(grads_ours, grads_theirs, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("kind", list(KINDS))
def test_run_recurrent_default_state_and_unbatched_input(kind) -> None:
    module = _make(kind, 2, True, True, True)
    g = torch.Generator().manual_seed(2)
    x = torch.randn(6, 3, generator=g, dtype=torch.float64)  # (T, I)：不带批维，batch_first 不起作用
    for a, b in zip(_flatten(run_recurrent(module, x)), _flatten(module(x)), strict=True):
        assert a.shape == b.shape
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)
    hx = _initial_state(module, 1, g)
    hx = tuple(h[:, 0] for h in hx) if isinstance(hx, tuple) else hx[:, 0]  # (L·D, P)
    for a, b in zip(_flatten(run_recurrent(module, x, hx)), _flatten(module(x, hx)), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_run_recurrent_float32_default_module() -> None:
    torch.manual_seed(3)
    lstm = nn.LSTM(3, 8, num_layers=2, bidirectional=True)
    x = torch.randn(20, 4, 3)
    for a, b in zip(_flatten(run_recurrent(lstm, x)), _flatten(lstm(x)), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_final_state_layout_and_bidirectional_output() -> None:
    # h_n[l·D + d] 是第 l 层第 d 个方向最后处理的一步：正向在 t = T−1，反向在 t = 0
    gru = _make("gru", 2, True, False, True)
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    out, h_n = run_recurrent(gru, x)
    H = gru.hidden_size
    torch.testing.assert_close(h_n[2], out[-1, :, :H])  # 顶层正向 = 最后时刻输出的前半
    torch.testing.assert_close(h_n[3], out[0, :, H:])  # 顶层反向 = 第一个时刻输出的后半
    assert not torch.allclose(h_n[3], out[-1, :, H:])


def test_dropout_only_between_layers() -> None:
    torch.manual_seed(4)
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5).double()
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    lstm.eval()
    evaluated = run_recurrent(lstm, x)[0]
    torch.testing.assert_close(evaluated, lstm(x)[0])
    lstm.train()
    torch.manual_seed(5)
    trained = run_recurrent(lstm, x)[0]
    assert not torch.allclose(trained, evaluated)  # 第一层的输出被随机置零，第二层的输入变了
    assert (trained == 0).sum().item() == 0  # 最后一层的输出没有被 dropout
    single = nn.LSTM(3, 4, num_layers=1).double().train()
    single.dropout = 0.5  # 单层时 PyTorch 警告 dropout 不起作用；我们的展开也一样
    torch.testing.assert_close(run_recurrent(single, x)[0], single(x)[0])


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_cell_matches_builtin(nonlinearity) -> None:
    cell = nn.RNNCell(3, 4, nonlinearity=nonlinearity).double()
    x, h = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 4, dtype=torch.float64)
    torch.testing.assert_close(
        rnn_cell(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, nonlinearity), cell(x, h)
    )
    torch.testing.assert_close(
        rnn_cell(x[0], h[0], cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, nonlinearity), cell(x[0], h[0])
    )


def test_gru_cell_both_reset_placements() -> None:
    cell = nn.GRUCell(3, 4).double()
    x, h = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 4, dtype=torch.float64)
    args = (x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    torch.testing.assert_close(gru_cell(*args), cell(x, h))
    # Cho 等 2014：n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)，这里逐块手写
    W_ir, W_iz, W_in = cell.weight_ih.chunk(3)
    W_hr, W_hz, W_hn = cell.weight_hh.chunk(3)
    b_ir, b_iz, b_in = cell.bias_ih.chunk(3)
    b_hr, b_hz, b_hn = cell.bias_hh.chunk(3)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = torch.tanh(x @ W_in.T + b_in + (r * h) @ W_hn.T + b_hn)
    torch.testing.assert_close(gru_cell(*args, reset_after=False), (1 - z) * n + z * h)
    assert not torch.allclose(gru_cell(*args, reset_after=False), cell(x, h))


def test_lstm_cell_matches_builtin_and_gates_are_in_range() -> None:
    cell = nn.LSTMCell(3, 4).double()
    x = torch.randn(5, 3, dtype=torch.float64)
    h, c = torch.randn(5, 4, dtype=torch.float64), torch.randn(5, 4, dtype=torch.float64)
    ours = lstm_cell(x, (h, c), cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    for a, b in zip(ours, cell(x, (h, c)), strict=True):
        torch.testing.assert_close(a, b)
    i, f, g, o = lstm_gates(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    torch.testing.assert_close(ours[1], f * c + i * g)
    torch.testing.assert_close(ours[0], o * torch.tanh(ours[1]))
    for gate in (i, f, o):
        assert bool(((gate > 0) & (gate < 1)).all())
    # 换掉激活函数：门用 tanh 时可以是负数
    i2, f2, _, _ = lstm_gates(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, gate_activation="tanh")
    torch.testing.assert_close(f2, torch.tanh(torch.logit(f)))
    assert bool((f2 < 0).any())
    relu_h, relu_c = lstm_cell(
        x,
        (h, c),
        cell.weight_ih,
        cell.weight_hh,
        cell.bias_ih,
        cell.bias_hh,
        candidate_activation="relu",
        output_activation="identity",
    )
    torch.testing.assert_close(relu_c, f * c + i * torch.relu(torch.atanh(g)))
    torch.testing.assert_close(relu_h, o * relu_c)
    assert set(CELL_ACTIVATIONS) == {"sigmoid", "tanh", "relu", "identity"}


_X, _H = torch.randn(2, 3), torch.randn(2, 4)
_W_RNN = (torch.randn(4, 3), torch.randn(4, 4))
_W_LSTM = (torch.randn(16, 3), torch.randn(16, 4))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: rnn_cell(_X, _H, *_W_RNN, nonlinearity="sigmoid"), ValueError, "nonlinearity 必须是"),
        (lambda: rnn_cell([1.0], _H, *_W_RNN), TypeError, "x 必须是 torch.Tensor"),
        (lambda: rnn_cell(_X.double(), _H, *_W_RNN), TypeError, "x 的 dtype 必须与 weight_ih 相同"),
        (lambda: rnn_cell(_X, torch.randn(2, 5), *_W_RNN), ValueError, "h 的最后一维必须是 4"),
        (lambda: rnn_cell(torch.randn(2, 2), _H, *_W_RNN), ValueError, "x 的最后一维必须是 3"),
        (lambda: rnn_cell(torch.randn(3, 3), _H, *_W_RNN), ValueError, "x 与 h 的批大小必须相同"),
        (lambda: rnn_cell(_X, _H, *_W_RNN, torch.randn(5)), ValueError, "bias_ih 的长度必须是 4"),
        (lambda: gru_cell(_X, _H, *_W_RNN), ValueError, "weight_ih 的行数必须是 3 的倍数"),
        (
            lambda: gru_cell(_X, _H, torch.randn(12, 3), torch.randn(12, 4), reset_after="no"),
            TypeError,
            "reset_after 必须是 True 或 False",
        ),
        (lambda: lstm_gates(_X, _H, *_W_LSTM, gate_activation="softmax"), ValueError, "gate_activation 必须是"),
        (lambda: lstm_cell(_X, _H, *_W_LSTM), TypeError, "state 必须是"),
        (lambda: lstm_cell(_X, (None, _H), *_W_LSTM), TypeError, r"state\[0\]（h） 必须是 torch.Tensor"),
        (lambda: lstm_cell(_X, (_H, torch.randn(2, 5)), *_W_LSTM), ValueError, "c 的形状必须是"),
        (
            lambda: lstm_cell(_X, (_H, _H), *_W_LSTM, output_activation=None),
            TypeError,
            "output_activation 必须是字符串",
        ),
        (lambda: lstm_cell(_X, (_H, _H), *_W_LSTM, weight_hr=torch.randn(3, 4)), ValueError, "weight_hr 的形状必须是"),
        (lambda: run_recurrent(nn.Linear(3, 4), torch.randn(5, 2, 3)), TypeError, "module 必须是 torch.nn.RNNBase"),
        (lambda: run_recurrent(nn.GRU(3, 4), torch.randn(5, 2, 2)), ValueError, "x 的最后一维必须是 input_size=3"),
        (lambda: run_recurrent(nn.GRU(3, 4), torch.randn(5, 2, 3).double()), TypeError, "x 的 dtype 必须与 module"),
        (lambda: run_recurrent(nn.GRU(3, 4), torch.randn(0, 2, 3)), ValueError, "x 不能是空张量"),
        (lambda: run_recurrent(nn.GRU(3, 4), torch.randn(3)), ValueError, "x 必须是 2 或 3 维张量"),
        (
            lambda: run_recurrent(nn.GRU(3, 4), torch.randn(5, 2, 3), torch.zeros(2, 2, 4)),
            ValueError,
            r"hx 的形状必须是 \(1, 2, 4\)",
        ),
        (
            lambda: run_recurrent(nn.LSTM(3, 4), torch.randn(5, 2, 3), torch.zeros(1, 2, 4)),
            TypeError,
            "hx 必须是 \\(h_0, c_0\\)",
        ),
        (
            lambda: run_recurrent(nn.LSTM(3, 4), torch.randn(5, 2, 3), (torch.zeros(1, 2, 4), torch.zeros(1, 2, 3))),
            ValueError,
            "c_0 的形状必须是",
        ),
    ],
)
def test_cell_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: recurrent_weight(10**9), ValueError, r"hidden 必须在 \[1, 10000\] 内"),
        (lambda: recurrent_weight(4, "eye"), ValueError, "init 必须是 'normal'、'identity'、'orthogonal' 之一"),
        (lambda: recurrent_weight(4, scale=float("inf")), ValueError, r"scale 必须在 \(0, inf\) 内"),
        (lambda: recurrent_weight(4, scale=None), TypeError, "scale 必须是实数"),
        (lambda: recurrent_weight(4, seed=-1), ValueError, "seed 必须在"),
        (lambda: set_forget_bias(nn.LSTM(2, 2), float("inf")), ValueError, "value 必须是有限实数"),
        (lambda: lstm_state_grad_norms(10**9), ValueError, r"steps 必须在 \[1, 10000\] 内"),
        (lambda: lstm_state_grad_norms(5, hidden=0), ValueError, r"hidden 必须在 \[1, 4096\] 内"),
        (lambda: lstm_state_grad_norms(5, hidden="8"), TypeError, "hidden 必须是整数"),
        (lambda: lstm_state_grad_norms(10_000, batch=10_000), ValueError, r"steps·batch·hidden = .* 太大"),
        (lambda: lstm_state_grad_norms(5, forget_bias=-float("inf")), ValueError, "forget_bias 必须是有限实数"),
        (lambda: lstm_state_grad_norms(5, seed="0"), TypeError, "seed 必须是整数或 None"),
    ],
)
def test_recurrent_refuses_bad_input(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_recurrent_seed_none_follows_the_global_state() -> None:
    torch.manual_seed(2)
    a = recurrent_weight(3, seed=None)
    torch.manual_seed(2)
    assert torch.equal(a, recurrent_weight(3, seed=None))
    torch.manual_seed(2)
    b = lstm_state_grad_norms(4, hidden=4, batch=2, seed=None)
    torch.manual_seed(2)
    assert b == lstm_state_grad_norms(4, hidden=4, batch=2, seed=None)
