"""“卷积操作详解”一页：按定义实现的卷积与 PyTorch 对照、输出尺寸公式的随机核对、滑动窗口示意图。"""

from __future__ import annotations

import random

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dlguide._checks import check_int, resolve_seed
from dlguide.conv import conv_nd, conv_output_size
from dlguide.figures import figure, new_figure

__all__ = ["compare_with_torch", "output_size_mismatches", "sliding_windows"]


def _random_config(rng: random.Random) -> dict:
    """一种随机的二维卷积配置：分组、通道、核、步幅、扩张、填充、偏置都随机。"""
    groups = rng.choice([1, 2, 3])
    k = (rng.randint(1, 5), rng.randint(1, 5))
    d = (rng.randint(1, 3), rng.randint(1, 3))
    p = (rng.randint(0, 3), rng.randint(0, 3))
    sizes = [max(1, d_ * (k_ - 1) + 1 - 2 * p_) + rng.randint(0, 8) for k_, d_, p_ in zip(k, d, p)]
    return {"groups": groups, "c_in": groups * rng.randint(1, 3), "c_out": groups * rng.randint(1, 3),
            "kernel": k, "stride": (rng.randint(1, 3), rng.randint(1, 3)), "dilation": d, "padding": p,
            "sizes": sizes, "bias": rng.random() < 0.5}


def compare_with_torch(n_configs: int = 100, seed: int | None = 0) -> tuple[int, int]:
    """随机生成 ``n_configs`` 种二维卷积配置，逐一比较 [`conv_nd`][dlguide.conv.conv_nd] 与 ``F.conv2d``。

    每种配置随机选分组数、输入/输出通道、核的高和宽、步幅、扩张率、填充和是否有偏置，在 float64 下比较。

    Parameters
    ----------
    n_configs : int
        配置个数，在 [1, 2000] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[int, int]
        ``(形状相同且数值一致的个数, n_configs)``。

    Raises
    ------
    TypeError, ValueError
        ``n_configs`` 或 ``seed`` 不合法。

    Examples
    --------
    >>> compare_with_torch(20)
    (20, 20)
    """
    check_int(n_configs, "n_configs", low=1, high=2000)
    seed = resolve_seed(seed)  # random.Random 只收整数：None 时从 PyTorch 的全局随机状态抽一个
    rng = random.Random(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    agree = 0
    for _ in range(n_configs):
        c = _random_config(rng)
        x = torch.randn(2, c["c_in"], *c["sizes"], generator=g, dtype=torch.float64)
        w = torch.randn(c["c_out"], c["c_in"] // c["groups"], *c["kernel"], generator=g, dtype=torch.float64)
        b = torch.randn(c["c_out"], generator=g, dtype=torch.float64) if c["bias"] else None
        ours = conv_nd(x, w, b, c["stride"], c["padding"], c["dilation"], c["groups"])
        ref = F.conv2d(x, w, b, c["stride"], c["padding"], c["dilation"], c["groups"])
        agree += ours.shape == ref.shape and torch.allclose(ours, ref, atol=1e-10)
    return agree, n_configs


def output_size_mismatches(n_configs: int = 1000, seed: int | None = 0) -> int:
    """随机生成 ``n_configs`` 组 ``(n, k, s, p, d)``，数一数输出尺寸公式与 PyTorch 实际输出长度不同的次数。

    公式是 [`conv_output_size`][dlguide.conv.conv_output_size]，实际长度来自 ``F.conv1d``。

    Parameters
    ----------
    n_configs : int
        组数，在 [1, 100000] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    int
        不一致的次数（应为 0）。

    Raises
    ------
    TypeError, ValueError
        ``n_configs`` 或 ``seed`` 不合法。

    Examples
    --------
    >>> output_size_mismatches(200)
    0
    """
    check_int(n_configs, "n_configs", low=1, high=100_000)
    seed = resolve_seed(seed)  # random.Random 只收整数：None 时从 PyTorch 的全局随机状态抽一个
    rng = random.Random(seed)
    w_cache: dict[int, torch.Tensor] = {}
    bad = 0
    for _ in range(n_configs):
        k, s, d, p = rng.randint(1, 7), rng.randint(1, 4), rng.randint(1, 3), rng.randint(0, 4)
        n = rng.randint(max(1, d * (k - 1) + 1 - 2 * p), 40)
        w = w_cache.setdefault(k, torch.zeros(1, 1, k))
        actual = F.conv1d(torch.zeros(1, 1, n), w, stride=s, padding=p, dilation=d).shape[-1]
        bad += actual != conv_output_size(n, k, s, p, d)
    return bad


def _draw(ax, n: int, k: int, s: int, p: int, d: int, title: str) -> None:
    """在 ``ax`` 上画一个 n×n 输入（外加 p 圈填充）和前两个输出位置读取的格子。"""
    total = n + 2 * p
    for i in range(total):
        for j in range(total):
            padded = not (p <= i < p + n and p <= j < p + n)
            ax.add_patch(Rectangle((j, total - 1 - i), 1, 1, facecolor="#e8e8e8" if padded else "white",
                                   edgecolor="#999999", lw=0.6))
    out = conv_output_size(n, k, s, p, d)
    for (oi, oj), color, hatch in (((0, 0), "tab:blue", None), ((0, 1), "tab:orange", "//")):
        if oj >= out:
            continue
        for a in range(k):
            for b in range(k):
                # 输出 (oi, oj) 读取填充后输入的 (s·oi + d·a, s·oj + d·b)
                i, j = s * oi + d * a, s * oj + d * b
                ax.add_patch(Rectangle((j + 0.08, total - 1 - i + 0.08), 0.84, 0.84, facecolor=color, alpha=0.35,
                                       hatch=hatch, edgecolor=color, lw=1.0))
    ax.set_xlim(-0.2, total + 0.2)
    ax.set_ylim(-0.2, total + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{title}\nn={n}  k={k}  s={s}  p={p}  d={d}\n输出 {out}×{out}", fontsize=9)


@figure
def sliding_windows() -> Figure:
    """三种设置下前两个输出位置各读取哪些输入格子（灰色是填充）：普通、步幅 2 加填充 1、扩张率 2。

    蓝色是第一个输出 (0, 0) 读取的格子，橙色斜线是它右边的输出 (0, 1) 读取的格子。
    """
    fig, axes = new_figure(3, width=7.2, height=3.2)
    _draw(axes[0], 5, 3, 1, 0, 1, "不填充（valid）")
    _draw(axes[1], 5, 3, 2, 1, 1, "步幅 2、填充 1")
    _draw(axes[2], 7, 3, 1, 0, 2, "扩张率 2")
    return fig
