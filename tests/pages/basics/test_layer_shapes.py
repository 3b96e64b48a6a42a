"""dlguide.pages.basics.layer_shapes（页面：docs/basics/layer-shapes.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.models import mlp
from dlguide.pages.basics.layer_shapes import check_linear_shapes, layer_shapes


@pytest.mark.parametrize("sizes", [[3, 1], [5, 8, 2], [2, 16, 16, 16, 3]])
@pytest.mark.parametrize("m", [1, 7])
def test_table_matches_real_tensors(sizes: list[int], m: int) -> None:
    net = mlp(sizes, seed=0)
    check_linear_shapes(net, sizes)
    table = layer_shapes(sizes, m)
    linears = [layer for layer in net if isinstance(layer, nn.Linear)]
    a = torch.randn(sizes[0], m, dtype=torch.float64)  # 列约定的 A^[0]
    x = a.T.float()
    for layer, shapes in zip(linears, table):
        w, b = layer.weight.detach().double(), layer.bias.detach().double()
        assert tuple(w.shape) == shapes["W"] == shapes["weight"]
        assert tuple(b.shape) == shapes["bias"]
        z = w @ a + b[:, None]
        assert tuple(z.shape) == shapes["Z"] == shapes["A"]
        out = layer(x)
        assert tuple(out.shape) == shapes["output"]
        torch.testing.assert_close(z.T.float(), out, rtol=1e-4, atol=1e-5)
        a, x = torch.relu(z), torch.relu(out)


def test_gradients_have_parameter_shapes() -> None:
    net = mlp([4, 6, 3], seed=0)
    net(torch.randn(10, 4)).sum().backward()
    for p in net.parameters():
        assert p.grad.shape == p.shape


def test_errors() -> None:
    with pytest.raises(ValueError, match="sizes 必须是至少 2 个正整数"):
        layer_shapes([3], 2)
    with pytest.raises(ValueError, match="m 必须 ≥ 1"):
        layer_shapes([3, 2], 0)
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Module"):
        check_linear_shapes("net", [3, 2])
    with pytest.raises(ValueError, match="sizes 描述了 2 个线性层，模型里有 1 个"):
        check_linear_shapes(nn.Linear(3, 2), [3, 4, 2])
    with pytest.raises(ValueError, match=r"第 1 层：weight 应为 \(2, 3\)"):
        check_linear_shapes(nn.Linear(4, 2), [3, 2])
    layer = nn.Linear(3, 2)
    layer.bias = nn.Parameter(torch.zeros(3))
    with pytest.raises(ValueError, match=r"第 1 层：bias 应为 \(2,\)"):
        check_linear_shapes(layer, [3, 2])


def test_mismatch_names_model_and_sizes() -> None:
    with pytest.raises(ValueError, match=r"model 的第 1 层：weight 应为 \(4, 1000000000\)（sizes 给出"):
        check_linear_shapes(nn.Sequential(nn.Linear(2, 4)), [10**9, 4])
