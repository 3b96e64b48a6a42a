r"""循环网络里梯度随时间的传播：$\lVert \partial L / \partial \boldsymbol h_t \rVert$ 随 $T-t$ 怎样变化。

普通 RNN 的递推是 $\boldsymbol h_t = \phi(W\boldsymbol h_{t-1} + U\boldsymbol x_t + \boldsymbol b)$，所以

$$
\frac{\partial \boldsymbol h_T}{\partial \boldsymbol h_t} = \prod_{k=t+1}^{T} \operatorname{diag}\bigl(\phi'(\boldsymbol a_k)\bigr)\, W ,
$$

同一个 $W$ 连乘 $T-t$ 次。$\lvert\phi'\rvert\le\gamma$ 时（tanh 的 $\gamma=1$），$W$ 的最大奇异值小于 $1/\gamma$ 就足以让梯度指数消失；
最大奇异值大于 $1/\gamma$ 是指数爆炸的必要条件，但不充分（Pascanu 等 2013）。
LSTM 的记忆单元 $\boldsymbol c_t = \boldsymbol f_t\odot\boldsymbol c_{t-1} + \boldsymbol i_t\odot\boldsymbol g_t$
给梯度留了一条只乘遗忘门 $\boldsymbol f_t$ 的通路。

本模块还按方程写出三种循环单元：[`rnn_cell`][dlguide.recurrent.rnn_cell]、[`gru_cell`][dlguide.recurrent.gru_cell]、
[`lstm_cell`][dlguide.recurrent.lstm_cell]（门由 [`lstm_gates`][dlguide.recurrent.lstm_gates] 给出），
以及把它们按时间、逐层、逐方向展开的 [`run_recurrent`][dlguide.recurrent.run_recurrent]。
给定 ``nn.RNN``/``nn.GRU``/``nn.LSTM`` 的权重，它们与 PyTorch 的结果（输出、最终状态、梯度）一致：
门的堆叠顺序 LSTM 是 $(i, f, g, o)$、GRU 是 $(r, z, n)$，每层有 ``bias_ih``、``bias_hh`` 两个偏置，
GRU 的重置门乘在 $W_{hn}\boldsymbol h + \boldsymbol b_{hn}$ 之后。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from dlguide._checks import (
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_module,
    check_positive,
    check_seed,
    check_tensor,
)
from dlguide.device import get_device
from dlguide.init import orthogonal_

__all__ = [
    "CELL_ACTIVATIONS",
    "GATE_BLOCKS",
    "RECURRENT_INITS",
    "gru_cell",
    "gru_gates",
    "lstm_cell",
    "lstm_gates",
    "lstm_state_grad_norms",
    "recurrent_weight",
    "rnn_cell",
    "run_recurrent",
    "set_forget_bias",
    "trace_gates",
]

RECURRENT_INITS = ("normal", "identity", "orthogonal")
"""[`recurrent_weight`][dlguide.recurrent.recurrent_weight] 认识的循环权重初始化。"""


def recurrent_weight(hidden: int, init: str = "normal", scale: float = 1.0, seed: int | None = 0) -> torch.Tensor:
    r"""``hidden × hidden`` 的循环权重 $W$，谱半径约为 ``scale``。

    Parameters
    ----------
    hidden : int
        隐藏状态维数，在 [1, 10000] 内。
    init : str
        ``"normal"``：$W_{ij}\sim\mathcal N(0, s^2/n)$（随机矩阵，谱半径约 $s$）；
        ``"identity"``：$W = sI$（IRNN，Le 等 2015）；
        ``"orthogonal"``：$W = sQ$，所有奇异值都是 $s$。
    scale : float
        缩放 $s > 0$，有限。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        CPU 上的 float32 矩阵。

    Raises
    ------
    TypeError, ValueError
        ``init`` 不认识，``hidden`` 不是 [1, 10000] 内的整数，``scale`` 不是有限的正数，或 ``seed`` 越界。

    Examples
    --------
    >>> W = recurrent_weight(64, "orthogonal", scale=1.1)
    >>> [round(s, 3) for s in torch.linalg.svdvals(W)[[0, -1]].tolist()]  # 最大、最小奇异值
    [1.1, 1.1]
    >>> round(torch.linalg.eigvals(recurrent_weight(256, "normal")).abs().max().item(), 1)
    1.0
    """
    check_int(hidden, "hidden", low=1, high=10_000)
    check_choice(init, "init", RECURRENT_INITS)
    check_positive(scale, "scale")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    if init == "normal":
        # W_ij ~ N(0, s²/n)：圆律，特征值近似均匀分布在半径 s 的圆盘里
        return torch.randn(hidden, hidden, generator=g) * (scale / math.sqrt(hidden))
    if init == "identity":
        # W = s·I：ReLU 且状态为正时，h_t = s·h_{t-1} + 输入，梯度恰好按 s^{T-t} 变化
        return scale * torch.eye(hidden)
    if init == "orthogonal":
        # W = s·Q：‖W v‖ = s‖v‖ 对任何 v 成立
        return orthogonal_(torch.empty(hidden, hidden), gain=scale, generator=g)
    raise AssertionError(init)  # check_choice 已经排除了其他名字


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
        有效遗忘门偏置 $b_f$（有限实数）；$\sigma(b_f)$ 是输入为 0 时的遗忘门取值。

    Returns
    -------
    torch.nn.LSTM
        同一个 ``lstm``。

    Raises
    ------
    TypeError
        ``lstm`` 不是 ``nn.LSTM``，或 ``value`` 不是实数。
    ValueError
        ``lstm`` 没有偏置（``bias=False``），或 ``value`` 是 ``nan`` 或 ``±inf``。

    Examples
    --------
    >>> lstm = set_forget_bias(nn.LSTM(3, 4), 1.0)
    >>> (lstm.bias_ih_l0 + lstm.bias_hh_l0).view(4, 4).tolist()[1]  # 第二段是遗忘门
    [1.0, 1.0, 1.0, 1.0]
    """
    check_module(lstm, "lstm", nn.LSTM)
    if not lstm.bias:
        raise ValueError("lstm 必须带偏置（bias=True），否则没有遗忘门偏置可设")
    check_finite(value, "value")
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
    steps: int = 50, *, hidden: int = 32, forget_bias: float = 0.0, batch: int = 16, seed: int | None = 0
) -> list[float]:
    r"""``nn.LSTM`` 上 $\lVert\partial L/\partial \boldsymbol c_t\rVert$，$t=0,\dots,T-1$，$L = \boldsymbol u^\top\boldsymbol h_T$。

    逐步调用同一个 ``nn.LSTM``，保留每一步输入的记忆单元 $\boldsymbol c_t$ 的梯度。
    $\partial \boldsymbol c_T/\partial \boldsymbol c_t$ 的主通路是遗忘门的连乘
    $\prod_k \boldsymbol f_k$，所以遗忘门偏置 $b_f$ 越大（$\sigma(b_f)$ 越接近 1），梯度传得越远。
    结果除以最后一项，使 $t=T-1$ 处为 1（$\boldsymbol c_T$ 本身不经过张量影响 $\boldsymbol h_T$，
    PyTorch 在同一个算子里算出两者，所以从 $\boldsymbol c_{T-1}$ 开始量）。

    Parameters
    ----------
    steps, hidden, batch : int
        时间步数（[1, 10000]）、隐藏维数（[1, 4096]）、序列条数（[1, 10000]），三者之积不超过 $10^7$。
    forget_bias : float
        有效遗忘门偏置（有限实数），见 [`set_forget_bias`][dlguide.recurrent.set_forget_bias]。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        长度 ``steps``，下标 ``t`` 对应 $\boldsymbol c_t$（$\boldsymbol c_0 = 0$ 是初始状态）。

    Raises
    ------
    TypeError, ValueError
        尺寸不是整数或越界，``forget_bias`` 不是有限实数，或 ``seed`` 越界。

    Examples
    --------
    >>> norms = lstm_state_grad_norms(20, forget_bias=3.0)
    >>> norms[-1], norms[0] > 0.1
    (1.0, True)
    """
    check_int(steps, "steps", low=1, high=10_000)
    check_int(hidden, "hidden", low=1, high=4096)
    check_int(batch, "batch", low=1, high=10_000)
    if steps * batch * hidden > 10**7:
        raise ValueError(f"steps·batch·hidden = {steps * batch * hidden} 太大（上限 10**7）：要存下每一步的记忆单元和它的梯度")
    check_finite(forget_bias, "forget_bias")
    check_seed(seed)
    device = get_device()
    if seed is not None:
        torch.manual_seed(seed)
    lstm = set_forget_bias(nn.LSTM(4, hidden), forget_bias).to(device)
    g = None if seed is None else torch.Generator().manual_seed((seed + 1) % 2**63)
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


