"""“神经网络隐层维度规则”一页：全连接网络各层张量的形状规则与检查。"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_int, check_module, check_sizes
from dlguide.figures import figure, new_figure

__all__ = ["check_linear_shapes", "layer_shapes", "network_shapes"]


def layer_shapes(sizes: Sequence[int], m: int) -> list[dict[str, tuple[int, ...]]]:
    r"""按维度规则列出第 $1..L$ 层各个张量的形状。

    列约定（笔记）：$W^{[l]}: n^{[l]}\times n^{[l-1]}$，$b^{[l]}: n^{[l]}\times 1$，
    $Z^{[l]}, A^{[l]}: n^{[l]}\times m$；梯度 $dW, db, dZ, dA$ 与对应的量同形状。
    行约定（PyTorch）：``weight`` $n^{[l]}\times n^{[l-1]}$，``bias`` $(n^{[l]},)$，输出 $m\times n^{[l]}$。

    Parameters
    ----------
    sizes : Sequence[int]
        $[n^{[0]}, n^{[1]}, \dots, n^{[L]}]$，至少 2 个正整数。
    m : int
        样本数，≥ 1。

    Returns
    -------
    list[dict]
        第 $l$ 个元素（从 0 数）对应第 $l+1$ 层，键为 ``W``、``b``、``Z``、``A``（列约定）和
        ``weight``、``bias``、``output``（PyTorch 行约定）。

    Raises
    ------
    ValueError
        ``sizes`` 或 ``m`` 不合法。

    Examples
    --------
    >>> layer_shapes([3, 4, 1], m=5)[0]
    {'W': (4, 3), 'b': (4, 1), 'Z': (4, 5), 'A': (4, 5), 'weight': (4, 3), 'bias': (4,), 'output': (5, 4)}
    """
    sizes = check_sizes(sizes)
    check_int(m, "m", low=1)
    table = []
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        table.append({
            # 列约定：Z = W A_prev + b，b 沿 m 个样本的列广播
            "W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m),
            # 行约定：output = input @ weight.T + bias
            "weight": (n, n_prev), "bias": (n,), "output": (m, n),
        })
    return table


def check_linear_shapes(model: nn.Module, sizes: Sequence[int]) -> None:
    r"""检查 ``model`` 里按顺序出现的 ``nn.Linear`` 层是否符合 ``sizes`` 的维度规则，不符合就抛出说明哪一层、哪里错的 ``ValueError``。

    Parameters
    ----------
    model : torch.nn.Module
        含若干 ``nn.Linear`` 的模型。
    sizes : Sequence[int]
        期望的各层宽度 $[n^{[0]}, \dots, n^{[L]}]$。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``。
    ValueError
        线性层个数不是 $L$，或某一层 ``weight``/``bias`` 的形状不对。

    Examples
    --------
    >>> from torch import nn
    >>> check_linear_shapes(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)), [3, 4, 1])
    >>> check_linear_shapes(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 1)), [3, 4, 1])
    Traceback (most recent call last):
    ...
    ValueError: model 的第 2 层：weight 应为 (1, 4)（sizes 给出 n^[2]×n^[1]），实际是 (1, 5)
    """
    check_module(model, "model")
    expected = layer_shapes(sizes, m=1)
    linears = [layer for layer in model.modules() if isinstance(layer, nn.Linear)]
    if len(linears) != len(expected):
        raise ValueError(f"sizes 描述了 {len(expected)} 个线性层，模型里有 {len(linears)} 个")
    for l, (layer, shapes) in enumerate(zip(linears, expected), start=1):
        weight = tuple(layer.weight.shape)
        if weight != shapes["weight"]:
            raise ValueError(
                f"model 的第 {l} 层：weight 应为 {shapes['weight']}（sizes 给出 n^[{l}]×n^[{l - 1}]），实际是 {weight}"
            )
        if layer.bias is not None and tuple(layer.bias.shape) != shapes["bias"]:
            raise ValueError(
                f"model 的第 {l} 层：bias 应为 {shapes['bias']}（sizes 给出 n^[{l}]），实际是 {tuple(layer.bias.shape)}"
            )


@figure
def network_shapes(sizes: tuple[int, ...] = (3, 4, 2, 1)) -> Figure:
    """画一个 ``sizes`` 宽度的全连接网络，在每层下面标出 $W$、$b$、$Z/A$ 的形状（列约定，$m$ 个样本）。

    ``sizes`` 最多 8 层、每层最多 12 个单元（再多就画不下了）。
    """
    sizes = tuple(check_sizes(sizes, high=12))
    if len(sizes) > 8:
        raise ValueError(f"sizes 最多 8 层（画得下），收到 {len(sizes)} 层")
    fig, (ax,) = new_figure(width=7.6, height=4.2)
    ax.set_axis_off()
    table = layer_shapes(sizes, m=1)
    xs = [1.6 * i for i in range(len(sizes))]
    top = max(sizes)
    pos = [[(x, (n - 1) / 2 - j) for j in range(n)] for x, n in zip(xs, sizes)]
    for left, right in zip(pos[:-1], pos[1:]):
        for a in left:
            for b in right:
                ax.plot([a[0], b[0]], [a[1], b[1]], color="gray", lw=0.6, alpha=0.6, zorder=1)
    for l, layer in enumerate(pos):
        for x, y in layer:
            ax.scatter([x], [y], s=330, color="tab:blue" if l else "tab:green",
                       edgecolor="black", zorder=2)
        name = "输入 x" if l == 0 else ("输出 ŷ" if l == len(sizes) - 1 else f"隐层 {l}")
        ax.text(xs[l], top / 2 + 0.2, f"{name}\nn[{l}] = {sizes[l]}", ha="center", fontsize=9, linespacing=1.8)
        if l == 0:
            ax.text(xs[0], -top / 2 - 0.35, f"A[0] = X\n{sizes[0]}×m", ha="center",
                    va="top", fontsize=9, linespacing=1.8)
            continue
        s = table[l - 1]
        label = (f"W[{l}]: {s['W'][0]}×{s['W'][1]}\nb[{l}]: {s['b'][0]}×1\n"
                 f"Z[{l}], A[{l}]: {s['Z'][0]}×m")
        ax.text(xs[l], -top / 2 - 0.35, label, ha="center", va="top", fontsize=9, linespacing=1.8)
    ax.text(xs[-1] / 2, -top / 2 - 2.3,
            "规则：W[l] 是 n[l]×n[l−1]（PyTorch 的 Linear.weight 也是 (out, in)），"
            "b[l] 是 n[l]×1，Z[l]、A[l] 是 n[l]×m；dW 与 W 同形状",
            ha="center", fontsize=8)
    ax.set_xlim(-0.9, xs[-1] + 0.9)
    ax.set_ylim(-top / 2 - 2.6, top / 2 + 1.0)
    return fig
