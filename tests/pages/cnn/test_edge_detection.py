"""dlguide.pages.cnn.edge_detection（页面：docs/cnn/edge-detection.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import pytest
import torch

from dlguide.conv import conv_nd
from dlguide.pages.cnn.edge_detection import (
    EDGE_KERNELS,
    edge_snr,
    filter2d,
    gradient_magnitude,
    photo,
    synthetic_image,
)


def test_filter2d_is_the_library_convolution() -> None:
    img = photo("flower.jpg", 8)
    assert img.shape == (53, 80) and 0.0 <= img.min() and img.max() <= 1.0
    for kernel in EDGE_KERNELS.values():
        torch.testing.assert_close(filter2d(img, kernel), conv_nd(img[None, None], kernel[None, None])[0, 0])
        assert filter2d(img, kernel, "same").shape == img.shape


def test_kernels_are_transposes_and_zero_sum() -> None:
    assert torch.equal(EDGE_KERNELS["vertical"].T, EDGE_KERNELS["horizontal"])
    assert torch.equal(EDGE_KERNELS["sobel_x"].T, EDGE_KERNELS["sobel_y"])
    assert all(k.sum().item() == 0 for k in EDGE_KERNELS.values())  # 平坦区域响应为 0


def test_gradient_magnitude_is_symmetric_under_transpose_and_flip() -> None:
    img = synthetic_image(32)
    mag = gradient_magnitude(img)
    torch.testing.assert_close(gradient_magnitude(img.T), mag.T)
    torch.testing.assert_close(gradient_magnitude(img.flip(1)), mag.flip(1))
    assert mag[0].abs().max() == 0  # 复制填充：图像上边缘没有假的边


def test_snr_matches_theory_roughly() -> None:
    # 理论值：台阶响应 / (σ‖w‖₂)
    for name, step in (("difference", 1), ("vertical", 3), ("sobel_x", 4)):
        w = EDGE_KERNELS[name]
        theory = step / (0.2 * math.sqrt((w**2).sum().item()))
        assert abs(edge_snr(w, seed=3) - theory) / theory < 0.1


def test_bad_input() -> None:
    img = synthetic_image(16)
    with pytest.raises(ValueError, match="kernel 不能比 image 大"):
        filter2d(torch.zeros(2, 2), EDGE_KERNELS["vertical"])
    with pytest.raises(ValueError, match="padding 必须是"):
        filter2d(img, EDGE_KERNELS["vertical"], "full")
    with pytest.raises(ValueError, match="kernel 必须与 image 同 dtype"):
        filter2d(img.double(), EDGE_KERNELS["vertical"])
    with pytest.raises(ValueError, match="name 必须是"):
        photo("lena.png")
    with pytest.raises(ValueError, match="size 必须在"):
        synthetic_image(10**9)
    with pytest.raises(ValueError, match="kernel 必须是 3×3"):
        edge_snr(torch.zeros(5, 5))
    with pytest.raises(ValueError, match="noise 必须在"):
        edge_snr(EDGE_KERNELS["vertical"], noise=float("nan"))
    with pytest.raises(ValueError, match="image 必须是 2 维"):
        gradient_magnitude(torch.zeros(3))
