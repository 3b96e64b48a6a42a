"""“局部最优问题（鞍点）”一页：随机对称矩阵正定的概率，鞍点附近的轨迹。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_int, check_seed
from dlguide.figures import figure, new_figure
from dlguide.landscape import saddle
from dlguide.optim import minimize

__all__ = ["SADDLE_START", "positive_definite_fraction", "saddle_escape"]


def positive_definite_fraction(dim: int, trials: int = 10_000, seed: int | None = 0) -> float:
    r"""随机对称矩阵（GOE：$H = (A + A^\top)/2$，$A_{ij}\sim\mathcal N(0,1)$）全部特征值为正的比例。

    如果把高维损失曲面上一个临界点的 Hessian 粗略看成这样的随机矩阵，这个比例就是“它是局部极小而不是鞍点”的机会。

    Parameters
    ----------
    dim : int
        矩阵维数，在 [1, 1000] 内。
    trials : int
        抽样次数，在 [1, 10⁶] 内；``trials·dim²`` 不超过 $10^7$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    float
        正定矩阵所占比例。

    Raises
    ------
    TypeError, ValueError
        ``dim``、``trials`` 或 ``seed`` 越界。

    Examples
    --------
    >>> positive_definite_fraction(1, trials=20_000)   # 一维：约一半向上弯
    0.4916
    """
    check_int(dim, "dim", low=1, high=1000)
    check_int(trials, "trials", low=1, high=10**6)
    if trials * dim * dim > 10**7:
        raise ValueError(f"trials·dim² = {trials * dim * dim} 太大（上限 10**7）")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    A = torch.randn(trials, dim, dim, generator=g, dtype=torch.float64)
    # H = (A + Aᵀ) / 2：对称的高斯随机矩阵
    H = (A + A.transpose(1, 2)) / 2
    # 正定 ⇔ 最小特征值 > 0
    smallest = torch.linalg.eigvalsh(H)[:, 0]
    return round((smallest > 0).double().mean().item(), 4)


SADDLE_START = [1.0, 1e-6]
"""鞍点实验的设置：起点几乎正好在 x 轴上（y = 10⁻⁶），各方法走 60 步。"""


SADDLE_SETTINGS: dict[str, dict] = {
    "梯度下降 (lr=0.05)": {"method": "sgd", "lr": 0.05},
    "动量 (lr=0.05, β=0.9，PyTorch 写法)": {"method": "momentum", "lr": 0.05, "beta": 0.9, "convention": "pytorch"},
    "Adam (lr=0.05)": {"method": "adam", "lr": 0.05},
}


@figure
def saddle_escape() -> Figure:
    """左：f = x² − y² 上从 (1, 10⁻⁶) 出发的 60 步；右：随机对称矩阵正定的比例随维数的变化。"""
    fig, (ax, ax2) = new_figure(2, width=8.0, height=3.6)
    xs, ys = torch.meshgrid(torch.linspace(-1.2, 1.2, 120), torch.linspace(-2.5, 2.5, 120), indexing="xy")
    ax.contour(xs, ys, saddle(torch.stack([xs, ys], dim=-1)), levels=15, colors="gray", linewidths=0.5)
    for i, (label, setting) in enumerate(SADDLE_SETTINGS.items()):
        hp = dict(setting)
        path = minimize(saddle, SADDLE_START, hp.pop("method"), steps=60, **hp).clamp(-2.5, 2.5)
        # 梯度下降画在最上层、线更粗：它一直停在 y ≈ 0 上，否则会被其他轨迹盖住
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, lw=2.5 if i == 0 else 1, zorder=3 - i, label=label)
    ax.plot([0], [0], "kx")
    ax.set_xlabel("x（向上弯）")
    ax.set_ylabel("y（向下弯）")
    ax.legend(fontsize=7, loc="lower left")
    dims = list(range(1, 8))
    measured = [(d, positive_definite_fraction(d, 20_000)) for d in dims]
    measured = [(d, f) for d, f in measured if f > 0]  # 2 万次抽样里一次都没抽到的维数不画（比例 < 5×10⁻⁵）
    ax2.semilogy(*zip(*measured), "o-", label="GOE 随机矩阵（实测，2 万次）")
    ax2.semilogy(dims, [0.5**d for d in dims], "--", label="各方向独立：2⁻ⁿ")
    ax2.set_xlabel("维数 n")
    ax2.set_ylabel("全部特征值 > 0 的比例")
    ax2.legend(fontsize=8)
    return fig
