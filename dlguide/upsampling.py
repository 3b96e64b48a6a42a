r"""上采样：最近邻与双线性插值（与 ``F.interpolate`` 相同）、像素重排（与 ``nn.PixelShuffle`` 相同），以及双线性核。

插值按**坐标映射**定义：输出像素 $i$（共 $m$ 个）对应输入上的连续坐标 $u(i)$（共 $n$ 个输入像素），再取值：

- 最近邻（PyTorch 的 ``"nearest"``）：$u = i\cdot n/m$，取 $\lfloor u\rfloor$；``"nearest-exact"``：$u = (i+\tfrac12)\,n/m$，取 $\lfloor u\rfloor$；
- 双线性，``align_corners=False``（默认）：把像素看成**面积为 1 的格子**，中心对中心，$u = (i+\tfrac12)\,n/m - \tfrac12$；
  ``align_corners=True``：把像素看成**点**，两端的点对齐，$u = i\,(n-1)/(m-1)$。取 $u$ 两侧的像素线性加权。

可学习的上采样（转置卷积）在 [`conv_transpose_nd`][dlguide.conv.conv_transpose_nd]。
"""

from __future__ import annotations

import torch

from dlguide._checks import check_bool, check_choice, check_int, check_tensor

__all__ = [
    "INTERPOLATION_MODES",
    "bilinear_kernel",
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
]

INTERPOLATION_MODES = ("nearest", "nearest-exact", "bilinear")
"""[`interpolate`][dlguide.upsampling.interpolate] 支持的插值方式，名字与 ``F.interpolate(mode=...)`` 相同。"""

MAX_ELEMENTS = 2**27
"""输出张量元素个数的上限（$2^{27}$，float32 时 512 MiB）。"""

_MAX_SIZE = 2**16


def _check_image(x: object) -> torch.Tensor:
    check_tensor(x, "x", ndim=4, nonempty=True)
    return x  # type: ignore[return-value]


def _pair(value: object, name: str) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"{name} 必须是一个整数或 (高, 宽) 两个整数，收到 {value!r}")
        return tuple(check_int(v, name, low=1, high=_MAX_SIZE) for v in value)  # type: ignore[return-value]
    v = check_int(value, name, low=1, high=_MAX_SIZE)
    return v, v


def _source_coords(n: int, m: int, mode: str, align_corners: bool, device: torch.device) -> torch.Tensor:
    """输出的 ``m`` 个像素在输入（长 ``n``）上的连续坐标 u(i)。"""
    i = torch.arange(m, dtype=torch.float64, device=device)
    if mode == "nearest":
        # u = i · n/m（PyTorch 用 float32 算比例和乘积）
        return i.float() * torch.tensor(n / m, dtype=torch.float32)
    if mode == "nearest-exact":
        # u = (i + ½) · n/m
        return (i.float() + 0.5) * torch.tensor(n / m, dtype=torch.float32)
    if align_corners:
        # u = i · (n − 1)/(m − 1)：两端像素的中心对齐
        return i * ((n - 1) / (m - 1)) if m > 1 else torch.zeros_like(i)
    # u = (i + ½) · n/m − ½：像素格子中心对中心，小于 0 的截到 0
    return ((i + 0.5) * (n / m) - 0.5).clamp(min=0)


def _linear_1d(x: torch.Tensor, m: int, dim: int, align_corners: bool) -> torch.Tensor:
    """沿 ``dim`` 线性插值到长度 ``m``。"""
    n = x.shape[dim]
    u = _source_coords(n, m, "bilinear", align_corners, x.device)
    i0 = u.floor().long().clamp(max=n - 1)
    i1 = (i0 + 1).clamp(max=n - 1)
    lam = (u - i0).to(x.dtype)
    shape = [1] * x.ndim
    shape[dim] = m
    lam = lam.view(shape)
    # x(u) = (1 − λ)·x[⌊u⌋] + λ·x[⌊u⌋ + 1]
    return (1 - lam) * x.index_select(dim, i0) + lam * x.index_select(dim, i1)


