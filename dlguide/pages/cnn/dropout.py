"""“Dropout 随机失活”一页：在一个会过拟合的设置里（小训练集、带错误标签）比较有无 dropout。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_in_range, check_int, check_seed
from dlguide.data import load_digits
from dlguide.dropout import Dropout
from dlguide.figures import figure, new_figure
from dlguide.training import accuracy, fit

__all__ = ["noisy_digits", "dropout_mlp", "train_dropout", "dropout_curves"]


def noisy_digits(n_train: int = 300, noise: float = 0.3, seed: int | None = 0) -> tuple[torch.Tensor, ...]:
    """digits 的一个小训练集，其中约 ``noise`` 比例的标签换成随机类别（模拟标注错误），其余样本作干净的验证集。

    随机换的标签有 1/10 的机会换回原类别，所以实际错标的比例约为 ``0.9 * noise``。

    Parameters
    ----------
    n_train : int
        训练样本数，在 ``[20, 1500]`` 内。
    noise : float
        换成随机标签的比例，在 ``[0, 1]`` 内。
    seed : int, optional
        划分与换标签的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple of torch.Tensor
        ``(X_train, y_train_noisy, X_val, y_val, y_train_clean)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> X_tr, y_tr, X_va, y_va, y_clean = noisy_digits()
    >>> len(X_tr), len(X_va), round((y_tr != y_clean).float().mean().item(), 2)
    (300, 1497, 0.27)
    """
    check_int(n_train, "n_train", low=20, high=1500)
    check_in_range(noise, "noise", 0.0, 1.0)
    check_seed(seed)
    X, y = load_digits()
    g = None if seed is None else torch.Generator().manual_seed(seed)
    order = torch.randperm(len(X), generator=g)
    train, val = order[:n_train], order[n_train:]
    y_noisy = y[train].clone()
    flip = torch.rand(n_train, generator=g) < noise
    y_noisy[flip] = torch.randint(0, 10, (int(flip.sum()),), generator=g)
    return X[train], y_noisy, X[val], y[val], y[train]


def dropout_mlp(p: float, width: int = 128, seed: int | None = 0) -> nn.Sequential:
    """``64 → width → width → 10`` 的 ReLU 网络，两个隐藏层后各接一个 [`Dropout`][dlguide.dropout.Dropout]。

    Parameters
    ----------
    p : float
        丢弃概率，在 ``[0, 1)`` 内（0 表示不用 dropout）。
    width : int
        隐藏层宽度，在 ``[1, 4096]`` 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.nn.Sequential

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> dropout_mlp(0.5)
    Sequential(
      (0): Linear(in_features=64, out_features=128, bias=True)
      (1): ReLU()
      (2): Dropout(p=0.5)
      (3): Linear(in_features=128, out_features=128, bias=True)
      (4): ReLU()
      (5): Dropout(p=0.5)
      (6): Linear(in_features=128, out_features=10, bias=True)
    )
    """
    check_in_range(p, "p", 0.0, 1.0, high_open=True)
    check_int(width, "width", low=1, high=4096)
    check_seed(seed)
    if seed is not None:
        torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(64, width), nn.ReLU(), Dropout(p),
        nn.Linear(width, width), nn.ReLU(), Dropout(p),
        nn.Linear(width, 10),
    )


def train_dropout(p: float, *, epochs: int = 150, seed: int | None = 0, every: int = 0) -> dict[str, list[float] | float]:
    """在 [`noisy_digits`][dlguide.pages.cnn.dropout.noisy_digits] 上训练 [`dropout_mlp`][dlguide.pages.cnn.dropout.dropout_mlp]。

    训练循环是 [`fit`][dlguide.training.fit]：全批量 Adam，学习率 0.01。

    Parameters
    ----------
    p : float
        丢弃概率，在 ``[0, 1)`` 内。
    epochs : int
        轮数（全批量，每轮一步），在 ``[1, 2000]`` 内。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    every : int
        大于 0 时，每隔这么多步记录一次（带错误标签的）训练集准确率和验证集准确率。

    Returns
    -------
    dict
        ``train``、``val``：最终准确率（训练集按它的错误标签算）；``steps``、``train_curve``、``val_curve``：记录的曲线。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> result = train_dropout(0.0, epochs=5)
    >>> sorted(result)
    ['steps', 'train', 'train_curve', 'val', 'val_curve']
    """
    check_in_range(p, "p", 0.0, 1.0, high_open=True)
    check_int(epochs, "epochs", low=1, high=2000)
    check_int(every, "every", low=0, high=2000)
    X_tr, y_tr, X_va, y_va, _ = noisy_digits()
    net = dropout_mlp(p, seed=seed)
    curves: dict[str, list] = {"steps": [], "train_curve": [], "val_curve": []}

    def record(t: int, loss: float) -> None:
        if every and (t + 1) % every == 0:
            curves["steps"].append(t + 1)
            curves["train_curve"].append(accuracy(net, X_tr, y_tr))  # accuracy 在 eval 模式下算，之后切回 train
            curves["val_curve"].append(accuracy(net, X_va, y_va))

    fit(net, X_tr, y_tr, epochs=epochs, lr=0.01, optimizer="adam", seed=seed, on_step=record)
    return {"train": accuracy(net, X_tr, y_tr), "val": accuracy(net, X_va, y_va), **curves}


@figure
def dropout_curves() -> Figure:
    """带 27% 错误标签的 300 个训练样本：不用 dropout 时训练准确率冲到 100%（连错标签也背下来），验证准确率随之下降。"""
    fig, (ax,) = new_figure(width=6.4, height=3.6)
    for p, color in ((0.0, "tab:red"), (0.2, "tab:orange"), (0.5, "tab:blue")):
        r = train_dropout(p, epochs=300, every=10)
        ax.plot(r["steps"], r["val_curve"], color=color, label=f"验证集，p = {p}")
        ax.plot(r["steps"], r["train_curve"], color=color, ls="--", lw=1, label=f"训练集（含错标签），p = {p}")
    ax.axhline(0.73, color="gray", lw=0.8, ls=":")
    ax.text(300, 0.726, "训练集里标签正确的比例 0.73", ha="right", va="top", fontsize=8, color="gray")
    ax.set_xlabel("训练步数（全批量）")
    ax.set_ylabel("准确率")
    ax.set_ylim(0.6, 1.02)
    fig.legend(loc="outside lower center", ncol=3, fontsize=7)
    return fig
