"""“生成对抗网络”一页的实验：最优判别器与 JS 散度、饱和与非饱和的生成器损失、二维高斯混合上的训练与模式坍塌。

数据是 [`make_gaussian_mixture`][dlguide.data.make_gaussian_mixture]：8 个高斯分布均匀排在半径 2 的圆上，标准差 0.05。
生成器和判别器都是两层 64 个单元的多层感知机，用 [`train_gan`][dlguide.gan.train_gan] 交替训练。
"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_int, check_positive, check_tensor, resolve_seed
from dlguide.data import make_gaussian_mixture
from dlguide.figures import figure
from dlguide.gan import GAN_LOSSES, discriminator_loss, generator_loss, train_gan

__all__ = [
    "MODES",
    "gan_nets",
    "initial_generator_gradients",
    "mode_coverage",
    "optimal_discriminator_value",
    "ring_centres",
    "run_gan",
    "training_figure",
]

MODES, RADIUS, STD = 8, 2.0, 0.05
"""高斯混合的分量数、半径、标准差。"""
LATENT = 2
"""噪声维数。"""


def ring_centres(modes: int = MODES, radius: float = RADIUS) -> torch.Tensor:
    r"""8 个分量的中心 $r(\cos\frac{2\pi k}{m}, \sin\frac{2\pi k}{m})$，形状 ``(m, 2)``。

    Examples
    --------
    >>> [round(v, 4) for v in ring_centres()[0].tolist()]
    [2.0, 0.0]
    """
    check_int(modes, "modes", low=1, high=100)
    check_positive(radius, "radius")
    angle = 2 * math.pi * torch.arange(modes) / modes
    return radius * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)


def mode_coverage(samples: torch.Tensor, min_share: float = 0.02) -> tuple[list[int], float]:
    """量模式坍塌：离最近中心不超过 3 个标准差的样本是“高质量”的；一个分量收到的高质量样本不少于全部样本的
    ``min_share``（默认 2%，均匀时应为 12.5%）就算被覆盖。

    Returns
    -------
    tuple
        ``(被覆盖的分量编号, 高质量样本的比例)``。

    Examples
    --------
    >>> X, _ = make_gaussian_mixture(2000, seed=1)
    >>> mode_coverage(X)  # 二维高斯落在 3σ 内的概率是 1 − e^{−4.5} ≈ 0.989
    ([0, 1, 2, 3, 4, 5, 6, 7], 0.9865)
    >>> mode_coverage(ring_centres()[[0, 0, 3]])  # 只落在两个分量上
    ([0, 3], 1.0)
    """
    check_tensor(samples, "samples", ndim=2, nonempty=True)
    if samples.shape[1] != 2:
        raise ValueError(f"samples 的形状必须是 (n, 2)，收到 {tuple(samples.shape)}")
    check_positive(min_share, "min_share")
    dist = torch.cdist(samples.detach().cpu().float(), ring_centres())  # (n, m)
    nearest_dist, nearest = dist.min(dim=1)
    good = nearest_dist <= 3 * STD
    counts = torch.bincount(nearest[good], minlength=MODES)
    covered = [k for k in range(MODES) if counts[k] >= min_share * len(samples)]
    return covered, round(good.float().mean().item(), 4)


def gan_nets(seed: int | None = 0) -> tuple[nn.Sequential, nn.Sequential]:
    """生成器 ``2 → 64 → 64 → 2`` 和判别器 ``2 → 64 → 64 → 1``（ReLU）。

    Examples
    --------
    >>> G, D = gan_nets()
    >>> tuple(G(torch.zeros(5, 2)).shape), tuple(D(torch.zeros(5, 2)).shape)
    ((5, 2), (5, 1))
    """
    seed = resolve_seed(seed)
    torch.manual_seed(seed)
    G = nn.Sequential(nn.Linear(LATENT, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    D = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    return G, D


def _samples(G: nn.Module, n: int = 2000, seed: int | None = 99) -> torch.Tensor:
    device = next(G.parameters()).device
    with torch.no_grad():
        return G(torch.randn(n, LATENT, generator=torch.Generator().manual_seed(seed)).to(device)).cpu()


def optimal_discriminator_value(mu: float, sigma: float = 1.0) -> tuple[float, float, float]:
    r"""数值验证 Goodfellow 等 2014 的定理：判别器最优时 $V(D^*, G) = -\log 4 + 2\,\mathrm{JSD}(p_{\text{data}}\,\|\,p_g)$。

    $p_{\text{data}} = \mathcal N(0, 1)$，$p_g = \mathcal N(\mu, \sigma^2)$，在 $[-20, 20]$ 上用 20001 个点的梯形法则积分；
    $D^*(x) = \frac{p_{\text{data}}(x)}{p_{\text{data}}(x) + p_g(x)}$。

    Returns
    -------
    tuple[float, float, float]
        ``(V(D*, G), −log 4 + 2·JSD, JSD)``，各保留 4 位小数（JSD 的数值误差截到 ≥ 0）。

    Examples
    --------
    >>> optimal_discriminator_value(0.0)  # p_g = p_data：JSD = 0，V = −log 4
    (-1.3863, -1.3863, 0.0)
    """
    if isinstance(mu, bool) or not isinstance(mu, (int, float)) or not math.isfinite(mu) or abs(mu) > 10:
        raise ValueError(f"mu 必须是 [-10, 10] 内的实数，收到 {mu!r}")
    check_positive(sigma, "sigma")
    if sigma > 5:
        raise ValueError(f"sigma 必须在 (0, 5] 内，收到 {sigma}")
    x = torch.linspace(-20, 20, 20001, dtype=torch.float64)
    p = torch.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    q = torch.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
    tiny = 1e-300
    # D*(x) = p_data / (p_data + p_g)
    d_star = p / (p + q + tiny)
    # V = ∫ p log D* + ∫ q log(1 − D*)
    value = torch.trapezoid(p * torch.log(d_star + tiny) + q * torch.log(1 - d_star + tiny), x)
    m = (p + q) / 2
    # JSD = ½ KL(p‖m) + ½ KL(q‖m)
    jsd = 0.5 * torch.trapezoid(p * torch.log((p + tiny) / (m + tiny)), x) + 0.5 * torch.trapezoid(
        q * torch.log((q + tiny) / (m + tiny)), x
    )
    jsd = max(jsd.item(), 0.0)
    return round(value.item(), 4), round(-math.log(4) + 2 * jsd, 4), round(jsd, 4)


def initial_generator_gradients(d_steps: int = 200, seed: int | None = 0) -> dict[str, float]:
    """训练初期的生成器梯度：先让判别器对着**固定的**初始生成器训练 ``d_steps`` 步（它很快就能认出假样本），
    再分别用饱和与非饱和损失对生成器参数求梯度，返回两者的梯度范数和判别器给假样本的平均概率 $D(G(z))$。

    Examples
    --------
    >>> g = initial_generator_gradients(d_steps=50)
    >>> sorted(g)
    ['D(G(z))', 'non_saturating', 'saturating']
    """
    check_int(d_steps, "d_steps", low=1, high=10_000)
    seed = resolve_seed(seed)
    G, D = gan_nets(seed)
    real, _ = make_gaussian_mixture(4000, modes=MODES, radius=RADIUS, std=STD, seed=seed)
    opt = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.9))
    g = torch.Generator().manual_seed(seed)
    for _ in range(d_steps):
        batch = real[torch.randint(len(real), (128,), generator=g)]
        with torch.no_grad():
            fake = G(torch.randn(128, LATENT, generator=g))
        opt.zero_grad()
        discriminator_loss(D(batch), D(fake)).backward()
        opt.step()
    z = torch.randn(512, LATENT, generator=g)
    out: dict[str, float] = {}
    for kind in ("saturating", "non_saturating"):
        G.zero_grad()
        generator_loss(D(G(z)), kind).backward()
        out[kind] = round(torch.sqrt(sum((p.grad**2).sum() for p in G.parameters())).item(), 4)
    with torch.no_grad():
        out["D(G(z))"] = round(torch.sigmoid(D(G(z))).mean().item(), 4)
    return dict(sorted(out.items()))


def run_gan(
    loss: str = "gan", steps: int = 1500, checkpoints: int = 4, lr: float = 1e-3, seed: int | None = 0
) -> tuple[list[int], list[torch.Tensor], list[tuple[list[int], float]]]:
    """在 8 个高斯的圆环上训练 GAN，在 ``checkpoints`` 个等距的时刻记录 2000 个生成样本和它们的覆盖情况。

    ``loss="gan"`` 用非饱和损失、每步判别器更新 1 次；``"wgan-gp"`` 每步评论家更新 5 次、梯度惩罚系数 10；
    ``"wgan-clip"`` 每步评论家更新 5 次、权重裁剪到 ±0.01。两个网络的学习率都是 ``lr``，批量 128。

    Returns
    -------
    tuple
        ``(steps_at, samples, coverage)``：记录的步数、每次的样本 ``(2000, 2)``、每次的
        [`mode_coverage`][dlguide.pages.applications.gan.mode_coverage]。

    Examples
    --------
    >>> at, samples, coverage = run_gan(steps=20, checkpoints=2)
    >>> at, tuple(samples[-1].shape)
    ([10, 20], (2000, 2))
    """
    check_choice(loss, "loss", GAN_LOSSES)
    check_int(steps, "steps", low=1, high=20_000)
    check_int(checkpoints, "checkpoints", low=1, high=min(steps, 50))
    check_positive(lr, "lr")
    seed = resolve_seed(seed)
    G, D = gan_nets(seed)
    data, _ = make_gaussian_mixture(4000, modes=MODES, radius=RADIUS, std=STD, seed=seed)
    every = steps // checkpoints
    at: list[int] = []
    samples: list[torch.Tensor] = []

    def record(t: int, d_loss: float, g_loss: float) -> None:
        if (t + 1) % every == 0 and len(at) < checkpoints:
            at.append(t + 1)
            samples.append(_samples(G))

    n_critic = 1 if loss == "gan" else 5
    train_gan(G, D, data, latent_dim=LATENT, loss=loss, steps=steps, batch_size=128, lr=lr, n_critic=n_critic,
              seed=seed, on_step=record)
    return at, samples, [mode_coverage(s) for s in samples]


@figure
def training_figure() -> Figure:
    """非饱和 GAN 的生成样本（橙色）与 8 个真实分量（黑色 ×）：上排学习率 3e-3（分量 1 一直没有样本），
    下排学习率 1e-3（慢一些，但最终覆盖全部 8 个）。这是种子 0 的结果，换种子时两种学习率的高下会颠倒（见页面）。
    标题写出被覆盖的分量数和高质量样本的比例。"""
    fig = Figure(figsize=(8.0, 4.4), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True, sharey=True)
    centres = ring_centres()
    runs = [("学习率 3e-3", 3e-3, 1600), ("学习率 1e-3", 1e-3, 2000)]
    for row, (name, lr, steps) in zip(axes, runs):
        at, samples, coverage = run_gan("gan", steps=steps, checkpoints=4, lr=lr)
        for ax, t, s, (covered, quality) in zip(row, at, samples, coverage):
            ax.scatter(s[:600, 0], s[:600, 1], s=2, alpha=0.4, color="tab:orange", rasterized=True)  # 600 个点足够看出分布
            ax.scatter(centres[:, 0], centres[:, 1], marker="x", color="black", s=20)
            ax.set_title(f"{name}，第 {t} 步\n覆盖 {len(covered)}/8，高质量 {quality:.0%}", fontsize=8)
            ax.set_xlim(-3, 3)
            ax.set_ylim(-3, 3)
            ax.set_aspect("equal")
    return fig
