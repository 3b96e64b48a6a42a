"""“RNN”一页：手写随时间反向传播（BPTT），以及多层双向 RNN 的状态布局图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from dlguide._checks import check_tensor
from dlguide.figures import figure, new_figure

__all__ = ["bidirectional_layout", "rnn_bptt"]


def rnn_bptt(
    xs: torch.Tensor,
    h0: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias: torch.Tensor,
    targets: torch.Tensor,
) -> dict[str, torch.Tensor]:
    r"""tanh RNN 的前向与**手写**反向传播（BPTT），损失 $L = \tfrac12\sum_{t=1}^{T}\lVert\boldsymbol h_t - \boldsymbol y_t\rVert^2$。

    前向 $\boldsymbol h_t = \tanh(\boldsymbol a_t)$，$\boldsymbol a_t = W_{ih}\boldsymbol x_t + W_{hh}\boldsymbol h_{t-1} + \boldsymbol b$。
    反向从 $t = T$ 往回走，$\boldsymbol\delta_t = \partial L/\partial\boldsymbol h_t$ 有两个来源：本时刻的损失，和下一时刻经过 $W_{hh}$ 传回来的梯度：

    $$
    \boldsymbol\delta_t = (\boldsymbol h_t - \boldsymbol y_t) + W_{hh}^{\top}\boldsymbol\varepsilon_{t+1},\qquad
    \boldsymbol\varepsilon_t = \boldsymbol\delta_t\odot(1-\boldsymbol h_t^2),\qquad
    \frac{\partial L}{\partial W_{hh}} = \sum_{t=1}^{T}\boldsymbol\varepsilon_t\,\boldsymbol h_{t-1}^{\top} .
    $$

    同一个 $W_{hh}$ 在每个时刻都用了一次，所以它的梯度是**各时刻贡献之和**。

    Parameters
    ----------
    xs : torch.Tensor
        输入序列，形状 ``(T, B, I)``。
    h0 : torch.Tensor
        初始状态，形状 ``(B, H)``。
    weight_ih, weight_hh : torch.Tensor
        形状 ``(H, I)``、``(H, H)``。
    bias : torch.Tensor
        形状 ``(H,)``（相当于 ``nn.RNN`` 的 ``bias_ih + bias_hh``）。
    targets : torch.Tensor
        每个时刻的目标，形状 ``(T, B, H)``。

    Returns
    -------
    dict
        ``"loss"``（0 维张量）；``"weight_ih"``、``"weight_hh"``、``"bias"``、``"h0"``：对应的梯度，形状同参数。

    Raises
    ------
    TypeError, ValueError
        参数不是浮点张量，或形状对不上。

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> T, B, I, H = 4, 2, 3, 5
    >>> xs, y = torch.randn(T, B, I, generator=g), torch.randn(T, B, H, generator=g)
    >>> W_ih, W_hh, b = torch.randn(H, I, generator=g), torch.randn(H, H, generator=g) * 0.5, torch.zeros(H)
    >>> out = rnn_bptt(xs, torch.zeros(B, H), W_ih, W_hh, b, y)
    >>> tuple(out["weight_hh"].shape), tuple(out["h0"].shape)
    ((5, 5), (2, 5))
    """
    check_tensor(xs, "xs", ndim=3, nonempty=True)
    check_tensor(h0, "h0", ndim=2)
    check_tensor(weight_ih, "weight_ih", ndim=2)
    check_tensor(weight_hh, "weight_hh", ndim=2)
    check_tensor(bias, "bias", ndim=1)
    check_tensor(targets, "targets", ndim=3)
    T, B, I = xs.shape
    H = weight_hh.shape[0]
    expected = {"h0": (B, H), "weight_ih": (H, I), "weight_hh": (H, H), "bias": (H,), "targets": (T, B, H)}
    given = {"h0": h0, "weight_ih": weight_ih, "weight_hh": weight_hh, "bias": bias, "targets": targets}
    for name, shape in expected.items():
        if tuple(given[name].shape) != shape:
            raise ValueError(f"{name} 的形状必须是 {shape}，收到 {tuple(given[name].shape)}")
        if given[name].dtype != xs.dtype:
            raise TypeError(f"{name} 的 dtype 必须与 xs 相同（{xs.dtype}），收到 {given[name].dtype}")
    # 前向：保存每个时刻的 h_t，反向要用；hs[0] = h_0
    hs = [h0]
    for t in range(T):
        # h_t = tanh(W_ih x_t + W_hh h_{t-1} + b)
        hs.append(torch.tanh(xs[t] @ weight_ih.T + hs[-1] @ weight_hh.T + bias))
    # L = ½ Σ_t ‖h_t − y_t‖²
    loss = 0.5 * sum(((hs[t + 1] - targets[t]) ** 2).sum() for t in range(T))
    grads = {"weight_ih": torch.zeros_like(weight_ih), "weight_hh": torch.zeros_like(weight_hh), "bias": torch.zeros_like(bias)}
    from_future = torch.zeros_like(h0)  # W_hhᵀ ε_{t+1}：下一时刻传回来的梯度，t = T 时为 0
    for t in range(T - 1, -1, -1):
        h, h_prev = hs[t + 1], hs[t]
        # δ_t = (h_t − y_t) + W_hhᵀ ε_{t+1}
        delta = (h - targets[t]) + from_future
        # ε_t = δ_t ⊙ tanh′(a_t) = δ_t ⊙ (1 − h_t²)
        eps = delta * (1 - h**2)  # (B, H)
        # ∂L/∂W_hh += ε_t h_{t−1}ᵀ（对批求和），∂L/∂W_ih += ε_t x_tᵀ，∂L/∂b += ε_t
        grads["weight_hh"] += eps.T @ h_prev
        grads["weight_ih"] += eps.T @ xs[t]
        grads["bias"] += eps.sum(dim=0)
        # 传给上一时刻：∂a_t/∂h_{t−1} = W_hh，所以是 W_hhᵀ ε_t（行向量写法 ε_t W_hh）
        from_future = eps @ weight_hh
    return {"loss": loss, **grads, "h0": from_future}


def _node(ax, x: float, y: float, text: str, color: str, *, bold: bool = False) -> None:
    """画一个带文字的圆角方框（状态）。"""
    box = FancyBboxPatch(
        (x - 0.33, y - 0.2), 0.66, 0.4, boxstyle="round,pad=0.02", facecolor=color, edgecolor="black",
        linewidth=2.0 if bold else 0.8,
    )
    ax.add_patch(box)
    ax.text(x, y, text, ha="center", va="center", fontsize=8)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], color: str = "0.3") -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": color, "lw": 0.9})


@figure
def bidirectional_layout() -> Figure:
    """两层双向 RNN 按时间展开：哪些状态组成 output，哪些组成 h_n。"""
    T, layers = 4, 2
    fig, (ax,) = new_figure(1, width=8.6, height=4.6)
    ax.set_xlim(-1.3, T + 2.9)
    ax.set_ylim(-0.7, 4.9)
    ax.axis("off")
    ax.grid(False)
    rows = {}  # (层, 方向) → y 坐标：每层两行，正向在下、反向在上
    for layer in range(layers):
        rows[(layer, 0)] = 1 + 2 * layer
        rows[(layer, 1)] = 1.8 + 2 * layer
    for t in range(T):
        _node(ax, t, 0, f"x{'₀₁₂₃'[t]}", "#f0f0f0")
    final_index = {}
    for (layer, d), y in rows.items():
        final_index[(layer, d)] = layer * 2 + d
        arrow_dir = "→" if d == 0 else "←"
        for t in range(T):
            last = t == (T - 1 if d == 0 else 0)
            top = layer == layers - 1
            color = "#fde2b8" if top else ("#cfe3f7" if d == 0 else "#d9f0d3")
            _node(ax, t, y, f"h{arrow_dir}{'₀₁₂₃'[t]}", color, bold=last)
            if last:
                ax.text(t + (0.42 if d == 0 else -0.42), y + 0.24, f"h_n[{final_index[(layer, d)]}]",
                        fontsize=7.5, color="tab:red", ha="left" if d == 0 else "right")
        for t in range(T - 1):  # 同一行里的循环连接：正向往右，反向往左
            if d == 0:
                _arrow(ax, (t + 0.34, y), (t + 0.66, y))
            else:
                _arrow(ax, (t + 0.66, y), (t + 0.34, y))
        ax.text(-1.2, y, f"第 {layer + 1} 层{'正向' if d == 0 else '反向'}", fontsize=8, va="center")
    for t in range(T):  # 层与层之间：下一层的两个方向都读上一层两个方向拼接后的输出
        _arrow(ax, (t, 0.2), (t, 0.8), "0.6")
        _arrow(ax, (t + 0.1, 2.0), (t + 0.1, 2.8), "0.6")
    ax.text(-1.2, 0, "输入", fontsize=8, va="center")
    ax.text(-1.2, -0.55, "竖箭头：每层的两个方向都读下面一层（两个方向拼接后）的输出", fontsize=7.5, color="0.35")
    for t in range(T):
        ax.text(t, 4.35, f"output[{t}]", ha="center", fontsize=7.5, color="#b35900")
        ax.plot([t - 0.36, t - 0.36], [2.8, 4.15], color="#b35900", lw=0.8)
        ax.plot([t + 0.36, t + 0.36], [2.8, 4.15], color="#b35900", lw=0.8)
    ax.text(T - 0.2, 4.75, "output[t] = 顶层 [h→ₜ ; h←ₜ]，形状 (T, B, 2H)", fontsize=8, color="#b35900", ha="right")
    ax.text(
        T + 0.15, 2.0,
        "h_n：形状 (层数·方向数, B, H)\n第 2l + d 行 = 第 l 层（从 0 数）\n第 d 个方向最后处理的那一步：\n正向在 t = T−1，反向在 t = 0\n\n"
        "output[T−1] 的后半 ≠ h_n[3]，\noutput[0] 的后半 = h_n[3]",
        fontsize=7.5, va="center", color="tab:red",
    )
    return fig
