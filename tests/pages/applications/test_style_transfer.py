"""dlguide.pages.applications.style_transfer（页面：docs/applications/style-transfer.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.applications.style_transfer import RandomFeatures, StyledImage, load_photo


def test_photos_load_in_range_and_differ() -> None:
    china, flower = load_photo("china", (32, 48)), load_photo("flower", (32, 48))
    assert china.shape == flower.shape == (1, 3, 32, 48)
    assert 0.0 <= china.min() and china.max() <= 1.0
    # 花的红色分量明显高于蓝色
    assert flower[0, 0].mean() > flower[0, 2].mean() + 0.2


def test_random_features_are_frozen_and_deterministic() -> None:
    a, b = RandomFeatures(seed=3), RandomFeatures(seed=3)
    assert not any(p.requires_grad for p in a.parameters())
    x = torch.rand(1, 3, 16, 16)
    assert all(torch.equal(u, v) for u, v in zip(a(x), b(x)))


def test_styled_image_is_the_only_parameter() -> None:
    m = StyledImage(torch.zeros(1, 3, 5, 5))
    (p,) = list(m.parameters())
    assert p.requires_grad and m(torch.zeros(7)) is p


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="name 必须是"):
        load_photo("lena")
    with pytest.raises(ValueError, match="size\\[0\\]"):
        load_photo("china", (10**9, 10))
    with pytest.raises(ValueError, match="image 必须是 4 维"):
        StyledImage(torch.zeros(3, 5, 5))