def interpolate(
    x: torch.Tensor, size: int | tuple[int, int], mode: str = "nearest", *, align_corners: bool = False
) -> torch.Tensor:
    r"""把 ``(B, C, H, W)`` 的图像插值到 ``size``，与 ``F.interpolate(x, size, mode=..., align_corners=...)`` 相同。

    两个空间维分开做（先行后列）：最近邻直接取下标 $\lfloor u\rfloor$；双线性在每一维上做线性插值
    $x(u) = (1-\lambda)\,x_{\lfloor u\rfloor} + \lambda\,x_{\lfloor u\rfloor+1}$，$\lambda = u - \lfloor u\rfloor$。
    坐标映射 $u(i)$ 见模块说明。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C, H, W)`` 的非空浮点张量。
    size : int or tuple[int, int]
        输出的 ``(高, 宽)``，每个在 [1, 65536] 内。
    mode : str
        [`INTERPOLATION_MODES`][dlguide.upsampling.INTERPOLATION_MODES] 之一。
    align_corners : bool
        只对 ``"bilinear"`` 有意义（与 PyTorch 相同，最近邻给了 ``True`` 会报错）。

    Returns
    -------
    torch.Tensor
        ``(B, C, *size)``。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 4 维非空浮点张量，``size`` 越界，``mode`` 不认识，最近邻配 ``align_corners=True``，结果过大。

    Examples
    --------
    >>> x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> interpolate(x, 4)[0, 0, 0].tolist()                               # 每个像素复制成 2×2
    [1.0, 1.0, 2.0, 2.0]
    >>> interpolate(x, 4, "bilinear")[0, 0, 0].tolist()                   # u = −0.25(→0), 0.25, 0.75, 1.25(→1)
    [1.0, 1.25, 1.75, 2.0]
    >>> [round(v, 4) for v in interpolate(x, 4, "bilinear", align_corners=True)[0, 0, 0].tolist()]
    [1.0, 1.3333, 1.6667, 2.0]
    """
    _check_image(x)
    h, w = _pair(size, "size")
    check_choice(mode, "mode", INTERPOLATION_MODES)
    check_bool(align_corners, "align_corners")
    if align_corners and mode != "bilinear":
        raise ValueError(f"align_corners=True 只能配 mode='bilinear'（与 PyTorch 相同），收到 mode={mode!r}")
    if x.shape[0] * x.shape[1] * h * w > MAX_ELEMENTS:
        raise ValueError(f"size 太大：输出将有 {x.shape[0] * x.shape[1] * h * w} 个元素，超过上限 {MAX_ELEMENTS}")
    if mode == "bilinear":
        y = _linear_1d(x, h, 2, align_corners)  # (B, C, h, W)
        return _linear_1d(y, w, 3, align_corners)  # (B, C, h, w)
    H, W = x.shape[2:]
    # 最近邻：取 ⌊u⌋（不超过 n − 1）
    rows = _source_coords(H, h, mode, False, x.device).floor().long().clamp(max=H - 1)
    cols = _source_coords(W, w, mode, False, x.device).floor().long().clamp(max=W - 1)
    return x.index_select(2, rows.to(x.device)).index_select(3, cols.to(x.device))  # (B, C, h, w)


def pixel_shuffle(x: torch.Tensor, upscale_factor: int) -> torch.Tensor:
    r"""像素重排（亚像素卷积的最后一步）：$(B, C r^2, H, W) \to (B, C, rH, rW)$，与 ``nn.PixelShuffle`` 相同。

    $$ y[c,\; h r + i,\; w r + j] = x[c r^2 + i r + j,\; h,\; w], \qquad 0 \le i, j < r . $$

    它只搬运数据、没有参数：前面的卷积在低分辨率上算出 $r^2$ 组通道，每组负责输出里 $r\times r$ 块中的一个位置。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C·r², H, W)`` 的非空浮点张量。
    upscale_factor : int
        放大倍数 $r$，在 [1, 64] 内，$r^2$ 必须整除通道数。

    Returns
    -------
    torch.Tensor
        ``(B, C, r·H, r·W)``。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 4 维浮点张量，``upscale_factor`` 越界或 $r^2$ 不整除通道数。

    Examples
    --------
    >>> x = torch.arange(4.0).reshape(1, 4, 1, 1)      # 4 个通道，每个 1×1
    >>> pixel_shuffle(x, 2)[0, 0].tolist()              # 通道 0,1,2,3 → 2×2 块的左上、右上、左下、右下
    [[0.0, 1.0], [2.0, 3.0]]
    """
    _check_image(x)
    r = check_int(upscale_factor, "upscale_factor", low=1, high=64)
    B, C, H, W = x.shape
    if C % (r * r):
        raise ValueError(f"x 的通道数 {C} 必须能被 upscale_factor² = {r * r} 整除")
    c = C // (r * r)
    # x[b, c·r² + i·r + j, h, w] → y[b, c, h·r + i, w·r + j]
    y = x.reshape(B, c, r, r, H, W)  # (B, C, i, j, H, W)
    y = y.permute(0, 1, 4, 2, 5, 3)  # (B, C, H, i, W, j)
    return y.reshape(B, c, H * r, W * r)


