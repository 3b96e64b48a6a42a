"""“LSTM 结构推导，为什么比 RNN 好”一页：记忆单元通路的梯度、LSTM 仍会爆炸的反例、记忆任务上的对比。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_finite, check_int, check_module, check_seed, check_tensor
from dlguide.figures import figure, new_figure
from dlguide.memory_task import trained_recall_net
from dlguide.recurrent import lstm_gates

__all__ = [
    "RECALL_MODELS",
    "cell_path_gradient",
    "compare_on_recall",
    "recall_by_length",
    "scalar_lstm",
]

RECALL_MODELS = {
    "RNN": ("rnn", None),
    "GRU": ("gru", None),
    "LSTM": ("lstm", 1.0),
    "LSTM（默认初始化）": ("lstm", None),
}
"""记忆任务上比较的模型：名字 → ``(kind, forget_bias)``（``None`` 表示 PyTorch 默认初始化）。"""


def cell_path_gradient(lstm: nn.LSTM, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    r"""只沿记忆单元通路求 $\partial\boldsymbol c_T/\partial\boldsymbol c_0$，并与遗忘门的连乘 $\prod_{t=1}^{T}\boldsymbol f_t$ 对照。

    展开单层 ``nn.LSTM`` 时把送进门的 $\boldsymbol h_{t-1}$ ``detach()``：梯度只能走
    $\boldsymbol c_t=\boldsymbol f_t\odot\boldsymbol c_{t-1}+\boldsymbol i_t\odot\boldsymbol g_t$ 这条直通路。这时
    $\partial\boldsymbol c_t/\partial\boldsymbol c_{t-1}=\operatorname{diag}(\boldsymbol f_t)$，
    所以 $\partial\boldsymbol c_T/\partial\boldsymbol c_0$ 恰好是遗忘门的**连乘**。

    Parameters
    ----------
    lstm : torch.nn.LSTM
        单层、单向、没有投影的 LSTM，``batch_first=False``。
    x : torch.Tensor
        输入 ``(T, B, I)``。

    Returns
    -------
    tuple of torch.Tensor
        ``(autograd 求出的 ∂c_T/∂c_0, ∏ f_t)``，形状都是 ``(B, H)``（逐单元，因为直通路上 Jacobian 是对角的）。

    Raises
    ------
    TypeError, ValueError
        ``lstm`` 不是符合要求的 ``nn.LSTM``，或 ``x`` 的形状不对。

    Examples
    --------
    >>> lstm = nn.LSTM(2, 3)
    >>> grad, product = cell_path_gradient(lstm, torch.randn(5, 4, 2))
    >>> torch.allclose(grad, product)
    True
    """
    check_module(lstm, "lstm", nn.LSTM)
    if lstm.num_layers != 1 or lstm.bidirectional or lstm.proj_size or lstm.batch_first:
        raise ValueError("lstm 必须是单层、单向、没有投影、batch_first=False 的 nn.LSTM")
    check_tensor(x, "x", ndim=3, nonempty=True)
    if x.shape[-1] != lstm.input_size:
        raise ValueError(f"x 的最后一维必须是 input_size={lstm.input_size}，收到形状 {tuple(x.shape)}")
    if x.dtype != lstm.weight_ih_l0.dtype:
        raise TypeError(f"x 的 dtype 必须与 lstm 的参数相同（{lstm.weight_ih_l0.dtype}），收到 {x.dtype}")
    weights = (lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0)
    B, H = x.shape[1], lstm.hidden_size
    c0 = torch.zeros(B, H, device=x.device, dtype=x.dtype, requires_grad=True)
    h, c = torch.zeros_like(c0), c0
    product = torch.ones_like(c0)
    for xt in x:
        # 门只看 detach 之后的 h：切断 c_{t−1} → h_{t−1} → 门 → c_t 这些间接通路
        i, f, g, o = lstm_gates(xt, h.detach(), *weights)
        # c_t = f ⊙ c_{t−1} + i ⊙ g：对 c_{t−1} 的导数就是 diag(f_t)
        c = f * c + i * g
        h = o * torch.tanh(c)
        product = product * f.detach()
    # 直通路上 Jacobian 是对角的：对 c_T 的各元素求和再求导，得到的就是对角线
    (grad,) = torch.autograd.grad(c.sum(), c0)
    return grad, product


def scalar_lstm(w: float) -> nn.LSTM:
    r"""一个单元的 LSTM：三个门的权重和全部偏置为 0，只有候选值读上一步的输出，$g_t=\tanh(w\,h_{t-1})$。

    输入为 0 时三个门恒为 $\sigma(0)=0.5$，$c=0$ 是不动点。在它附近
    $c_t\approx 0.5\,c_{t-1}+0.5\cdot w\cdot 0.5\,c_{t-1}$，每步的放大倍数是

    $$
    \frac{\partial c_t}{\partial c_{t-1}} = \underbrace{f}_{0.5} + \underbrace{i\cdot w\cdot o}_{0.25\,w} .
    $$

    记忆单元直通路只贡献 $f=0.5$（每步减半），但经过 $h$ 的那条路贡献 $0.25w$：$w=4$ 时合计 1.5，梯度按 $1.5^T$ 爆炸。

    Parameters
    ----------
    w : float
        候选值的循环权重 $W_{hg}$，有限实数。

    Returns
    -------
    torch.nn.LSTM
        ``nn.LSTM(1, 1)``（CPU 上）。

    Raises
    ------
    TypeError, ValueError
        ``w`` 不是有限实数。

    Examples
    --------
    >>> lstm = scalar_lstm(4.0)
    >>> lstm.weight_hh_l0.flatten().tolist()          # 四块 (i, f, g, o)，只有 g 块非零
    [0.0, 0.0, 4.0, 0.0]
    """
    check_finite(w, "w")
    lstm = nn.LSTM(1, 1)
    with torch.no_grad():
        for p in lstm.parameters():
            p.zero_()
        lstm.weight_hh_l0[2, 0] = w  # 门的顺序 i, f, g, o：第 3 块是候选值 g
    return lstm


def compare_on_recall(
    length: int = 20, models: tuple[str, ...] = tuple(RECALL_MODELS), *, hidden: int = 16, seed: int | None = 0
) -> dict[str, dict[str, object]]:
    """同样的设置下，在长 ``length`` 的标记回忆任务上训练 [`RECALL_MODELS`][dlguide.pages.rnn.lstm_derivation.RECALL_MODELS] 里的模型。

    每个模型都是 ``RecurrentNet(kind, 2, hidden, 1)``，由 [`trained_recall_net`][dlguide.memory_task.trained_recall_net]
    用 [`train_marked_recall`][dlguide.memory_task.train_marked_recall] 的默认设置训练（2048 条序列、6 轮、Adam 0.02）。

    Parameters
    ----------
    length : int
        序列长度，在 [2, 100] 内。
    models : tuple of str
        [`RECALL_MODELS`][dlguide.pages.rnn.lstm_derivation.RECALL_MODELS] 里的名字。
    hidden : int
        隐藏维数，在 [1, 256] 内。
    seed : int, optional
        初始化与数据的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict
        名字 → [`train_marked_recall`][dlguide.memory_task.train_marked_recall] 的结果（``"losses"``、``"test_mse"``）。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界，或名字不认识。

    Examples
    --------
    >>> results = compare_on_recall(5, ("RNN",), hidden=4)
    >>> list(results), list(results["RNN"]["test_mse"])
    (['RNN'], [5])
    """
    check_int(length, "length", low=2, high=100)
    check_int(hidden, "hidden", low=1, high=256)
    check_seed(seed)
    if isinstance(models, str) or not isinstance(models, (tuple, list)):
        raise TypeError(f"models 必须是名字的元组，例如 ('RNN', 'LSTM')，收到的是 {type(models).__name__}")
    results = {}
    for name in models:
        kind, forget_bias = RECALL_MODELS[check_choice(name, "models 的元素", tuple(RECALL_MODELS))]
        _, results[name] = trained_recall_net(kind, forget_bias, length=length, hidden=hidden, seed=seed)
    return results


@figure
def recall_by_length() -> Figure:
    """左：长 20 时各模型每轮的训练损失；右：测试 MSE 随序列长度的变化。"""
    lengths = (5, 10, 20, 40)
    names = ("RNN", "GRU", "LSTM")
    colors = {"RNN": "tab:red", "GRU": "tab:blue", "LSTM": "tab:green", "LSTM（默认初始化）": "tab:olive"}
    by_length = {length: compare_on_recall(length, names) for length in lengths}
    default_lstm = compare_on_recall(20, ("LSTM（默认初始化）",))
    fig, (left, right) = new_figure(2, width=9.0, height=3.6)
    for name, result in {**by_length[20], **default_lstm}.items():
        losses = result["losses"]
        left.plot(range(1, len(losses) + 1), losses, marker="o", ms=3, color=colors[name], label=name)
    left.axhline(1 / 3, color="0.5", ls=":", label="只输出常数（1/3）")
    left.set_yscale("log")
    left.set_xlabel("训练轮数（每轮 32 次更新）")
    left.set_title("序列长 20：训练损失")
    left.legend(fontsize=7)
    for name in names:
        right.plot(lengths, [by_length[n][name]["test_mse"][n] for n in lengths], marker="o", color=colors[name], label=name)
    right.axhline(1 / 3, color="0.5", ls=":")
    right.set_yscale("log")
    right.set_xscale("log", base=2)
    right.set_xticks(lengths, [str(n) for n in lengths])
    right.set_xlabel("序列长度 T（要记住的值在前半段）")
    right.set_title("同样的训练预算：测试 MSE")
    right.legend(fontsize=7)
    return fig
