"""“什么是端到端的网络”一页：手工特征流水线与端到端网络在 digits 上的学习曲线。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_int, check_tensor, resolve_seed
from dlguide.data import load_digits, train_val_split
from dlguide.figures import figure, new_figure
from dlguide.models import mlp
from dlguide.training import accuracy, fit

__all__ = ["METHODS", "digit_canvases", "hand_features", "learning_curve", "learning_curve_figure", "learning_curves", "recenter"]

METHODS = ("features", "end_to_end", "recenter", "end_to_end_canvas", "pixels")
"""[`learning_curve`][dlguide.pages.misc.end_to_end.learning_curve] 比较的五种做法。"""

CANVAS = 12
"""平移实验的画布边长。"""


def hand_features(X: torch.Tensor) -> torch.Tensor:
    """手工设计的 32 个特征：8×8 图的 16 个 2×2 分区平均灰度（zoning）+ 8 个行平均 + 8 个列平均（投影直方图）。

    这是 OCR 里经典的几种特征；它们把 64 个像素压成 32 个数，丢掉了分区内部的细节。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, 64)`` 的 digits 像素。

    Returns
    -------
    torch.Tensor
        ``(n, 32)``。

    Raises
    ------
    TypeError, ValueError
        ``X`` 不是 ``(n, 64)`` 浮点张量。

    Examples
    --------
    >>> tuple(hand_features(torch.ones(3, 64)).shape)
    (3, 32)
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    if X.shape[1] != 64:
        raise ValueError(f"X 必须是 (n, 64) 的 8×8 图，收到 {tuple(X.shape)}")
    img = X.view(-1, 1, 8, 8)
    zones = F.avg_pool2d(img, 2).flatten(1)  # (n, 16)
    rows, cols = img.mean(3).flatten(1), img.mean(2).flatten(1)  # (n, 8)、(n, 8)
    return torch.cat([zones, rows, cols], dim=1)


