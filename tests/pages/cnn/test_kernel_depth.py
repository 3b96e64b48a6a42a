"""dlguide.pages.cnn.kernel_depth（页面：docs/cnn/kernel-depth.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.cnn.kernel_depth import channel_connections, depthwise_separable


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(8, 8, 1), (8, 4, 2), (6, 12, 3), (5, 10, 5)])
def test_connections_are_block_diagonal(c_in: int, c_out: int, groups: int) -> None:
    links = channel_connections(c_in, c_out, groups)
    expected = torch.block_diag(*[torch.ones(c_out // groups, c_in // groups, dtype=torch.long)] * groups)
    assert torch.equal(links, expected)


@pytest.mark.parametrize(("c_in", "c_out", "k"), [(64, 64, 3), (32, 128, 5), (3, 8, 1)])
def test_separable_parameter_ratio(c_in: int, c_out: int, k: int) -> None:
    net = depthwise_separable(c_in, c_out, k)
    params = sum(p.numel() for p in net.parameters())
    assert params == k * k * c_in + c_in * c_out
    assert abs(params / (k * k * c_in * c_out) - (1 / c_out + 1 / (k * k))) < 1e-12
    assert net(torch.zeros(1, c_in, 9, 9)).shape == (1, c_out, 9, 9)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="groups=3 必须整除"):
        channel_connections(8, 8, 3)
    with pytest.raises(ValueError, match="in_channels 必须在"):
        channel_connections(10**9, 8)
    with pytest.raises(ValueError, match="kernel_size 必须是奇数"):
        depthwise_separable(8, 8, 2)
    with pytest.raises(TypeError, match="out_channels 必须是整数"):
        depthwise_separable(8, "8")
