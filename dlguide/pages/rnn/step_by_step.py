"""“RNN 是怎么从单层网络一步一步构造的”一页：四种输入输出结构（N→N、N→1、1→N、N→M）各一个小任务、一个小模型。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from torch import nn

from dlguide._checks import check_int, check_seed, check_tensor
from dlguide.figures import figure, new_figure
from dlguide.models import check_sequence_input

__all__ = [
    "EncoderDecoder",
    "OneToMany",
    "echo_task",
    "four_shapes_diagram",
    "pair_sum_task",
    "sign_of_sum_task",
    "sine_task",
]


def _uniform(shape: tuple[int, ...], seed: int | None) -> torch.Tensor:
    # U(−1, 1)，CPU 上用独立的生成器，任何设备上都是同样的数据
    return torch.rand(shape, generator=None if seed is None else torch.Generator().manual_seed(seed)) * 2 - 1


def echo_task(n: int = 1024, steps: int = 10, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""N→N 任务“回声”：每个时刻输出**上一个时刻**的输入，$y_t = x_{t-1}$（$y_1 = 0$）。

    只看当前输入 $x_t$ 的模型做不到：$x_{t-1}$ 与 $x_t$ 独立，最好只能输出均值 0，除了恒为 0 的 $y_1$，每个时刻的误差方差都是
    $\operatorname{Var}(x)=1/3$，MSE 的下限是 $\frac{N-1}{N}\cdot\frac13$（``steps`` $=N$）。

    Parameters
    ----------
    n, steps : int
        序列条数（[1, 100000]）与长度（[2, 1000]）。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``、``Y``：形状都是 ``(n, steps, 1)``。

    Examples
    --------
    >>> X, Y = echo_task(2, 4)
    >>> torch.equal(Y[:, 1:], X[:, :-1]), Y[:, 0].tolist()
    (True, [[0.0], [0.0]])
    """
    check_int(n, "n", low=1, high=100_000)
    check_int(steps, "steps", low=2, high=1000)
    X = _uniform((n, steps, 1), check_seed(seed))
    # y_t = x_{t−1}：整体右移一步，开头补 0
    Y = torch.cat([torch.zeros(n, 1, 1), X[:, :-1]], dim=1)
    return X, Y


