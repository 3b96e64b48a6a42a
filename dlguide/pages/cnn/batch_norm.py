"""“Batch Normalization 批标准化”一页：各种归一化在哪些轴上求统计量、BN 对训练速度和学习率的影响。"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_bool, check_int, check_module, check_positive, check_seed
from dlguide.data import load_digits, train_val_split
from dlguide.figures import figure, new_figure
from dlguide.training import accuracy, fit

__all__ = ["normalized_axes", "bn_cnn", "lr_sweep", "bn_learning_rates"]

_AXES = "NCHW"


def normalized_axes(layer: nn.Module, shape: Sequence[int] = (4, 6, 3, 3)) -> dict[str, str]:
    """用扰动实验找出一个归一化层在哪些轴上求统计量。

    做法：训练模式下把输入 ``x[0, 0, 0, 0]`` 改一点点，看哪些输出跟着变——它们与这个元素共享均值和方差。
    沿每个轴数一数从 ``(0, 0, 0, 0)`` 出发有几个位置跟着变：全部变是“全部”，只有它自己是“—”，
    变了一部分（组标准化的通道轴）写成“k/n”。层先被复制一份，原来的层（包括滑动统计量）不受影响。

    Parameters
    ----------
    layer : torch.nn.Module
        归一化层，例如 ``nn.BatchNorm2d(6)``、``nn.LayerNorm([6, 3, 3])``、``nn.GroupNorm(2, 6)``。
    shape : sequence of int
        输入形状 ``(N, C, H, W)``，每维在 ``[2, 64]`` 内，``C`` 要与层匹配。

    Returns
    -------
    dict[str, str]
        ``{"N": ..., "C": ..., "H": ..., "W": ...}``。

    Raises
    ------
    TypeError, ValueError
        ``layer`` 不是 ``nn.Module``，或 ``shape`` 不合要求。

    Examples
    --------
    >>> normalized_axes(nn.BatchNorm2d(6))
    {'N': '全部', 'C': '—', 'H': '全部', 'W': '全部'}
    >>> normalized_axes(nn.GroupNorm(2, 6))["C"]
    '3/6'
    """
    check_module(layer, "layer")
    if not isinstance(shape, Sequence) or isinstance(shape, str) or len(shape) != 4:
        raise TypeError(f"shape 必须是 (N, C, H, W)，收到 {shape!r}")
    shape = [check_int(s, f"shape[{i}]", low=2, high=64) for i, s in enumerate(shape)]
    g = torch.Generator().manual_seed(0)
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    probe = copy.deepcopy(layer).double().train()  # 副本：不改动原来的层
    with torch.no_grad():
        y0 = probe(x)
        x1 = x.clone()
        x1[0, 0, 0, 0] += 0.1
        changed = (probe(x1) - y0).abs() > 1e-12  # (N, C, H, W)：哪些输出跟着变
    out = {}
    for d, axis in enumerate(_AXES):
        index: list = [0, 0, 0, 0]
        index[d] = slice(None)
        count = int(changed[tuple(index)].sum())  # 沿第 d 轴、经过 (0, 0, 0, 0) 的一行里变了几个
        out[axis] = "全部" if count == shape[d] else ("—" if count == 1 else f"{count}/{shape[d]}")
    return out


def bn_cnn(batch_norm: bool, width: int = 16, seed: int | None = 0) -> nn.Sequential:
    """digits（展平的 8×8）上的小卷积网络：三个 3×3 卷积（可选每个后接 BN）+ 一次池化 + 全连接层。

    用 BN 时卷积不带偏置（BN 减均值时会把偏置消掉）。

    Parameters
    ----------
    batch_norm : bool
        是否在每个卷积后、ReLU 前加 ``nn.BatchNorm2d``。
    width : int
        前两层卷积的通道数（第三层是它的两倍），在 ``[1, 256]`` 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.nn.Sequential
        输入 ``(N, 64)``，输出 ``(N, 10)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> net = bn_cnn(True)
    >>> sum(isinstance(m, nn.BatchNorm2d) for m in net), tuple(net(torch.zeros(2, 64)).shape)
    (3, (2, 10))
    """
    check_bool(batch_norm, "batch_norm")
    check_int(width, "width", low=1, high=256)
    check_seed(seed)
    if seed is not None:
        torch.manual_seed(seed)

    def block(cin: int, cout: int) -> list[nn.Module]:
        norm = [nn.BatchNorm2d(cout)] if batch_norm else []
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=not batch_norm), *norm, nn.ReLU()]

    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        *block(1, width), *block(width, width), nn.MaxPool2d(2),  # 8×8 → 4×4
        *block(width, 2 * width),
        nn.Flatten(), nn.Linear(2 * width * 16, 10),
    )


def lr_sweep(lrs: Sequence[float], *, epochs: int = 3, seed: int | None = 0) -> dict[str, dict[float, tuple[list[float], float]]]:
    """有无 BN 的 [`bn_cnn`][dlguide.pages.cnn.batch_norm.bn_cnn] 在几个学习率下各训练 ``epochs`` 轮（SGD，批大小 64）。

    digits 的 70% 训练、30% 验证，训练循环是 [`fit`][dlguide.training.fit]。

    Parameters
    ----------
    lrs : sequence of float
        学习率，每个 > 0，最多 16 个。
    epochs : int
        轮数，在 ``[1, 50]`` 内。
    seed : int, optional
        初始化与打乱的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict
        ``{"无 BN": {lr: (每轮训练损失, 验证准确率)}, "BN": {...}}``，都保留 2 位小数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> result = lr_sweep([0.1], epochs=1)
    >>> sorted(result), len(result["BN"][0.1][0])
    (['BN', '无 BN'], 1)
    """
    if not isinstance(lrs, Sequence) or isinstance(lrs, str) or not 1 <= len(lrs) <= 16:
        raise TypeError(f"lrs 必须是 1 到 16 个学习率的序列，收到 {lrs!r}")
    lrs = [check_positive(lr, f"lrs[{i}]") for i, lr in enumerate(lrs)]
    check_int(epochs, "epochs", low=1, high=50)
    check_seed(seed)
    X, y = load_digits()
    X_train, y_train, X_val, y_val = train_val_split(X, y, 0.3, seed=seed)
    out: dict[str, dict[float, tuple[list[float], float]]] = {}
    for name, bn in (("无 BN", False), ("BN", True)):
        out[name] = {}
        for lr in lrs:
            net = bn_cnn(bn, seed=seed)
            losses = fit(net, X_train, y_train, epochs=epochs, lr=lr, batch_size=64, seed=seed)
            out[name][lr] = ([round(v, 2) for v in losses], round(accuracy(net, X_val, y_val), 2))
    return out


@figure
def bn_learning_rates() -> Figure:
    """左：学习率 0.1 时每轮的训练损失；右：训练 3 轮后的验证准确率随学习率的变化（对数横轴）。"""
    lrs = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
    sweep = lr_sweep(lrs, epochs=3)
    curves = lr_sweep([0.1], epochs=8)
    fig, (left, right) = new_figure(2, width=10, height=3.6)
    for name, color in (("无 BN", "tab:red"), ("BN", "tab:blue")):
        losses, _ = curves[name][0.1]
        left.plot(range(1, len(losses) + 1), losses, marker="o", ms=3, color=color, label=name)
        right.plot(lrs, [sweep[name][lr][1] for lr in lrs], marker="o", color=color, label=name)
    left.set_xlabel("epoch（学习率 0.1）")
    left.set_ylabel("训练损失")
    left.legend()
    right.set_xscale("log")
    right.set_xlabel("学习率（SGD，3 个 epoch）")
    right.set_ylabel("验证准确率")
    right.axhline(0.1, color="gray", lw=0.8, ls=":")
    right.text(lrs[0], 0.12, "随机猜测 0.1", fontsize=8, color="gray")
    right.legend()
    return fig
