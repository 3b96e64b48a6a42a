"""dlguide.activations：docs/activations/*.md）。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.activations import (
    Maxout,
    PReLU,
    elu,
    gelu,
    gelu_tanh,
    leaky_relu,
    prelu,
    relu,
    selu,
    sigmoid,
    sigmoid_grad,
    silu,
    tanh,
)
from dlguide.tracing import TRANSCENDENTAL, traced_ops

EDGE = torch.tensor([-1e4, -100.0, -30.0, -17.0, -4.0, -1e-3, 0.0, 1e-3, 4.0, 17.0, 30.0, 100.0, 1e4])


PAIRS = {
    "tanh": (tanh, torch.tanh),
    "relu": (relu, F.relu),
    "leaky_relu": (leaky_relu, F.leaky_relu),
    "leaky_relu_0.2": (lambda z: leaky_relu(z, 0.2), lambda z: F.leaky_relu(z, 0.2)),
    "elu": (elu, F.elu),
    "elu_0.5": (lambda z: elu(z, 0.5), lambda z: F.elu(z, 0.5)),
    "selu": (selu, F.selu),
    "gelu": (gelu, F.gelu),
    "gelu_tanh": (gelu_tanh, lambda z: F.gelu(z, approximate="tanh")),
    "silu": (silu, F.silu),
    "prelu": (lambda z: prelu(z, torch.tensor([0.25], dtype=z.dtype)), lambda z: F.prelu(z, torch.tensor([0.25], dtype=z.dtype))),
}


# 梯度的对照不含 ±1e4：那里 gelu_tanh 的 z³ 在 float64 里也没问题，但为了与 sigmoid 的测试同一组点，保留全部。
GRID = torch.cat([EDGE, torch.linspace(-6, 6, 241)])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_sigmoid_matches_torch(dtype: torch.dtype) -> None:
    z = torch.cat([EDGE, torch.randn(1000, generator=torch.Generator().manual_seed(0)) * 10]).to(dtype)
    torch.testing.assert_close(sigmoid(z), torch.sigmoid(z), rtol=1e-6, atol=1e-7)


def test_sigmoid_autograd_matches_torch_including_zero() -> None:
    # z = 0 专门放进来：写成 exp(-|z|) 的实现在这里的梯度会错成 0。
    z1 = EDGE.clone().double().requires_grad_()
    z2 = EDGE.clone().double().requires_grad_()
    sigmoid(z1).sum().backward()
    torch.sigmoid(z2).sum().backward()
    assert torch.isfinite(z1.grad).all()
    torch.testing.assert_close(z1.grad, z2.grad)
    assert z1.grad[EDGE == 0].item() == pytest.approx(0.25)


def test_sigmoid_grad_matches_autograd() -> None:
    z = torch.linspace(-12, 12, 241, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    torch.testing.assert_close(sigmoid_grad(z.detach()), z.grad)
    assert sigmoid_grad(torch.tensor(0.0)).item() == 0.25


@pytest.mark.parametrize("fn", [sigmoid, sigmoid_grad])
def test_rejects_bad_input(fn) -> None:
    with pytest.raises(TypeError, match="z 必须是 torch.Tensor"):
        fn([0.0, 1.0])
    with pytest.raises(TypeError, match="z 必须是浮点张量"):
        fn(torch.tensor([0, 1]))


@pytest.mark.parametrize("name", PAIRS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_values_match_torch(name: str, dtype: torch.dtype) -> None:
    ours, theirs = PAIRS[name]
    z = torch.cat([GRID, torch.randn(1000, generator=torch.Generator().manual_seed(0)) * 5]).to(dtype)
    torch.testing.assert_close(ours(z), theirs(z), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", PAIRS)
def test_autograd_matches_torch_including_zero(name: str) -> None:
    ours, theirs = PAIRS[name]
    z1 = GRID.clone().double().requires_grad_()
    z2 = GRID.clone().double().requires_grad_()
    ours(z1).sum().backward()
    theirs(z2).sum().backward()
    assert torch.isfinite(z1.grad).all(), name  # z = ±1e4 时也不能出现 inf·0 = nan
    torch.testing.assert_close(z1.grad, z2.grad)
    # z = 0 处的约定与 PyTorch 一致（ReLU 取 0，Leaky/PReLU 取斜率，ELU/SELU 取 α·λ 一侧）
    zero = GRID == 0
    torch.testing.assert_close(z1.grad[zero], z2.grad[zero])


def test_gradient_conventions_at_zero() -> None:
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    expected = {"relu": 0.0, "leaky_relu": 0.01, "elu": 1.0, "gelu": 0.5, "silu": 0.5, "tanh": 1.0}
    for name, value in expected.items():
        (g,) = torch.autograd.grad(PAIRS[name][0](z).sum(), z)
        assert g.item() == pytest.approx(value), name


def test_selu_gradient_at_zero_is_left_branch() -> None:
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(selu(z).sum(), z)
    assert g.item() == pytest.approx(1.0507009873554805 * 1.6732632423543772)


def test_prelu_per_channel_and_weight_grad_match_torch() -> None:
    g = torch.Generator().manual_seed(0)
    z = torch.randn(4, 3, 5, 5, generator=g, dtype=torch.float64)
    z[0, 0, 0, 0] = 0.0
    w1 = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64, requires_grad=True)
    w2 = w1.detach().clone().requires_grad_()
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    out1, out2 = prelu(z1, w1), F.prelu(z2, w2)
    torch.testing.assert_close(out1, out2)
    out1.square().sum().backward()
    out2.square().sum().backward()
    torch.testing.assert_close(w1.grad, w2.grad)
    torch.testing.assert_close(z1.grad, z2.grad)


def test_prelu_module_matches_torch_module() -> None:
    ours, theirs = PReLU(3), nn.PReLU(3)
    x = torch.randn(8, 3)
    torch.testing.assert_close(ours(x), theirs(x))
    assert sum(p.numel() for p in ours.parameters()) == 3


def test_maxout_is_max_of_pieces_and_generalises_relu() -> None:
    torch.manual_seed(0)
    layer = Maxout(4, 3, k=2)
    x = torch.randn(10, 4)
    W, b = layer.linear.weight.view(3, 2, 4), layer.linear.bias.view(3, 2)
    pieces = torch.einsum("ojk,nk->noj", W, x) + b
    torch.testing.assert_close(layer(x), pieces.amax(-1))
    # 一组 (w, b) 全为 0 时，maxout 就是 ReLU(另一组)
    with torch.no_grad():
        layer.linear.weight.view(3, 2, 4)[:, 1] = 0
        layer.linear.bias.view(3, 2)[:, 1] = 0
    first = torch.einsum("ok,nk->no", layer.linear.weight.view(3, 2, 4)[:, 0], x) + layer.linear.bias.view(3, 2)[:, 0]
    torch.testing.assert_close(layer(x), F.relu(first))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_maxout_has_k_times_the_parameters(k: int) -> None:
    assert sum(p.numel() for p in Maxout(10, 7, k).parameters()) == k * sum(p.numel() for p in nn.Linear(10, 7).parameters())


@pytest.mark.parametrize("fn", [tanh, relu, leaky_relu, elu, selu, gelu, gelu_tanh, silu])
def test_new_activations_reject_bad_input(fn) -> None:
    with pytest.raises(TypeError, match="z 必须是 torch.Tensor"):
        fn([0.0, 1.0])
    with pytest.raises(TypeError, match="z 必须是浮点张量"):
        fn(torch.tensor([0, 1]))


def test_bad_hyperparameters_are_rejected() -> None:
    z = torch.zeros(3)
    with pytest.raises(ValueError, match=r"negative_slope 必须在 \[0.0, 1.0\) 内"):
        leaky_relu(z, 1.5)
    with pytest.raises(ValueError, match=r"alpha 必须在 \(0, inf\) 内"):
        elu(z, 0.0)
    with pytest.raises(ValueError, match="weight 的元素个数必须是 1 或通道数 3"):
        prelu(torch.zeros(2, 3), torch.zeros(2))
    with pytest.raises(TypeError, match="weight 必须是 torch.Tensor"):
        prelu(z, 0.25)
    with pytest.raises(ValueError, match=r"k 必须在 \[2, 100\] 内"):
        Maxout(3, 2, k=1)
    with pytest.raises(ValueError, match=r"num_parameters 必须在 \[1, 100000\] 内"):
        PReLU(0)


def test_traced_ops_finds_transcendentals() -> None:
    assert not set(traced_ops(relu)) & TRANSCENDENTAL
    assert "erf" in traced_ops(gelu)
    assert "expm1" in traced_ops(elu)
    assert traced_ops(torch.sin) == ["sin"]
    with pytest.raises(TypeError, match="fn 必须可调用"):
        traced_ops(3)


NONFINITE = torch.tensor([float("nan"), float("inf"), -float("inf"), -2.0, 0.0, 3.0])


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_nan_propagates_like_torch(name: str) -> None:
    """NaN 是数据：每个激活函数都把它原样传下去，与 PyTorch 相同（ReLU 以前把 NaN 变成 0，掩盖了发散）。"""
    ours, theirs = PAIRS[name]
    out, ref = ours(NONFINITE), theirs(NONFINITE)
    assert torch.isnan(out[0]) and torch.isnan(ref[0])
    # ±inf：凡是 PyTorch 给出数的地方都一致（GELU 在 ±inf 处 PyTorch 自己算出 nan，不比）
    both = ~torch.isnan(ref)
    torch.testing.assert_close(out[both], ref[both])


def test_relu_keeps_nan_and_gradient_at_zero() -> None:
    z = torch.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
    out = relu(z)
    assert torch.isnan(out[0]) and out[1:].tolist() == [0.0, 0.0, 2.0]
    out[1:].sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 0.0, 1.0]  # z = 0 处导数取 0，与 torch.relu 相同
    for fn in (sigmoid, sigmoid_grad, tanh, selu, silu, gelu, gelu_tanh, elu, leaky_relu):
        assert torch.isnan(fn(torch.tensor([float("nan")]))).all(), fn.__name__
    assert torch.isnan(Maxout(2, 1)(torch.tensor([[float("nan"), 0.0]]))).all()


def test_layers_refuse_sizes_that_cannot_fit_and_bad_inputs() -> None:
    with pytest.raises(ValueError, match=r"num_parameters 必须在 \[1, 100000\] 内，收到 1000000000"):
        PReLU(num_parameters=10**9)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="init 必须是有限实数"):
            PReLU(init=bad)
    with pytest.raises(TypeError, match="init 必须是实数"):
        PReLU(init="0.25")
    with pytest.raises(ValueError, match="in_features 必须在"):
        Maxout(10**9, 2)
    with pytest.raises(ValueError, match="参数太多"):
        Maxout(100_000, 100_000)
    layer = Maxout(4, 3)
    with pytest.raises(ValueError, match="x 的最后一维必须是 in_features = 4"):
        layer(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="x 的最后一维必须是 in_features = 4"):
        layer(torch.tensor(1.0))
    with pytest.raises(TypeError, match="x 的 dtype 必须与层的参数相同"):
        layer(torch.zeros(2, 4, dtype=torch.float64))
    with pytest.raises(TypeError, match="x 必须是浮点张量"):
        layer(torch.zeros(2, 4, dtype=torch.long))


def test_traced_ops_checks_z() -> None:
    for bad in ("abc", [0.0, 1.0]):
        with pytest.raises(TypeError, match="z 必须是 torch.Tensor"):
            traced_ops(relu, bad)
