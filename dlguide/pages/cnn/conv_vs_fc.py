"""“为什么对图像用卷积而不只用全连接层”一页：参数相近的 MLP 与两种 CNN 在 digits 上的准确率，以及平移 1–3 个像素后的准确率。"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_module, check_same_length, check_seed, check_tensor
from dlguide.data import load_digits, shift_digits, train_val_split
from dlguide.figures import figure, new_figure
from dlguide.models import digits_conv_net, mlp
from dlguide.training import accuracy, fit

__all__ = ["MODELS", "TRAINING", "accuracy_under_shift", "shift_accuracies", "train_models"]

MODELS = {
    "MLP": lambda seed: mlp([64, 40, 10], seed=seed),  # 64 → 40 → 10：3010 个参数
    "CNN + 展平": lambda seed: digits_conv_net(2, head="flatten", seed=seed),  # 分类器看得见位置：2666 个
    "CNN + 全局最大池化": lambda seed: digits_conv_net(12, head="max", seed=seed),  # 分类器看不见位置：2986 个
}
"""三个参数个数相近（约 3000）的模型：名字 → 构造函数（参数是种子）。"""

TRAINING = {"epochs": 15, "lr": 1e-2, "batch_size": 64, "optimizer": "adam"}
"""三个模型共用的训练设置（传给 [`fit`][dlguide.training.fit]）。"""


def train_models(seed: int | None = 0, epochs: int = 15) -> tuple[dict[str, nn.Module], torch.Tensor, torch.Tensor]:
    """在 digits 的 70% 上训练 [`MODELS`][dlguide.pages.cnn.conv_vs_fc.MODELS] 里的三个模型，返回模型和 30% 的验证集。

    训练设置见 [`TRAINING`][dlguide.pages.cnn.conv_vs_fc.TRAINING]（Adam，学习率 0.01，批大小 64）。

    Parameters
    ----------
    seed : int, optional
        模型初始化和打乱顺序的种子（数据划分固定用种子 0）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    epochs : int
        训练轮数，在 [1, 200] 内；页面上用 15。

    Returns
    -------
    tuple
        ``(models, X_val, y_val)``：``models`` 是 名字 → 训练好的模型；``X_val`` 形状 ``(539, 64)``。

    Raises
    ------
    TypeError, ValueError
        ``seed`` 不合法。

    Examples
    --------
    >>> models, X_val, y_val = train_models(epochs=1)
    >>> list(models), tuple(X_val.shape)
    (['MLP', 'CNN + 展平', 'CNN + 全局最大池化'], (539, 64))
    """
    check_seed(seed)
    epochs = check_int(epochs, "epochs", low=1, high=200)
    X, y = load_digits()
    X_train, y_train, X_val, y_val = train_val_split(X, y, 0.3, seed=0)
    models = {}
    for name, make in MODELS.items():
        model = make(seed)
        fit(model, X_train, y_train, seed=seed, **{**TRAINING, "epochs": epochs})
        models[name] = model
    return models, X_val, y_val


def shift_accuracies(
    model: nn.Module, X: torch.Tensor, y: torch.Tensor, pixels: Iterable[int] = (0, 1, 2, 3)
) -> list[float]:
    """把验证图像向右下平移 0、1、2、3 个像素（[`shift_digits`][dlguide.data.shift_digits]，不加噪声）后的准确率。

    Parameters
    ----------
    model : torch.nn.Module
        训练好的分类器，输入 ``(n, 64)``。
    X, y : torch.Tensor
        验证集。
    pixels : iterable of int
        平移的像素数，每个在 [0, 7] 内。

    Returns
    -------
    list[float]
        每个平移量下的准确率（4 位小数）。

    Raises
    ------
    TypeError, ValueError
        参数不合法。

    Examples
    --------
    >>> from dlguide.data import load_digits
    >>> X, y = load_digits()
    >>> shift_accuracies(nn.Sequential(nn.Linear(64, 10)), X[:20], y[:20], pixels=[0]) < [0.5]   # 没训练过：接近瞎猜
    True
    """
    check_module(model, "model")
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    check_same_length(X, y, "X", "y")
    if isinstance(pixels, (str, bytes)) or not isinstance(pixels, Iterable):
        raise TypeError(f"pixels 必须是整数的序列，收到的是 {type(pixels).__name__}")
    shifts = [check_int(p, "pixels", low=0, high=7) for p in pixels]
    return [accuracy(model, shift_digits(X, pixels=p, noise=0.0), y) for p in shifts]


@figure
def accuracy_under_shift() -> Figure:
    """三个模型在平移 0–3 个像素的验证集上的准确率，3 个种子的平均（竖线是最小到最大）。"""
    pixels = [0, 1, 2, 3]
    results: dict[str, list[list[float]]] = {name: [] for name in MODELS}
    for seed in range(3):
        models, X_val, y_val = train_models(seed)
        for name, model in models.items():
            results[name].append(shift_accuracies(model, X_val, y_val, pixels))
    fig, (ax,) = new_figure(width=6.4, height=3.6)
    for (name, runs), marker in zip(results.items(), "osD"):
        runs_t = torch.tensor(runs)
        mean, low, high = runs_t.mean(0), runs_t.min(0).values, runs_t.max(0).values
        ax.errorbar(pixels, mean, yerr=[mean - low, high - mean], marker=marker, capsize=3, label=name)
    ax.axhline(0.1, color="gray", ls=":", lw=1)
    ax.text(2.2, 0.12, "瞎猜 10%", color="gray", fontsize=8)
    ax.set_xticks(pixels)
    ax.set_xlabel("测试图像向右下平移的像素数")
    ax.set_ylabel("验证集准确率")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    return fig
