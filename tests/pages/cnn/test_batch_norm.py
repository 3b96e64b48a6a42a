"""dlguide.pages.cnn.batch_norm（页面：docs/cnn/batch-norm.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.normalization import BatchNorm
from dlguide.pages.cnn.batch_norm import bn_cnn, lr_sweep, normalized_axes


def test_axes_of_our_batchnorm_and_pytorch_agree_and_layer_is_untouched() -> None:
    bn = BatchNorm(6)
    assert normalized_axes(bn) == normalized_axes(nn.BatchNorm2d(6))
    assert int(bn.num_batches_tracked) == 0 and torch.equal(bn.running_mean, torch.zeros(6))
    assert normalized_axes(nn.GroupNorm(3, 6))["C"] == "2/6"


def test_bias_is_dropped_only_with_batch_norm() -> None:
    assert all(m.bias is None for m in bn_cnn(True) if isinstance(m, nn.Conv2d))
    assert all(m.bias is not None for m in bn_cnn(False) if isinstance(m, nn.Conv2d))


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: normalized_axes("bn"), TypeError, "layer"),
        (lambda: normalized_axes(nn.BatchNorm2d(6), (4, 6, 3)), TypeError, "shape"),
        (lambda: normalized_axes(nn.BatchNorm2d(6), (4, 6, 3, 10**9)), ValueError, "shape[3]"),
        (lambda: bn_cnn("yes"), TypeError, "batch_norm"),
        (lambda: bn_cnn(True, width=0), ValueError, "width"),
        (lambda: lr_sweep([]), TypeError, "lrs"),
        (lambda: lr_sweep([0.1, -1.0]), ValueError, "lrs[1]"),
        (lambda: lr_sweep([0.1], epochs=10**9), ValueError, "epochs"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
