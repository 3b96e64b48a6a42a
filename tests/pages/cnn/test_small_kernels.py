"""dlguide.pages.cnn.small_kernels（页面：docs/cnn/small-kernels.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.conv import receptive_field, receptive_field_sizes
from dlguide.pages.cnn.small_kernels import effective_kernel, stacked_convs


@pytest.mark.parametrize(("n", "k"), [(1, 3), (2, 3), (3, 3), (2, 5)])
def test_stack_parameters_and_receptive_field(n: int, k: int) -> None:
    net = stacked_convs(n, 4, k, seed=0)
    assert sum(p.numel() for p in net.parameters()) == n * k * k * 4 * 4
    r = n * (k - 1) + 1
    assert receptive_field_sizes(net)[-1][0] == r
    assert receptive_field(net, (4, 2 * r + 3, 2 * r + 3)) == (r, r)
    assert net(torch.zeros(1, 4, 9, 9)).shape == (1, 4, 9, 9)  # “same”填充


def test_effective_kernel_of_random_linear_stacks() -> None:
    g = torch.Generator().manual_seed(0)
    for sizes in ([3, 3], [3, 5], [1, 3, 3, 3]):
        layers = [nn.Conv2d(1, 1, k, bias=False).double() for k in sizes]
        net = nn.Sequential(*layers)
        k = sum(s - 1 for s in sizes) + 1
        x = torch.randn(2, 1, 15, 15, generator=g, dtype=torch.float64)
        torch.testing.assert_close(F.conv2d(x, effective_kernel(net, k)), net(x))


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="kernel_size 必须是奇数"):
        stacked_convs(2, 4, 4)
    with pytest.raises(ValueError, match="n_layers 必须在"):
        stacked_convs(0, 4)
    with pytest.raises(TypeError, match="relu 必须是 True 或 False"):
        stacked_convs(2, 4, relu="no")
    with pytest.raises(ValueError, match="kernel_size=5 与 model 不符"):
        effective_kernel(nn.Conv2d(1, 1, 3, bias=False), 5)
    with pytest.raises(TypeError, match="model 必须是"):
        effective_kernel(None, 3)
    with pytest.raises(ValueError, match="kernel_size 必须在"):
        effective_kernel(nn.Conv2d(1, 1, 3), 10**9)
