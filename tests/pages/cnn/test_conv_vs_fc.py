"""dlguide.pages.cnn.conv_vs_fc（页面：docs/cnn/conv-vs-fc.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.data import load_digits
from dlguide.pages.cnn.conv_vs_fc import MODELS, shift_accuracies, train_models


def test_models_have_similar_parameter_counts() -> None:
    counts = [sum(p.numel() for p in make(0).parameters()) for make in MODELS.values()]
    assert counts == [3010, 2666, 2986]
    assert max(counts) / min(counts) < 1.2


def test_global_max_pool_head_is_invariant_to_circular_shifts_only_with_circular_padding() -> None:
    # 卷积层等变 + 全局最大池化不变：循环填充时对循环平移严格不变；补 0 时边界效应让输出改变
    net = MODELS["CNN + 全局最大池化"](0)
    g = torch.Generator().manual_seed(0)
    img = torch.rand(3, 64, generator=g)
    moved = torch.roll(img.view(3, 8, 8), shifts=(1, 2), dims=(1, 2)).reshape(3, 64)
    with torch.no_grad():
        assert (net(img) - net(moved)).abs().max() > 1e-3
        for layer in net:
            if isinstance(layer, nn.Conv2d):
                layer.padding_mode = "circular"
        torch.testing.assert_close(net(img), net(moved))


def test_train_models_quick() -> None:
    models, X_val, y_val = train_models(seed=1, epochs=1)
    assert list(models) == list(MODELS)
    assert X_val.shape == (539, 64) and y_val.shape == (539,)


def test_bad_input() -> None:
    X, y = load_digits()
    net = nn.Linear(64, 10)
    with pytest.raises(ValueError, match="pixels 必须在"):
        shift_accuracies(net, X[:5], y[:5], pixels=[8])
    with pytest.raises(TypeError, match="pixels 必须是整数的序列"):
        shift_accuracies(net, X[:5], y[:5], pixels=None)
    with pytest.raises(TypeError, match="model 必须是"):
        shift_accuracies(None, X[:5], y[:5])
    with pytest.raises(ValueError, match="X 与 y 的样本数"):
        shift_accuracies(net, X[:5], y[:4])
    with pytest.raises(TypeError, match="y 必须是整数张量"):
        shift_accuracies(net, X[:5], X[:5, 0])
    with pytest.raises(ValueError, match="epochs 必须在"):
        train_models(epochs=0)
