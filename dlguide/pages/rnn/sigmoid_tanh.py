"""“为什么 LSTM 既有 sigmoid 又有 tanh”一页：把门和候选值/输出的激活函数换掉，在标记回忆任务上看什么坏了。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_finite, check_int, check_seed, check_tensor
from dlguide.data import make_adding_problem
from dlguide.figures import figure, new_figure
from dlguide.memory_task import train_marked_recall
from dlguide.models import check_sequence_input
from dlguide.recurrent import CELL_ACTIVATIONS, lstm_cell, set_forget_bias

__all__ = ["VARIANTS", "SwappedLSTM", "activation_swaps", "compare_activations", "gate_fraction_between"]

VARIANTS = {
    "标准": ("sigmoid", "tanh", "tanh"),
    "门用 tanh": ("tanh", "tanh", "tanh"),
    "两者互换": ("tanh", "sigmoid", "sigmoid"),
    "全用 sigmoid": ("sigmoid", "sigmoid", "sigmoid"),
    "候选值用 ReLU": ("sigmoid", "relu", "tanh"),
    "候选值、输出都用 ReLU": ("sigmoid", "relu", "relu"),
    "输出不压缩": ("sigmoid", "tanh", "identity"),
}
"""实验里的 LSTM 变体：名字 → ``(门, 候选值 g, 输出 tanh(c) 处)`` 的激活函数。"""


class SwappedLSTM(nn.Module):
    r"""单层 LSTM + 线性输出头，门、候选值、输出三处的激活函数可以换（按 [`lstm_cell`][dlguide.recurrent.lstm_cell] 逐步展开）。

    参数放在一个 ``nn.LSTM`` 里（PyTorch 的初始化，遗忘门偏置用 [`set_forget_bias`][dlguide.recurrent.set_forget_bias] 设置），
    所以 ``"sigmoid", "tanh", "tanh"`` 时它和同样初始化的 ``nn.LSTM`` 算的是同一个函数。

    Parameters
    ----------
    gate, candidate, output : str
        [`CELL_ACTIVATIONS`][dlguide.recurrent.CELL_ACTIVATIONS] 里的名字，分别用在三个门、候选值 $\boldsymbol g$、$\tanh(\boldsymbol c)$ 处。
    input_size, hidden_size, output_size : int
        维数，在 [1, 1024] 内。
    forget_bias : float
        有效遗忘门偏置（门的**预激活**，换成 tanh 门时同样加在预激活上）。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Raises
    ------
    TypeError, ValueError
        名字不认识或尺寸越界。

    Examples
    --------
    >>> model = SwappedLSTM("sigmoid", "tanh", "tanh", input_size=2, hidden_size=3, output_size=1)
    >>> x = torch.randn(4, 5, 2)                                   # (B, T, I)
    >>> reference, _ = model.lstm(x)                               # 同一组参数的 nn.LSTM
    >>> torch.allclose(model(x), model.head(reference[:, -1]), atol=1e-6)
    True
    """

    def __init__(
        self,
        gate: str = "sigmoid",
        candidate: str = "tanh",
        output: str = "tanh",
        *,
        input_size: int = 2,
        hidden_size: int = 16,
        output_size: int = 1,
        forget_bias: float = 1.0,
        seed: int | None = 0,
    ) -> None:
        super().__init__()
        for name, value in (("gate", gate), ("candidate", candidate), ("output", output)):
            check_choice(value, name, tuple(CELL_ACTIVATIONS))
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size)):
            check_int(value, name, low=1, high=1024)
        check_finite(forget_bias, "forget_bias")
        if check_seed(seed) is not None:
            torch.manual_seed(seed)
        self.lstm = set_forget_bias(nn.LSTM(input_size, hidden_size, batch_first=True), forget_bias)
        self.head = nn.Linear(hidden_size, output_size)
        self.activations = {"gate_activation": gate, "candidate_activation": candidate, "output_activation": output}

    def states(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """逐步展开，返回每个时刻的 ``(h, c)``，形状都是 ``(B, T, H)``。"""
        check_sequence_input(x, self.lstm)
        lstm = self.lstm
        weights = (lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0)
        h = x.new_zeros(x.shape[0], lstm.hidden_size)  # (B, H)
        c = torch.zeros_like(h)
        hs, cs = [], []
        for t in range(x.shape[1]):
            # c_t = f ⊙ c_{t−1} + i ⊙ g，h_t = o ⊙ act(c_t)，三处激活函数按 self.activations
            h, c = lstm_cell(x[:, t], (h, c), *weights, **self.activations)
            hs.append(h)
            cs.append(c)
        return torch.stack(hs, dim=1), torch.stack(cs, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (B, T, I) → 最后一步的 h_T (B, H) → (B, O)
        hs, _ = self.states(x)
        return self.head(hs[:, -1])


def compare_activations(
    names: tuple[str, ...] = tuple(VARIANTS),
    *,
    length: int = 20,
    test_lengths: tuple[int, ...] | None = (20, 200),
    seed: int | None = 0,
) -> dict[str, dict[str, object]]:
    """把 [`VARIANTS`][dlguide.pages.rnn.sigmoid_tanh.VARIANTS] 里的每个变体在标记回忆任务上训练，设置与本章其他页面相同。

    训练见 [`train_marked_recall`][dlguide.memory_task.train_marked_recall]（长 ``length``、192 次更新、Adam 0.02），
    然后在 ``test_lengths`` 里每个长度的新序列上量 MSE（比训练长的序列检验状态是否有界）。

    Parameters
    ----------
    names : tuple of str
        变体的名字。
    length : int
        训练序列长度，在 [2, 100] 内。
    test_lengths : tuple of int, optional
        测试序列长度；``None`` 表示只在训练长度上测。
    seed : int, optional
        初始化与数据的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict
        名字 → ``{"losses", "test_mse", "model"}``。

    Raises
    ------
    TypeError, ValueError
        名字不认识或参数越界。

    Examples
    --------
    >>> results = compare_activations(("标准",), length=4, test_lengths=(4,))
    >>> sorted(results["标准"])
    ['losses', 'model', 'test_mse']
    """
    check_int(length, "length", low=2, high=100)
    if isinstance(names, str) or not isinstance(names, (tuple, list)):
        raise TypeError(f"names 必须是变体名字的元组，收到的是 {type(names).__name__}")
    results = {}
    for name in names:
        gate, candidate, output = VARIANTS[check_choice(name, "names 的元素", tuple(VARIANTS))]
        model = SwappedLSTM(gate, candidate, output, seed=seed)
        result = train_marked_recall(model, length, test_lengths=test_lengths, seed=seed)
        results[name] = {**result, "model": model.eval()}
    return results


def gate_fraction_between(gates: torch.Tensor, low: float = 0.1, high: float = 0.9) -> float:
    """门值落在开区间 ``(low, high)`` 里的比例：既不接近 0、也不接近 1 的那部分。

    Parameters
    ----------
    gates : torch.Tensor
        任意形状的门值。
    low, high : float
        区间端点，``0 <= low < high <= 1``。

    Returns
    -------
    float
        比例，在 [0, 1] 内。

    Raises
    ------
    TypeError, ValueError
        ``gates`` 不是浮点张量或为空，端点越界。

    Examples
    --------
    >>> gate_fraction_between(torch.tensor([0.01, 0.5, 0.7, 0.99]))
    0.5
    """
    check_tensor(gates, "gates", nonempty=True)
    if not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and 0 <= low < high <= 1):
        raise ValueError(f"low、high 必须满足 0 ≤ low < high ≤ 1，收到 {low!r}、{high!r}")
    return ((gates > low) & (gates < high)).float().mean().item()


@figure
def activation_swaps() -> Figure:
    """三个随机种子下每个变体的结果。左：长 20 的测试 MSE；右：长 200 的序列上 |h| 的最大值。"""
    seeds = (0, 1, 2)
    runs = {seed: compare_activations(seed=seed) for seed in seeds}
    X_long, _ = make_adding_problem(100, 200, markers=1, seed=1)
    fig, (left, right) = new_figure(2, width=10.0, height=4.2)
    names = list(VARIANTS)
    markers = dict(zip(seeds, ("o", "s", "^")))
    for seed in seeds:
        mse, peak = [], []
        for name in names:
            model = runs[seed][name]["model"]
            mse.append(runs[seed][name]["test_mse"][20])
            with torch.no_grad():
                hs, _ = model.states(X_long.to(next(model.parameters()).device))
            peak.append(hs.abs().max().item())
        offset = (seed - 1) * 0.15
        left.scatter([k + offset for k in range(len(names))], mse, marker=markers[seed], s=22, label=f"种子 {seed}")
        right.scatter([k + offset for k in range(len(names))], peak, marker=markers[seed], s=22, label=f"种子 {seed}")
    left.axhline(1 / 3, color="0.5", ls=":", label="只输出常数（1/3）")
    left.axhline(0.01, color="tab:green", ls="--", lw=0.8, label="0.01")
    left.set_yscale("log")
    left.set_title("训练长 20、测试长 20 的 MSE", fontsize=10)
    right.axhline(1.0, color="tab:red", ls="--", lw=0.8, label="|h| = 1")
    right.set_yscale("log")
    right.set_title("长 200 的序列上 |h| 的最大值", fontsize=10)
    for ax in (left, right):
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
        ax.legend(fontsize=7)
    return fig
