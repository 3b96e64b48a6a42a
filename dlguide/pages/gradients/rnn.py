"""“如何解决 RNN 梯度爆炸和弥散的问题”一页：普通 RNN 隐状态梯度随时间的变化。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_choice, check_int, check_seed
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.init import xavier_uniform_
from dlguide.recurrent import lstm_state_grad_norms, recurrent_weight

__all__ = ["rnn_gradient_through_time", "rnn_state_grad_norms"]


def rnn_state_grad_norms(
    steps: int = 50,
    *,
    hidden: int = 32,
    activation: str = "tanh",
    init: str = "normal",
    scale: float = 1.0,
    batch: int = 16,
    seed: int | None = 0,
) -> list[float]:
    r"""普通 RNN 上 $\lVert\partial L/\partial \boldsymbol h_t\rVert$，$t = 0,\dots,T$，其中 $L = \boldsymbol u^\top\boldsymbol h_T$。

    $\boldsymbol u$ 是单位向量，所以最后一项恒为 1，第 $t$ 项就是梯度从 $T$ 传回 $t$ 时被放大/缩小的倍数
    （对 ``batch`` 个序列取平均）。输入 $\boldsymbol x_t \sim \mathcal N(0, I_4)$，
    $U$ 用 Xavier 均匀初始化，偏置为 0，$\boldsymbol h_0 = 0$。

    Parameters
    ----------
    steps : int
        时间步数 $T$，在 [1, 10000] 内。
    hidden : int
        隐藏状态维数，在 [1, 10000] 内。
    activation : str
        ``"tanh"``、``"relu"`` 或 ``"identity"``。
    init, scale : str, float
        循环权重，见 [`recurrent_weight`][dlguide.recurrent.recurrent_weight]。
    batch : int
        序列条数，在 [1, 10000] 内；``steps·batch·hidden`` 不超过 $10^7$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        长度 ``steps + 1``，下标 ``t`` 对应 $\boldsymbol h_t$。

    Raises
    ------
    ValueError
        参数不合法。

    Examples
    --------
    >>> norms = rnn_state_grad_norms(20, activation="identity", init="orthogonal", scale=0.9)
    >>> round(norms[0], 4), round(0.9 ** 20, 4)
    (0.1216, 0.1216)
    """
    check_int(steps, "steps", low=1, high=10_000)
    check_int(batch, "batch", low=1, high=10_000)
    check_int(hidden, "hidden", low=1, high=10_000)
    if steps * batch * hidden > 10**7:
        raise ValueError(f"steps·batch·hidden = {steps * batch * hidden} 太大（上限 10**7）：要存下每一步的隐状态和它的梯度")
    phis = {"tanh": torch.tanh, "relu": torch.relu, "identity": lambda a: a}
    check_choice(activation, "activation", phis)
    check_seed(seed)
    phi = phis[activation]
    device = get_device()
    W = recurrent_weight(hidden, init, scale, seed).to(device)
    g = None if seed is None else torch.Generator().manual_seed((seed + 1) % 2**63)
    U = xavier_uniform_(torch.empty(hidden, 4), generator=g).to(device)
    xs = torch.randn(steps, batch, 4, generator=g).to(device)
    u = torch.randn(hidden, generator=g)
    u = (u / u.norm()).to(device)
    h = torch.zeros(batch, hidden, device=device, requires_grad=True)
    states = [h]
    for t in range(steps):
        # h_t = φ(W h_{t-1} + U x_t)
        h = phi(h @ W.T + xs[t] @ U.T)
        h.retain_grad()
        states.append(h)
    # L = u·h_T（对 batch 求和，每条序列的梯度互不影响）
    (h @ u).sum().backward()
    return [s.grad.norm(dim=1).mean().item() for s in states]


@figure
def rnn_gradient_through_time() -> Figure:
    """左：普通 RNN 的 ‖∂L/∂h_t‖ 随 T−t；右：LSTM 记忆单元的 ‖∂L/∂c_t‖，三种遗忘门偏置。"""
    steps = 100
    fig, (left, right) = new_figure(2, width=8.8, height=3.8)
    configs = (
        ("tanh，随机 W，s=1", {"activation": "tanh"}, "tab:blue"),
        ("tanh，随机 W，s=3", {"activation": "tanh", "scale": 3.0}, "tab:purple"),
        ("ReLU，随机 W，s=1", {"activation": "relu"}, "tab:orange"),
        ("ReLU，W=I", {"activation": "relu", "init": "identity"}, "tab:green"),
        ("ReLU，W=1.1·I", {"activation": "relu", "init": "identity", "scale": 1.1}, "tab:red"),
    )
    for label, kwargs, color in configs:
        norms = rnn_state_grad_norms(steps, **kwargs)
        left.plot([steps - t for t in range(steps + 1)], norms, color=color, label=label)
    left.set_yscale("log")
    left.set_xlabel("往回传的步数 T − t")
    left.set_title("普通 RNN：‖∂L/∂hₜ‖")
    left.legend(fontsize=7)
    for bias, color in ((0.0, "tab:red"), (1.0, "tab:orange"), (3.0, "tab:green")):
        norms = lstm_state_grad_norms(steps, forget_bias=bias)
        right.plot([steps - 1 - t for t in range(steps)], norms, color=color, label=f"遗忘门偏置 {bias:g}")
    right.set_yscale("log")
    right.set_xlabel("往回传的步数")
    right.set_title("LSTM：‖∂L/∂cₜ‖")
    right.legend(fontsize=8)
    return fig
