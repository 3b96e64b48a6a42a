"""维度规则的图：一个小网络，每层标出各张量的形状。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure
from dlguide.shapes import layer_shapes


# --8<-- [start:network_shapes]
@figure("basics/layer-shapes.svg")
def network_shapes(sizes: tuple[int, ...] = (3, 4, 2, 1)) -> Figure:
    """画一个 ``sizes`` 宽度的全连接网络，在每层下面标出 $W$、$b$、$Z/A$ 的形状（列约定，$m$ 个样本）。"""
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
        name = "输入 $x$" if l == 0 else ("输出 $\\hat y$" if l == len(sizes) - 1 else f"隐层 {l}")
        ax.text(xs[l], top / 2 + 0.2, f"{name}\n$n^{{[{l}]}}={sizes[l]}$", ha="center", fontsize=9, linespacing=1.8)
        if l == 0:
            ax.text(xs[0], -top / 2 - 0.35, f"$A^{{[0]}}=X$\n${sizes[0]}\\times m$", ha="center",
                    va="top", fontsize=9, linespacing=1.8)
            continue
        s = table[l - 1]
        label = (f"$W^{{[{l}]}}$: {s['W'][0]}×{s['W'][1]}\n$b^{{[{l}]}}$: {s['b'][0]}×1\n"
                 f"$Z^{{[{l}]}},A^{{[{l}]}}$: {s['Z'][0]}×m")
        ax.text(xs[l], -top / 2 - 0.35, label, ha="center", va="top", fontsize=9, linespacing=1.8)
    ax.text(xs[-1] / 2, -top / 2 - 2.3,
            "规则：$W^{[l]}$ 是 $n^{[l]}\\times n^{[l-1]}$（PyTorch 的 Linear.weight 也是 (out, in)），"
            "$b^{[l]}$ 是 $n^{[l]}\\times 1$，$Z^{[l]}, A^{[l]}$ 是 $n^{[l]}\\times m$；$dW$ 与 $W$ 同形状",
            ha="center", fontsize=8)
    ax.set_xlim(-0.9, xs[-1] + 0.9)
    ax.set_ylim(-top / 2 - 2.6, top / 2 + 1.0)
    return fig
# --8<-- [end:network_shapes]
