"""“GRU 与 LSTM 的区别”一页：参数量、计数能力（记忆单元无界 vs 状态有界）、门的耦合。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_bool, check_choice, check_in_range, check_int
from dlguide.data import make_adding_problem
from dlguide.figures import figure, new_figure
from dlguide.memory_task import trained_recall_net
from dlguide.recurrent import GATE_BLOCKS, trace_gates

__all__ = [
    "counter_lstm",
    "counting_and_coupling",
    "counting_sequence",
    "leaky_counter_gru",
    "parameter_count",
    "saturating_gru",
]


def parameter_count(
    kind: str, input_size: int, hidden_size: int, *, num_layers: int = 1, bidirectional: bool = False
) -> int:
    r"""``nn.RNN``/``nn.GRU``/``nn.LSTM`` 的参数个数（带偏置），按公式算。

    每层每个方向有 $k$ 个门块（RNN 1、GRU 3、LSTM 4），每块 $H\times I_l$ 的输入权重、$H\times H$ 的循环权重和两份长 $H$ 的偏置：

    $$
    \#\text{params} = D\sum_{l=1}^{L} k\,\bigl[H(I_l + H) + 2H\bigr],\qquad I_1 = I,\quad I_l = D\,H\ (l\ge 2).
    $$

    Parameters
    ----------
    kind : str
        ``"rnn"``、``"gru"`` 或 ``"lstm"``。
    input_size, hidden_size : int
        $I$ 与 $H$，在 [1, 100000] 内。
    num_layers : int
        层数 $L$，在 [1, 100] 内。
    bidirectional : bool
        是否双向（$D = 2$）。

    Returns
    -------
    int
        参数个数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> parameter_count("lstm", 3, 4), sum(p.numel() for p in nn.LSTM(3, 4).parameters())
    (144, 144)
    """
    blocks = {"rnn": GATE_BLOCKS["RNN_TANH"], "gru": GATE_BLOCKS["GRU"], "lstm": GATE_BLOCKS["LSTM"]}
    k = blocks[check_choice(kind, "kind", tuple(blocks))]
    I = check_int(input_size, "input_size", low=1, high=100_000)
    H = check_int(hidden_size, "hidden_size", low=1, high=100_000)
    L = check_int(num_layers, "num_layers", low=1, high=100)
    D = 2 if check_bool(bidirectional, "bidirectional") else 1
    total = 0
    for layer in range(L):
        fan_in = I if layer == 0 else D * H
        # 每个方向：k 块 × [H(I_l + H) + 2H]
        total += D * k * (H * (fan_in + H) + 2 * H)
    return total


def counting_sequence(n: int = 20) -> torch.Tensor:
    """$a^n b^n$ 的数值编码：前 ``n`` 步输入 +1，后 ``n`` 步输入 −1，形状 ``(2n, 1, 1)``（``(T, B, I)``）。

    Examples
    --------
    >>> counting_sequence(2).flatten().tolist()
    [1.0, 1.0, -1.0, -1.0]
    """
    check_int(n, "n", low=1, high=10_000)
    return torch.cat([torch.ones(n), -torch.ones(n)]).view(-1, 1, 1)


def counter_lstm() -> nn.LSTM:
    r"""手工设定权重、当计数器用的单元 LSTM：$i, f, o\approx 1$，$g=\tanh(5x)\approx\pm 1$，于是 $c_t\approx c_{t-1}+x_t$。

    输入、遗忘、输出三个门的偏置都是 10（$\sigma(10)\approx 0.99995$），候选值 $g=\tanh(5x)$。
    读 $a^n b^n$ 时记忆单元先升到约 $n$，再降回约 0——记忆单元是一个无界的累加器。

    Examples
    --------
    >>> lstm = counter_lstm()
    >>> lstm.bias_ih_l0.tolist(), lstm.weight_ih_l0.flatten().tolist()     # 门的顺序 i, f, g, o
    ([10.0, 10.0, 0.0, 10.0], [0.0, 0.0, 5.0, 0.0])
    """
    lstm = nn.LSTM(1, 1)
    with torch.no_grad():
        for p in lstm.parameters():
            p.zero_()
        lstm.bias_ih_l0[[0, 1, 3]] = 10.0  # i、f、o ≈ 1
        lstm.weight_ih_l0[2, 0] = 5.0  # g = tanh(5x) ≈ ±1
    return lstm


def saturating_gru() -> nn.GRU:
    r"""手工设定权重、尽量“累加”的单元 GRU：$r\approx 1$，$z=0.5$，$n=\tanh(x + h)$，于是 $h_t = \tfrac12\tanh(x_t+h_{t-1})+\tfrac12 h_{t-1}$。

    无论权重怎么选，$h_t$ 都是 $h_{t-1}$ 与 $n_t\in(-1,1)$ 的凸组合，从 0 出发永远在 $(-1,1)$ 里。这一个 GRU 很快停在
    不动点 $h^*=\tfrac12\tanh(1+h^*)+\tfrac12h^*\approx 0.96$ 附近，不同的计数得到几乎相同的状态；更会“数”的写法见
    [`leaky_counter_gru`][dlguide.pages.rnn.gru_vs_lstm.leaky_counter_gru]。

    Examples
    --------
    >>> gru = saturating_gru()
    >>> gru.bias_ih_l0.tolist(), gru.weight_hh_l0.flatten().tolist()     # 门的顺序 r, z, n
    ([10.0, 0.0, 0.0], [0.0, 0.0, 1.0])
    """
    gru = nn.GRU(1, 1)
    with torch.no_grad():
        for p in gru.parameters():
            p.zero_()
        gru.bias_ih_l0[0] = 10.0  # r ≈ 1
        gru.weight_ih_l0[2, 0] = 1.0  # n = tanh(x + r ⊙ h)
        gru.weight_hh_l0[2, 0] = 1.0
    return gru


def leaky_counter_gru(keep: float = 0.99) -> nn.GRU:
    r"""手工设定权重、把计数编码进小数的单元 GRU：$z=$ ``keep``，$n=\tanh(10x)\approx\pm1$，于是读 $a^n$ 后 $h_n = 1-z^n$。

    状态仍在 $(-1,1)$ 里，但 $1-z^n$ 随 $n$ 严格增加，所以**精度无限时**它能区分任意多个计数；精度有限时，
    相邻两个计数的差 $z^n(1-z)$ 很快小于 float32 能分辨的间隔，之后的计数就分不开了。``keep`` 越接近 1 能数得越远，
    但相邻计数的差也越小（Weiss 等 2018 说的正是这种有限精度下的限制）。

    Parameters
    ----------
    keep : float
        更新门的取值 $z$（保留旧状态的比例），在 $(0, 1)$ 内。

    Returns
    -------
    torch.nn.GRU
        ``nn.GRU(1, 1)``（CPU 上）。

    Raises
    ------
    TypeError, ValueError
        ``keep`` 不是 $(0, 1)$ 里的实数。

    Examples
    --------
    >>> h = trace_gates(leaky_counter_gru(0.9), torch.ones(3, 1, 1))["h"].flatten()
    >>> [round(v, 3) for v in h.tolist()]                                  # 1 − 0.9ⁿ
    [0.1, 0.19, 0.271]
    """
    check_in_range(keep, "keep", 0.0, 1.0, low_open=True, high_open=True)
    gru = nn.GRU(1, 1)
    with torch.no_grad():
        for p in gru.parameters():
            p.zero_()
        # z = σ(b_z) = keep  ⇔  b_z = log(keep / (1 − keep))；门的顺序 r, z, n
        gru.bias_ih_l0[1] = math.log(keep / (1 - keep))
        gru.weight_ih_l0[2, 0] = 10.0  # n = tanh(10x) ≈ ±1
    return gru


@figure
def counting_and_coupling() -> Figure:
    """左：读 a²⁰b²⁰ 时 LSTM 的记忆单元与 GRU 的状态；右：训练好的模型每一步的“保留比例”与“写入比例”。"""
    fig, (left, right) = new_figure(2, width=9.5, height=3.9)
    x = counting_sequence(20)
    with torch.no_grad():
        c = trace_gates(counter_lstm(), x)["c"].flatten()
        h = trace_gates(saturating_gru(), x)["h"].flatten()
    steps = range(1, len(x) + 1)
    left.plot(steps, c.tolist(), color="tab:green", label="LSTM 记忆单元 c（手设权重）")
    left.plot(steps, h.tolist(), color="tab:blue", label="GRU 状态 h（手设权重）")
    left.axhspan(-1, 1, color="tab:blue", alpha=0.08, label="GRU 的状态只能在 (−1, 1)")
    left.axvline(20.5, color="0.5", ls=":")
    left.set_xlabel("时间步（前 20 步读 a = +1，后 20 步读 b = −1）")
    left.set_title("计数：aⁿbⁿ", fontsize=10)
    left.legend(fontsize=7, loc="upper right")
    # 20 条序列 × 20 步 × 16 个单元 = 6400 个 (保留, 写入) 对，每 11 个取一个点：11 与 16 互素，每个单元都取得到
    # （每 16 个取一个，取到的永远是第 0 个单元）
    X, _ = make_adding_problem(20, 20, markers=1, seed=1)
    lstm, _ = trained_recall_net("lstm", 1.0)
    gru, _ = trained_recall_net("gru")
    device = next(lstm.parameters()).device
    lstm_trace = trace_gates(lstm.rnn, X.to(device))
    gru_trace = trace_gates(gru.rnn, X.to(device))
    keep, write = lstm_trace["f"].flatten().cpu(), lstm_trace["i"].flatten().cpu()
    right.scatter(keep[::11].tolist(), write[::11].tolist(), s=5, alpha=0.5, color="tab:green", label="LSTM：(f, i)")
    z = gru_trace["z"].flatten().cpu()
    right.scatter(z[::11].tolist(), (1 - z[::11]).tolist(), s=5, alpha=0.5, color="tab:blue", label="GRU：(z, 1 − z)")
    right.plot([0, 1], [1, 0], color="tab:blue", lw=0.8)
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.set_xlabel("保留旧记忆的比例")
    right.set_ylabel("写入新内容的比例")
    right.set_title("训练好的模型（标记回忆任务）", fontsize=10)
    right.legend(fontsize=7, markerscale=4)
    return fig
