"""dlguide.locally_connected：共享核时等于 F.conv2d，逐位置等于窗口上的 F.linear；参数个数；坏输入。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlguide.locally_connected import MAX_PARAMETERS, LocallyConnected2d, locally_connected2d


@pytest.mark.parametrize(("size", "k", "stride", "padding"), [(6, 3, 1, 0), (7, 3, 2, 1), (8, 5, 1, 2), (9, 1, 3, 0)])
def test_shared_kernel_equals_conv2d(size: int, k: int, stride: int, padding: int) -> None:
    g = torch.Generator().manual_seed(size)
    x = torch.randn(2, 3, size, size, generator=g, dtype=torch.float64)
    kernel = torch.randn(4, 3, k, k, generator=g, dtype=torch.float64)
    bias = torch.randn(4, generator=g, dtype=torch.float64)
    m = (size + 2 * padding - k) // stride + 1
    w = kernel.expand(m, m, 4, 3, k, k)
    b = bias[:, None, None].expand(4, m, m)
    ours = locally_connected2d(x, w, b, stride, padding)
    assert torch.allclose(ours, F.conv2d(x, kernel, bias, stride, padding), atol=1e-10)


def test_each_position_is_a_linear_map_of_its_window() -> None:
    g = torch.Generator().manual_seed(1)
    x = torch.randn(2, 2, 5, 5, generator=g, dtype=torch.float64)
    w = torch.randn(3, 3, 4, 2, 3, 3, generator=g, dtype=torch.float64)
    b = torch.randn(4, 3, 3, generator=g, dtype=torch.float64)
    y = locally_connected2d(x, w, b)
    for h in range(3):
        for v in range(3):
            window = x[:, :, h:h + 3, v:v + 3].flatten(1)
            expected = F.linear(window, w[h, v].reshape(4, -1), b[:, h, v])
            assert torch.allclose(y[:, :, h, v], expected, atol=1e-10)


def test_module_parameter_count_and_gradients() -> None:
    layer = LocallyConnected2d(3, 6, 32, 5, seed=0)
    assert sum(p.numel() for p in layer.parameters()) == 28 * 28 * 6 * (3 * 25 + 1)
    layer(torch.randn(2, 3, 32, 32)).sum().backward()
    assert layer.weight.grad is not None and layer.weight.grad.abs().sum() > 0
    assert "output_size=(28, 28)" in repr(layer)
    assert LocallyConnected2d(1, 1, (4, 6), 3, bias=False, seed=None).bias is None


def test_bad_input() -> None:
    x = torch.zeros(1, 3, 6, 6)
    w = torch.zeros(4, 4, 2, 3, 3, 3)
    cases = [
        (lambda: locally_connected2d(None, w), TypeError, "x"),
        (lambda: locally_connected2d(x, torch.zeros(4, 4, 2, 2, 3, 3)), ValueError, "weight"),
        (lambda: locally_connected2d(x, torch.zeros(3, 3, 2, 3, 3, 3)), ValueError, "weight 的前两维"),
        (lambda: locally_connected2d(x, w.double()), ValueError, "weight"),
        (lambda: locally_connected2d(x, w, torch.zeros(2)), ValueError, "bias"),
        (lambda: locally_connected2d(x, w, stride=0), ValueError, "stride"),
        (lambda: locally_connected2d(x, w, padding=-1), ValueError, "padding"),
        (lambda: LocallyConnected2d(0, 1, 4, 3), ValueError, "in_channels"),
        (lambda: LocallyConnected2d(1, 1, (4, 4, 4), 3), ValueError, "input_size"),
        (lambda: LocallyConnected2d(1, 1, 4, "3"), TypeError, "kernel_size"),
        (lambda: LocallyConnected2d(64, 64, 4096, 3), ValueError, "input_size"),
        (lambda: LocallyConnected2d(1, 1, 4, 3, seed=-1), ValueError, "seed"),
        (lambda: LocallyConnected2d(1, 1, 4, 3)(torch.zeros(1, 1, 5, 5)), ValueError, "input_size"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert MAX_PARAMETERS == 2**28