def sign_of_sum_task(n: int = 1024, steps: int = 10, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """N→1 任务：读完整条序列后判断它的和是否为正（二分类，标签 0/1）。

    Parameters
    ----------
    n, steps : int
        序列条数（[1, 100000]）与长度（[1, 1000]）。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``：``(n, steps, 1)``；``y``：``(n,)`` 的整数标签。

    Examples
    --------
    >>> X, y = sign_of_sum_task(3, 5)
    >>> torch.equal(y, (X.sum(dim=(1, 2)) > 0).long())
    True
    """
    check_int(n, "n", low=1, high=100_000)
    check_int(steps, "steps", low=1, high=1000)
    X = _uniform((n, steps, 1), check_seed(seed))
    return X, (X.sum(dim=(1, 2)) > 0).long()


def sine_task(n: int = 1024, steps: int = 10, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""1→N 任务：输入一个频率 $\omega\sim U(0.5, 1.5)$，输出正弦序列 $y_t=\sin(\omega t)$，$t = 1,\dots,N$。

    Parameters
    ----------
    n, steps : int
        样本数（[1, 100000]）与输出长度 $N$（[1, 1000]）。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``omega``：``(n, 1)``；``Y``：``(n, steps)``。

    Examples
    --------
    >>> omega, Y = sine_task(2, 3)
    >>> torch.allclose(Y, torch.sin(omega * torch.tensor([1.0, 2.0, 3.0])))
    True
    """
    check_int(n, "n", low=1, high=100_000)
    check_int(steps, "steps", low=1, high=1000)
    omega = (_uniform((n, 1), check_seed(seed)) + 1) / 2 + 0.5  # U(0.5, 1.5)
    t = torch.arange(1, steps + 1, dtype=torch.float32)
    # y_t = sin(ω t)
    return omega, torch.sin(omega * t)


def pair_sum_task(n: int = 1024, pairs: int = 3, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""N→M 任务：读入 $N = 2M$ 个数，输出 $M$ 个相邻两数之和 $(x_1+x_2,\ x_3+x_4,\ \dots)$。

    输出长度与输入长度不同，而且要读完整个输入才能开始输出（最后一个和要用到最后一个输入）。

    Parameters
    ----------
    n : int
        样本数，在 [1, 100000] 内。
    pairs : int
        输出长度 $M$，在 [1, 500] 内；输入长度是 $2M$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``：``(n, 2M, 1)``；``Y``：``(n, M)``。

    Examples
    --------
    >>> X, Y = pair_sum_task(1, 2)
    >>> torch.allclose(Y[0], torch.stack([X[0, 0, 0] + X[0, 1, 0], X[0, 2, 0] + X[0, 3, 0]]))
    True
    """
    check_int(n, "n", low=1, high=100_000)
    check_int(pairs, "pairs", low=1, high=500)
    X = _uniform((n, 2 * pairs, 1), check_seed(seed))
    # y_k = x_{2k−1} + x_{2k}
    return X, X.view(n, pairs, 2).sum(dim=-1)


class OneToMany(nn.Module):
    r"""1→N：同一个输入向量在每个时刻都送进 RNN，逐步展开出 ``steps`` 个输出。

    $\boldsymbol h_t = \tanh(U\boldsymbol x + W\boldsymbol h_{t-1} + \boldsymbol b)$，$\hat y_t = V\boldsymbol h_t + c$。
    （另一种常见做法是只在第一步送入 $\boldsymbol x$，或用它初始化 $\boldsymbol h_0$。）

    Parameters
    ----------
    input_size, hidden_size : int
        输入维数与隐藏维数，在 [1, 1024] 内。
    steps : int
        输出长度 $N$，在 [1, 1000] 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> tuple(OneToMany(1, 8, 10)(torch.zeros(4, 1)).shape)          # (B, I) → (B, N)
    (4, 10)
    """

    def __init__(self, input_size: int = 1, hidden_size: int = 16, steps: int = 10, *, seed: int | None = 0) -> None:
        super().__init__()
        check_int(input_size, "input_size", low=1, high=1024)
        check_int(hidden_size, "hidden_size", low=1, high=1024)
        self.steps = check_int(steps, "steps", low=1, high=1000)
        if check_seed(seed) is not None:
            torch.manual_seed(seed)
        self.rnn = nn.RNN(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ndim=2, nonempty=True)
        if x.shape[-1] != self.rnn.input_size or x.dtype != self.rnn.weight_ih_l0.dtype:
            raise ValueError(f"x 必须是形状 (B, {self.rnn.input_size})、dtype {self.rnn.weight_ih_l0.dtype} 的张量，收到 {tuple(x.shape)}、{x.dtype}")
        # (B, I) → 每个时刻都是同一个输入 (B, N, I)
        xs = x.unsqueeze(1).expand(-1, self.steps, -1)
        states, _ = self.rnn(xs)  # (B, N, H)
        return self.head(states).squeeze(-1)  # (B, N)


class EncoderDecoder(nn.Module):
    r"""N→M：编码器 RNN 把输入序列读成一个向量 $\boldsymbol c=\boldsymbol h_N$，解码器 RNN 从 $\boldsymbol c$ 出发展开 $M$ 步。

    这是 Cho 等（2014）、Sutskever 等（2014）的编码器–解码器结构最简单的形式：解码器的初始状态是 $\boldsymbol c$，
    每一步的输入为 0（实际的翻译模型会把上一步的输出词喂给下一步）。

    Parameters
    ----------
    input_size, hidden_size : int
        输入维数与隐藏维数，在 [1, 1024] 内。
    out_steps : int
        输出长度 $M$，在 [1, 1000] 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> tuple(EncoderDecoder(1, 8, 3)(torch.zeros(4, 6, 1)).shape)   # (B, N, I) → (B, M)
    (4, 3)
    """

    def __init__(self, input_size: int = 1, hidden_size: int = 32, out_steps: int = 3, *, seed: int | None = 0) -> None:
        super().__init__()
        check_int(input_size, "input_size", low=1, high=1024)
        check_int(hidden_size, "hidden_size", low=1, high=1024)
        self.out_steps = check_int(out_steps, "out_steps", low=1, high=1000)
        if check_seed(seed) is not None:
            torch.manual_seed(seed)
        self.encoder = nn.RNN(input_size, hidden_size, batch_first=True)
        self.decoder = nn.RNN(1, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_sequence_input(x, self.encoder)
        # 编码：只要最后的状态 c = h_N，形状 (1, B, H)
        _, context = self.encoder(x)
        # 解码：从 c 出发走 M 步，输入为 0
        zeros = x.new_zeros(x.shape[0], self.out_steps, 1)
        states, _ = self.decoder(zeros, context)  # (B, M, H)
        return self.head(states).squeeze(-1)  # (B, M)


def _box(ax, x: float, y: float, text: str, color: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 0.3, y - 0.22), 0.6, 0.44, boxstyle="round,pad=0.02", facecolor=color, edgecolor="0.2"))
    ax.text(x, y, text, ha="center", va="center", fontsize=8)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.9})


