"""“卷积网络怎么进行边缘检测”一页：手工设计的边缘核作用在合成图像和照片上，噪声下的信噪比，以及网络自己学到的核。"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from dlguide._checks import check_choice, check_in_range, check_int, check_seed, check_tensor
from dlguide.data import load_digits, train_val_split
from dlguide.figures import figure
from dlguide.models import digits_conv_net
from dlguide.training import fit

__all__ = [
    "EDGE_KERNELS",
    "edge_maps",
    "edge_snr",
    "filter2d",
    "gradient_magnitude",
    "learned_filters",
    "photo",
    "synthetic_image",
]

EDGE_KERNELS: dict[str, torch.Tensor] = {
    "vertical": torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]),  # 吴恩达课程的垂直边缘核（即 Prewitt）
    "horizontal": torch.tensor([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]),
    "sobel_x": torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),  # 中间一行权重加倍
    "sobel_y": torch.tensor([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "difference": torch.tensor([[0.0, 0.0, 0.0], [1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]),  # 只用一行的中心差分
}
"""按 PyTorch 的约定（互相关，核不翻转）写的 3×3 边缘核：左（上）亮、右（下）暗时响应为正。"""


def filter2d(image: torch.Tensor, kernel: torch.Tensor, padding: str = "valid") -> torch.Tensor:
    """二维灰度图与一个核做 PyTorch 约定的“卷积”（互相关）：``F.conv2d`` 对 ``(H, W)`` 张量的简单包装。

    Parameters
    ----------
    image : torch.Tensor
        ``(H, W)`` 浮点张量。
    kernel : torch.Tensor
        ``(kh, kw)`` 浮点张量，与 ``image`` 同 dtype、同设备。
    padding : str
        ``"valid"``（不填充）或 ``"same"``（补 0，输出与输入等大）。

    Returns
    -------
    torch.Tensor
        ``(H − kh + 1, W − kw + 1)``，或 ``"same"`` 时 ``(H, W)``。

    Raises
    ------
    TypeError, ValueError
        参数不是二维浮点张量，核比图像大，``padding`` 不认识。

    Examples
    --------
    >>> step = torch.tensor([[10.0, 10.0, 10.0, 0.0, 0.0, 0.0]] * 3)
    >>> filter2d(step, EDGE_KERNELS["vertical"]).tolist()
    [[0.0, 30.0, 30.0, 0.0]]
    """
    check_tensor(image, "image", ndim=2, nonempty=True)
    check_tensor(kernel, "kernel", ndim=2, nonempty=True)
    check_choice(padding, "padding", ("valid", "same"))
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel 不能比 image 大，收到 {tuple(kernel.shape)} 和 {tuple(image.shape)}")
    if kernel.dtype != image.dtype or kernel.device != image.device:
        raise ValueError("kernel 必须与 image 同 dtype、同设备")
    # (H, W) → (1, 1, H, W)：一个样本、一个通道
    return F.conv2d(image[None, None], kernel[None, None], padding=padding)[0, 0]


def gradient_magnitude(image: torch.Tensor) -> torch.Tensor:
    r"""Sobel 梯度幅值 $\sqrt{G_x^2 + G_y^2}$，输出与输入等大。

    边界用**复制**填充（重复边缘像素）而不是补 0：补 0 会在图像四周造出一圈并不存在的“亮→暗”边缘。

    Parameters
    ----------
    image : torch.Tensor
        ``(H, W)`` 浮点张量。

    Returns
    -------
    torch.Tensor
        ``(H, W)``，非负。

    Raises
    ------
    TypeError, ValueError
        ``image`` 不是非空的二维浮点张量。

    Examples
    --------
    >>> gradient_magnitude(torch.ones(4, 4)).tolist() == torch.zeros(4, 4).tolist()   # 平坦图像处处没有边缘
    True
    >>> gradient_magnitude(torch.tensor([[0.0, 0.0, 1.0, 1.0]] * 3))[1].tolist()
    [0.0, 4.0, 4.0, 0.0]
    """
    check_tensor(image, "image", ndim=2, nonempty=True)
    padded = F.pad(image[None, None], (1, 1, 1, 1), mode="replicate")[0, 0]  # (H + 2, W + 2)
    sx, sy = (EDGE_KERNELS[k].to(image) for k in ("sobel_x", "sobel_y"))
    gx, gy = filter2d(padded, sx), filter2d(padded, sy)  # (H, W)
    # |∇I| ≈ √(Gx² + Gy²)
    return torch.sqrt(gx**2 + gy**2)


def synthetic_image(size: int = 48) -> torch.Tensor:
    """合成的灰度图：暗背景上一个亮的方块和一个亮的圆盘，边缘有竖的、横的、斜的和弯的。

    Parameters
    ----------
    size : int
        边长，在 [16, 512] 内。

    Returns
    -------
    torch.Tensor
        ``(size, size)``，取值 0 或 1 的 float32。

    Raises
    ------
    TypeError, ValueError
        ``size`` 越界。

    Examples
    --------
    >>> img = synthetic_image(32)
    >>> tuple(img.shape), sorted(set(img.flatten().tolist()))
    ((32, 32), [0.0, 1.0])
    """
    size = check_int(size, "size", low=16, high=512)
    i, j = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    img = torch.zeros(size, size)
    q = size // 8
    img[q : 4 * q, q : 4 * q] = 1.0  # 方块：竖边和横边
    # 圆盘：(i − c)² + (j − c)² ≤ r²
    c, r = 5.5 * q, 1.8 * q
    img[(i - c) ** 2 + (j - c) ** 2 <= r**2] = 1.0
    return img


def photo(name: str = "china.jpg", downsample: int = 4) -> torch.Tensor:
    """scikit-learn 随包附带的照片（``china.jpg`` 或 ``flower.jpg``，427×640），转成灰度、按 ``downsample`` 倍平均池化。

    灰度按 ITU-R BT.601 的亮度权重 $0.299R + 0.587G + 0.114B$，取值缩放到 [0, 1]。

    Parameters
    ----------
    name : str
        ``"china.jpg"`` 或 ``"flower.jpg"``。
    downsample : int
        缩小倍数，在 [1, 16] 内。

    Returns
    -------
    torch.Tensor
        ``(427 // downsample, 640 // downsample)`` 的 float32。

    Raises
    ------
    TypeError, ValueError
        ``name`` 不认识，``downsample`` 越界。

    Examples
    --------
    >>> tuple(photo(downsample=4).shape)
    (106, 160)
    """
    from sklearn.datasets import load_sample_image  # noqa: PLC0415  # 只在用到照片时才导入 scikit-learn

    check_choice(name, "name", ("china.jpg", "flower.jpg"))
    downsample = check_int(downsample, "downsample", low=1, high=16)
    rgb = torch.tensor(load_sample_image(name), dtype=torch.float32) / 255  # (H, W, 3)
    gray = rgb @ torch.tensor([0.299, 0.587, 0.114])  # (H, W)
    return F.avg_pool2d(gray[None, None], downsample)[0, 0]


def edge_snr(kernel: torch.Tensor, noise: float = 0.2, seed: int | None = 0) -> float:
    r"""边缘核的信噪比：64×64 的竖直台阶（左 1 右 0）加高斯噪声后，边缘处的平均响应 ÷ 平坦区域响应的标准差。

    理论值是 台阶响应 / (σ‖w‖₂)：差分核 $1/(0.2\sqrt2)=3.5$，课程的垂直核 $3/(0.2\sqrt6)=6.1$，Sobel $4/(0.2\sqrt{12})=5.8$。

    Parameters
    ----------
    kernel : torch.Tensor
        ``(3, 3)`` 浮点张量。
    noise : float
        噪声标准差，在 (0, 10] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    float
        信噪比（2 位小数）。

    Raises
    ------
    TypeError, ValueError
        参数不合法。

    Examples
    --------
    >>> edge_snr(EDGE_KERNELS["difference"]) < edge_snr(EDGE_KERNELS["sobel_x"])
    True
    """
    check_tensor(kernel, "kernel", ndim=2)
    if tuple(kernel.shape) != (3, 3):
        raise ValueError(f"kernel 必须是 3×3，收到 {tuple(kernel.shape)}")
    check_in_range(noise, "noise", 0.0, 10.0, low_open=True)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    img = torch.zeros(64, 64)
    img[:, :32] = 1.0
    noisy = img + noise * torch.randn(64, 64, generator=g)
    response = filter2d(noisy, kernel.float().cpu())  # (62, 62)；输出第 j 列以输入第 j+1 列为中心
    edge = response[:, 30:32].mean()  # 以输入第 31、32 列（台阶两侧）为中心的两列
    flat = response[:, 5:25].std()  # 远离台阶的平坦区域
    return round((edge / flat).item(), 2)


def _gray_panel(ax, image: torch.Tensor, title: str, cmap: str = "gray", symmetric: bool = False) -> None:
    limit = image.abs().max().item() or 1.0
    ax.imshow(image.numpy(), cmap=cmap, vmin=-limit if symmetric else None, vmax=limit if symmetric else None)
    ax.set_title(title, fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


@figure
def edge_maps() -> Figure:
    """上排合成图像、下排照片：原图、垂直边缘核、水平边缘核的响应（红正蓝负）和 Sobel 梯度幅值。"""
    fig = Figure(figsize=(7.6, 4.2), layout="constrained")
    axes = fig.subplots(2, 4)
    for row, image in enumerate((synthetic_image(48), photo("china.jpg", 4))):
        _gray_panel(axes[row][0], image, "原图")
        _gray_panel(axes[row][1], filter2d(image, EDGE_KERNELS["vertical"]), "垂直边缘核", "bwr", True)
        _gray_panel(axes[row][2], filter2d(image, EDGE_KERNELS["horizontal"]), "水平边缘核", "bwr", True)
        _gray_panel(axes[row][3], gradient_magnitude(image), "Sobel 梯度幅值", "magma")
    return fig


@figure
def learned_filters() -> Figure:
    """在 digits 上训练的小 CNN 第一层的 12 个 3×3 核（上两排，红正蓝负），以及它们对一张数字“0”的响应（下两排）。"""
    X, y = load_digits()
    X_train, y_train, _, _ = train_val_split(X, y, 0.3, seed=0)
    net = digits_conv_net(12, head="max", seed=0)
    fit(net, X_train, y_train, epochs=15, lr=1e-2, batch_size=64, optimizer="adam", seed=0)
    weights = net[1].weight.detach()[:, 0]  # (12, 3, 3)
    digit = X[(y == 0).nonzero()[0, 0]].reshape(8, 8)
    with torch.no_grad():
        responses = net[1](digit[None, None])[0]  # (12, 8, 8)，ReLU 之前
    fig = Figure(figsize=(7.6, 3.6), layout="constrained")
    axes = fig.subplots(4, 6)
    for k in range(12):
        row, col = divmod(k, 6)
        _gray_panel(axes[row][col], weights[k], f"核 {k}", "bwr", True)
        _gray_panel(axes[row + 2][col], responses[k], f"响应 {k}", "bwr", True)
    return fig
