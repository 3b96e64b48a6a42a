"""dlguide.pages.activations.relu_vs_sigmoid（页面：docs/activations/relu-vs-sigmoid.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.init import init_mean_field
from dlguide.models import mlp
from dlguide.pages.activations.relu_vs_sigmoid import gradient_profile, gradient_profile_at, saturated_fraction


def test_gradient_profile_shapes_and_errors() -> None:
    assert len(gradient_profile("relu", depth=3, width=4)) == 4
    with pytest.raises(ValueError, match="init 必须是"):
        gradient_profile("relu", init="orthogonal")
    with pytest.raises(ValueError, match=r"depth 必须在 \[1, 1000\] 内"):
        gradient_profile("relu", depth=0)


def test_gradient_profile_bounds_sizes_and_checks_seed() -> None:
    for kwargs, message in (({"depth": 10**9}, "depth 必须在"), ({"width": 10**9}, "width 必须在"),
                            ({"depth": 1000, "width": 4096}, "depth 和 width 给出的网络有约"), ({"seed": -1}, "seed 必须在")):
        with pytest.raises(ValueError, match=message):
            gradient_profile("relu", **kwargs)
    with pytest.raises(TypeError, match="seed 必须是整数或 None"):
        gradient_profile("relu", seed="0")
    torch.manual_seed(0)
    a = gradient_profile("tanh", depth=2, width=4, seed=None)
    torch.manual_seed(0)
    assert a == gradient_profile("tanh", depth=2, width=4, seed=None)


def test_gradient_profile_at_matches_gradient_profile_data_and_checks_input() -> None:
    norms = gradient_profile_at("sigmoid", 16.0, center=True, depth=4, width=8)
    assert len(norms) == 5 and all(v > 0 for v in norms)
    # 居中偏置 + σ_w² = 16 的 sigmoid 网络等价于 σ_w² = 1 的 tanh 网络：梯度不随深度指数消失
    assert gradient_profile_at("sigmoid", 16.0, center=True)[0] > 1e3 * gradient_profile_at("sigmoid", 1.0)[0]
    with pytest.raises(TypeError, match="center"):
        gradient_profile_at("sigmoid", 16.0, center="yes")
    with pytest.raises(ValueError, match="weight_var"):
        gradient_profile_at("sigmoid", 0.0)
    with pytest.raises(ValueError, match="width 必须在"):
        gradient_profile_at("sigmoid", 1.0, width=10**9)
    with pytest.raises(ValueError, match="depth 和 width 给出的网络有约"):
        gradient_profile_at("sigmoid", 1.0, depth=1000, width=4096)
    with pytest.raises(ValueError, match="seed 必须在"):
        gradient_profile_at("sigmoid", 1.0, seed=-1)
    torch.manual_seed(0)
    a = gradient_profile_at("tanh", 1.0, depth=2, width=4, seed=None)
    torch.manual_seed(0)
    assert a == gradient_profile_at("tanh", 1.0, depth=2, width=4, seed=None)


def test_centred_sigmoid_network_is_a_tanh_network() -> None:
    sig = init_mean_field(mlp([5, 7, 7, 3], "sigmoid"), 16.0, 0.1, input_mean=0.5, seed=1).double()
    tanh = mlp([5, 7, 7, 3], "tanh").double()
    # σ(z) = ½ + ½·tanh(z/2)：tanh 网络的预激活是 sigmoid 网络的一半
    with torch.no_grad():
        tanh[0].weight.copy_(sig[0].weight / 2)
        tanh[0].bias.copy_(sig[0].bias / 2)
        tanh[2].weight.copy_(sig[2].weight / 4)
        tanh[2].bias.copy_((sig[2].bias + 0.5 * sig[2].weight.sum(dim=1)) / 2)
        tanh[4].weight.copy_(sig[4].weight / 2)
        tanh[4].bias.copy_(sig[4].bias + 0.5 * sig[4].weight.sum(dim=1))
    x = torch.randn(11, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(sig(x), tanh(x))
    # 居中偏置把中间层的 ½·ΣW 抵消掉了
    assert torch.allclose(tanh[2].bias, sig[2].bias / 2 + 0.25 * sig[2].weight.sum(dim=1))


def test_saturated_fraction() -> None:
    net = mlp([2, 3, 3, 1], "sigmoid", seed=0)
    assert saturated_fraction(net, torch.zeros(4, 2)) == 0.0
    assert saturated_fraction(mlp([2, 3, 1], "relu", seed=0), torch.zeros(4, 2)) == 0.0
    with pytest.raises(ValueError, match="threshold"):
        saturated_fraction(net, torch.zeros(4, 2), threshold=1.5)
    with pytest.raises(TypeError, match="net"):
        saturated_fraction(torch.nn.Linear(2, 1), torch.zeros(4, 2))
    with pytest.raises(ValueError, match="X"):
        saturated_fraction(net, torch.zeros(0, 2))
    with pytest.raises(ValueError, match="net 不接受 X"):
        saturated_fraction(net, torch.zeros(4, 3))
    assert saturated_fraction(torch.nn.Sequential(torch.nn.Tanh()), 100 * torch.ones(2, 2)) == 1.0
