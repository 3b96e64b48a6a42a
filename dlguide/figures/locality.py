"""局部相关性的图：手写数字在固定置换前后的样子。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.locality import fixed_permutation, permute_features


# --8<-- [start:permuted_digits]
@figure("basics/permuted-digits.svg")
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
# --8<-- [end:permuted_digits]
