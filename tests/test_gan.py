"""dlguide.gan：GAN 的损失与 F.binary_cross_entropy_with_logits 对照，梯度惩罚与解析值对照，训练循环可复现。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.gan import (
    clip_weights,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    train_gan,
    wasserstein_critic_loss,
    wasserstein_generator_loss,
)


def _logits(seed: int) -> torch.Tensor:
    return torch.randn(64, 1, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 4


def test_discriminator_loss_is_bce_with_real_one_fake_zero() -> None:
    real, fake = _logits(0), _logits(1)
    ref = F.binary_cross_entropy_with_logits(real, torch.ones_like(real)) + F.binary_cross_entropy_with_logits(
        fake, torch.zeros_like(fake)
    )
    torch.testing.assert_close(discriminator_loss(real, fake), ref)


def test_generator_losses_and_their_gradients() -> None:
    fake = _logits(2)
    # 饱和：E[log(1 − σ(ℓ))]；非饱和：−E[log σ(ℓ)] = BCE(ℓ, 1)
    torch.testing.assert_close(generator_loss(fake, "saturating"), torch.log1p(-torch.sigmoid(fake)).mean())
    torch.testing.assert_close(
        generator_loss(fake, "non_saturating"), F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake))
    )
    for kind, expected in (("saturating", lambda s: -s), ("non_saturating", lambda s: -(1 - s))):
        x = fake.clone().requires_grad_()
        generator_loss(x, kind).backward()
        torch.testing.assert_close(x.grad * len(x), expected(torch.sigmoid(fake)))


def test_wasserstein_losses() -> None:
    real, fake = _logits(3), _logits(4)
    torch.testing.assert_close(wasserstein_critic_loss(real, fake), fake.mean() - real.mean())
    torch.testing.assert_close(wasserstein_generator_loss(fake), -fake.mean())


def test_gradient_penalty_on_known_critics() -> None:
    g = torch.Generator().manual_seed(5)
    real, fake = torch.randn(16, 3, generator=g), torch.randn(16, 3, generator=g)
    critic = nn.Linear(3, 1)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[0.6, 0.0, 0.8]]))  # ‖w‖ = 1：惩罚为 0
    assert gradient_penalty(critic, real, fake).item() == pytest.approx(0.0, abs=1e-10)
    # f(x) = ½‖x‖²：∇f = x̂，惩罚 = E[(‖x̂‖ − 1)²]，与同一个 ε 的手算结果一致
    square = type("Square", (nn.Module,), {"forward": lambda self, x: 0.5 * (x**2).sum(dim=1)})()
    eps = torch.rand(16, 1, generator=torch.Generator().manual_seed(7))
    mixed = eps * real + (1 - eps) * fake
    expected = ((mixed.norm(dim=1) - 1) ** 2).mean()
    torch.testing.assert_close(gradient_penalty(square, real, fake, seed=7), expected)


def test_gradient_penalty_keeps_graph_for_critic_parameters() -> None:
    critic = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    gp = gradient_penalty(critic, torch.randn(8, 2), torch.randn(8, 2))
    gp.backward()
    # 最后一层的偏置不影响对输入的梯度，所以只有它没有梯度
    assert [name for name, p in critic.named_parameters() if p.grad is None] == ["2.bias"]


def test_clip_weights_clamps_every_parameter() -> None:
    net = nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(100)
    clip_weights(net, 0.05)
    assert max(p.abs().max().item() for p in net.parameters()) == torch.tensor(0.05).item()


@pytest.mark.parametrize("loss", ["gan", "wgan-clip", "wgan-gp"])
def test_train_gan_is_reproducible_and_stops_on_request(loss: str) -> None:
    data = torch.randn(64, 2, generator=torch.Generator().manual_seed(0)) + 3

    def run() -> list[tuple[float, float]]:
        torch.manual_seed(0)
        G, D = nn.Linear(2, 2), nn.Linear(2, 1)
        return train_gan(G, D, data, latent_dim=2, loss=loss, steps=5, batch_size=16, n_critic=2,
                         on_step=lambda t, d, g: t == 2)

    first = run()
    assert first == run() and len(first) == 3


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: discriminator_loss(torch.zeros(0), torch.zeros(2)), ValueError, "real_logits 不能是空张量"),
        (lambda: generator_loss(torch.zeros(2), "minimax"), ValueError, "kind 必须是"),
        (lambda: gradient_penalty(nn.Linear(2, 1), torch.zeros(3, 2), torch.zeros(4, 2)), ValueError, "形状必须相同"),
        (lambda: gradient_penalty("critic", torch.zeros(3, 2), torch.zeros(3, 2)), TypeError, "critic"),
        (lambda: clip_weights(nn.Linear(2, 1), 0.0), ValueError, "clip"),
        (lambda: train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 2), latent_dim=2, steps=10**9), ValueError, "steps"),
        (lambda: train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 2), latent_dim=2, loss="lsgan"), ValueError, "loss"),
        (lambda: train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 2), latent_dim=2, on_step=3), TypeError, "on_step"),
    ],
)
def test_bad_input_is_rejected(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_train_gan_rejects_data_of_another_dtype() -> None:
    with pytest.raises(TypeError, match="data 的类型"):
        train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 2, dtype=torch.float16), latent_dim=2, steps=1)


def test_gan_losses_and_loop_check_shapes() -> None:
    with pytest.raises(ValueError, match="real_logits 与 fake_logits 的形状必须相同"):
        discriminator_loss(torch.zeros(4), torch.zeros(3))
    with pytest.raises(ValueError, match="real_scores 必须是 1 或 2 维"):
        wasserstein_critic_loss(torch.tensor(1.0), torch.zeros(1))
    with pytest.raises(ValueError, match="data 的每个样本形状"):
        train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 3), latent_dim=2, steps=1)
    with pytest.raises(ValueError, match="latent_dim=3"):
        train_gan(nn.Linear(2, 2), nn.Linear(2, 1), torch.zeros(4, 2), latent_dim=3, steps=1)
