"""数据：只用生成的数据和随包附带的数据集（scikit-learn 的 digits），运行时从不下载。

所有函数都接受 ``seed``，同样的参数在任何机器上得到同样的数据；张量总是先在 CPU 上生成，
需要时再用 ``.to(device)`` 搬到 [`dlguide.device.get_device`][dlguide.device.get_device] 返回的设备。
"""

from __future__ import annotations

import torch
from torch.utils.data import Dataset

from dlguide._checks import check_bool, check_in_range, check_int, check_tensor

__all__ = [
    "AugmentedImages",
    "load_digits",
    "make_moons",
    "make_sine",
    "make_xor",
    "polynomial_features",
    "shift_digits",
    "train_val_split",
]


def make_xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """异或数据：四个角 (±1, ±1) 附近的点，两坐标同号为类 0、异号为类 1。线性模型分不开它。

    Parameters
    ----------
    n : int
        样本数，≥ 4。
    noise : float
        高斯噪声的标准差，在 [0, 1] 内。
    seed : int
        随机种子。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``：形状 ``(n, 2)`` 的 float32；``y``：形状 ``(n,)`` 的 int64，取值 0/1。

    Raises
    ------
    TypeError, ValueError
        ``n`` 或 ``noise`` 越界。

    Examples
    --------
    >>> X, y = make_xor(8, noise=0.0)
    >>> X[:4].tolist(), y[:4].tolist()
    ([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    check_int(n, "n", low=4)
    check_in_range(noise, "noise", 0.0, 1.0)
    g = torch.Generator().manual_seed(seed)
    corners = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    base = corners.repeat((n + 3) // 4, 1)[:n]
    # 类别 = 两个坐标是否异号（XOR）；噪声只加在坐标上，不改类别
    y = (base[:, 0] != base[:, 1]).long()
    X = base + noise * torch.randn(base.shape, generator=g)
    return X, y


def make_moons(n: int = 400, noise: float = 0.2, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn 的“两个月牙”数据，转成张量。

    Parameters
    ----------
    n : int
        样本数，≥ 2。
    noise : float
        噪声标准差，在 [0, 1] 内。
    seed : int
        随机种子。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(n, 2)`` 的 float32，``y`` 形状 ``(n,)`` 的 int64。

    Examples
    --------
    >>> X, y = make_moons(100, seed=0)
    >>> tuple(X.shape), X.dtype, sorted(set(y.tolist()))
    ((100, 2), torch.float32, [0, 1])
    """
    from sklearn.datasets import make_moons as sk_make_moons  # noqa: PLC0415

    check_int(n, "n", low=2)
    check_in_range(noise, "noise", 0.0, 1.0)
    X, y = sk_make_moons(n_samples=n, noise=noise, random_state=seed)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.int64)


