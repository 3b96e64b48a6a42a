"""计算图的图：a = x*y; b = a + z; c = sum(b) 的 autograd 图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure
from dlguide.graphs import autograd_graph


# --8<-- [start:autograd_graph_figure]
@figure("basics/autograd-graph.svg")
def autograd_graph_figure() -> Figure:
    """从真实的 ``grad_fn`` 链画出 $c=\\sum(x\\odot y + z)$ 的计算图：实线是前向数据流，虚线是反向梯度流。"""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = torch.tensor([3.0, 4.0], requires_grad=True)
    z = torch.tensor([5.0, 6.0], requires_grad=True)
    c = (x * y + z).sum()
    graph = autograd_graph(c, {"x": x, "y": y, "z": z})
    # 按到输出的距离分层：叶子在左，输出在右
    depth = {0: 0}
    for src, dst in graph.edges:  # 广度优先的顺序保证 dst 的深度已知
        depth[src] = max(depth.get(src, 0), depth[dst] + 1)
    deepest = max(depth.values())
    columns: dict[int, list[int]] = {}
    for node in range(len(graph.nodes)):
        columns.setdefault(deepest - depth[node], []).append(node)
    pos = {}
    for col, members in columns.items():
        for k, node in enumerate(members):
            pos[node] = (col * 2.2, (len(members) - 1) / 2 - k * 1.1)
    meaning = {"MulBackward": "a = x * y", "AddBackward": "b = a + z", "SumBackward": "c = sum(b)"}
    fig, (ax,) = new_figure(width=7.6, height=3.4)
    ax.set_axis_off()
    for src, dst in graph.edges:
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        ax.annotate("", xy=(x1 - 0.55, y1), xytext=(x0 + 0.55, y0),
                    arrowprops={"arrowstyle": "->", "color": "tab:blue", "lw": 1.2})
        ax.annotate("", xy=(x0 + 0.55, y0 - 0.18), xytext=(x1 - 0.55, y1 - 0.18),
                    arrowprops={"arrowstyle": "->", "color": "tab:red", "lw": 0.9, "ls": "--"})
    for node, name in enumerate(graph.nodes):
        leaf = name in ("x", "y", "z")
        ax.text(*pos[node], name, ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round", "fc": "#d9f0d3" if leaf else "#dbe9f6", "ec": "gray"})
        if name in meaning:
            ax.text(pos[node][0], pos[node][1] + 0.38, meaning[name], ha="center", fontsize=8, color="dimgray")
    grads = {"x": "∂c/∂x = y", "y": "∂c/∂y = x", "z": "∂c/∂z = 1"}
    for node, name in enumerate(graph.nodes):
        if name in grads:
            ax.text(pos[node][0], pos[node][1] - 0.42, grads[name], ha="center", fontsize=8, color="tab:red")
    ax.text(0, -2.0, "蓝色实线：前向数据流    红色虚线：反向传播的梯度流（沿 next_functions）",
            fontsize=8, color="dimgray")
    xs = [p[0] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(-2.2, 1.6)
    return fig
# --8<-- [end:autograd_graph_figure]