def pixel_unshuffle(x: torch.Tensor, downscale_factor: int) -> torch.Tensor:
    r"""像素重排的逆：$(B, C, rH, rW) \to (B, C r^2, H, W)$，与 ``nn.PixelUnshuffle`` 相同（一种无损的下采样）。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C, r·H, r·W)`` 的非空浮点张量。
    downscale_factor : int
        缩小倍数 $r$，在 [1, 64] 内，必须整除高和宽。

    Returns
    -------
    torch.Tensor
        ``(B, C·r², H, W)``。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 4 维浮点张量，``downscale_factor`` 越界或不整除高、宽。

    Examples
    --------
    >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
    >>> y = pixel_unshuffle(x, 2)
    >>> tuple(y.shape), y[0, :, 0, 0].tolist()          # 左上角 2×2 块拆到 4 个通道
    ((1, 4, 2, 2), [0.0, 1.0, 4.0, 5.0])
    >>> torch.equal(pixel_shuffle(y, 2), x)
    True
    """
    _check_image(x)
    r = check_int(downscale_factor, "downscale_factor", low=1, high=64)
    B, C, H, W = x.shape
    if H % r or W % r:
        raise ValueError(f"x 的高 {H} 和宽 {W} 必须能被 downscale_factor={r} 整除")
    # x[b, c, h·r + i, w·r + j] → y[b, c·r² + i·r + j, h, w]
    y = x.reshape(B, C, H // r, r, W // r, r)  # (B, C, H, i, W, j)
    y = y.permute(0, 1, 3, 5, 2, 4)  # (B, C, i, j, H, W)
    return y.reshape(B, C * r * r, H // r, W // r)


def bilinear_kernel(factor: int) -> torch.Tensor:
    r"""放大 ``factor`` 倍的双线性插值核（FCN 用它初始化转置卷积）：边长 $k = 2f - (f \bmod 2)$ 的“帐篷”。

    $$ w[i, j] = \Bigl(1 - \frac{|i - c|}{f}\Bigr)\Bigl(1 - \frac{|j - c|}{f}\Bigr),\qquad
    c = \begin{cases} f - 1 & k \text{ 奇数} \\ f - \tfrac12 & k \text{ 偶数} \end{cases} $$

    偶数倍时，``ConvTranspose2d(kernel_size=2f, stride=f, padding=f//2)`` 配这个核，在远离边界的地方
    与 ``F.interpolate(mode="bilinear", align_corners=False)`` 完全相同（边界处少了一侧的贡献）。

    Parameters
    ----------
    factor : int
        放大倍数 $f$，在 [1, 64] 内。

    Returns
    -------
    torch.Tensor
        ``(k, k)`` 的 float32 张量。

    Raises
    ------
    TypeError, ValueError
        ``factor`` 不是整数或越界。

    Examples
    --------
    >>> bilinear_kernel(2)[0].tolist()                  # 4×4 核的第一行 = 0.25 × [0.25, 0.75, 0.75, 0.25]
    [0.0625, 0.1875, 0.1875, 0.0625]
    """
    f = check_int(factor, "factor", low=1, high=64)
    k = 2 * f - f % 2
    # 中心 c：k 奇数时 f − 1，偶数时 f − ½
    c = f - 1 if k % 2 == 1 else f - 0.5
    t = torch.arange(k, dtype=torch.float32)
    # 一维帐篷 1 − |t − c| / f
    tent = 1 - (t - c).abs() / f
    # w[i, j] = tent[i] · tent[j]
    return tent[:, None] * tent[None, :]
