"""局部相关性：用一个固定的随机置换打乱特征顺序，看哪些模型依赖“相邻的特征彼此相关”。

卷积网络假设相邻像素相关（局部连接、权重共享、池化）；全连接网络和线性模型对输入特征的顺序没有任何假设，
对它们来说，用同一个置换打乱所有样本的特征只是换了个编号。
"""

from __future__ import annotations

import torch
from torch import nn

from dlguide._checks import check_int

__all__ = ["fixed_permutation", "permute_features", "digits_cnn"]


def fixed_permutation(n_features: int, seed: int = 0) -> torch.Tensor:
    """``0..n_features-1`` 的一个固定随机置换（CPU 上生成，结果可复现）。

    Parameters
    ----------
    n_features : int
        特征个数，≥ 1。
    seed : int
        随机种子。

    Returns
    -------
    torch.Tensor
        形状 ``(n_features,)`` 的 int64。

    Raises
    ------
    ValueError
        ``n_features`` 不是正整数。

    Examples
    --------
    >>> sorted(fixed_permutation(5).tolist())
    [0, 1, 2, 3, 4]
    """
    check_int(n_features, "n_features", low=1)
    return torch.randperm(n_features, generator=torch.Generator().manual_seed(seed))


# --8<-- [start:permute_features]
def permute_features(X: torch.Tensor, seed: int = 0) -> torch.Tensor:
    """对**所有样本**用同一个置换打乱特征（列）的顺序。

    这样不丢失任何信息：置换是可逆的，每个样本的像素值一个不少，只是位置全乱了。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, d)``。
    seed : int
        置换的随机种子。

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
# --8<-- [end:permute_features]


# --8<-- [start:digits_cnn]
def digits_cnn(channels: int = 16, seed: int | None = None) -> nn.Sequential:
    """8×8 手写数字的小卷积网络：两层 3×3 卷积 + 全局平均池化 + 线性分类器。

    输入是展平的 ``(n, 64)``，网络内部还原成 ``(n, 1, 8, 8)``。全局平均池化让分类器只看到
    “哪些局部图案出现过”，这正是卷积对局部相关性的假设。

    Parameters
    ----------
    channels : int
        第一层卷积的通道数（第二层是它的两倍），≥ 1。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        输出 10 个 logit。

    Raises
    ------
    ValueError
        ``channels`` 不是正整数。

    Examples
    --------
    >>> import torch
    >>> net = digits_cnn(seed=0)
    >>> tuple(net(torch.zeros(5, 64)).shape)
    (5, 10)
    """
    check_int(channels, "channels", low=1)
    if seed is not None:
        torch.manual_seed(seed)
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8×8 → 4×4
        nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # 全局平均池化：不保留位置
        nn.Linear(2 * channels, 10),
    )
# --8<-- [end:digits_cnn]
