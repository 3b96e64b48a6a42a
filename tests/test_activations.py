"""dlguide.activations 与 PyTorch 内置实现对照（页面：docs/activations/*.md）。"""

import pytest
import torch

from dlguide.activations import sigmoid, sigmoid_grad

EDGE = torch.tensor([-1e4, -100.0, -30.0, -17.0, -4.0, -1e-3, 0.0, 1e-3, 4.0, 17.0, 30.0, 100.0, 1e4])


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