def load_digits(standardize: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn 随包附带的手写数字（1797 张 8×8 灰度图，10 类），不需要下载。

    Parameters
    ----------
    standardize : bool
        为 ``True`` 时把像素从 [0, 16] 缩放到 [0, 1]。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(1797, 64)`` 的 float32，``y`` 形状 ``(1797,)`` 的 int64。

    Examples
    --------
    >>> X, y = load_digits()
    >>> tuple(X.shape), round(X.max().item(), 1), len(set(y.tolist()))
    ((1797, 64), 1.0, 10)
    """
    from sklearn.datasets import load_digits as sk_load_digits  # noqa: PLC0415

    bunch = sk_load_digits()
    X = torch.tensor(bunch.data, dtype=torch.float32)
    if standardize:
        X = X / 16.0
    return X, torch.tensor(bunch.target, dtype=torch.int64)


def train_val_split(
    X: torch.Tensor, y: torch.Tensor, val_fraction: float = 0.2, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """随机打乱后切成训练集和验证集。

    Parameters
    ----------
    X, y : torch.Tensor
        第 0 维长度相同。
    val_fraction : float
        验证集比例，在 (0, 1) 内。
    seed : int
        随机种子。

    Returns
    -------
    tuple
        ``(X_train, y_train, X_val, y_val)``。

    Raises
    ------
    ValueError
        ``X`` 与 ``y`` 的样本数不同，或 ``val_fraction`` 越界。

    Examples
    --------
    >>> X, y = torch.arange(10.0).reshape(10, 1), torch.arange(10)
    >>> Xtr, ytr, Xva, yva = train_val_split(X, y, 0.3)
    >>> len(Xtr), len(Xva), sorted(ytr.tolist() + yva.tolist()) == list(range(10))
    (7, 3, True)
    """
    if len(X) != len(y):
        raise ValueError(f"X 与 y 的样本数必须相同，收到 {len(X)} 和 {len(y)}")
    check_in_range(val_fraction, "val_fraction", 0.0, 1.0, low_open=True, high_open=True)
    g = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(X), generator=g)
    n_val = max(1, round(len(X) * val_fraction))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def make_sine(n: int = 20, noise: float = 0.2, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""一维回归数据：$x \sim U(-1, 1)$，$y = \sin(\pi x) + \varepsilon$，$\varepsilon \sim \mathcal N(0, \text{noise}^2)$。float64。

    样本少、噪声大时，高次多项式或宽网络很容易过拟合它，适合演示正则化。

    Parameters
    ----------
    n : int
        样本数，≥ 1。
    noise : float
        噪声标准差，在 [0, 1] 内。
    seed : int
        随机种子。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``x``、``y``：形状都是 ``(n,)`` 的 float64。

    Raises
    ------
    TypeError, ValueError
        ``n`` 或 ``noise`` 越界。

    Examples
    --------
    >>> x, y = make_sine(5, noise=0.0)
    >>> x.dtype, bool((y - torch.sin(torch.pi * x)).abs().max() == 0)
    (torch.float64, True)
    """
    check_int(n, "n", low=1)
    check_in_range(noise, "noise", 0.0, 1.0)
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1
    # y = sin(πx) + ε
    y = torch.sin(torch.pi * x) + noise * torch.randn(n, generator=g, dtype=torch.float64)
    return x, y


def polynomial_features(x: torch.Tensor, degree: int, *, include_bias: bool = False) -> torch.Tensor:
    r"""一维输入的多项式特征 $[x, x^2, \dots, x^d]$，``include_bias=True`` 时前面加常数列 $1$。

    Parameters
    ----------
    x : torch.Tensor
        任意形状的浮点张量，每个元素是一个输入（例如形状 ``(n,)``）。
    degree : int
        次数 $d$，≥ 1（``include_bias=True`` 时可以是 0）。
    include_bias : bool
        是否包含常数列（截距由回归函数单独处理时不要）。

    Returns
    -------
    torch.Tensor
        形状 ``(*x.shape, degree)``，或 ``(*x.shape, degree + 1)``（含常数列）。

    Raises
    ------
    TypeError
        ``x`` 不是浮点张量，或 ``degree`` 不是整数。
    ValueError
        ``degree`` 越界。

    Examples
    --------
    >>> polynomial_features(torch.tensor([2.0, 3.0]), 3).tolist()
    [[2.0, 4.0, 8.0], [3.0, 9.0, 27.0]]
    >>> polynomial_features(torch.tensor([2.0]), 2, include_bias=True).tolist()
    [[1.0, 2.0, 4.0]]
    """
    check_tensor(x, "x")
    check_bool(include_bias, "include_bias")
    check_int(degree, "degree", low=0 if include_bias else 1, high=100)
    first = 0 if include_bias else 1
    return torch.stack([x**k for k in range(first, degree + 1)], dim=-1)


def shift_digits(X: torch.Tensor, *, pixels: int = 1, noise: float = 0.3, seed: int = 0) -> torch.Tensor:
    """造一个“不同分布”的 digits：每张 8×8 图向右下平移 ``pixels`` 像素，再加高斯噪声并截断到 [0, 1]。

    模拟“训练数据来自网上的清晰图片，用户上传的却是偏移、模糊的照片”。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, 64)``、取值 [0, 1] 的 digits（[`dlguide.data.load_digits`][dlguide.data.load_digits] 的输出）。
    pixels : int
        平移的像素数，在 [0, 7] 内。
    noise : float
        噪声标准差，≥ 0。
    seed : int
        随机种子。

    Returns
    -------
    torch.Tensor
        与 ``X`` 同形状。

    Examples
    --------
    >>> import torch
    >>> img = torch.zeros(1, 64); img[0, 0] = 1.0
    >>> shift_digits(img, pixels=1, noise=0.0).reshape(8, 8)[1, 1].item()
    1.0
    """
    if X.ndim != 2 or X.shape[1] != 64:
        raise ValueError(f"X 的形状必须是 (n, 64)，收到 {tuple(X.shape)}")
    check_int(pixels, "pixels", low=0, high=7)
    check_in_range(noise, "noise", 0.0, float("inf"))
    g = torch.Generator().manual_seed(seed)
    imgs = X.reshape(-1, 8, 8)
    shifted = torch.zeros_like(imgs)
    # 平移：新图的 (i + p, j + p) = 原图的 (i, j)，移出边界的像素丢掉
    shifted[:, pixels:, pixels:] = imgs[:, : 8 - pixels, : 8 - pixels]
    noisy = shifted + noise * torch.randn(shifted.shape, generator=g)
    return noisy.clamp(0, 1).reshape(-1, 64)


class AugmentedImages(Dataset):
    """随机 3×32×32 “图像”，``__getitem__`` 里做随机裁剪、翻转和标准化（模拟真实的数据增强开销）。

    Examples
    --------
    >>> ds = AugmentedImages(10)
    >>> x, y = ds[3]
    >>> tuple(x.shape), x.dtype, 0 <= y < 10
    ((3, 32, 32), torch.float32, True)
    """

    def __init__(self, n: int = 1024, seed: int = 0) -> None:
        g = torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (n, 3, 40, 40), generator=g, dtype=torch.uint8)
        self.labels = torch.randint(0, 10, (n,), generator=g)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        g = torch.Generator().manual_seed(i)
        top, left = torch.randint(0, 9, (2,), generator=g).tolist()
        x = self.images[i, :, top : top + 32, left : left + 32].float() / 255
        if torch.rand(1, generator=g).item() < 0.5:
            x = x.flip(-1)
        x = (x - 0.5) / 0.25
        return x, int(self.labels[i])
