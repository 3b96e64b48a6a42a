"""各章共用的 data / models / training / gradients。"""

import pytest
import torch
from torch import nn

from dlguide.data import load_digits, make_moons, make_xor, train_val_split
from dlguide.gradients import layer_grad_norms
from dlguide.models import ACTIVATIONS, mlp
from dlguide.training import accuracy, fit


def test_xor_is_balanced_and_deterministic() -> None:
    X1, y1 = make_xor(400, seed=3)
    X2, y2 = make_xor(400, seed=3)
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert y1.sum().item() == 200
    # 标签由角决定：同号为 0，异号为 1
    assert torch.equal(y1, (torch.sign(X1.round()).prod(1) < 0).long())


def test_moons_and_digits_shapes() -> None:
    X, y = make_moons(50)
    assert X.shape == (50, 2) and set(y.tolist()) == {0, 1}
    X, y = load_digits(standardize=False)
    assert X.shape == (1797, 64) and X.max().item() == 16.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_xor(3), ValueError, "n 必须 ≥ 4"),
        (lambda: make_xor(10, noise=2.0), ValueError, r"noise 必须在 \[0.0, 1.0\] 内"),
        (lambda: make_moons(1.5), TypeError, "n 必须是整数"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(2)), ValueError, "样本数必须相同"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(3), 1.0), ValueError, "val_fraction"),
        (lambda: mlp([2]), ValueError, "sizes 必须是至少 2 个正整数"),
        (lambda: mlp([2, 1], "swish"), ValueError, "activation 必须是"),
        (lambda: layer_grad_norms("net"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), epochs=0), ValueError, "epochs"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), lr=0.0), ValueError, "lr 必须在"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), optimizer="rmsprop"), ValueError, "optimizer"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_mlp_structure() -> None:
    net = mlp([3, 4, 4, 2], "relu", batch_norm=True, seed=0)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"]
    assert set(ACTIVATIONS) >= {"sigmoid", "tanh", "relu"}


def test_layer_grad_norms_matches_manual() -> None:
    net = mlp([4, 5, 3], "tanh", seed=1)
    net(torch.randn(7, 4)).pow(2).sum().backward()
    expected = [net[0].weight.grad.norm().item(), net[2].weight.grad.norm().item()]
    assert layer_grad_norms(net) == pytest.approx(expected)


def test_fit_is_reproducible_and_learns_moons() -> None:
    X, y = make_moons(200, noise=0.1)
    runs = []
    for _ in range(2):
        net = mlp([2, 16, 2], "relu", seed=0)
        runs.append(fit(net, X, y, epochs=150, lr=0.3, batch_size=32, seed=1))
    assert runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0] / 3
    assert accuracy(net, X, y) > 0.95


def test_residual_mlp_structure_and_errors() -> None:
    from dlguide.models import ResidualBlock, residual_mlp

    net = residual_mlp(3, 5, 4, 2, "tanh", batch_norm=True, seed=0)
    assert sum(isinstance(m, ResidualBlock) for m in net) == 4
    assert net(torch.randn(6, 3)).shape == (6, 2)
    # 残差块的 Jacobian = I + ∂F/∂h
    block = ResidualBlock(3, "tanh")
    h = torch.randn(3)
    J = torch.autograd.functional.jacobian(lambda v: block(v.unsqueeze(0)).squeeze(0), h)
    JF = torch.autograd.functional.jacobian(lambda v: block.act(block.linear(v)), h)
    torch.testing.assert_close(J, torch.eye(3) + JF)
    with pytest.raises(ValueError, match="depth 必须 ≥ 1"):
        residual_mlp(3, 5, 0, 2)
    with pytest.raises(ValueError, match="activation 必须是"):
        residual_mlp(3, 5, 1, 2, "swish")
    with pytest.raises(ValueError, match="activation 必须是"):
        ResidualBlock(3, "swish")


def test_fit_without_shuffle_keeps_order_and_ignores_seed() -> None:
    X = torch.randn(16, 2, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    runs = {(s, seed): fit(mlp([2, 2], seed=0), X, y, epochs=3, batch_size=4, seed=seed, shuffle=s)
            for s in (False, True) for seed in (0, 1)}
    assert runs[(False, 0)] == runs[(False, 1)]
    assert runs[(True, 0)] != runs[(True, 1)]
