"""dlguide.pages.applications.rcnn（页面：docs/applications/rcnn.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.applications.rcnn import roi_shift_response, rpn_anchor_shapes


def test_anchor_shapes_keep_area_and_ratio() -> None:
    shapes = rpn_anchor_shapes()
    areas = (shapes[:, 0] * shapes[:, 1]).reshape(3, 3)
    torch.testing.assert_close(areas, torch.tensor([128.0, 256.0, 512.0])[:, None].pow(2).expand(3, 3))
    ratios = (shapes[:, 1] / shapes[:, 0]).reshape(3, 3)
    torch.testing.assert_close(ratios, torch.tensor([0.5, 1.0, 2.0]).expand(3, 3))


def test_roi_align_follows_the_shift_and_roi_pool_jumps() -> None:
    r = roi_shift_response(steps=17)
    steps = [b - a for a, b in zip(r["roi_align"], r["roi_align"][1:])]
    assert all(abs(s - 0.25) < 1e-4 for s in steps)
    jumps = [b - a for a, b in zip(r["roi_pool"], r["roi_pool"][1:])]
    assert set(jumps) == {0.0, 1.0}


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="steps 必须在"):
        roi_shift_response(steps=10**9)
    with pytest.raises(TypeError, match="scales"):
        rpn_anchor_shapes(scales=[128.0])
    with pytest.raises(ValueError, match="ratios 的元素"):
        rpn_anchor_shapes(ratios=(0.0,))
