"""dlguide.pooling：与 F.max_pool2d、F.avg_pool2d、F.adaptive_*_pool2d 逐元素对照（前向和反向）。"""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from dlguide.pooling import (
    SpatialPyramidPooling,
    adaptive_avg_pool2d,
    adaptive_bins,
    adaptive_max_pool2d,
    avg_pool2d,
    global_avg_pool2d,
    max_pool2d,
    pool_output_size,
    spatial_pyramid_pool,
    spp_paper_bins,
)

CASES = [
    # (H, W, kernel, stride, padding)
    (7, 7, 2, None, 0),
    (7, 9, 3, 2, 1),
    (8, 5, (3, 2), (2, 1), (1, 0)),
    (6, 6, 3, 3, 0),
    (5, 11, 2, 3, 1),
    (1, 4, 1, 2, 0),
    (10, 10, 5, 2, 2),
]


def _grad(fn, x: torch.Tensor, upstream: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    x = x.detach().clone().requires_grad_()
    y = fn(x)
    y.backward(torch.ones_like(y) if upstream is None else upstream)
    return y.detach(), x.grad


@pytest.mark.parametrize(("H", "W", "k", "s", "p"), CASES)
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_max_pool_matches_pytorch_forward_and_backward(H, W, k, s, p, ceil_mode) -> None:
    g = torch.Generator().manual_seed(H * 100 + W)
    x = torch.randn(2, 3, H, W, generator=g, dtype=torch.float64)
    ours, g_ours = _grad(lambda t: max_pool2d(t, k, s, p, ceil_mode), x)
    ref, g_ref = _grad(lambda t: F.max_pool2d(t, k, s, p, ceil_mode=ceil_mode), x)
    torch.testing.assert_close(ours, ref, rtol=0, atol=0)
    torch.testing.assert_close(g_ours, g_ref, rtol=0, atol=0)


@pytest.mark.parametrize(("H", "W", "k", "s", "p"), CASES)
@pytest.mark.parametrize(("ceil_mode", "include"), list(itertools.product([False, True], [False, True])))
def test_avg_pool_matches_pytorch_forward_and_backward(H, W, k, s, p, ceil_mode, include) -> None:
    g = torch.Generator().manual_seed(H * 100 + W + 7)
    x = torch.randn(2, 3, H, W, generator=g, dtype=torch.float64)
    ours, g_ours = _grad(lambda t: avg_pool2d(t, k, s, p, ceil_mode, include), x)
    ref, g_ref = _grad(lambda t: F.avg_pool2d(t, k, s, p, ceil_mode=ceil_mode, count_include_pad=include), x)
    torch.testing.assert_close(ours, ref)
    torch.testing.assert_close(g_ours, g_ref)


def test_output_size_agrees_with_pytorch_over_a_grid() -> None:
    for n, k, s, ceil_mode in itertools.product(range(1, 14), range(1, 6), range(1, 5), [False, True]):
        for p in range(k // 2 + 1):
            if n + 2 * p < k:
                continue
            expected = F.max_pool2d(torch.zeros(1, 1, n, 1), (k, 1), (s, 1), (p, 0), ceil_mode=ceil_mode).shape[2]
            assert pool_output_size(n, k, s, p, ceil_mode) == expected, (n, k, s, p, ceil_mode)


def test_max_pool_gradient_goes_to_the_first_maximum_on_ties() -> None:
    x = torch.tensor([[[[1.0, 5.0, 5.0, 0.0], [5.0, 2.0, 3.0, 3.0]]]])
    _, g_ours = _grad(lambda t: max_pool2d(t, 2), x)
    _, g_ref = _grad(lambda t: F.max_pool2d(t, 2), x)
    torch.testing.assert_close(g_ours, g_ref)
    assert g_ours.flatten().tolist() == [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]  # 左窗口的 5 有两个，取行优先的第一个


def test_unbatched_input_and_nan_propagation() -> None:
    x = torch.randn(3, 6, 6)
    torch.testing.assert_close(max_pool2d(x, 2), F.max_pool2d(x, 2))
    torch.testing.assert_close(avg_pool2d(x, 3, 1, 1), F.avg_pool2d(x, 3, 1, 1))
    x[0, 0, 0] = float("nan")
    assert torch.isnan(max_pool2d(x, 2)[0, 0, 0]) and torch.isnan(F.max_pool2d(x, 2)[0, 0, 0])


@pytest.mark.parametrize(("size", "out"), [((7, 7), 3), ((13, 10), (4, 6)), ((2, 3), 5), ((9, 9), 1), ((1, 1), 2)])
def test_adaptive_pools_match_pytorch(size, out) -> None:
    g = torch.Generator().manual_seed(sum(size))
    x = torch.randn(2, 4, *size, generator=g, dtype=torch.float64)
    for ours_fn, ref_fn in ((adaptive_max_pool2d, F.adaptive_max_pool2d), (adaptive_avg_pool2d, F.adaptive_avg_pool2d)):
        ours, g_ours = _grad(lambda t, f=ours_fn: f(t, out), x)
        ref, g_ref = _grad(lambda t, f=ref_fn: f(t, out), x)
        torch.testing.assert_close(ours, ref)
        torch.testing.assert_close(g_ours, g_ref)


def test_adaptive_bins_cover_the_input() -> None:
    for n, o in itertools.product(range(1, 20), range(1, 9)):
        bins = adaptive_bins(n, o)
        assert len(bins) == o and bins[0][0] == 0 and bins[-1][1] == n
        assert all(a < b for a, b in bins)
        assert all(b0[1] >= b1[0] for b0, b1 in zip(bins, bins[1:]))  # 相邻区间不留空隙


def test_global_average_pool_is_adaptive_pool_of_one() -> None:
    x = torch.randn(3, 5, 4, 7)
    torch.testing.assert_close(global_avg_pool2d(x), F.adaptive_avg_pool2d(x, 1).flatten(1))


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_spp_is_concatenated_adaptive_pools_and_has_fixed_length(mode: str) -> None:
    ref_fn = F.adaptive_max_pool2d if mode == "max" else F.adaptive_avg_pool2d
    layer = SpatialPyramidPooling((1, 2, 4), mode)
    for h, w in ((4, 4), (13, 13), (9, 21), (3, 2)):
        x = torch.randn(2, 8, h, w)
        ref = torch.cat([ref_fn(x, n).flatten(1) for n in (1, 2, 4)], dim=1)
        torch.testing.assert_close(layer(x), ref)
        assert layer(x).shape == (2, layer.output_features(8))
    assert "levels=(1, 2, 4)" in repr(layer)


def test_spp_paper_window_formula() -> None:
    # 论文的 13×13 conv5 上各层都对；但公式并不总给出 n 格
    assert [spp_paper_bins(13, n) for n in (1, 2, 3, 4, 6)] == [1, 2, 3, 4, 6]
    for a, n in ((10, 4), (7, 4), (6, 4), (9, 6), (3, 4)):
        win, stride = -(-a // n), a // n
        expected = 0 if stride == 0 else F.max_pool2d(torch.zeros(1, 1, a, a), win, stride).shape[-1]
        assert spp_paper_bins(a, n) == expected
    assert spp_paper_bins(7, 4) == 6


def test_pooling_has_no_parameters() -> None:
    assert list(SpatialPyramidPooling().parameters()) == []


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: max_pool2d([[1.0]], 2), TypeError, "x"),
        (lambda: max_pool2d(torch.zeros(4, 4), 2), ValueError, "x"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4, dtype=torch.int64), 2), TypeError, "x"),
        (lambda: max_pool2d(torch.zeros(1, 1, 0, 4), 2), ValueError, "x"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 0), ValueError, "kernel_size"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 10**9), ValueError, "kernel_size"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 5), ValueError, "kernel_size"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 2.0), TypeError, "kernel_size"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), (2, 2, 2)), ValueError, "kernel_size"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 2, stride=0), ValueError, "stride"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 2, padding=2), ValueError, "padding"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 2, padding=-1), ValueError, "padding"),
        (lambda: max_pool2d(torch.zeros(1, 1, 4, 4), 2, ceil_mode="yes"), TypeError, "ceil_mode"),
        (lambda: avg_pool2d(torch.zeros(1, 1, 4, 4), 2, count_include_pad=1), TypeError, "count_include_pad"),
        (lambda: adaptive_avg_pool2d(torch.zeros(1, 1, 4, 4), 0), ValueError, "output_size"),
        (lambda: adaptive_max_pool2d(torch.zeros(1, 1, 4, 4), 10**9), ValueError, "output_size"),
        (lambda: global_avg_pool2d(torch.zeros(2, 3)), ValueError, "x"),
        (lambda: spatial_pyramid_pool(torch.zeros(1, 1, 4, 4), ()), TypeError, "levels"),
        (lambda: spatial_pyramid_pool(torch.zeros(1, 1, 4, 4), (1, 0)), ValueError, "levels[1]"),
        (lambda: spatial_pyramid_pool(torch.zeros(1, 1, 4, 4), mode="sum"), ValueError, "mode"),
        (lambda: SpatialPyramidPooling(mode=None), TypeError, "mode"),
        (lambda: pool_output_size(0, 2), ValueError, "n"),
        (lambda: pool_output_size(5, 2, None, 0, None), TypeError, "ceil_mode"),
        (lambda: adaptive_bins(5, -1), ValueError, "out"),
        (lambda: spp_paper_bins(5, 0), ValueError, "n"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{__import__('re').escape(name)} "):
        call()
