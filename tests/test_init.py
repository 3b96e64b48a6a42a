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
