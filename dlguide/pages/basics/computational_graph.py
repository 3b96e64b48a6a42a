"""“TensorFlow 的计算图”一页：遍历 PyTorch autograd 计算图（``grad_fn`` 链），以及它的图。"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

import torch
from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure

__all__ = ["Graph", "autograd_graph", "autograd_graph_figure", "node_name"]


class Graph(NamedTuple):
    """[`autograd_graph`][dlguide.pages.basics.computational_graph.autograd_graph] 的结果。"""

    nodes: list[str]
    """节点名，第 0 个是输出的 ``grad_fn``，按广度优先顺序。"""
    edges: list[tuple[int, int]]
    """``(i, j)``：前向时节点 ``i`` 的结果流入节点 ``j``（反向时梯度从 ``j`` 流回 ``i``）。"""


def node_name(fn: object, names: dict[int, str] | None = None) -> str:
    """反向函数的可读名字：去掉版本相关的数字后缀（``SumBackward0`` → ``SumBackward``）；
    叶子（``AccumulateGrad``）用 ``names`` 里给出的变量名。

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> node_name((x * 2).sum().grad_fn)
    'SumBackward'
    """
    if names is not None and not isinstance(names, Mapping):
        raise TypeError(f"names 必须是 {{id(张量): 名字}} 的字典或 None，收到的是 {type(names).__name__}")
    kind = re.sub(r"\d+$", "", type(fn).__name__)
    if kind == "AccumulateGrad" and names is not None:
        variable = getattr(fn, "variable", None)
        if variable is not None and id(variable) in names:
            return names[id(variable)]
    return kind


def autograd_graph(output: torch.Tensor, names: dict[str, torch.Tensor] | None = None) -> Graph:
    """把 ``output`` 背后的 autograd 图整理成节点和边。

    autograd 图的节点是**运算**（反向函数，如 ``MulBackward``），叶子张量由 ``AccumulateGrad``
    节点代表（反向传播把梯度累加到它的 ``.grad`` 上）；每个节点的 ``next_functions`` 指向它的输入。

    Parameters
    ----------
    output : torch.Tensor
        由需要梯度的张量算出的结果（``output.grad_fn`` 不为 ``None``）。
    names : dict[str, torch.Tensor], optional
        叶子张量的名字，例如 ``{"x": x}``，用来给 ``AccumulateGrad`` 节点命名。

    Returns
    -------
    Graph
        ``nodes``（输出的 ``grad_fn`` 排第一，广度优先）和前向方向的 ``edges``。

    Raises
    ------
    TypeError
        ``output`` 不是张量，或 ``names`` 不是名字到张量的字典。
    ValueError
        ``output`` 没有 ``grad_fn``（是叶子或在 ``no_grad`` 下算出）。

    Examples
    --------
    >>> import torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> g = autograd_graph((3 * x).sum(), {"x": x})
    >>> g.nodes, g.edges
    (['SumBackward', 'MulBackward', 'x'], [(1, 0), (2, 1)])
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"output 必须是 torch.Tensor，收到的是 {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError("output 没有 grad_fn：它是叶子张量，或者是在 torch.no_grad() 下算出的")
    if names is not None:
        if not isinstance(names, Mapping):
            raise TypeError(f"names 必须是 {{名字: 张量}} 的字典或 None，收到的是 {type(names).__name__}")
        for name, t in names.items():
            if not isinstance(name, str) or not isinstance(t, torch.Tensor):
                raise TypeError(f"names 必须是 {{名字: 张量}} 的字典，收到的条目 {name!r}: {type(t).__name__}")
    by_id = {id(t): name for name, t in (names or {}).items()}
    index: dict[object, int] = {output.grad_fn: 0}
    nodes, edges = [node_name(output.grad_fn, by_id)], []
    queue = [output.grad_fn]
    while queue:
        fn = queue.pop(0)
        for parent, _ in fn.next_functions:
            if parent is None:  # 不需要梯度的输入（例如常数）没有节点
                continue
            if parent not in index:
                index[parent] = len(nodes)
                nodes.append(node_name(parent, by_id))
                queue.append(parent)
            # 前向：parent 的结果流入 fn
            edges.append((index[parent], index[fn]))
    return Graph(nodes, edges)


@figure
def autograd_graph_figure() -> Figure:
    r"""从真实的 ``grad_fn`` 链画出 $c=\sum(x\odot y + z)$ 的计算图：实线是前向数据流，虚线是反向梯度流。"""
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
