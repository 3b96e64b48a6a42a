"""dlguide.losses 与 torch.nn.functional 对照。"""

import pytest
import torch
import torch.nn.functional as F

from dlguide.activations import sigmoid
from dlguide.losses import binary_cross_entropy_with_logits, mse_loss


def _data(n: int = 257) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    z = torch.randn(n, generator=g, dtype=torch.float64) * 8
    y = torch.rand(n, generator=g, dtype=torch.float64)
    return z, y


def test_bce_matches_torch_value_and_grad() -> None:
    z, y = _data()
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours = binary_cross_entropy_with_logits(z1, y)
    ref = F.binary_cross_entropy_with_logits(z2, y)
    torch.testing.assert_close(ours, ref)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(z1.grad, z2.grad)
    # ∂ℓ/∂z = (σ(z) − y) / n
    torch.testing.assert_close(z1.grad, (sigmoid(z) - y) / len(z))


def test_bce_is_stable_for_huge_logits() -> None:
    z = torch.tensor([1e4, -1e4])
    y = torch.tensor([0.0, 1.0])
    assert binary_cross_entropy_with_logits(z, y).item() == pytest.approx(1e4)


def test_mse_matches_torch() -> None:
    z, y = _data()
    p1, p2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours, ref = mse_loss(p1, y), F.mse_loss(p2, y)
    torch.testing.assert_close(ours, ref)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(p1.grad, p2.grad)


def test_errors_name_the_parameter() -> None:
    z = torch.zeros(3)
    with pytest.raises(TypeError, match="y 必须是 torch.Tensor"):
        binary_cross_entropy_with_logits(z, [0, 1, 1])
    with pytest.raises(ValueError, match=r"z 与 y 的形状必须相同.*\(3,\).*\(2,\)"):
        binary_cross_entropy_with_logits(z, torch.zeros(2))
    with pytest.raises(ValueError, match=r"y 的取值必须在 \[0, 1\] 内"):
        binary_cross_entropy_with_logits(z, torch.tensor([0.0, 2.0, 1.0]))
    with pytest.raises(TypeError, match="prediction 必须是浮点张量"):
        mse_loss(torch.tensor([1, 2]), torch.zeros(2))
    with pytest.raises(ValueError, match="prediction 与 target 的形状必须相同"):
        mse_loss(z, torch.zeros(4))