def digit_canvases(X: torch.Tensor, seed: int | None = 0) -> torch.Tensor:
    """把每张 8×8 数字随机贴到 12×12 黑色画布上（每个方向平移 0～4 像素）：同样的数字，位置不固定。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, 64)`` 的 digits 像素。
    seed : int or None
        随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        ``(n, 144)``。

    Raises
    ------
    TypeError, ValueError
        ``X`` 不是 ``(n, 64)`` 浮点张量。

    Examples
    --------
    >>> C = digit_canvases(torch.ones(2, 64))
    >>> tuple(C.shape), C.sum(1).tolist()
    ((2, 144), [64.0, 64.0])
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    if X.shape[1] != 64:
        raise ValueError(f"X 必须是 (n, 64) 的 8×8 图，收到 {tuple(X.shape)}")
    g = torch.Generator().manual_seed(resolve_seed(seed))
    offsets = torch.randint(0, CANVAS - 8 + 1, (X.shape[0], 2), generator=g).tolist()
    out = X.new_zeros(X.shape[0], CANVAS, CANVAS)
    for i, (r, c) in enumerate(offsets):
        out[i, r:r + 8, c:c + 8] = X[i].view(8, 8)
    return out.flatten(1)


def recenter(C: torch.Tensor) -> torch.Tensor:
    """手工的预处理：按墨迹的质心把 12×12 画布裁回以它为中心的 8×8（OCR 流水线里的“归一化位置”一步）。

    Parameters
    ----------
    C : torch.Tensor
        ``(n, 144)`` 的画布。

    Returns
    -------
    torch.Tensor
        ``(n, 64)``。

    Raises
    ------
    TypeError, ValueError
        ``C`` 不是 ``(n, 144)`` 浮点张量。

    Examples
    --------
    >>> X = torch.rand(2, 64, generator=torch.Generator().manual_seed(0))
    >>> torch.allclose(recenter(digit_canvases(X, seed=1)), recenter(digit_canvases(X, seed=2)))   # 与平移无关
    True
    """
    check_tensor(C, "C", ndim=2, nonempty=True)
    if C.shape[1] != CANVAS * CANVAS:
        raise ValueError(f"C 必须是 (n, {CANVAS * CANVAS}) 的 {CANVAS}×{CANVAS} 画布，收到 {tuple(C.shape)}")
    img = C.view(-1, CANVAS, CANVAS)
    idx = torch.arange(CANVAS, dtype=C.dtype, device=C.device)
    mass = img.sum((1, 2)).clamp_min(1e-6)
    # 质心 r̄ = Σ_r r·m_r / Σ m
    r_bar = (img.sum(2) @ idx) / mass
    c_bar = (img.sum(1) @ idx) / mass
    padded = F.pad(img, (4, 4, 4, 4))
    out = C.new_zeros(img.shape[0], 8, 8)
    for i, (r, c) in enumerate(zip(r_bar.tolist(), c_bar.tolist())):
        # 以质心为中心的 8×8 窗口（在补了 4 圈 0 的画布上）
        r0, c0 = round(r - 3.5) + 4, round(c - 3.5) + 4
        out[i] = padded[i, r0:r0 + 8, c0:c0 + 8]
    return out.flatten(1)


def _split() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    X, y = load_digits()
    return train_val_split(X, y, 0.3, seed=0)  # 1257 张训练、540 张测试


def learning_curve(method: str = "features", sizes: Sequence[int] = (10,), seed: int | None = 0) -> list[float]:
    """用前 ``n`` 张训练图训练、在固定的 540 张测试图上的准确率，``n`` 取 ``sizes`` 里的每个值。

    五种做法（都用 [`fit`][dlguide.training.fit]、Adam、学习率 0.01、批量 32、``max(30, 3000 // n)`` 轮）：

    - ``"features"``：[`hand_features`][dlguide.pages.misc.end_to_end.hand_features]（标准化）+ 线性 softmax 分类器；
    - ``"end_to_end"``：原始 64 个像素 → MLP（64-128-10），特征和分类器一起学；
    - ``"recenter"``：12×12 画布 → [`recenter`][dlguide.pages.misc.end_to_end.recenter] → 线性分类器；
    - ``"end_to_end_canvas"``：12×12 画布的 144 个像素 → MLP（144-128-10）；
    - ``"pixels"``：原始 64 个像素（标准化）+ 与 ``"features"`` 相同的线性分类器，是对照组：
      它把“特征丢了信息”与“MLP 多了一层”两个因素分开。

    Parameters
    ----------
    method : str
        [`METHODS`][dlguide.pages.misc.end_to_end.METHODS] 之一。
    sizes : sequence of int
        训练集大小，每个在 [10, 1257] 内，最多 10 个。
    seed : int or None
        初始化的种子。

    Returns
    -------
    list[float]
        每个 ``n`` 的测试准确率（保留 3 位小数）。

    Raises
    ------
    TypeError, ValueError
        参数不对。

    Examples
    --------
    >>> learning_curve("features", [10])
    [0.469]
    """
    check_choice(method, "method", METHODS)
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not 1 <= len(sizes) <= 10:
        raise TypeError(f"sizes 必须是 1 到 10 个整数的序列，收到 {sizes!r}")
    ns = [check_int(n, "sizes", low=10, high=1257) for n in sizes]
    base = resolve_seed(seed)
    Xtr, ytr, Xte, yte = _split()
    if method in ("recenter", "end_to_end_canvas"):
        Xtr, Xte = digit_canvases(Xtr, seed=1), digit_canvases(Xte, seed=2)
        if method == "recenter":
            Xtr, Xte = recenter(Xtr), recenter(Xte)
    out = []
    for n in ns:
        torch.manual_seed(base)
        A, B = Xtr[:n], Xte
        if method == "features":
            A, B = hand_features(A), hand_features(B)
        if method in ("features", "pixels"):
            mu, sd = A.mean(0), A.std(0) + 1e-2
            A, B = (A - mu) / sd, (B - mu) / sd
        if method in ("features", "recenter", "pixels"):
            model: nn.Module = nn.Linear(A.shape[1], 10)
        else:
            model = mlp([A.shape[1], 128, 10])
        fit(model, A, ytr[:n], epochs=max(30, 3000 // n), lr=0.01, batch_size=32, optimizer="adam", seed=base)
        out.append(round(accuracy(model, B, yte), 3))
    return out


def learning_curves(sizes: Sequence[int] = (10, 30, 100, 300, 1257)) -> dict[str, list[float]]:
    """五种做法的学习曲线（[`learning_curve`][dlguide.pages.misc.end_to_end.learning_curve]）。

    Parameters
    ----------
    sizes : sequence of int
        训练集大小。

    Returns
    -------
    dict[str, list[float]]
        做法名到准确率列表。

    Examples
    --------
    >>> learning_curves([10])["end_to_end"]
    [0.475]
    """
    return {m: learning_curve(m, sizes) for m in METHODS}


@figure
def learning_curve_figure() -> Figure:
    """两组学习曲线：原位的 digits 上手工特征 vs 端到端 MLP；随机平移的画布上“质心归一化 + 线性”vs 端到端 MLP。"""
    sizes = (10, 30, 100, 300, 600, 1257)
    curves = learning_curves(sizes)
    fig, axes = new_figure(2, width=10, height=3.6)
    panels = [
        (axes[0], "数字在原位（8×8）", [("features", "手工特征 + 线性分类器"), ("end_to_end", "端到端 MLP（原始像素）"),
                                     ("pixels", "原始像素 + 线性分类器（对照）")]),
        (axes[1], "数字随机平移（12×12 画布）", [("recenter", "质心归一化 + 线性分类器"), ("end_to_end_canvas", "端到端 MLP（原始像素）")]),
    ]
    for ax, title, lines in panels:
        for (key, label), style in zip(lines, ("o--", "s-", "^:")):
            ax.plot(sizes, curves[key], style, label=label)
        ax.set_xscale("log")
        ax.set_ylim(0, 1)
        ax.set_xlabel("训练样本数")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, loc="lower right")
    axes[0].set_ylabel("测试准确率")
    return fig