@figure
def four_shapes_diagram() -> Figure:
    """四种结构的示意图：输入（下）、隐藏状态（中）、输出（上），横向是时间。"""
    fig, axes = new_figure(4, width=12.0, height=3.2)
    colors = {"x": "#dbe9f6", "h": "#fde2b8", "y": "#d9f0d3", "c": "#e8d5f0"}
    sub = "₁₂₃₄"
    layouts = {
        "N→N：逐步输出": ([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]),
        "N→1：读完再输出": ([0, 1, 2, 3], [0, 1, 2, 3], [3]),
        "1→N：一个输入展开成序列": ([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]),
    }
    for ax, (title, (xs, hs, ys)) in zip(axes, layouts.items()):
        one_input = title.startswith("1→N")
        for t in hs:
            _box(ax, t, 1, f"h{sub[t]}", colors["h"])
            if t > 0:
                _arrow(ax, (t - 0.7, 1), (t - 0.3, 1))
        for t in xs:
            _box(ax, t, 0, "x" if one_input else f"x{sub[t]}", colors["x"])
            _arrow(ax, (t, 0.22), (t, 0.78))
        for t in ys:
            _box(ax, t, 2, "y" if len(ys) == 1 else f"y{sub[t]}", colors["y"])
            _arrow(ax, (t, 1.22), (t, 1.78))
        ax.set_title(title, fontsize=9)
    ax = axes[3]
    for t in range(3):  # 编码器：读 3 个输入
        _box(ax, t, 0, f"x{sub[t]}", colors["x"])
        _box(ax, t, 1, f"h{sub[t]}", colors["h"])
        _arrow(ax, (t, 0.22), (t, 0.78))
        if t > 0:
            _arrow(ax, (t - 0.7, 1), (t - 0.3, 1))
    _box(ax, 3, 1, "c", colors["c"])
    _arrow(ax, (2.3, 1), (2.7, 1))
    for k, t in enumerate((4, 5)):  # 解码器：从 c 出发输出 2 个
        _box(ax, t, 1, f"s{sub[k]}", colors["h"])
        _box(ax, t, 2, f"y{sub[k]}", colors["y"])
        _arrow(ax, (t - 0.7, 1), (t - 0.3, 1))
        _arrow(ax, (t, 1.22), (t, 1.78))
    ax.text(1, -0.65, "编码器", ha="center", fontsize=8)
    ax.text(4.5, -0.65, "解码器", ha="center", fontsize=8)
    ax.set_title("N→M：编码器–解码器", fontsize=9)
    for ax in axes:
        ax.set_xlim(-0.6, 5.6 if ax is axes[3] else 3.6)
        ax.set_ylim(-0.9, 2.5)
        ax.axis("off")
        ax.grid(False)
    return fig
