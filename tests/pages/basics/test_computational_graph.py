"""dlguide.pages.basics.computational_graph（页面：docs/basics/computational-graph.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.basics.computational_graph import autograd_graph, node_name


def test_graph_of_the_note_example() -> None:
    x, y, z = (torch.randn(3, requires_grad=True) for _ in range(3))
    c = (x * y + z).sum()
    g = autograd_graph(c, {"x": x, "y": y, "z": z})
    assert g.nodes[0] == "SumBackward"
    assert sorted(g.nodes) == ["AddBackward", "MulBackward", "SumBackward", "x", "y", "z"]
    named = {(g.nodes[i], g.nodes[j]) for i, j in g.edges}
    assert named == {("AddBackward", "SumBackward"), ("MulBackward", "AddBackward"), ("z", "AddBackward"),
                     ("x", "MulBackward"), ("y", "MulBackward")}
    c.backward()
    torch.testing.assert_close(x.grad, y.detach())
    torch.testing.assert_close(y.grad, x.detach())
    torch.testing.assert_close(z.grad, torch.ones(3))


def test_shared_leaf_appears_once_with_two_edges() -> None:
    w = torch.randn(2, requires_grad=True)
    g = autograd_graph((w * w).sum(), {"w": w})
    assert g.nodes.count("w") == 1
    assert sum(1 for i, _ in g.edges if g.nodes[i] == "w") == 2


def test_constants_have_no_node_and_unnamed_leaves_are_accumulate_grad() -> None:
    w = torch.randn(2, requires_grad=True)
    g = autograd_graph((w + torch.ones(2)).sum())
    assert g.nodes == ["SumBackward", "AddBackward", "AccumulateGrad"]
    assert node_name(g) == "Graph"  # 任何对象都能取名字（去掉数字后缀）


def test_errors() -> None:
    with pytest.raises(TypeError, match="output 必须是 torch.Tensor"):
        autograd_graph([1.0])
    with pytest.raises(ValueError, match="output 没有 grad_fn"):
        autograd_graph(torch.ones(2, requires_grad=True))
    with torch.no_grad():
        out = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(ValueError, match="output 没有 grad_fn"):
        autograd_graph(out)


def test_names_must_be_a_mapping() -> None:
    x = torch.ones(2, requires_grad=True)
    out = (x * 2).sum()
    for bad in ("abc", ["x"]):
        with pytest.raises(TypeError, match="names 必须是"):
            autograd_graph(out, bad)
        with pytest.raises(TypeError, match="names 必须是"):
            node_name(out.grad_fn, bad)
    with pytest.raises(TypeError, match="names 必须是"):
        autograd_graph(out, {"x": [1.0]})
