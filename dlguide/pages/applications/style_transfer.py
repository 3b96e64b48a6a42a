"""“神经风格迁移”一页的实验：用一个**随机初始化、从不训练**的小 CNN 的特征，把 scikit-learn 自带的两张照片之一
（颐和园佛香阁，``china.jpg``）画成另一张（大丽花，``flower.jpg``）花瓣的配色和纹理。

Gatys 等用的是在 ImageNet 上预训练的 VGG-19；这里不能下载任何权重，所以特征提取器是三层随机卷积。
随机特征也能刻画颜色和局部纹理的统计（Ustyuzhaninov 等 2017 用单层随机卷积就合成出了不错的纹理），
但刻画不了“这是花瓣”这样的语义：这正是本页的实验要说明的。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_choice, check_int, check_nonnegative, check_tensor, resolve_seed
from dlguide.figures import figure, new_figure
from dlguide.style import content_loss, style_loss, total_variation
from dlguide.training import fit

__all__ = [
    "RandomFeatures",
    "StyledImage",
    "load_photo",
    "style_transfer",
    "style_transfer_figure",
]

CONTENT_SIZE, STYLE_SIZE = (64, 96), (64, 64)
"""内容图的大小 (H, W)；风格图取花朵中央的正方形，缩到 64×64。"""
ALPHA, BETA, TV = 5.0, 1e8, 0.02
"""损失的权重：内容、风格、全变差。风格损失的量级约 1e-5，所以权重很大。"""


def load_photo(name: str = "china", size: tuple[int, int] = CONTENT_SIZE) -> torch.Tensor:
    """读取 scikit-learn 自带的照片（``"china"`` 或 ``"flower"``，427×640），缩放成 ``(1, 3, H, W)``、取值 [0, 1]。

    ``"flower"`` 先裁出花朵中央的 300×300 再缩放。

    Examples
    --------
    >>> x = load_photo("china")
    >>> tuple(x.shape), 0.0 <= x.min().item() and x.max().item() <= 1.0
    ((1, 3, 64, 96), True)
    """
    from sklearn.datasets import load_sample_images  # noqa: PLC0415  # 只有这一页用到两张照片

    check_choice(name, "name", ("china", "flower"))
    if not isinstance(size, tuple) or len(size) != 2:
        raise TypeError(f"size 必须是 (H, W)，收到 {size!r}")
    h = check_int(size[0], "size[0]", low=8, high=427)
    w = check_int(size[1], "size[1]", low=8, high=640)
    images = load_sample_images().images
    x = torch.tensor(images[0 if name == "china" else 1]).permute(2, 0, 1).float() / 255  # (3, 427, 640)
    if name == "flower":
        x = x[:, 60:360, 170:470]  # 花朵中央
    return F.interpolate(x[None], size=(h, w), mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)


class RandomFeatures(nn.Module):
    """三层 3×3 卷积（16、32、64 个通道，层间 2×2 平均池化），权重随机、冻结，返回每层 ReLU 之后的特征图。

    Examples
    --------
    >>> feats = RandomFeatures()(torch.zeros(1, 3, 64, 96))
    >>> [tuple(f.shape) for f in feats]
    [(1, 16, 64, 96), (1, 32, 32, 48), (1, 64, 16, 24)]
    """

    def __init__(self, seed: int | None = 0) -> None:
        super().__init__()
        torch.manual_seed(resolve_seed(seed))
        self.convs = nn.ModuleList([nn.Conv2d(3, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)])
        self.requires_grad_(False)

    def forward(self, image: torch.Tensor) -> list[torch.Tensor]:
        check_tensor(image, "image", ndim=4)
        if image.shape[1] != 3 or min(image.shape[2:]) < 4:
            raise ValueError(f"image 的形状必须是 (B, 3, H, W)，H、W ≥ 4，收到 {tuple(image.shape)}")
        feats = []
        h = image - 0.5  # 大致居中
        for k, conv in enumerate(self.convs):
            if k > 0:
                h = F.avg_pool2d(h, 2)
            h = F.relu(conv(h))
            feats.append(h)
        return feats


class StyledImage(nn.Module):
    """把要优化的图片包成一个“模型”：唯一的参数就是图片本身，``forward`` 忽略输入、返回图片。

    这样 [`fit`][dlguide.training.fit] 就能优化它：数据是一个占位样本，``loss_fn`` 根据图片算内容和风格损失。

    Examples
    --------
    >>> m = StyledImage(torch.zeros(1, 3, 4, 4))
    >>> [tuple(p.shape) for p in m.parameters()], tuple(m(torch.zeros(1)).shape)
    ([(1, 3, 4, 4)], (1, 3, 4, 4))
    """

    def __init__(self, image: torch.Tensor) -> None:
        super().__init__()
        check_tensor(image, "image", ndim=4)
        self.image = nn.Parameter(image.clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", kind="any")  # 输入只是占位，不参与计算
        return self.image


def style_transfer(
    steps: int = 100, alpha: float = ALPHA, beta: float = BETA, tv: float = TV, seed: int | None = 0
) -> dict[str, object]:
    r"""从内容图出发，用 Adam 最小化 $\alpha\,\mathcal L_{\text{content}} + \beta\,\mathcal L_{\text{style}} + \text{tv}\cdot\mathrm{TV}$。

    内容损失用第 2 层特征，风格损失用三层特征的 Gram 矩阵（等权）。返回生成图和损失的前后对比。

    Returns
    -------
    dict
        ``image``（``(1, 3, H, W)``，[0, 1]）、``content``、``style``、``style_before``（优化前内容图本身的风格损失）、
        ``content_image``、``style_image``。

    Examples
    --------
    >>> out = style_transfer(steps=2)
    >>> tuple(out["image"].shape), out["style"] < out["style_before"]
    ((1, 3, 64, 96), True)
    """
    check_int(steps, "steps", low=1, high=5000)
    for value, name in ((alpha, "alpha"), (beta, "beta"), (tv, "tv")):
        check_nonnegative(value, name)
    seed = resolve_seed(seed)
    content, style = load_photo("china"), load_photo("flower", STYLE_SIZE)
    features = RandomFeatures(seed)
    with torch.no_grad():
        target_content = features(content)[1]
        target_style = features(style)

    def loss_fn(image: torch.Tensor, _: torch.Tensor) -> torch.Tensor:
        feats = features(image.clamp(0, 1))
        # L = α·L_content + β·L_style + tv·TV
        return (alpha * content_loss(feats[1], target_content) + beta * style_loss(feats, target_style)
                + tv * total_variation(image))

    model = StyledImage(content)
    fit(model, torch.zeros(1, 1), torch.zeros(1), loss_fn=loss_fn, epochs=steps, lr=0.05, optimizer="adam")
    image = model.image.detach().clamp(0, 1)
    with torch.no_grad():
        feats = features(image)
        before = style_loss(features(content), target_style).item()
        return {
            "image": image,
            "content": content_loss(feats[1], target_content).item(),
            "style": style_loss(feats, target_style).item(),
            "style_before": before,
            "content_image": content,
            "style_image": style,
        }


@figure
def style_transfer_figure() -> Figure:
    """内容图、风格图、用随机 CNN 特征迁移后的结果（64×96，100 步 Adam）。"""
    out = style_transfer()
    fig, axes = new_figure(3, width=8.0, height=2.4)
    titles = ["内容：china.jpg", "风格：flower.jpg（中央）", "结果：随机 CNN 的特征"]
    for ax, key, title in zip(axes, ["content_image", "style_image", "image"], titles):
        ax.imshow(out[key][0].permute(1, 2, 0).numpy())
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig
