"""“SPP 空间金字塔池化”一页：金字塔的格子、接受任意尺寸输入的小网络、多尺寸训练。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from dlguide._checks import check_int, check_seed, check_tensor
from dlguide.data import load_digits, train_val_split
from dlguide.figures import figure, new_figure
from dlguide.pooling import SpatialPyramidPooling, adaptive_bins
from dlguide.training import accuracy, fit

__all__ = ["spp_net", "resize_digits", "train_multi_size", "pyramid_bins", "multi_size_accuracy"]


def spp_net(levels: Sequence[int] = (1, 2, 4), width: int = 16, seed: int | None = 0) -> nn.Sequential:
    """两层 3×3 卷积 + 空间金字塔池化 + 一个全连接层，输入 ``(N, 1, H, W)``，任意 ``H, W``，输出 10 个 logit。

    Parameters
    ----------
    levels : sequence of int
        金字塔各层的格数。
    width : int
        第一层卷积的通道数（第二层是它的两倍），在 ``[1, 256]`` 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.nn.Sequential
        全连接层的输入长度是 ``2·width·Σ n²``，与输入尺寸无关。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> net = spp_net()
    >>> [tuple(net(torch.zeros(2, 1, s, s)).shape) for s in (8, 13, 32)]
    [(2, 10), (2, 10), (2, 10)]
    """
    check_int(width, "width", low=1, high=256)
    check_seed(seed)
    spp = SpatialPyramidPooling(levels, "max")
    if seed is not None:
        torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, width, 3, padding=1), nn.ReLU(),
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(),
        spp,  # (N, 2·width, H, W) → (N, 2·width·Σn²)，与 H、W 无关
        nn.Linear(spp.output_features(2 * width), 10),
    )


def resize_digits(X: torch.Tensor, size: int) -> torch.Tensor:
    """把展平的 8×8 digits（``(n, 64)``）双线性缩放成 ``(n, 1, size, size)`` 的图像。

    Parameters
    ----------
    X : torch.Tensor
        [`load_digits`][dlguide.data.load_digits] 的输出，形状 ``(n, 64)``。
    size : int
        新边长，在 ``[4, 64]`` 内；8 表示不缩放。

    Returns
    -------
    torch.Tensor
        ``(n, 1, size, size)``。

    Raises
    ------
    TypeError, ValueError
        ``X`` 不是 ``(n, 64)`` 的浮点张量，或 ``size`` 越界。

    Examples
    --------
    >>> X, _ = load_digits()
    >>> tuple(resize_digits(X[:5], 16).shape)
    (5, 1, 16, 16)
    """
    X = check_tensor(X, "X", ndim=2)
    if X.shape[1] != 64:
        raise ValueError(f"X 的形状必须是 (n, 64)，收到 {tuple(X.shape)}")
    check_int(size, "size", low=4, high=64)
    images = X.reshape(-1, 1, 8, 8)
    if size == 8:
        return images
    return F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)


def train_multi_size(sizes: Sequence[int], *, rounds: int = 3, seed: int | None = 0) -> dict[int, float]:
    """像 SPPNet 论文那样做多尺寸训练：每一轮在每个尺寸上各训练一个 epoch（权重共享），返回各尺寸验证集上的准确率。

    digits 的 70% 训练、30% 验证；训练用 [`fit`][dlguide.training.fit]（Adam，学习率 0.01，批大小 64）。

    Parameters
    ----------
    sizes : sequence of int
        训练用的边长，例如 ``(8,)`` 或 ``(8, 16)``，每个在 ``[4, 32]`` 内，最多 4 个。
    rounds : int
        轮数，在 ``[1, 20]`` 内。
    seed : int, optional
        初始化和打乱的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[int, float]
        验证边长 8、12、16 → 准确率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> result = train_multi_size((8,), rounds=1)
    >>> sorted(result), result[8] > 0.8
    ([8, 12, 16], True)
    """
    if not isinstance(sizes, Sequence) or isinstance(sizes, str) or not 1 <= len(sizes) <= 4:
        raise TypeError(f"sizes 必须是 1 到 4 个边长的序列，收到 {sizes!r}")
    sizes = [check_int(s, f"sizes[{i}]", low=4, high=32) for i, s in enumerate(sizes)]
    check_int(rounds, "rounds", low=1, high=20)
    check_seed(seed)
    X, y = load_digits()
    X_train, y_train, X_val, y_val = train_val_split(X, y, 0.3, seed=seed)
    net = spp_net(seed=seed)
    for r in range(rounds):
        for s in sizes:  # 论文：一个 epoch 用一种尺寸，下一个 epoch 换另一种，权重不变
            fit(net, resize_digits(X_train, s), y_train, epochs=1, lr=0.01, batch_size=64, optimizer="adam",
                seed=None if seed is None else (seed + r) % 2**63)
    return {s: accuracy(net, resize_digits(X_val, s), y_val) for s in (8, 12, 16)}


@figure
def pyramid_bins() -> Figure:
    """一张 7×10 的特征图上，1×1、2×2、4×4 三层金字塔的格子（自适应池化的区间，相邻格子可以重叠）。"""
    H, W = 7, 10
    fig, axes = new_figure(3, width=10, height=3.0)
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    for ax, n in zip(axes, (1, 2, 4)):
        ax.set_xlim(0, W)
        ax.set_ylim(H, 0)
        ax.set_aspect("equal")
        ax.set_xticks(range(W + 1))
        ax.set_yticks(range(H + 1))
        ax.tick_params(labelbottom=False, labelleft=False, length=0)
        ax.grid(True, color="gray", alpha=0.4)
        for i, (r0, r1) in enumerate(adaptive_bins(H, n)):
            for j, (c0, c1) in enumerate(adaptive_bins(W, n)):
                color = colors[(i + j) % 2 + 2 * (i % 2)]
                ax.add_patch(Rectangle((c0, r0), c1 - c0, r1 - r0, facecolor=color, alpha=0.18,
                                       edgecolor=color, lw=1.5))
        ax.set_title(f"{n}×{n} 格 → 每通道 {n * n} 个数", fontsize=10)
    fig.suptitle("7×10 特征图上的空间金字塔：每格取最大值，拼成 (1 + 4 + 16)·C 维向量", fontsize=10)
    return fig


@figure
def multi_size_accuracy() -> Figure:
    """只在 8×8 上训练 vs 在 8×8 和 16×16 上交替训练（同样 4 个 epoch），在 8、12、16 三种边长上的验证准确率。"""
    single = train_multi_size((8,), rounds=4)
    multi = train_multi_size((8, 16), rounds=2)
    fig, (ax,) = new_figure(width=6.0, height=3.4)
    sizes = sorted(single)
    xs = torch.arange(len(sizes), dtype=torch.float32)
    for offset, (label, result) in zip((-0.2, 0.2), (("只用 8×8 训练", single), ("8×8 与 16×16 交替训练", multi))):
        bars = ax.bar(xs + offset, [result[s] for s in sizes], width=0.4, label=label)
        ax.bar_label(bars, fmt="%.3f", fontsize=8)
    ax.set_xticks(xs, [f"验证 {s}×{s}" for s in sizes])
    ax.set_ylim(0.5, 1.05)
    ax.set_ylabel("验证集准确率")
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    return fig
