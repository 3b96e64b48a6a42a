r"""生成对抗网络的损失与训练循环，按公式从零实现（Goodfellow 等 2014；WGAN 2017；WGAN-GP 2017）。

判别器 $D$ 输出 logit $\ell$，$D(x) = \sigma(\ell)$。原始 GAN 的极小极大目标

$$
\min_G \max_D\ V(D, G) = \mathbb E_{x\sim p_{\text{data}}}[\log D(x)] + \mathbb E_{z\sim p_z}[\log(1 - D(G(z)))] .
$$

WGAN 把判别器换成输出任意实数的**评论家**（critic）$f$，最小化 Wasserstein-1 距离的对偶形式
$\max_{\lVert f\rVert_L\le 1}\ \mathbb E[f(x)] - \mathbb E[f(G(z))]$。Lipschitz 约束先用权重裁剪（只保证某个常数 $K$ 的
$K$-Lipschitz），后来改用梯度惩罚（在采样点上把梯度范数推向 1）。

[`train_gan`][dlguide.gan.train_gan] 是全书除 [`fit`][dlguide.training.fit] 以外唯一的训练循环：
GAN 要**交替**更新两个网络、各用各的优化器和损失，而 ``fit`` 只有一个模型、一个优化器、一个损失。
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from dlguide._checks import (
    check_callable,
    check_choice,
    check_int,
    check_module,
    check_nonnegative,
    check_positive,
    check_same_shape,
    check_tensor,
    resolve_seed,
)
from dlguide.device import get_device

__all__ = [
    "GAN_LOSSES",
    "GENERATOR_LOSSES",
    "clip_weights",
    "discriminator_loss",
    "generator_loss",
    "gradient_penalty",
    "train_gan",
    "wasserstein_critic_loss",
    "wasserstein_generator_loss",
]

GENERATOR_LOSSES = ("non_saturating", "saturating")
"""[`generator_loss`][dlguide.gan.generator_loss] 的两种形式。"""
GAN_LOSSES = ("gan", "wgan-clip", "wgan-gp")
"""[`train_gan`][dlguide.gan.train_gan] 支持的目标。"""


def _check_pair(real: object, fake: object, name_real: str, name_fake: str) -> None:
    """真、假两批输出：非空、至少 1 维（第 0 维是样本）的浮点张量，形状相同（同样大小的两批）。"""
    check_tensor(real, name_real, ndim=(1, 2), nonempty=True)
    check_tensor(fake, name_fake, ndim=(1, 2), nonempty=True)
    check_same_shape(real, fake, name_real, name_fake)


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    r"""判别器的损失：$V(D, G)$ 取负，即真样本标 1、假样本标 0 的二元交叉熵之和。

    $$
    L_D = -\mathbb E[\log \sigma(\ell_{\text{real}})] - \mathbb E[\log(1-\sigma(\ell_{\text{fake}}))]
        = \mathbb E[\operatorname{softplus}(-\ell_{\text{real}})] + \mathbb E[\operatorname{softplus}(\ell_{\text{fake}})] .
    $$

    Parameters
    ----------
    real_logits, fake_logits : torch.Tensor
        判别器在同样大小的一批真样本、一批假样本上的 logit，形状 ``(n,)`` 或 ``(n, 1)``。

    Returns
    -------
    torch.Tensor
        标量；最优判别器对付 $p_g = p_{\text{data}}$ 时等于 $2\log 2\approx 1.386$。

    Raises
    ------
    TypeError, ValueError
        不是非空浮点张量。

    Examples
    --------
    >>> round(discriminator_loss(torch.zeros(4), torch.zeros(4)).item(), 4)  # D 处处输出 ½
    1.3863
    """
    _check_pair(real_logits, fake_logits, "real_logits", "fake_logits")
    # −log σ(ℓ) = softplus(−ℓ)，−log(1 − σ(ℓ)) = softplus(ℓ)：数值稳定的写法
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: torch.Tensor, kind: str = "non_saturating") -> torch.Tensor:
    r"""生成器的损失，两种形式：

    - ``"saturating"``：直接最小化 $V$ 里与 $G$ 有关的项 $\mathbb E[\log(1-D(G(z)))]$；
    - ``"non_saturating"``：改为最小化 $-\mathbb E[\log D(G(z))]$（Goodfellow 等 2014 的建议，也是实际的默认做法）。

    两者的不动点相同，但对 logit 的梯度分别是 $-\sigma(\ell)$ 和 $-(1-\sigma(\ell))$：训练初期判别器轻松认出假样本，
    $\sigma(\ell)\approx 0$，饱和版的梯度几乎为 0，非饱和版接近 $-1$。

    Parameters
    ----------
    fake_logits : torch.Tensor
        判别器在生成样本上的 logit。
    kind : str
        ``"non_saturating"`` 或 ``"saturating"``。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        输入不是非空浮点张量，或 ``kind`` 不认识。

    Examples
    --------
    >>> logit = torch.tensor([-6.0], requires_grad=True)  # D(G(z)) = σ(−6) ≈ 0.0025
    >>> generator_loss(logit, "saturating").backward()
    >>> round(logit.grad.item(), 4)
    -0.0025
    >>> logit.grad = None
    >>> generator_loss(logit, "non_saturating").backward()
    >>> round(logit.grad.item(), 4)
    -0.9975
    """
    check_tensor(fake_logits, "fake_logits", nonempty=True)
    check_choice(kind, "kind", GENERATOR_LOSSES)
    if kind == "saturating":
        # min E[log(1 − σ(ℓ))] = min E[−softplus(ℓ)]
        return (-F.softplus(fake_logits)).mean()
    # min −E[log σ(ℓ)] = min E[softplus(−ℓ)]
    return F.softplus(-fake_logits).mean()


def wasserstein_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    r"""WGAN 评论家的损失 $\mathbb E[f(G(z))] - \mathbb E[f(x)]$（最大化两者之差，所以取负）。

    Parameters
    ----------
    real_scores, fake_scores : torch.Tensor
        评论家在同样大小的一批真、假样本上的输出（任意实数，不过 sigmoid），形状 ``(n,)`` 或 ``(n, 1)``。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        不是非空浮点张量。

    Examples
    --------
    >>> wasserstein_critic_loss(torch.tensor([2.0, 4.0]), torch.tensor([-1.0, 1.0])).item()
    -3.0
    """
    _check_pair(real_scores, fake_scores, "real_scores", "fake_scores")
    # L_f = E[f(G(z))] − E[f(x)]
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    r"""WGAN 生成器的损失 $-\mathbb E[f(G(z))]$。

    Examples
    --------
    >>> wasserstein_generator_loss(torch.tensor([-1.0, 1.0, 3.0])).item()
    -1.0
    """
    check_tensor(fake_scores, "fake_scores", nonempty=True)
    # L_G = −E[f(G(z))]
    return -fake_scores.mean()


def gradient_penalty(critic: nn.Module, real: torch.Tensor, fake: torch.Tensor, seed: int | None = 0) -> torch.Tensor:
    r"""WGAN-GP 的梯度惩罚：在真假样本连线上的随机点 $\hat x$ 处，让评论家梯度的范数接近 1。

    $$
    \hat x = \epsilon x + (1-\epsilon)\tilde x,\ \epsilon\sim U[0, 1],\qquad
    \mathrm{GP} = \mathbb E\bigl[(\lVert\nabla_{\hat x} f(\hat x)\rVert_2 - 1)^2\bigr] .
    $$

    结果保留计算图（``create_graph=True``），可以对评论家的参数求导。

    Parameters
    ----------
    critic : torch.nn.Module
        评论家，输入 ``(n, ...)``，输出 ``(n,)`` 或 ``(n, 1)``。
    real, fake : torch.Tensor
        同形状的真、假样本，第 0 维是样本。
    seed : int, optional
        抽 $\epsilon$ 的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
        在自己的训练循环里要每步换一个种子（或传 ``None``）：种子固定时，每一步的 $\epsilon$ 都一样，
        惩罚只落在每对真假样本连线上同一个位置（[`train_gan`][dlguide.gan.train_gan] 每步都换）。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        参数类型或形状不对。

    Examples
    --------
    >>> critic = nn.Linear(2, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = critic.weight.copy_(torch.tensor([[3.0, 4.0]]))  # 线性评论家：梯度处处是 w，范数 5
    ...
    >>> gradient_penalty(critic, torch.randn(8, 2), torch.randn(8, 2)).item()  # (5 − 1)²
    16.0
    """
    check_module(critic, "critic")
    check_tensor(real, "real", nonempty=True)
    check_tensor(fake, "fake", nonempty=True)
    if real.shape != fake.shape:
        raise ValueError(f"real 与 fake 的形状必须相同，收到 {tuple(real.shape)} 和 {tuple(fake.shape)}")
    g = torch.Generator().manual_seed(resolve_seed(seed))
    eps = torch.rand((len(real),) + (1,) * (real.ndim - 1), generator=g).to(real)
    # x̂ = ε·x + (1 − ε)·x̃
    mixed = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    # GP = E[(‖∇f(x̂)‖₂ − 1)²]
    return ((grad.reshape(len(real), -1).norm(dim=1) - 1) ** 2).mean()


def clip_weights(module: nn.Module, clip: float) -> None:
    """WGAN 的权重裁剪：把 ``module`` 的每个参数就地截到 $[-c, c]$（粗暴地让评论家满足 Lipschitz 约束）。

    Examples
    --------
    >>> layer = nn.Linear(1, 2)
    >>> with torch.no_grad():
    ...     _ = layer.weight.copy_(torch.tensor([[0.5], [-3.0]]))
    ...
    >>> clip_weights(layer, 0.01)
    >>> [round(w, 4) for w in layer.weight.flatten().tolist()]
    [0.01, -0.01]
    """
    check_module(module, "module")
    check_positive(clip, "clip")
    with torch.no_grad():
        for p in module.parameters():
            p.clamp_(-clip, clip)


def train_gan(
    generator: nn.Module,
    discriminator: nn.Module,
    data: torch.Tensor,
    *,
    latent_dim: int,
    loss: str = "gan",
    generator_loss_kind: str = "non_saturating",
    steps: int = 1000,
    batch_size: int = 128,
    lr: float = 1e-3,
    n_critic: int = 1,
    gp_weight: float = 10.0,
    clip: float = 0.01,
    seed: int | None = 0,
    on_step: Callable[[int, float, float], bool | None] | None = None,
) -> list[tuple[float, float]]:
    r"""交替训练生成器和判别器（评论家），返回每一步的 ``(判别器损失, 生成器损失)``。

    每一步：先更新判别器 ``n_critic`` 次（每次一批新的真样本和噪声），再更新生成器一次。
    ``loss`` 选目标：

    - ``"gan"``：[`discriminator_loss`][dlguide.gan.discriminator_loss] 与
      [`generator_loss`][dlguide.gan.generator_loss]（``generator_loss_kind`` 选饱和或非饱和）；
    - ``"wgan-clip"``：Wasserstein 损失，每次更新后把评论家的权重裁剪到 $[-c, c]$；
    - ``"wgan-gp"``：Wasserstein 损失加 ``gp_weight`` 倍的 [`gradient_penalty`][dlguide.gan.gradient_penalty]。

    两个网络各用一个 Adam，$\beta_1=0.5$（DCGAN 的建议）、$\beta_2=0.9$（WGAN-GP 论文的取值；它的 $\beta_1$ 是 0）。
    三种目标共用这一套设置只是为了便于比较：WGAN 原文的权重裁剪版用的是 RMSProp（学习率 $5\times10^{-5}$），
    因为带动量的 Adam 让它训练不稳定；WGAN-GP 论文用 Adam（学习率 $10^{-4}$，$\beta_1=0$）、``n_critic=5``。真样本和噪声都从独立的
    CPU 生成器抽取再搬到设备上，所以同样的种子在 CPU 和 GPU 上喂的是同样的数据。

    [`fit`][dlguide.training.fit] 做不到这件事：它只有一个模型、一个优化器、一个损失，
    而 GAN 每一步要用**两个**损失分别更新**两个**网络，更新判别器时生成器不动，反之亦然。

    Parameters
    ----------
    generator : torch.nn.Module
        把 ``(n, latent_dim)`` 的噪声映射成样本。
    discriminator : torch.nn.Module
        把样本映射成 ``(n, 1)`` 或 ``(n,)`` 的 logit（或评论家分数）。
    data : torch.Tensor
        真样本，第 0 维是样本。
    latent_dim : int
        噪声维数，在 [1, 1024] 内。
    loss : str
        ``"gan"``、``"wgan-clip"`` 或 ``"wgan-gp"``。
    generator_loss_kind : str
        ``loss="gan"`` 时生成器损失的形式，``"non_saturating"`` 或 ``"saturating"``。
    steps : int
        生成器的更新次数，在 [1, 100000] 内。
    batch_size : int
        每批样本数，在 [1, 65536] 内。
    lr : float
        两个优化器的学习率，> 0。
    n_critic : int
        每次生成器更新之前判别器更新几次，在 [1, 100] 内。
    gp_weight : float
        梯度惩罚的系数 $\lambda\ge 0$（只用于 ``"wgan-gp"``）。
    clip : float
        权重裁剪的界 $c > 0$（只用于 ``"wgan-clip"``）。
    seed : int, optional
        抽真样本、噪声和插值系数的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    on_step : callable, optional
        每步之后调用 ``on_step(t, d_loss, g_loss)``；返回 ``True`` 时停止。

    Returns
    -------
    list[tuple[float, float]]
        每一步的判别器（评论家）损失和生成器损失。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> G, D = nn.Linear(1, 1), nn.Linear(1, 1)
    >>> data = 3.0 + 0.1 * torch.randn(256, 1, generator=torch.Generator().manual_seed(0))
    >>> history = train_gan(G, D, data, latent_dim=1, steps=300, batch_size=64, lr=0.05)
    >>> len(history)
    300
    >>> fake = G(torch.randn(1000, 1, generator=torch.Generator().manual_seed(1)).to(get_device()))
    >>> bool(abs(fake.mean().item() - 3.0) < 0.3)  # 生成器把均值从 0 附近挪到了 3 附近
    True
    """
    check_module(generator, "generator")
    check_module(discriminator, "discriminator")
    check_tensor(data, "data", ndim=(2, 3, 4, 5), nonempty=True)
    check_int(latent_dim, "latent_dim", low=1, high=1024)
    check_choice(loss, "loss", GAN_LOSSES)
    check_choice(generator_loss_kind, "generator_loss_kind", GENERATOR_LOSSES)
    check_int(steps, "steps", low=1, high=100_000)
    check_int(batch_size, "batch_size", low=1, high=65_536)
    check_positive(lr, "lr")
    check_int(n_critic, "n_critic", low=1, high=100)
    check_nonnegative(gp_weight, "gp_weight")
    check_positive(clip, "clip")
    seed = resolve_seed(seed)
    if on_step is not None:
        check_callable(on_step, "on_step")
    dtypes = {p.dtype for p in generator.parameters()} | {p.dtype for p in discriminator.parameters()}
    if dtypes and dtypes != {data.dtype}:
        raise TypeError(f"data 的类型 {data.dtype} 必须与两个网络的参数类型 {sorted(map(str, dtypes))} 相同")
    try:
        with torch.no_grad():
            probe = generator.to("cpu").eval()(torch.zeros(2, latent_dim, dtype=data.dtype))
    except RuntimeError as err:
        raise ValueError(f"latent_dim={latent_dim} 与生成器的输入不符：{err}") from err
    if probe.shape[1:] != data.shape[1:]:
        raise ValueError(f"data 的每个样本形状 {tuple(data.shape[1:])} 必须与生成器的输出 {tuple(probe.shape[1:])} 相同")
    device = get_device()
    generator.to(device).train()
    discriminator.to(device).train()
    data = data.to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=(0.5, 0.9))
    g = torch.Generator().manual_seed(seed)

    def noise() -> torch.Tensor:
        return torch.randn(batch_size, latent_dim, generator=g).to(device)

    history = []
    for t in range(steps):
        for _ in range(n_critic):
            real = data[torch.randint(len(data), (batch_size,), generator=g).to(device)]
            with torch.no_grad():
                fake = generator(noise())
            real_out, fake_out = discriminator(real).reshape(-1), discriminator(fake).reshape(-1)
            if loss == "gan":
                d_loss = discriminator_loss(real_out, fake_out)
            else:
                d_loss = wasserstein_critic_loss(real_out, fake_out)
                if loss == "wgan-gp":
                    d_loss = d_loss + gp_weight * gradient_penalty(discriminator, real, fake, seed=int(torch.randint(2**31, (1,), generator=g)))
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            if loss == "wgan-clip":
                clip_weights(discriminator, clip)
        fake_out = discriminator(generator(noise())).reshape(-1)
        g_loss = generator_loss(fake_out, generator_loss_kind) if loss == "gan" else wasserstein_generator_loss(fake_out)
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        history.append((d_loss.item(), g_loss.item()))
        if on_step is not None and on_step(t, history[-1][0], history[-1][1]):
            break
    return history
