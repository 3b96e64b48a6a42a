"""PyTorch autograd 计算图的遍历：从输出的 ``grad_fn`` 沿 ``next_functions`` 走到叶子。"""

from __future__ import annotations

import re
from typing import NamedTuple

import torch

__all__ = ["Graph", "node_name", "autograd_graph"]


class Graph(NamedTuple):
    """:func:`autograd_graph` 的结果。"""

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
    kind = re.sub(r"\d+$", "", type(fn).__name__)
    if kind == "AccumulateGrad" and names is not None:
        variable = getattr(fn, "variable", None)
        if variable is not None and id(variable) in names:
            return names[id(variable)]
    return kind


# --8<-- [start:autograd_graph]
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
        ``output`` 不是张量。
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
# --8<-- [end:autograd_graph]
