"""dlguide.normalization：与 nn.BatchNorm1d/2d、nn.LayerNorm、nn.GroupNorm、nn.InstanceNorm2d 逐元素对照。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.normalization import BatchNorm, batch_norm, group_norm, layer_norm


def _randomize(module: nn.Module, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype))


@pytest.mark.parametrize(
    ("ref_cls", "shape"),
    [(nn.BatchNorm1d, (8, 5)), (nn.BatchNorm1d, (4, 5, 7)), (nn.BatchNorm2d, (4, 5, 3, 6))],
)
@pytest.mark.parametrize("momentum", [0.1, 0.7, None])
def test_batchnorm_matches_pytorch_in_train_and_eval(ref_cls, shape, momentum) -> None:
    ref = ref_cls(shape[1], momentum=momentum).double()
    ours = BatchNorm(shape[1], momentum=momentum).double()
    _randomize(ref, 0)
    ours.load_state_dict(ref.state_dict())  # 参数、缓冲区同名
    g = torch.Generator().manual_seed(1)
    for step in range(4):  # 训练几步：输出、梯度、滑动统计量都一致
        x = (3 * torch.randn(shape, generator=g, dtype=torch.float64) + step).requires_grad_()
        x2 = x.detach().clone().requires_grad_()
        up = torch.randn(shape, generator=g, dtype=torch.float64)
        y_ref, y_ours = ref(x), ours(x2)
        torch.testing.assert_close(y_ours, y_ref)
        y_ref.backward(up)
        y_ours.backward(up)
        torch.testing.assert_close(x2.grad, x.grad)
        torch.testing.assert_close(ours.weight.grad, ref.weight.grad)
        torch.testing.assert_close(ours.bias.grad, ref.bias.grad)
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            torch.testing.assert_close(getattr(ours, name), getattr(ref, name))
    ref.eval()
    ours.eval()
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    torch.testing.assert_close(ours(x), ref(x))
    # 推断时输出与批里的其他样本无关
    torch.testing.assert_close(ours(x[:1]), ours(x)[:1])


def test_functional_batch_norm_matches_F_batch_norm() -> None:
    g = torch.Generator().manual_seed(2)
    x = torch.randn(6, 3, 4, 4, generator=g)
    w, b = torch.randn(3, generator=g), torch.randn(3, generator=g)
    rm, rv = torch.zeros(3), torch.ones(3)
    rm2, rv2 = rm.clone(), rv.clone()
    y = batch_norm(x, rm, rv, w, b, training=True, momentum=0.3, eps=1e-3)
    y_ref = torch.nn.functional.batch_norm(x, rm2, rv2, w, b, training=True, momentum=0.3, eps=1e-3)
    torch.testing.assert_close(y, y_ref)
    torch.testing.assert_close((rm, rv), (rm2, rv2))
    torch.testing.assert_close(batch_norm(x, rm, rv, w, b, training=False), torch.nn.functional.batch_norm(x, rm2, rv2, w, b))


def test_running_var_is_unbiased_and_momentum_is_weight_of_new_value() -> None:
    bn = BatchNorm(1, momentum=0.1)
    x = torch.tensor([[0.0], [2.0], [4.0]])  # 有偏方差 8/3，无偏方差 4
    bn(x)
    assert bn.running_mean.item() == pytest.approx(0.9 * 0 + 0.1 * 2)
    assert bn.running_var.item() == pytest.approx(0.9 * 1 + 0.1 * 4)


def test_batch_of_one_is_refused_in_training_like_pytorch() -> None:
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        nn.BatchNorm1d(3)(torch.randn(1, 3))
    with pytest.raises(ValueError, match="至少要有 2 个数"):
        BatchNorm(3)(torch.randn(1, 3))
    BatchNorm(3).eval()(torch.randn(1, 3))  # 推断时没问题
    BatchNorm(3)(torch.randn(1, 3, 2, 2))  # 2d：一个样本也有 4 个位置


@pytest.mark.parametrize("normalized_shape", [(6,), (4, 6), (3, 4, 6)])
def test_layer_norm_matches_pytorch(normalized_shape) -> None:
    ref = nn.LayerNorm(normalized_shape).double()
    _randomize(ref, 3)
    x = torch.randn(2, 3, 4, 6, dtype=torch.float64, requires_grad=True)
    x2 = x.detach().clone().requires_grad_()
    y_ref = ref(x)
    y = layer_norm(x2, normalized_shape, ref.weight, ref.bias)
    torch.testing.assert_close(y, y_ref)
    y_ref.sum().backward()
    y.sum().backward()
    torch.testing.assert_close(x2.grad, x.grad)
    torch.testing.assert_close(layer_norm(x.detach(), 6), nn.functional.layer_norm(x.detach(), (6,)))


@pytest.mark.parametrize(("groups", "shape"), [(1, (2, 6, 3, 3)), (2, (2, 6, 3, 3)), (3, (2, 6, 5)), (6, (2, 6, 3, 3))])
def test_group_norm_matches_pytorch(groups, shape) -> None:
    ref = nn.GroupNorm(groups, shape[1]).double()
    _randomize(ref, 4)
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    x2 = x.detach().clone().requires_grad_()
    y_ref = ref(x)
    y = group_norm(x2, groups, ref.weight, ref.bias)
    torch.testing.assert_close(y, y_ref)
    y_ref.pow(2).sum().backward()
    y.pow(2).sum().backward()
    torch.testing.assert_close(x2.grad, x.grad)


def test_group_norm_special_cases_are_instance_norm_and_layer_norm_statistics() -> None:
    x = torch.randn(3, 4, 5, 5, dtype=torch.float64)
    torch.testing.assert_close(group_norm(x, 4), nn.InstanceNorm2d(4).double()(x))
    torch.testing.assert_close(group_norm(x, 1), layer_norm(x, (4, 5, 5)))


def _named(name: str) -> str:
    return rf"^{re.escape(name)} "


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: batch_norm([1.0], torch.zeros(1), torch.ones(1)), TypeError, "x"),
        (lambda: batch_norm(torch.zeros(4), torch.zeros(1), torch.ones(1)), ValueError, "x"),
        (lambda: batch_norm(torch.zeros(0, 2), torch.zeros(2), torch.ones(2)), ValueError, "x"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(3), torch.ones(2)), ValueError, "running_mean"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), None), TypeError, "running_var"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), torch.ones(2), torch.ones(3)), ValueError, "weight"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), torch.ones(2), training="yes"), TypeError, "training"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), torch.ones(2), momentum=1.5), ValueError, "momentum"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), torch.ones(2), momentum=float("nan")), ValueError, "momentum"),
        (lambda: batch_norm(torch.zeros(4, 2), torch.zeros(2), torch.ones(2), eps=0.0), ValueError, "eps"),
        (lambda: BatchNorm(0), ValueError, "num_features"),
        (lambda: BatchNorm(10**9), ValueError, "num_features"),
        (lambda: BatchNorm(3, momentum=-0.1), ValueError, "momentum"),
        (lambda: BatchNorm(3, affine=None), TypeError, "affine"),
        (lambda: layer_norm(torch.zeros(2, 3), 4), ValueError, "x"),
        (lambda: layer_norm(torch.zeros(2, 3), ()), TypeError, "normalized_shape"),
        (lambda: layer_norm(torch.zeros(2, 3), "3"), TypeError, "normalized_shape"),
        (lambda: layer_norm(torch.zeros(2, 3), 3, torch.ones(4)), ValueError, "weight"),
        (lambda: layer_norm(torch.zeros(2, 3), 3, eps=-1.0), ValueError, "eps"),
        (lambda: group_norm(torch.zeros(2, 6, 2), 4), ValueError, "num_groups"),
        (lambda: group_norm(torch.zeros(2, 6, 2), 0), ValueError, "num_groups"),
        (lambda: group_norm(torch.zeros(6), 1), ValueError, "x"),
        (lambda: group_norm(torch.zeros(2, 6, 2), 2, bias=torch.zeros(5)), ValueError, "bias"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=_named(name)):
        call()


def test_channel_mismatch_names_x() -> None:
    from dlguide.normalization import batch_norm, group_norm  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    with pytest.raises(ValueError, match="running_mean 的长度必须等于 x 的通道数 3"):
        batch_norm(torch.zeros(2, 3), torch.zeros(2), torch.ones(3))
    with pytest.raises(ValueError, match="num_groups 必须整除 x 的通道数 3"):
        group_norm(torch.zeros(2, 3, 4), 2)
