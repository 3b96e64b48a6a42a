"""“GRU”一页：在标记回忆任务上训练一个 GRU，看更新门、重置门在一条序列上怎样开关。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.data import make_adding_problem
from dlguide.figures import figure, new_figure
from dlguide.memory_task import trained_recall_net
from dlguide.recurrent import trace_gates

__all__ = ["gru_gates_over_sequence"]


@figure
def gru_gates_over_sequence() -> Figure:
    """训练好的 GRU 在一条测试序列上：更新门、重置门（单元 × 时间）与每一步的读数。"""
    net, _ = trained_recall_net("gru")  # 16 个单元、默认初始化，长 20 的任务上训练 6 轮（与 LSTM 一页相同）
    X, y = make_adding_problem(64, 20, markers=1, seed=5)
    marks = X[..., 1].argmax(dim=1)
    b = int(((marks >= 6) & (marks <= 9)).nonzero()[0])  # 选一条标记在中间附近的序列（与 LSTM 一页同一条）
    m = int(marks[b])
    device = next(net.parameters()).device
    trace = trace_gates(net.rnn, X[b : b + 1].to(device))
    with torch.no_grad():
        # 如果在第 t 步就读出：V h_t + c
        readout = net.head(trace["h"][:, 0]).squeeze(-1).cpu()
    trace = {name: value.cpu() for name, value in trace.items()}
    fig, axes = new_figure(3, width=9.5, height=3.3)
    titles = {"z": "更新门 z（保留旧状态的比例）", "r": "重置门 r"}
    for ax, name in zip(axes, titles):
        image = ax.imshow(trace[name][:, 0].T.detach().numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
        for edge in (m - 0.5, m + 0.5):  # 框出标记所在的那一列
            ax.axvline(edge, color="tab:red", lw=1.0)
        ax.set_title(titles[name], fontsize=10)
        ax.set_xlabel("时间步 t")
        ax.grid(False)
    axes[0].set_ylabel("单元")
    fig.colorbar(image, ax=axes[1], fraction=0.05)
    ax = axes[2]
    ax.plot(range(20), readout.tolist(), marker="o", ms=3, label="第 t 步的读数")
    ax.axhline(y[b, 0].item(), color="tab:green", ls="--", label="要记住的值")
    ax.axvline(m, color="tab:red", lw=1.2, label="标记")
    ax.set_xlabel("时间步 t")
    ax.set_title("读数 V·hₜ + c")
    ax.legend(fontsize=7)
    return fig
