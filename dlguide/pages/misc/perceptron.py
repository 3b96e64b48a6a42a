"""“什么是感知机”一页：带间隔的可分数据、异或、两层阶跃网络与决策边界图。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_int, check_positive, check_tensor, resolve_seed
from dlguide.figures import figure, new_figure
from dlguide.perceptron import perceptron_predict, step, train_perceptron

__all__ = ["XOR_X", "XOR_Y", "decision_boundaries", "separable_data", "xor_network"]

XOR_X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
"""异或的四个输入。"""
XOR_Y = torch.tensor([-1, 1, 1, -1])
"""异或的标签（±1）。"""


def separable_data(n: int = 100, margin: float = 0.1, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""单位圆盘里线性可分、间隔恰为 ``margin`` 的二维数据：被 $x_1 = 0.3 x_2$ 这条线（过原点）分开。

    先均匀取点，丢掉离分界线不到 ``margin`` 的点，再把离线最近的一个点挪到恰好 ``margin`` 处，
    于是真实分界面的几何间隔 $\gamma$ 就是 ``margin``，$R \le \sqrt 2$（加上偏置那一维 1）。

    Parameters
    ----------
    n : int
        样本数，在 [2, 100000] 内。
    margin : float
        间隔 $\gamma$，在 (0, 0.5] 内。
    seed : int or None
        随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` ``(n, 2)`` float32，``y`` ``(n,)`` int64（±1）。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> X, y = separable_data(50, 0.2)
    >>> tuple(X.shape), sorted(set(y.tolist()))
    ((50, 2), [-1, 1])
    """
    n = check_int(n, "n", low=2, high=100_000)
    margin = check_positive(margin, "margin")
    if margin > 0.5:
        raise ValueError(f"margin 必须在 (0, 0.5] 内，收到 {margin}")
    g = torch.Generator().manual_seed(resolve_seed(seed))
    normal = torch.tensor([1.0, -0.3]) / math.hypot(1.0, 0.3)  # 分界线 x₁ = 0.3x₂ 的单位法向量
    points: list[torch.Tensor] = []
    while sum(len(p) for p in points) < n:
        r = torch.rand(4 * n, generator=g).sqrt()
        t = torch.rand(4 * n, generator=g) * 2 * math.pi
        P = torch.stack([r * t.cos(), r * t.sin()], dim=1)  # 圆盘里均匀分布
        points.append(P[(P @ normal).abs() >= margin])
    X = torch.cat(points)[:n]
    d = X @ normal  # 到分界线的有向距离
    i = int(d.abs().argmin())
    # 把最近的点沿法向挪到距离恰为 margin：x ← x − (d − sign(d)·γ)·n̂
    X[i] = X[i] - (d[i] - d[i].sign() * margin) * normal
    y = torch.where(X @ normal > 0, 1, -1)
    return X, y


def xor_network(X: torch.Tensor) -> torch.Tensor:
    r"""两层阶跃单元（手工设定的权重）算异或：$h_1 = H(x_1 + x_2 - 0.5)$（OR），$h_2 = H(x_1 + x_2 - 1.5)$（AND），
    $\hat y = H(h_1 - h_2 - 0.5)$（OR 且非 AND）。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, 2)`` 浮点张量，取值 0/1。

    Returns
    -------
    torch.Tensor
        ``(n,)`` 的 int64，取值 ±1。

    Raises
    ------
    TypeError, ValueError
        ``X`` 不是 ``(n, 2)`` 浮点张量。

    Examples
    --------
    >>> xor_network(XOR_X).tolist()
    [-1, 1, 1, -1]
    """
    check_tensor(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X 必须是 (n, 2)，收到 {tuple(X.shape)}")
    W1 = torch.tensor([[1.0, 1.0], [1.0, 1.0]], dtype=X.dtype, device=X.device)
    b1 = torch.tensor([-0.5, -1.5], dtype=X.dtype, device=X.device)
    w2 = torch.tensor([1.0, -1.0], dtype=X.dtype, device=X.device)
    # h = H(W₁x + b₁)：OR、AND
    h = step(X @ W1.T + b1)  # (n, 2)
    # ŷ = H(h₁ − h₂ − 0.5)
    out = step(h @ w2 - 0.5)
    return torch.where(out > 0, 1, -1).to(torch.int64)


@figure
def decision_boundaries() -> Figure:
    """感知机在可分数据上找到分界线；在异或上找不到；两层阶跃网络分开了异或。"""
    X, y = separable_data(60, 0.1, seed=0)
    res = train_perceptron(X, y)
    xor = train_perceptron(XOR_X, XOR_Y, epochs=20)
    grid = torch.linspace(-1.2, 1.2, 121)
    gx, gy = torch.meshgrid(grid, grid, indexing="xy")
    G = torch.stack([gx.flatten(), gy.flatten()], dim=1)
    g01 = torch.linspace(-0.5, 1.5, 121)
    hx, hy = torch.meshgrid(g01, g01, indexing="xy")
    H = torch.stack([hx.flatten(), hy.flatten()], dim=1)
    panels = [
        (f"可分数据：{res.mistakes} 次更新后收敛", X, y, G, perceptron_predict(G, res.weight, res.bias), gx, gy),
        (f"异或：单层感知机 20 轮后仍错 {xor.mistakes_per_epoch[-1]} 个", XOR_X, XOR_Y, H,
         perceptron_predict(H, xor.weight, xor.bias), hx, hy),
        ("异或：两层阶跃网络（OR 且非 AND）", XOR_X, XOR_Y, H, xor_network(H), hx, hy),
    ]
    fig, axes = new_figure(3, width=11, height=3.8)
    for ax, (title, Xp, yp, _, pred, mx, my) in zip(axes, panels):
        ax.contourf(mx, my, pred.reshape(mx.shape).float(), levels=[-2, 0, 2], colors=["#f4cccc", "#cfe2f3"])
        for label, color, marker in ((1, "tab:blue", "o"), (-1, "tab:red", "x")):
            pts = Xp[yp == label]
            ax.scatter(pts[:, 0], pts[:, 1], c=color, marker=marker, s=40 if len(Xp) < 10 else 14, label=f"y = {label:+d}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
    axes[0].legend(loc="lower right", fontsize=8)
    return fig
