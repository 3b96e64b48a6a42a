"""dlguide.init：docs/gradients/*.md）。"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from dlguide import init as I
from dlguide.models import mlp


def _pair(seed: int = 0) -> tuple[torch.Generator, torch.Generator]:
    return torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


@pytest.mark.parametrize(
    ("name", "param"),
    [("linear", None), ("sigmoid", None), ("conv2d", None), ("tanh", None),
     ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)],
)
def test_gain_matches_torch(name: str, param: float | None) -> None:
    assert I.calculate_gain(name, param) == pytest.approx(nn.init.calculate_gain(name, param), abs=1e-12)


@pytest.mark.parametrize("shape", [(256, 784), (64, 64), (16, 3, 5, 5)])
def test_fans_match_torch(shape) -> None:
    w = torch.empty(shape)
    assert I.fans(w) == nn.init._calculate_fan_in_and_fan_out(w)


@pytest.mark.parametrize("shape", [(300, 100), (50, 400), (16, 3, 5, 5)])
def test_random_inits_draw_the_same_numbers_as_torch(shape) -> None:
    cases = [
        (lambda w, g: I.xavier_uniform_(w, 1.5, g), lambda w, g: nn.init.xavier_uniform_(w, 1.5, generator=g)),
        (lambda w, g: I.xavier_normal_(w, 0.7, g), lambda w, g: nn.init.xavier_normal_(w, 0.7, generator=g)),
        (lambda w, g: I.kaiming_normal_(w, generator=g),
         lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)),
        (lambda w, g: I.kaiming_normal_(w, mode="fan_out", nonlinearity="tanh", generator=g),
         lambda w, g: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="tanh", generator=g)),
        (lambda w, g: I.kaiming_uniform_(w, a=math.sqrt(5), nonlinearity="leaky_relu", generator=g),
         lambda w, g: nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)),
        (lambda w, g: I.orthogonal_(w, 1.3, g), lambda w, g: nn.init.orthogonal_(w, 1.3, generator=g)),
        (lambda w, g: I.normal_(w, 0.01, g), lambda w, g: nn.init.normal_(w, 0.0, 0.01, generator=g)),
    ]
    for mine, theirs in cases:
        g1, g2 = _pair()
        a, b = mine(torch.empty(shape), g1), theirs(torch.empty(shape), g2)
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize(
    ("fn", "expected_var"),
    [
        (lambda w, g: I.lecun_normal_(w, g), 1 / 400),
        (lambda w, g: I.xavier_normal_(w, generator=g), 2 / (400 + 200)),
        (lambda w, g: I.xavier_uniform_(w, generator=g), 2 / (400 + 200)),
        (lambda w, g: I.kaiming_normal_(w, generator=g), 2 / 400),
        (lambda w, g: I.kaiming_uniform_(w, generator=g), 2 / 400),
        (lambda w, g: I.normal_(w, 0.01, g), 1e-4),
    ],
)
def test_variance_matches_formula(fn, expected_var: float) -> None:
    w = fn(torch.empty(200, 400), torch.Generator().manual_seed(1))
    assert abs(w.mean().item()) < 0.01 * math.sqrt(expected_var) * 10
    assert w.var().item() == pytest.approx(expected_var, rel=0.03)


def test_lecun_matches_torch_statistics() -> None:
    # torch 没有 lecun_normal_；它等于 gain=1、fan_in 的 kaiming_normal_
    g1, g2 = _pair(3)
    a = I.lecun_normal_(torch.empty(64, 128), g1)
    b = nn.init.kaiming_normal_(torch.empty(64, 128), nonlinearity="linear", generator=g2)
    torch.testing.assert_close(a, b)


@pytest.mark.parametrize("shape", [(5, 5), (3, 7), (7, 3)])
def test_orthogonal_is_orthogonal(shape) -> None:
    w = I.orthogonal_(torch.empty(shape, dtype=torch.float64), gain=2.0)
    small = min(shape)
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    torch.testing.assert_close(gram, 4.0 * torch.eye(small, dtype=torch.float64))


def test_constant_and_zeros() -> None:
    assert torch.equal(I.zeros_(torch.ones(3, 2)), nn.init.zeros_(torch.ones(3, 2)))
    assert torch.equal(I.constant_(torch.ones(3, 2), 0.3), nn.init.constant_(torch.ones(3, 2), 0.3))


@pytest.mark.parametrize("scheme", I.SCHEMES)
def test_init_mlp_matches_weight_variance(scheme: str) -> None:
    net = I.init_mlp(mlp([128, 256, 256, 10], "relu", seed=0), scheme, "relu", seed=0)
    for layer in [m for m in net if isinstance(m, nn.Linear)][:2]:
        fan_out, fan_in = layer.weight.shape
        expected = I.weight_variance(scheme, fan_in, fan_out, "relu")
        assert layer.weight.var().item() == pytest.approx(expected, rel=0.05, abs=1e-12)
        assert layer.bias.abs().sum().item() == 0.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: I.calculate_gain("swish"), ValueError, "nonlinearity 必须是"),
        (lambda: I.fans(torch.empty(3)), ValueError, "tensor 至少要 2 维"),
        (lambda: I.fans([[1.0]]), TypeError, "tensor 必须是 torch.Tensor"),
        (lambda: I.normal_(torch.empty(2, 2), -1.0), ValueError, "std 必须在"),
        (lambda: I.kaiming_normal_(torch.empty(2, 2), mode="both"), ValueError, "mode 必须是"),
        (lambda: I.weight_variance("glorot", 2, 2), ValueError, "scheme 必须是"),
        (lambda: I.init_mlp(mlp([2, 2]), "glorot"), ValueError, "scheme 必须是"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def _monte_carlo(activation: str, weight_var: float, bias_var: float, width: int = 800, depth: int = 25):
    """宽网络里实测的 q（后半段预激活二阶矩）和每层反向放大倍数 χ₁（几何平均）。"""
    net = I.init_mean_field(mlp([width] * (depth + 1), activation), weight_var, bias_var, seed=0)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    g = torch.Generator().manual_seed(1)
    h, zs = torch.randn(32, width, generator=g), []
    for layer in linears:
        z = layer(h)
        z.retain_grad()
        zs.append(z)
        h = net[1](z)
    zs[-1].backward(torch.randn(32, width, generator=g))
    q = sum(z.detach().pow(2).mean().item() for z in zs[10:]) / len(zs[10:])
    d = [z.grad.pow(2).sum().item() for z in zs]
    chi = math.exp(sum(math.log(d[i] / d[i + 1]) for i in range(10, depth - 1)) / (depth - 11))
    return q, chi


@pytest.mark.parametrize(
    ("activation", "weight_var", "bias_var"),
    [("tanh", 1.76, 0.05), ("tanh", 3.0, 0.05), ("sigmoid", 103.0, 0.0), ("relu", 1.0, 0.5)],
)
def test_mean_field_matches_a_wide_network(activation: str, weight_var: float, bias_var: float) -> None:
    q, chi = _monte_carlo(activation, weight_var, bias_var)
    assert q == pytest.approx(I.mean_field_q(activation, weight_var, bias_var), rel=0.05)
    assert chi == pytest.approx(I.mean_field_chi(activation, weight_var, bias_var), rel=0.05)


def test_mean_field_special_cases() -> None:
    # ReLU：E[relu(z)²] = q/2、E[relu'(z)²] = 1/2
    assert I.mean_field_q("relu", 1.0, 0.5) == pytest.approx(1.0)
    assert I.mean_field_chi("relu", 2.0) == pytest.approx(1.0)
    assert I.mean_field_chi("relu", 2.0, 0.3) == pytest.approx(1.0)  # q* 无限，χ₁ 与 q 无关
    assert math.isnan(I.mean_field_q("relu", 2.0))
    assert I.mean_field_q("relu", 3.0, 0.1) == math.inf
    assert I.mean_field_q("tanh", 0.5) == 0.0
    assert I.mean_field_chi("tanh", 0.5) == pytest.approx(0.5)  # q* = 0：χ₁ = σ_w² tanh'(0)²
    # 线性网络：q = σ_w² q + σ_b²
    assert I.mean_field_q("identity", 0.5, 1.0) == pytest.approx(2.0)
    assert I.critical_weight_variance("identity") == pytest.approx(1.0)
    assert I.critical_weight_variance("relu", 0.1) == pytest.approx(2.0)
    assert I.critical_weight_variance("gelu") == pytest.approx(4.0, rel=1e-6)  # GELU'(0) = 1/2
    crit = I.critical_weight_variance("tanh", 0.05)
    assert I.mean_field_chi("tanh", crit, 0.05) == pytest.approx(1.0, abs=1e-6)
    # 居中的 sigmoid（σ − ½ = ½ tanh(z/2)）的临界点是 tanh 的 16 倍
    assert I.critical_weight_variance("sigmoid") == pytest.approx(103.0, rel=0.01)


def test_init_mean_field_statistics_and_centring() -> None:
    net = I.init_mean_field(mlp([400, 400, 400], "tanh"), 2.0, 0.5, seed=3)
    assert net[0].weight.var().item() * 400 == pytest.approx(2.0, rel=0.02)
    assert net[0].bias.var().item() == pytest.approx(0.5, rel=0.2)
    ortho = I.init_mean_field(mlp([64, 64], "tanh"), 4.0, orthogonal=True)
    assert torch.allclose(torch.linalg.svdvals(ortho[0].weight), torch.full((64,), 2.0), atol=1e-5)
    centred = I.init_mean_field(mlp([6, 6, 6], "sigmoid"), 16.0, input_mean=0.5)
    assert torch.allclose(centred[2].bias, -0.5 * centred[2].weight.sum(dim=1), atol=1e-6)
    assert not torch.allclose(centred[0].bias, -0.5 * centred[0].weight.sum(dim=1))  # 第一层的输入是数据


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: I.mean_field_q("swish", 1.0), ValueError, "activation 必须是"),
        (lambda: I.mean_field_q(None, 1.0), TypeError, "activation"),
        (lambda: I.mean_field_q("tanh", 0.0), ValueError, "weight_var"),
        (lambda: I.mean_field_chi("tanh", float("inf")), ValueError, "weight_var"),
        (lambda: I.mean_field_chi("tanh", 1.0, -0.1), ValueError, "bias_var"),
        (lambda: I.critical_weight_variance("tanh", float("nan")), ValueError, "bias_var"),
        (lambda: I.critical_weight_variance("tanh", "0.1"), TypeError, "bias_var"),
        (lambda: I.init_mean_field(nn.Linear(2, 2), "1"), TypeError, "weight_var"),
        (lambda: I.init_mean_field("net", 1.0), TypeError, "model"),
        (lambda: I.init_mean_field(nn.Linear(2, 2), 1.0, input_mean=float("nan")), ValueError, "input_mean"),
        (lambda: I.init_mean_field(nn.Linear(2, 2), 1.0, orthogonal=1), TypeError, "orthogonal"),
        (lambda: I.init_mean_field(nn.Linear(2, 2), 1.0, seed=-1), ValueError, "seed"),
    ],
)
def test_mean_field_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # weight_variance('he', -1, 64) 曾返回 −2.0，fan_in=0 曾除以零，错的 activation 曾点名 nonlinearity
        (lambda: I.weight_variance("he", -1, 64), ValueError, "fan_in 必须 ≥ 1，收到 -1"),
        (lambda: I.weight_variance("he", 0, 64), ValueError, "fan_in 必须 ≥ 1，收到 0"),
        (lambda: I.weight_variance("xavier", 64, 0), ValueError, "fan_out 必须 ≥ 1"),
        (lambda: I.weight_variance("he", 2.5, 64), TypeError, "fan_in 必须是整数"),
        (lambda: I.weight_variance("orthogonal", 64, 64, "gelu"), ValueError, "activation 必须是 'linear'"),
        (lambda: I.weight_variance("he", 64, 64, "swish"), ValueError, "activation 必须是"),
        (lambda: I.weight_variance("he", 64, 64, None), TypeError, "activation 必须是字符串"),
        (lambda: I.init_mlp("net", "he"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: I.init_mlp(mlp([2, 2]), "he", "swish"), ValueError, "activation 必须是"),
        (lambda: I.init_mlp(mlp([2, 2]), "he", seed=-1), ValueError, "seed 必须在"),
        # 负的或 NaN 的增益：以前走到 torch 自己的报错，或悄悄得到 NaN 权重
        (lambda: I.xavier_normal_(torch.empty(2, 2), gain=-1.0), ValueError, r"gain 必须在 \[0, inf\) 内"),
        (lambda: I.xavier_uniform_(torch.empty(2, 2), gain=float("nan")), ValueError, "gain 必须在"),
        (lambda: I.orthogonal_(torch.empty(2, 2), gain=float("inf")), ValueError, "gain 必须在"),
        (lambda: I.orthogonal_(torch.empty(2, 2), gain="1"), TypeError, "gain 必须是实数"),
        (lambda: I.kaiming_normal_(torch.empty(2, 2), a=float("nan")), ValueError, "a 必须是有限实数"),
        (lambda: I.kaiming_uniform_(torch.empty(2, 2), a=None), TypeError, "a 必须是实数"),
        (lambda: I.normal_(torch.empty(2, 2), float("inf")), ValueError, "std 必须在"),
        (lambda: I.constant_(torch.empty(2, 2), float("nan")), ValueError, "value 必须是有限实数"),
        (lambda: I.calculate_gain("relu", float("inf")), ValueError, "param 必须是有限实数"),
        (lambda: I.calculate_gain(None), TypeError, "nonlinearity 必须是字符串"),
    ],
)
def test_init_refuses_bad_input(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_init_accepts_model_activation_names_where_the_gain_is_unused() -> None:
    assert I.weight_variance("he", 64, 64, "gelu") == 2 / 64
    net = I.init_mlp(mlp([4, 3, 2], "gelu", seed=0), "xavier", "gelu")
    assert net[0].bias.abs().sum().item() == 0.0
    torch.manual_seed(1)
    a = I.init_mlp(mlp([4, 3]), "he", seed=None)[0].weight.clone()
    torch.manual_seed(1)
    assert torch.equal(a, I.init_mlp(mlp([4, 3]), "he", seed=None)[0].weight)