# ---------------------------------------------------------------------------
# 从方程写出的 RNN、GRU、LSTM 单元，以及多层、双向的展开：与 nn.RNN / nn.GRU / nn.LSTM 逐位对照。
# 形状约定（与 PyTorch 相同）：B 是批大小，I 是输入维数，H 是隐藏维数；
# 权重按“门块”竖着堆叠：weight_ih 是 (k·H, I)，weight_hh 是 (k·H, H)，两个偏置都是 (k·H,)，
# k = 1（RNN）、3（GRU，顺序 r, z, n）、4（LSTM，顺序 i, f, g, o）。
# ---------------------------------------------------------------------------

CELL_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "identity": lambda a: a,
}
"""门控与单元里可以选的激活函数（[`lstm_cell`][dlguide.recurrent.lstm_cell] 用它们做“换掉 sigmoid/tanh”的实验）。"""

GATE_BLOCKS = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}
"""每种循环层（按 ``nn.RNNBase.mode``）的门块数 k：权重 ``weight_ih`` 的形状是 ``(k·H, I)``。"""


def _check_cell_args(
    x: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None,
    bias_hh: torch.Tensor | None,
    blocks: int,
) -> int:
    """核对一个单元的输入与权重的类型和形状，返回隐藏维数 H。"""
    check_tensor(x, "x", ndim=(1, 2))
    check_tensor(weight_ih, "weight_ih", ndim=2, nonempty=True)
    check_tensor(weight_hh, "weight_hh", ndim=2, nonempty=True)
    rows = weight_ih.shape[0]
    if rows % blocks:
        raise ValueError(
            f"weight_ih 的行数必须是 {blocks} 的倍数（{blocks} 个门块竖着堆叠），收到形状 {tuple(weight_ih.shape)}"
        )
    H = rows // blocks
    if weight_hh.shape[0] != rows:
        raise ValueError(f"weight_hh 的行数必须与 weight_ih 相同（{rows}），收到形状 {tuple(weight_hh.shape)}")
    check_tensor(h, "h", ndim=x.ndim)
    if h.shape[-1] != weight_hh.shape[1]:
        raise ValueError(f"h 的最后一维必须是 {weight_hh.shape[1]}（weight_hh 的列数），收到形状 {tuple(h.shape)}")
    if x.shape[-1] != weight_ih.shape[1]:
        raise ValueError(f"x 的最后一维必须是 {weight_ih.shape[1]}（weight_ih 的列数），收到形状 {tuple(x.shape)}")
    if x.ndim == 2 and x.shape[0] != h.shape[0]:
        raise ValueError(f"x 与 h 的批大小必须相同，收到 {x.shape[0]} 和 {h.shape[0]}")
    for name, t in (("x", x), ("h", h), ("weight_hh", weight_hh)):
        if t.dtype != weight_ih.dtype:
            raise TypeError(f"{name} 的 dtype 必须与 weight_ih 相同（{weight_ih.dtype}），收到 {t.dtype}")
    for name, b in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if b is not None:
            check_tensor(b, name, ndim=1)
            if b.shape[0] != rows:
                raise ValueError(f"{name} 的长度必须是 {rows}，收到 {b.shape[0]}")
            if b.dtype != weight_ih.dtype:
                raise TypeError(f"{name} 的 dtype 必须与 weight_ih 相同（{weight_ih.dtype}），收到 {b.dtype}")
    return H


