r"""神经风格迁移的损失（Gatys、Ecker、Bethge 2016），按公式从零实现：Gram 矩阵、内容损失、风格损失、全变差。

某一层的特征图 $F\in\mathbb R^{N\times M}$（$N$ 个通道，$M = H\times W$ 个位置）。**内容**用特征本身比较，
**风格**用通道之间的相关 $G = FF^\top$（Gram 矩阵）比较：Gram 矩阵对所有位置求和，丢掉了“在哪里”，
只留下“哪些特征一起出现”，也就是纹理。测试 ``tests/test_style.py`` 把它们与 ``torch.bmm``、
``F.mse_loss`` 写出的同一公式对照。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from dlguide._checks import check_nonnegative, check_same_shape, check_tensor

__all__ = [
    "content_loss",
    "gram_matrix",
    "style_loss",
    "total_variation",
]


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    r"""Gram 矩阵 $G_{ij} = \sum_k F_{ik}F_{jk}$：第 $i$、$j$ 个通道在所有位置上的内积（不做归一化）。

    Parameters
    ----------
    features : torch.Tensor
        形状 ``(B, C, H, W)`` 的特征图。

    Returns
    -------
    torch.Tensor
        形状 ``(B, C, C)``，对称半正定。

    Raises
    ------
    TypeError, ValueError
        ``features`` 不是 4 维浮点张量。

    Examples
    --------
    >>> f = torch.tensor([[[[1.0, 2.0]], [[3.0, 0.0]]]])  # 2 个通道，每个 1×2
    >>> gram_matrix(f)[0].tolist()
    [[5.0, 3.0], [3.0, 9.0]]
    """
    check_tensor(features, "features", ndim=4)
    B, C, H, W = features.shape
    flat = features.reshape(B, C, H * W)  # (B, N, M)
    # G = F Fᵀ
    return flat @ flat.transpose(1, 2)


def content_loss(generated: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""内容损失 $\mathcal L_{\text{content}} = \tfrac12\sum_{i,k}(F_{ik} - P_{ik})^2$（Gatys 等的公式）。

    Parameters
    ----------
    generated, target : torch.Tensor
        同形状的特征图：生成图和内容图在同一层的特征。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        不是浮点张量或形状不同。

    Examples
    --------
    >>> content_loss(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0])).item()
    2.5
    """
    check_tensor(generated, "generated")
    check_tensor(target, "target")
    check_same_shape(generated, target, "generated", "target")
    # L = ½ Σ (F − P)²
    return 0.5 * ((generated - target) ** 2).sum()


def style_loss(
    generated: Sequence[torch.Tensor], style: Sequence[torch.Tensor], weights: Sequence[float] | None = None
) -> torch.Tensor:
    r"""风格损失：各层 Gram 矩阵之差的加权和（Gatys 等的公式）。

    $$
    E_l = \frac{1}{4N_l^2M_l^2}\sum_{i,j}\bigl(G^l_{ij} - A^l_{ij}\bigr)^2,\qquad
    \mathcal L_{\text{style}} = \sum_l w_l E_l ,
    $$

    $G^l$、$A^l$ 是生成图和风格图在第 $l$ 层的 Gram 矩阵，$N_l$ 是通道数，$M_l = H_lW_l$。
    吴恩达课程里的 $\frac{1}{(2n_Hn_Wn_C)^2}$ 是同一个系数。批量维上求和。
    两张图大小不同时（Gram 矩阵的形状只取决于通道数），各自除以自己的位置数再比较：
    $E_l = \frac{1}{4N_l^2}\sum_{i,j}\bigl(G^l_{ij}/M_l - A^l_{ij}/M'_l\bigr)^2$，大小相同时就是上式。

    Parameters
    ----------
    generated, style : sequence of torch.Tensor
        每层一个 ``(B, C, H, W)`` 的特征图，两组逐层通道数相同（风格图的批量可以是 1，会广播；高宽可以不同）。
    weights : sequence of float, optional
        各层权重 $w_l \ge 0$；默认每层相等、和为 1。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        层数不同、形状不符或权重为负。

    Examples
    --------
    >>> f = torch.ones(1, 2, 2, 2)
    >>> style_loss([f], [f]).item()
    0.0
    >>> style_loss([f], [2 * f]).item()  # G 全为 4，A 全为 16：4 个元素 × 144 / (4·2²·4²)
    2.25
    """
    if isinstance(generated, torch.Tensor) or not isinstance(generated, Sequence):
        raise TypeError(f"generated 必须是每层一个特征图的序列，收到的是 {type(generated).__name__}")
    if isinstance(style, torch.Tensor) or not isinstance(style, Sequence):
        raise TypeError(f"style 必须是每层一个特征图的序列，收到的是 {type(style).__name__}")
    if len(generated) != len(style) or not generated:
        raise ValueError(f"generated 与 style 的层数必须相同且至少一层，收到 {len(generated)} 和 {len(style)}")
    if weights is None:
        weights = [1.0 / len(generated)] * len(generated)
    if isinstance(weights, (str, bytes, torch.Tensor)) or not isinstance(weights, Sequence) or len(weights) != len(generated):
        raise ValueError(f"weights 必须是 {len(generated)} 个非负数")
    total = generated[0].new_zeros(()) if isinstance(generated[0], torch.Tensor) else None
    for k, (g, s, w) in enumerate(zip(generated, style, weights)):
        check_tensor(g, f"generated[{k}]", ndim=4)
        check_tensor(s, f"style[{k}]", ndim=4)
        if g.shape[1] != s.shape[1] or s.shape[0] not in (1, g.shape[0]):
            raise ValueError(f"generated[{k}] 与 style[{k}] 的形状不符：{tuple(g.shape)} 和 {tuple(s.shape)}")
        check_nonnegative(w, f"weights[{k}]")
        N, M, M_style = g.shape[1], g.shape[2] * g.shape[3], s.shape[2] * s.shape[3]
        # E_l = 1/(4N²) · Σ (G/M − A/M′)²，M = M′ 时即 1/(4N²M²) · Σ (G − A)²
        layer = ((gram_matrix(g) / M - gram_matrix(s) / M_style) ** 2).sum() / (4 * N**2)
        total = total + w * layer
    return total


def total_variation(image: torch.Tensor) -> torch.Tensor:
    r"""全变差 $\sum_{i,j}\bigl[(x_{i+1,j}-x_{i,j})^2 + (x_{i,j+1}-x_{i,j})^2\bigr]$：相邻像素差的平方和，惩罚噪点。

    风格迁移常把它加进总损失，让生成图更平滑（Gatys 等的原文没有这一项，后来的实现普遍加上）。

    Parameters
    ----------
    image : torch.Tensor
        形状 ``(B, C, H, W)``。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        不是 4 维浮点张量。

    Examples
    --------
    >>> total_variation(torch.tensor([[[[0.0, 1.0], [0.0, 1.0]]]])).item()  # 两行各有一个跳变 1
    2.0
    """
    check_tensor(image, "image", ndim=4)
    # Σ (x_{i+1,j} − x_{i,j})² + Σ (x_{i,j+1} − x_{i,j})²
    dy = image[:, :, 1:, :] - image[:, :, :-1, :]
    dx = image[:, :, :, 1:] - image[:, :, :, :-1]
    return (dy**2).sum() + (dx**2).sum()
