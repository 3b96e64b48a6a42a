"""dlguide.upsampling：插值与 F.interpolate、像素重排与 nn.PixelShuffle/PixelUnshuffle 对照；双线性核；坏输入。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.conv import conv_transpose_nd
from dlguide.upsampling import INTERPOLATION_MODES, bilinear_kernel, interpolate, pixel_shuffle, pixel_unshuffle

X = torch.randn(2, 3, 5, 7, generator=torch.Generator().manual_seed(0), dtype=torch.float64)


@pytest.mark.parametrize("size", [(1, 1), (3, 4), (5, 7), (9, 14), (10, 21), (17, 6)])
@pytest.mark.parametrize(("mode", "align"), [("nearest", False), ("nearest-exact", False), ("bilinear", False), ("bilinear", True)])
def test_interpolate_matches_pytorch(size: tuple[int, int], mode: str, align: bool) -> None:
    theirs = F.interpolate(X, size, mode=mode, align_corners=align if mode == "bilinear" else None)
    assert torch.allclose(interpolate(X, size, mode, align_corners=align), theirs, atol=1e-10)


def test_interpolate_float32_nearest_exact() -> None:
    x = X.float()
    for size in [(13, 29), (7, 3), (33, 33)]:
        for mode in ("nearest", "nearest-exact"):
            assert torch.equal(interpolate(x, size, mode), F.interpolate(x, size, mode=mode))


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle_matches_pytorch(r: int) -> None:
    x = torch.randn(2, 2 * r * r, 3, 4, generator=torch.Generator().manual_seed(r))
    assert torch.equal(pixel_shuffle(x, r), nn.PixelShuffle(r)(x))
    y = torch.randn(2, 3, 3 * r, 2 * r, generator=torch.Generator().manual_seed(r))
    assert torch.equal(pixel_unshuffle(y, r), nn.PixelUnshuffle(r)(y))


@pytest.mark.parametrize("f", [2, 4])
def test_bilinear_kernel_reproduces_bilinear_interpolation_in_the_interior(f: int) -> None:
    img = torch.randn(1, 1, 8, 8, generator=torch.Generator().manual_seed(f), dtype=torch.float64)
    up = conv_transpose_nd(img, bilinear_kernel(f).double()[None, None], stride=f, padding=f // 2)
    ref = F.interpolate(img, scale_factor=f, mode="bilinear")
    m = f
    assert up.shape == ref.shape
    assert torch.allclose(up[..., m:-m, m:-m], ref[..., m:-m, m:-m], atol=1e-10)


def test_bilinear_kernel_shape_and_sum() -> None:
    assert bilinear_kernel(3).shape == (5, 5)
    assert bilinear_kernel(2).sum().item() == pytest.approx(4.0)


def test_bad_input() -> None:
    cases = [
        (lambda: interpolate(None, 4), TypeError, "x"),
        (lambda: interpolate(X, 0), ValueError, "size"),
        (lambda: interpolate(X, (2, 3, 4)), ValueError, "size"),
        (lambda: interpolate(X, 4, "bicubic"), ValueError, "mode"),
        (lambda: interpolate(X, 4, "nearest", align_corners=True), ValueError, "align_corners"),
        (lambda: interpolate(X, 4, align_corners="no"), TypeError, "align_corners"),
        (lambda: interpolate(X, 60000), ValueError, "size"),
        (lambda: pixel_shuffle(X, 2), ValueError, "upscale_factor"),
        (lambda: pixel_shuffle(X, 0), ValueError, "upscale_factor"),
        (lambda: pixel_unshuffle(X, 2), ValueError, "downscale_factor"),
        (lambda: pixel_unshuffle("x", 2), TypeError, "x"),
        (lambda: bilinear_kernel(0), ValueError, "factor"),
        (lambda: bilinear_kernel(2.0), TypeError, "factor"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert INTERPOLATION_MODES == ("nearest", "nearest-exact", "bilinear")