def _affine(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    # W x + b，按批计算：x (B, n) @ Wᵀ (n, k·H) → (B, k·H)
    out = x @ weight.T
    return out if bias is None else out + bias


def rnn_cell(
    x: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    nonlinearity: str = "tanh",
) -> torch.Tensor:
    r"""普通（Elman）RNN 的一步：$\boldsymbol h' = \phi(W_{ih}\boldsymbol x + \boldsymbol b_{ih} + W_{hh}\boldsymbol h + \boldsymbol b_{hh})$。

    与 ``torch.nn.RNNCell`` 相同（两个偏置相加，$\phi$ 是 tanh 或 ReLU）。

    Parameters
    ----------
    x : torch.Tensor
        输入，形状 ``(B, I)``，或不带批维的 ``(I,)``。
    h : torch.Tensor
        上一步的隐藏状态，形状 ``(B, H)`` 或 ``(H,)``。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(H, I)`` 和 ``(H, H)``。
    bias_ih, bias_hh : torch.Tensor, optional
        形状 ``(H,)``；``None`` 表示没有这一项。
    nonlinearity : str
        ``"tanh"``（默认）或 ``"relu"``。

    Returns
    -------
    torch.Tensor
        新的隐藏状态，形状同 ``h``。

    Raises
    ------
    TypeError
        参数不是张量，或 dtype 不一致。
    ValueError
        形状对不上，或 ``nonlinearity`` 不认识。

    Examples
    --------
    >>> cell = nn.RNNCell(3, 2)
    >>> x, h = torch.randn(4, 3), torch.randn(4, 2)
    >>> ours = rnn_cell(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    >>> tuple(ours.shape), torch.allclose(ours, cell(x, h))
    ((4, 2), True)
    """
    check_choice(nonlinearity, "nonlinearity", ("tanh", "relu"))
    _check_cell_args(x, h, weight_ih, weight_hh, bias_ih, bias_hh, 1)
    phi = CELL_ACTIVATIONS[nonlinearity]
    # h' = φ(W_ih x + b_ih + W_hh h + b_hh)
    return phi(_affine(x, weight_ih, bias_ih) + _affine(h, weight_hh, bias_hh))


def gru_gates(
    x: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    *,
    reset_after: bool = True,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""GRU 一步里的重置门 $\boldsymbol r$、更新门 $\boldsymbol z$ 和候选值 $\boldsymbol n$（PyTorch 的堆叠顺序 $r, z, n$）。

    $$
    \begin{aligned}
    \boldsymbol r &= \sigma(W_{ir}\boldsymbol x + \boldsymbol b_{ir} + W_{hr}\boldsymbol h + \boldsymbol b_{hr}),\qquad
    \boldsymbol z = \sigma(W_{iz}\boldsymbol x + \boldsymbol b_{iz} + W_{hz}\boldsymbol h + \boldsymbol b_{hz}),\\
    \boldsymbol n &= \tanh\bigl(W_{in}\boldsymbol x + \boldsymbol b_{in} + \boldsymbol r\odot(W_{hn}\boldsymbol h + \boldsymbol b_{hn})\bigr).
    \end{aligned}
    $$

    ``reset_after=True`` 是 ``torch.nn.GRU``（也是 cuDNN）的写法：重置门乘在 $W_{hn}\boldsymbol h + \boldsymbol b_{hn}$ **之后**。
    ``reset_after=False`` 是 Cho 等（2014，EMNLP 版）的写法：先 $\boldsymbol r\odot\boldsymbol h$ 再乘矩阵，
    $\boldsymbol n = \tanh(W_{in}\boldsymbol x + \boldsymbol b_{in} + W_{hn}(\boldsymbol r\odot\boldsymbol h) + \boldsymbol b_{hn})$。
    两者用同一组权重算出的结果不同。

    Parameters
    ----------
    x : torch.Tensor
        输入，形状 ``(B, I)`` 或 ``(I,)``。
    h : torch.Tensor
        上一步的隐藏状态，形状 ``(B, H)`` 或 ``(H,)``。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(3H, I)`` 和 ``(3H, H)``，行按 $r, z, n$ 分成三块。
    bias_ih, bias_hh : torch.Tensor, optional
        形状 ``(3H,)``。
    reset_after : bool
        重置门的位置，见上。

    Returns
    -------
    tuple of torch.Tensor
        ``(r, z, n)``，每个形状同 ``h``。

    Raises
    ------
    TypeError
        参数不是张量、dtype 不一致，或 ``reset_after`` 不是布尔值。
    ValueError
        形状对不上。

    Examples
    --------
    >>> gru = nn.GRU(3, 2)
    >>> r, z, n = gru_gates(torch.randn(5, 3), torch.zeros(5, 2), gru.weight_ih_l0, gru.weight_hh_l0)
    >>> tuple(z.shape), bool(((z > 0) & (z < 1)).all()), bool((n.abs() < 1).all())
    ((5, 2), True, True)
    """
    check_bool(reset_after, "reset_after")
    H = _check_cell_args(x, h, weight_ih, weight_hh, bias_ih, bias_hh, 3)
    # 输入一侧的三块 W_i{r,z,n} x + b_i{r,z,n}：(B, 3H) → 三个 (B, H)
    i_r, i_z, i_n = _affine(x, weight_ih, bias_ih).chunk(3, dim=-1)
    if reset_after:
        # 状态一侧的三块一次矩阵乘法算完（不必等 r）：W_h{r,z,n} h + b_h{r,z,n}
        h_r, h_z, h_n = _affine(h, weight_hh, bias_hh).chunk(3, dim=-1)
    else:
        # Cho 等 2014：n 要用 r ⊙ h，只能先算 r、z 两块
        h_r, h_z = _affine(h, weight_hh[: 2 * H], None if bias_hh is None else bias_hh[: 2 * H]).chunk(2, dim=-1)
    # r = σ(W_ir x + b_ir + W_hr h + b_hr)，z = σ(W_iz x + b_iz + W_hz h + b_hz)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    if reset_after:
        # n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))       （PyTorch、cuDNN）
        n = torch.tanh(i_n + r * h_n)
    else:
        # n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)       （Cho 等 2014）
        b_hn = None if bias_hh is None else bias_hh[2 * H :]
        n = torch.tanh(i_n + _affine(r * h, weight_hh[2 * H :], b_hn))
    return r, z, n


def gru_cell(
    x: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    *,
    reset_after: bool = True,
) -> torch.Tensor:
    r"""GRU 的一步：$\boldsymbol h' = (1-\boldsymbol z)\odot\boldsymbol n + \boldsymbol z\odot\boldsymbol h$。

    $\boldsymbol r, \boldsymbol z, \boldsymbol n$ 由 [`gru_gates`][dlguide.recurrent.gru_gates] 算出；默认参数下与 ``torch.nn.GRUCell`` 相同。
    更新门 $\boldsymbol z$ 是“保留旧状态”的比例：$\boldsymbol z = 1$ 时原样复制 $\boldsymbol h$，$\boldsymbol z = 0$ 时换成候选值 $\boldsymbol n$。

    Parameters
    ----------
    x : torch.Tensor
        输入，形状 ``(B, I)`` 或 ``(I,)``。
    h : torch.Tensor
        上一步的隐藏状态，形状 ``(B, H)`` 或 ``(H,)``。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(3H, I)`` 和 ``(3H, H)``，行按 $r, z, n$ 分成三块。
    bias_ih, bias_hh : torch.Tensor, optional
        形状 ``(3H,)``。
    reset_after : bool
        ``True``：PyTorch/cuDNN 的写法；``False``：Cho 等 2014 的写法，见 [`gru_gates`][dlguide.recurrent.gru_gates]。

    Returns
    -------
    torch.Tensor
        新的隐藏状态，形状同 ``h``。

    Raises
    ------
    TypeError
        参数不是张量、dtype 不一致，或 ``reset_after`` 不是布尔值。
    ValueError
        形状对不上。

    Examples
    --------
    >>> cell = nn.GRUCell(3, 2)
    >>> x, h = torch.randn(4, 3), torch.randn(4, 2)
    >>> args = (x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    >>> torch.allclose(gru_cell(*args), cell(x, h)), torch.allclose(gru_cell(*args, reset_after=False), cell(x, h))
    (True, False)
    """
    r, z, n = gru_gates(x, h, weight_ih, weight_hh, bias_ih, bias_hh, reset_after=reset_after)
    # h' = (1 − z) ⊙ n + z ⊙ h：z 是“保留旧状态”的比例
    return (1 - z) * n + z * h


def lstm_gates(
    x: torch.Tensor,
    h: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    *,
    gate_activation: str = "sigmoid",
    candidate_activation: str = "tanh",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""LSTM 一步里的四个门 $(\boldsymbol i, \boldsymbol f, \boldsymbol g, \boldsymbol o)$（PyTorch 的堆叠顺序）。

    $$
    \begin{pmatrix}\boldsymbol i\\ \boldsymbol f\\ \boldsymbol g\\ \boldsymbol o\end{pmatrix}
    = \begin{pmatrix}\sigma\\ \sigma\\ \tanh\\ \sigma\end{pmatrix}
      \bigl(W_{ih}\boldsymbol x + \boldsymbol b_{ih} + W_{hh}\boldsymbol h + \boldsymbol b_{hh}\bigr)
    $$

    输入门 $\boldsymbol i$、遗忘门 $\boldsymbol f$、输出门 $\boldsymbol o$ 用 ``gate_activation``（默认 sigmoid），
    候选值 $\boldsymbol g$ 用 ``candidate_activation``（默认 tanh）。换掉它们只为做实验。

    Parameters
    ----------
    x : torch.Tensor
        输入，形状 ``(B, I)`` 或 ``(I,)``。
    h : torch.Tensor
        上一步的隐藏状态（输出），形状 ``(B, P)`` 或 ``(P,)``；没有投影时 $P = H$。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(4H, I)`` 和 ``(4H, P)``，行按 $i, f, g, o$ 分成四块。
    bias_ih, bias_hh : torch.Tensor, optional
        形状 ``(4H,)``。
    gate_activation, candidate_activation : str
        [`CELL_ACTIVATIONS`][dlguide.recurrent.CELL_ACTIVATIONS] 里的名字。

    Returns
    -------
    tuple of torch.Tensor
        ``(i, f, g, o)``，每个形状 ``(B, H)`` 或 ``(H,)``。

    Raises
    ------
    TypeError, ValueError
        参数类型、形状不对，或激活函数的名字不认识。

    Examples
    --------
    >>> lstm = nn.LSTM(3, 2)
    >>> i, f, g, o = lstm_gates(torch.randn(5, 3), torch.zeros(5, 2), lstm.weight_ih_l0, lstm.weight_hh_l0)
    >>> tuple(i.shape), bool((f > 0).all() and (f < 1).all()), bool((g.abs() < 1).all())
    ((5, 2), True, True)
    """
    check_choice(gate_activation, "gate_activation", tuple(CELL_ACTIVATIONS))
    check_choice(candidate_activation, "candidate_activation", tuple(CELL_ACTIVATIONS))
    _check_cell_args(x, h, weight_ih, weight_hh, bias_ih, bias_hh, 4)
    gate, squash = CELL_ACTIVATIONS[gate_activation], CELL_ACTIVATIONS[candidate_activation]
    # 四块一起算：W_ih x + b_ih + W_hh h + b_hh，(B, 4H) → 四个 (B, H)
    a_i, a_f, a_g, a_o = (_affine(x, weight_ih, bias_ih) + _affine(h, weight_hh, bias_hh)).chunk(4, dim=-1)
    # i, f, o = σ(·) ∈ (0, 1)：软开关；g = tanh(·) ∈ (−1, 1)：要写入的候选值
    return gate(a_i), gate(a_f), squash(a_g), gate(a_o)


def lstm_cell(
    x: torch.Tensor,
    state: tuple[torch.Tensor, torch.Tensor],
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
    *,
    weight_hr: torch.Tensor | None = None,
    gate_activation: str = "sigmoid",
    candidate_activation: str = "tanh",
    output_activation: str = "tanh",
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""LSTM 的一步：$\boldsymbol c' = \boldsymbol f\odot\boldsymbol c + \boldsymbol i\odot\boldsymbol g$，
    $\boldsymbol h' = \boldsymbol o\odot\tanh(\boldsymbol c')$。

    门由 [`lstm_gates`][dlguide.recurrent.lstm_gates] 算出。给了 ``weight_hr``（``nn.LSTM(proj_size=P)``）时
    输出再投影一次：$\boldsymbol h' = W_{hr}\bigl(\boldsymbol o\odot\tanh(\boldsymbol c')\bigr)$。
    默认参数下与 ``torch.nn.LSTMCell`` 相同。

    Parameters
    ----------
    x : torch.Tensor
        输入，形状 ``(B, I)`` 或 ``(I,)``。
    state : tuple of torch.Tensor
        ``(h, c)``：形状 ``(B, P)`` 和 ``(B, H)``（不带批维时去掉 ``B``）；没有投影时 $P = H$。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(4H, I)`` 和 ``(4H, P)``。
    bias_ih, bias_hh : torch.Tensor, optional
        形状 ``(4H,)``。
    weight_hr : torch.Tensor, optional
        投影矩阵，形状 ``(P, H)``。
    gate_activation, candidate_activation, output_activation : str
        门、候选值、输出 $\tanh(\boldsymbol c')$ 处的激活函数，[`CELL_ACTIVATIONS`][dlguide.recurrent.CELL_ACTIVATIONS] 里的名字。

    Returns
    -------
    tuple of torch.Tensor
        ``(h', c')``，形状同 ``state``。

    Raises
    ------
    TypeError, ValueError
        参数类型、形状不对，或激活函数的名字不认识。

    Examples
    --------
    >>> cell = nn.LSTMCell(3, 2)
    >>> x, h, c = torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 2)
    >>> ours = lstm_cell(x, (h, c), cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    >>> theirs = cell(x, (h, c))
    >>> all(torch.allclose(a, b) for a, b in zip(ours, theirs))
    True
    """
    if not isinstance(state, tuple) or len(state) != 2:
        raise TypeError(f"state 必须是 (h, c) 两个张量组成的元组，收到的是 {type(state).__name__}")
    h, c = state
    check_tensor(h, "state[0]（h）")
    check_tensor(c, "state[1]（c）")
    check_choice(output_activation, "output_activation", tuple(CELL_ACTIVATIONS))
    i, f, g, o = lstm_gates(
        x,
        h,
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
        gate_activation=gate_activation,
        candidate_activation=candidate_activation,
    )
    check_tensor(c, "c", ndim=x.ndim)
    if c.shape != i.shape:
        raise ValueError(f"c 的形状必须是 {tuple(i.shape)}（由 weight_ih 的行数 4H 决定），收到 {tuple(c.shape)}")
    if c.dtype != i.dtype:
        raise TypeError(f"c 的 dtype 必须与 weight_ih 相同（{i.dtype}），收到 {c.dtype}")
    # c' = f ⊙ c + i ⊙ g：旧记忆按 f 保留，新内容按 i 写入——加法更新
    c_new = f * c + i * g
    # h' = o ⊙ tanh(c')：输出门决定读出多少
    h_new = o * CELL_ACTIVATIONS[output_activation](c_new)
    if weight_hr is None and h.shape[-1] != c.shape[-1]:
        raise ValueError(f"没有 weight_hr 时 h 与 c 的最后一维必须相同，收到 {h.shape[-1]} 和 {c.shape[-1]}")
    if weight_hr is not None:
        check_tensor(weight_hr, "weight_hr", ndim=2)
        if weight_hr.shape != (h.shape[-1], c.shape[-1]):
            raise ValueError(
                f"weight_hr 的形状必须是 {(h.shape[-1], c.shape[-1])}（P, H），收到 {tuple(weight_hr.shape)}"
            )
        # h' = W_hr (o ⊙ tanh(c'))：投影到 P 维（LSTMP）
        h_new = h_new @ weight_hr.T
    return h_new, c_new


def _layer_weights(module: nn.RNNBase, layer: int, reverse: bool) -> dict[str, torch.Tensor | None]:
    """第 ``layer`` 层某个方向的参数：PyTorch 的命名是 ``weight_ih_l{k}`` 加可选的 ``_reverse``。"""
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")
    return {name: getattr(module, name + suffix, None) for name in names}


def run_recurrent(
    module: nn.RNNBase,
    x: torch.Tensor,
    hx: torch.Tensor | tuple[torch.Tensor, torch.Tensor] | None = None,
) -> tuple[torch.Tensor, torch.Tensor | tuple[torch.Tensor, torch.Tensor]]:
    r"""用本模块的单元（[`rnn_cell`][dlguide.recurrent.rnn_cell]、[`gru_cell`][dlguide.recurrent.gru_cell]、
    [`lstm_cell`][dlguide.recurrent.lstm_cell]）按时间、逐层、逐方向展开，重现 ``module(x, hx)``。

    ``module`` 是 ``nn.RNN``（tanh 或 ReLU）、``nn.GRU`` 或 ``nn.LSTM``，支持 ``num_layers``、``bidirectional``、
    ``batch_first``、``bias=False``、``proj_size``（LSTM）和不带批维的输入。记 $D$ 为方向数（双向时 2），
    $L$ 为层数，$H$ 为 ``hidden_size``，$P$ 为 ``proj_size``（没有投影时 $P = H$）：

    - 输出 ``output``：最后一层在每个时刻的隐藏状态，两个方向在最后一维拼接，形状 ``(T, B, D·P)``
      （``batch_first=True`` 时 ``(B, T, D·P)``）；
    - 最终状态 ``h_n``：每层每个方向**最后处理的那一步**，形状 ``(L·D, B, P)``，第 ``l·D + d`` 行是第 ``l`` 层第 ``d`` 个方向
      （``batch_first`` **不**影响它）；LSTM 还返回 ``c_n``，形状 ``(L·D, B, H)``。

    层与层之间的 dropout（``module.dropout``）只在 ``module.training`` 时生效，掩码随机，所以训练模式下只在分布上一致；
    比较时请用 ``module.eval()`` 或 ``dropout=0``。

    Parameters
    ----------
    module : torch.nn.RNNBase
        ``nn.RNN``、``nn.GRU`` 或 ``nn.LSTM``，只读取它的参数。
    x : torch.Tensor
        输入序列，形状 ``(T, B, I)``（``batch_first=True`` 时 ``(B, T, I)``），或不带批维的 ``(T, I)``。
    hx : torch.Tensor or tuple of torch.Tensor, optional
        初始状态 ``h_0``（LSTM 是 ``(h_0, c_0)``），形状同 ``h_n``（``c_n``）；默认全 0。

    Returns
    -------
    tuple
        ``(output, h_n)``；LSTM 是 ``(output, (h_n, c_n))``，与 ``module(x, hx)`` 相同。

    Raises
    ------
    TypeError
        ``module`` 不是 ``nn.RNNBase``，``x``/``hx`` 的类型或 dtype 不对。
    ValueError
        ``x``、``hx`` 的形状与 ``module`` 对不上。

    Examples
    --------
    >>> lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    >>> x = torch.randn(5, 7, 3)                                   # (B, T, I)
    >>> out, (h_n, c_n) = run_recurrent(lstm, x)
    >>> tuple(out.shape), tuple(h_n.shape), tuple(c_n.shape)     # (B, T, D·H)，(L·D, B, H)
    ((5, 7, 8), (4, 5, 4), (4, 5, 4))
    >>> ref_out, (ref_h, ref_c) = lstm(x)
    >>> all(torch.allclose(a, b, atol=1e-6) for a, b in ((out, ref_out), (h_n, ref_h), (c_n, ref_c)))
    True
    """
    check_module(module, "module", nn.RNNBase)
    mode = check_choice(module.mode, "module.mode", tuple(GATE_BLOCKS))
    dtype = module.weight_ih_l0.dtype
    check_tensor(x, "x", ndim=(2, 3), nonempty=True)
    if x.dtype != dtype:
        raise TypeError(f"x 的 dtype 必须与 module 的参数相同（{dtype}），收到 {x.dtype}")
    if x.shape[-1] != module.input_size:
        raise ValueError(f"x 的最后一维必须是 input_size={module.input_size}，收到形状 {tuple(x.shape)}")
    batched = x.ndim == 3
    if not batched:
        x = x.unsqueeze(1)  # (T, I) → (T, 1, I)
    elif module.batch_first:
        x = x.transpose(0, 1)  # (B, T, I) → (T, B, I)
    T, B = x.shape[0], x.shape[1]
    L, D, H = module.num_layers, 2 if module.bidirectional else 1, module.hidden_size
    P = getattr(module, "proj_size", 0) or H
    is_lstm = mode == "LSTM"

    def initial(value: object, name: str, size: int) -> torch.Tensor:
        # 默认全 0；给出时核对形状 (L·D, B, size)（不带批维时 (L·D, size)）
        if value is None:
            return x.new_zeros(L * D, B, size)
        check_tensor(value, name, ndim=3 if batched else 2)
        if value.dtype != dtype:
            raise TypeError(f"{name} 的 dtype 必须与 module 的参数相同（{dtype}），收到 {value.dtype}")
        want = (L * D, B, size) if batched else (L * D, size)
        if tuple(value.shape) != want:
            raise ValueError(f"{name} 的形状必须是 {want}（层数·方向数, 批大小, 维数），收到 {tuple(value.shape)}")
        return value if batched else value.unsqueeze(1)

    if is_lstm:
        if hx is not None and (not isinstance(hx, tuple) or len(hx) != 2):
            raise TypeError(f"hx 必须是 (h_0, c_0) 两个张量组成的元组，收到的是 {type(hx).__name__}")
        h0 = initial(None if hx is None else hx[0], "h_0", P)
        c0 = initial(None if hx is None else hx[1], "c_0", H)
    else:
        h0, c0 = initial(hx, "hx", H), None

    layer_input = x  # (T, B, I)，之后是 (T, B, D·P)
    h_n, c_n = [], []
    for layer in range(L):
        outputs = []
        for d in range(D):
            w = _layer_weights(module, layer, reverse=d == 1)
            h = h0[layer * D + d]  # (B, P)
            c = c0[layer * D + d] if is_lstm else None  # (B, H)
            steps = range(T - 1, -1, -1) if d == 1 else range(T)  # 反向：从最后一个时刻往前走
            states: list[torch.Tensor] = [h] * T
            for t in steps:
                xt = layer_input[t]  # (B, I) 或 (B, D·P)
                args = (w["weight_ih"], w["weight_hh"], w["bias_ih"], w["bias_hh"])
                if is_lstm:
                    h, c = lstm_cell(xt, (h, c), *args, weight_hr=w["weight_hr"])
                elif mode == "GRU":
                    h = gru_cell(xt, h, *args)
                else:
                    h = rnn_cell(xt, h, *args, nonlinearity="relu" if mode == "RNN_RELU" else "tanh")
                states[t] = h
            outputs.append(torch.stack(states))  # (T, B, P)，按时间顺序
            h_n.append(h)  # 这个方向最后处理的一步：正向是 t = T−1，反向是 t = 0
            c_n.append(c)
        layer_input = torch.cat(outputs, dim=-1)  # (T, B, D·P)
        if module.training and module.dropout > 0 and layer < L - 1:
            # dropout 只加在层与层之间，最后一层的输出不加
            layer_input = nn.functional.dropout(layer_input, module.dropout, training=True)
    output = layer_input
    hn = torch.stack(h_n)  # (L·D, B, P)
    cn = torch.stack(c_n) if is_lstm else None  # (L·D, B, H)
    if not batched:
        output, hn = output.squeeze(1), hn.squeeze(1)
        cn = cn.squeeze(1) if cn is not None else None
    elif module.batch_first:
        output = output.transpose(0, 1)  # (T, B, ·) → (B, T, ·)
    return (output, (hn, cn)) if is_lstm else (output, hn)


def trace_gates(module: nn.LSTM | nn.GRU, x: torch.Tensor) -> dict[str, torch.Tensor]:
    r"""把单层单向的 ``nn.LSTM``/``nn.GRU`` 沿序列跑一遍，记录每个时刻的门和状态（不求梯度）。

    门由 [`lstm_gates`][dlguide.recurrent.lstm_gates]、[`gru_gates`][dlguide.recurrent.gru_gates] 用 ``module`` 的权重算出，
    状态与 ``module(x)`` 相同。

    Parameters
    ----------
    module : torch.nn.LSTM or torch.nn.GRU
        单层、单向、没有投影的循环层。
    x : torch.Tensor
        输入序列，按 ``module.batch_first`` 的布局：``(B, T, I)`` 或 ``(T, B, I)``。

    Returns
    -------
    dict[str, torch.Tensor]
        LSTM：``"i"``、``"f"``、``"g"``、``"o"``、``"c"``、``"h"``；GRU：``"r"``、``"z"``、``"n"``、``"h"``。
        每个形状都是 ``(T, B, H)``（时间在前，与 ``batch_first`` 无关）。

    Raises
    ------
    TypeError
        ``module`` 不是 ``nn.LSTM``/``nn.GRU``，或 ``x`` 不是浮点张量。
    ValueError
        ``module`` 多层、双向或带投影；``x`` 的形状不对。

    Examples
    --------
    >>> lstm = nn.LSTM(2, 3, batch_first=True)
    >>> x = torch.randn(4, 10, 2)
    >>> trace = trace_gates(lstm, x)
    >>> sorted(trace), tuple(trace["f"].shape)
    (['c', 'f', 'g', 'h', 'i', 'o'], (10, 4, 3))
    >>> torch.allclose(trace["h"].transpose(0, 1), lstm(x)[0], atol=1e-6)
    True
    """
    if not isinstance(module, (nn.LSTM, nn.GRU)):
        raise TypeError(f"module 必须是 torch.nn.LSTM 或 torch.nn.GRU，收到的是 {type(module).__name__}")
    if module.num_layers != 1 or module.bidirectional or getattr(module, "proj_size", 0):
        raise ValueError("module 必须是单层、单向、没有投影的循环层（num_layers=1，bidirectional=False，proj_size=0）")
    check_tensor(x, "x", ndim=3, nonempty=True)
    if x.shape[-1] != module.input_size:
        raise ValueError(f"x 的最后一维必须是 input_size={module.input_size}，收到形状 {tuple(x.shape)}")
    if x.dtype != module.weight_ih_l0.dtype:
        raise TypeError(f"x 的 dtype 必须与 module 的参数相同（{module.weight_ih_l0.dtype}），收到 {x.dtype}")
    xs = x.transpose(0, 1) if module.batch_first else x  # (T, B, I)
    w = _layer_weights(module, 0, reverse=False)
    args = (w["weight_ih"], w["weight_hh"], w["bias_ih"], w["bias_hh"])
    is_lstm = isinstance(module, nn.LSTM)
    names = ("i", "f", "g", "o", "c", "h") if is_lstm else ("r", "z", "n", "h")
    record: dict[str, list[torch.Tensor]] = {name: [] for name in names}
    h = xs.new_zeros(xs.shape[1], module.hidden_size)  # (B, H)
    c = torch.zeros_like(h)
    with torch.no_grad():
        for xt in xs:
            if is_lstm:
                i, f, g, o = lstm_gates(xt, h, *args)
                # c_t = f ⊙ c_{t−1} + i ⊙ g，h_t = o ⊙ tanh(c_t)
                c = f * c + i * g
                h = o * torch.tanh(c)
                values = (i, f, g, o, c, h)
            else:
                r, z, n = gru_gates(xt, h, *args)
                # h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
                h = (1 - z) * n + z * h
                values = (r, z, n, h)
            for name, value in zip(names, values):
                record[name].append(value)
    return {name: torch.stack(values) for name, values in record.items()}
