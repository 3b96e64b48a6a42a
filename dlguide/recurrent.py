r"""循环网络里梯度随时间的传播：$\lVert \partial L / \partial \boldsymbol h_t \rVert$ 随 $T-t$ 怎样变化。

普通 RNN 的递推是 $\boldsymbol h_t = \phi(W\boldsymbol h_{t-1} + U\boldsymbol x_t + \boldsymbol b)$，所以

$$
\frac{\partial \boldsymbol h_T}{\partial \boldsymbol h_t} = \prod_{k=t+1}^{T} \operatorname{diag}\bigl(\phi'(\boldsymbol a_k)\bigr)\, W ,
$$

同一个 $W$ 连乘 $T-t$ 次：它的奇异值略小于 1 就指数消失，略大于 1 就指数爆炸。
LSTM 的记忆单元 $\boldsymbol c_t = \boldsymbol f_t\odot\boldsymbol c_{t-1} + \boldsymbol i_t\odot\boldsymbol g_t$
给梯度留了一条只乘遗忘门 $\boldsymbol f_t$ 的通路。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from dlguide._checks import check_in_range, check_int, check_module
from dlguide.device import get_device
from dlguide.init import orthogonal_

__all__ = [
    "RECURRENT_INITS",
    "lstm_state_grad_norms",
    "recurrent_weight",
    "set_forget_bias",
]

#: [`recurrent_weight`][dlguide.recurrent.recurrent_weight] 认识的循环权重初始化。
RECURRENT_INITS = ("normal", "identity", "orthogonal")


def recurrent_weight(hidden: int, init: str = "normal", scale: float = 1.0, seed: int = 0) -> torch.Tensor:
    r"""``hidden × hidden`` 的循环权重 $W$，谱半径约为 ``scale``。

    Parameters
    ----------
    hidden : int
        隐藏状态维数。
    init : str
        ``"normal"``：$W_{ij}\sim\mathcal N(0, s^2/n)$（随机矩阵，谱半径约 $s$）；
        ``"identity"``：$W = sI$（IRNN，Le 等 2015）；
        ``"orthogonal"``：$W = sQ$，所有奇异值都是 $s$。
    scale : float
        缩放 $s > 0$。
    seed : int
        随机种子。

    Returns
    -------
    torch.Tensor
        CPU 上的 float32 矩阵。

    Raises
    ------
    ValueError
        ``init`` 不认识，或 ``hidden``/``scale`` 不是正数。

    Examples
    --------
    >>> W = recurrent_weight(64, "orthogonal", scale=1.1)
    >>> [round(s, 3) for s in torch.linalg.svdvals(W)[[0, -1]].tolist()]  # 最大、最小奇异值
    [1.1, 1.1]
    >>> round(torch.linalg.eigvals(recurrent_weight(256, "normal")).abs().max().item(), 1)
    1.0
    """
    check_int(hidden, "hidden", low=1)
    if not scale > 0:
        raise ValueError(f"scale 必须 > 0，收到 {scale!r}")
    g = torch.Generator().manual_seed(seed)
    if init == "normal":
        # W_ij ~ N(0, s²/n)：圆律，特征值近似均匀分布在半径 s 的圆盘里
        return torch.randn(hidden, hidden, generator=g) * (scale / math.sqrt(hidden))
    if init == "identity":
        # W = s·I：ReLU 且状态为正时，h_t = s·h_{t-1} + 输入，梯度恰好按 s^{T-t} 变化
        return scale * torch.eye(hidden)
    if init == "orthogonal":
        # W = s·Q：‖W v‖ = s‖v‖ 对任何 v 成立
        return orthogonal_(torch.empty(hidden, hidden), gain=scale, generator=g)
    raise ValueError(f"init 必须是 {list(RECURRENT_INITS)} 之一，收到 {init!r}")


def set_forget_bias(lstm: nn.LSTM, value: float) -> nn.LSTM:
    r"""把 ``nn.LSTM`` 所有层的**有效**遗忘门偏置设为 ``value``，其余偏置置 0。

    PyTorch 把四个门按 $(i, f, g, o)$ 的顺序堆在 ``bias_ih_l*`` 和 ``bias_hh_l*`` 里，两个偏置**相加**后才进门：
    $\boldsymbol f_t = \sigma(W_{if}\boldsymbol x_t + \boldsymbol b_{if} + W_{hf}\boldsymbol h_{t-1} + \boldsymbol b_{hf})$。
    所以这里把 ``value`` 放进 ``bias_ih`` 的第二段、``bias_hh`` 的第二段置 0，有效偏置才是 ``value``。

    Parameters
    ----------
    lstm : torch.nn.LSTM
        要修改的 LSTM（就地）。
    value : float
        有效遗忘门偏置 $b_f$；$\sigma(b_f)$ 是输入为 0 时的遗忘门取值。

    Returns
    -------
    torch.nn.LSTM
        同一个 ``lstm``。

    Raises
    ------
    TypeError
        ``lstm`` 不是 ``nn.LSTM``，或 ``value`` 不是实数。
    ValueError
        ``lstm`` 没有偏置（``bias=False``），或 ``value`` 是 ``nan``。

    Examples
    --------
    >>> lstm = set_forget_bias(nn.LSTM(3, 4), 1.0)
    >>> (lstm.bias_ih_l0 + lstm.bias_hh_l0).view(4, 4).tolist()[1]  # 第二段是遗忘门
    [1.0, 1.0, 1.0, 1.0]
    """
    check_module(lstm, "lstm", nn.LSTM)
    if not lstm.bias:
        raise ValueError("lstm 必须带偏置（bias=True），否则没有遗忘门偏置可设")
    check_in_range(value, "value", -math.inf, math.inf)
    H = lstm.hidden_size
    with torch.no_grad():
        for name, bias in lstm.named_parameters():
            if name.startswith("bias_"):
                bias.zero_()
                if name.startswith("bias_ih"):
                    # 门的顺序 i, f, g, o：遗忘门是 [H, 2H)
                    bias[H : 2 * H] = value
    return lstm


def lstm_state_grad_norms(
    steps: int = 50, *, hidden: int = 32, forget_bias: float = 0.0, batch: int = 16, seed: int = 0
) -> list[float]:
    r"""``nn.LSTM`` 上 $\lVert\partial L/\partial \boldsymbol c_t\rVert$，$t=0,\dots,T-1$，$L = \boldsymbol u^\top\boldsymbol h_T$。

    逐步调用同一个 ``nn.LSTM``，保留每一步输入的记忆单元 $\boldsymbol c_t$ 的梯度。
    $\partial \boldsymbol c_T/\partial \boldsymbol c_t$ 的主通路是遗忘门的连乘
    $\prod_k \boldsymbol f_k$，所以遗忘门偏置 $b_f$ 越大（$\sigma(b_f)$ 越接近 1），梯度传得越远。
    结果除以最后一项，使 $t=T-1$ 处为 1（$\boldsymbol c_T$ 本身不经过张量影响 $\boldsymbol h_T$，
    PyTorch 在同一个算子里算出两者，所以从 $\boldsymbol c_{T-1}$ 开始量）。

    Parameters
    ----------
    steps, hidden, batch, seed : int
        时间步数、隐藏维数、序列条数、随机种子。
    forget_bias : float
        有效遗忘门偏置，见 [`set_forget_bias`][dlguide.recurrent.set_forget_bias]。

    Returns
    -------
    list[float]
        长度 ``steps``，下标 ``t`` 对应 $\boldsymbol c_t$（$\boldsymbol c_0 = 0$ 是初始状态）。

    Raises
    ------
    ValueError
        ``steps``/``batch`` 不是正整数。

    Examples
    --------
    >>> norms = lstm_state_grad_norms(20, forget_bias=3.0)
    >>> norms[-1], norms[0] > 0.1
    (1.0, True)
    """
    check_int(steps, "steps", low=1)
    check_int(batch, "batch", low=1)
    device = get_device()
    torch.manual_seed(seed)
    lstm = set_forget_bias(nn.LSTM(4, hidden), forget_bias).to(device)
    g = torch.Generator().manual_seed(seed + 1)
    xs = torch.randn(steps, batch, 4, generator=g).to(device)
    u = torch.randn(hidden, generator=g)
    u = (u / u.norm()).to(device)
    h = torch.zeros(1, batch, hidden, device=device)
    c = torch.zeros(1, batch, hidden, device=device, requires_grad=True)
    cells = []
    for t in range(steps):
        cells.append(c)
        # 一次喂一个时间步：c_{t+1} = f ⊙ c_t + i ⊙ g
        _, (h, c) = lstm(xs[t : t + 1], (h, c))
        c.retain_grad()
    (h[0] @ u).sum().backward()
    norms = [cell.grad[0].norm(dim=1).mean().item() for cell in cells]
    return [n / norms[-1] for n in norms]
