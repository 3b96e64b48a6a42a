"""“什么样的数据集不适合用深度学习”一页：用固定置换打乱特征，看哪些模型依赖局部相关性。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_int, check_seed
from dlguide.data import load_digits
from dlguide.figures import figure, new_figure

__all__ = ["fixed_permutation", "permute_features", "permuted_digits"]


def fixed_permutation(n_features: int, seed: int | None = 0) -> torch.Tensor:
    """``0..n_features-1`` 的一个固定随机置换（CPU 上生成，结果可复现）。

    Parameters
    ----------
    n_features : int
        特征个数，在 [1, 10⁸] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        形状 ``(n_features,)`` 的 int64。

    Raises
    ------
    TypeError, ValueError
        ``n_features`` 不是 [1, 10⁸] 内的整数，或 ``seed`` 越界。

    Examples
    --------
    >>> sorted(fixed_permutation(5).tolist())
    [0, 1, 2, 3, 4]
    """
    check_int(n_features, "n_features", low=1, high=10**8)
    check_seed(seed)
    return torch.randperm(n_features, generator=None if seed is None else torch.Generator().manual_seed(seed))


def permute_features(X: torch.Tensor, seed: int | None = 0) -> torch.Tensor:
    """对**所有样本**用同一个置换打乱特征（列）的顺序。

    这样不丢失任何信息：置换是可逆的，每个样本的像素值一个不少，只是位置全乱了。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)``。
    seed : int, optional
        置换的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        形状 ``(n, d)``，``X[:, perm]``。

    Raises
    ------
    ValueError
        ``X`` 不是二维的。

    Examples
    --------
    >>> import torch
    >>> X = torch.arange(6.0).reshape(2, 3)
    >>> P = permute_features(X, seed=1)
    >>> sorted(P[0].tolist()) == X[0].tolist(), (P[1] - P[0]).tolist()
    (True, [3.0, 3.0, 3.0])
    """
    if not isinstance(X, torch.Tensor) or X.ndim != 2:
        raise ValueError("X 必须是形状为 (n, d) 的二维张量")
    # 同一个 perm 作用于每一行：X'[:, j] = X[:, perm[j]]
    perm = fixed_permutation(X.shape[1], seed).to(X.device)
    return X[:, perm]


@figure
def permuted_digits() -> Figure:
    """上排：原始的 8×8 数字；下排：同一个固定置换打乱像素后的样子（信息一点没少，但相邻像素不再相关）。"""
    X, y = load_digits()
    picks = [int((y == d).nonzero()[0]) for d in range(5)]
    Xp = permute_features(X)
    fig = new_figure(width=6.4, height=3.0)[0]
    fig.clear()
    axes = fig.subplots(2, 5)
    for col, i in enumerate(picks):
        for row, data in enumerate((X, Xp)):
            ax = axes[row][col]
            ax.imshow(data[i].reshape(8, 8).numpy(), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
        axes[0][col].set_title(f"数字 {int(y[i])}", fontsize=9)
    axes[0][0].set_ylabel("原图", fontsize=9)
    axes[1][0].set_ylabel("像素置换后", fontsize=9)
    # 置换可逆：用逆置换能完全还原
    inverse = torch.argsort(fixed_permutation(64))
    assert torch.equal(Xp[:, inverse], X)
    return fig
