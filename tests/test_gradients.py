"""dlguide.gradients：docs/gradients/*.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import copy
import math

import pytest
import torch
from torch import nn

from dlguide.gradients import (
    GradientClipper,
    GradientMonitor,
    clip_grad_norm,
    clip_grad_value,
    global_grad_norm,
    layer_grad_norms,
)
from dlguide.models import mlp


def _two_nets(scale: float) -> tuple[nn.Module, nn.Module]:
    net = mlp([5, 16, 16, 3], "tanh", seed=0)
    x = torch.randn(32, 5, generator=torch.Generator().manual_seed(1))
    (net(x).pow(2).sum() * scale).backward()
    twin = copy.deepcopy(net)
    for p, q in zip(net.parameters(), twin.parameters()):
        q.grad = p.grad.clone()
    return net, twin


@pytest.mark.parametrize("max_norm", [0.01, 1.0, 1e6])
def test_clip_grad_norm_matches_torch(max_norm: float) -> None:
    a, b = _two_nets(10.0)
    mine = clip_grad_norm(a.parameters(), max_norm)
    theirs = torch.nn.utils.clip_grad_norm_(b.parameters(), max_norm)
    assert mine == pytest.approx(theirs.item(), rel=1e-6)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p.grad, q.grad)


@pytest.mark.parametrize("clip", [0.01, 0.5, 1e6])
def test_clip_grad_value_matches_torch(clip: float) -> None:
    a, b = _two_nets(10.0)
    clip_grad_value(a.parameters(), clip)
    torch.nn.utils.clip_grad_value_(b.parameters(), clip)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p.grad, q.grad)


def test_norm_clipping_keeps_direction_value_clipping_does_not() -> None:
    a, b = _two_nets(10.0)
    before = torch.cat([p.grad.flatten() for p in a.parameters()])
    clip_grad_norm(a.parameters(), 0.1)
    clip_grad_value(b.parameters(), 0.01)
    after_norm = torch.cat([p.grad.flatten() for p in a.parameters()])
    after_value = torch.cat([p.grad.flatten() for p in b.parameters()])
    cos = nn.functional.cosine_similarity
    assert cos(before, after_norm, dim=0).item() == pytest.approx(1.0, abs=1e-6)
    assert cos(before, after_value, dim=0).item() < 0.99
    assert after_norm.norm().item() == pytest.approx(0.1, rel=1e-4)


def test_single_tensor_and_no_grad() -> None:
    w = torch.zeros(3, requires_grad=True)
    assert clip_grad_norm(w, 1.0) == 0.0
    assert global_grad_norm(w) == 0.0


def test_monitor_matches_clip_total_norm_and_flags_nan() -> None:
    net, other = _two_nets(1.0)
    monitor = GradientMonitor(net)
    total = monitor.record()
    assert total == pytest.approx(torch.nn.utils.clip_grad_norm_(other.parameters(), 1e9).item(), rel=1e-6)
    assert len(monitor.layer_norms[0]) == 3
    net[0].weight.grad[0, 0] = math.inf
    monitor.record()
    assert monitor.nonfinite_steps == [1] and monitor.first_nonfinite == 1


def test_monitor_context_hooks_optimizer_steps_only_for_its_model() -> None:
    net = mlp([2, 4, 1], "relu", seed=0)
    other = nn.Linear(2, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    opt_other = torch.optim.SGD(other.parameters(), lr=0.1)
    x = torch.randn(8, 2, generator=torch.Generator().manual_seed(0))
    with GradientMonitor(net) as monitor:
        for _ in range(3):
            opt.zero_grad()
            net(x).pow(2).mean().backward()
            opt.step()
            other(x).sum().backward()
            opt_other.step()
    opt.step()  # 退出上下文后不再记录
    assert len(monitor.global_norms) == 3


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: GradientMonitor("net"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: clip_grad_norm([], 0.0), ValueError, "max_norm 必须在"),
        (lambda: clip_grad_value([], -1.0), ValueError, "clip_value 必须在"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_clipper_context_clips_before_each_step_like_torch() -> None:

    a, b = _two_nets(10.0)
    opt_a = torch.optim.SGD(a.parameters(), lr=0.1)
    opt_b = torch.optim.SGD(b.parameters(), lr=0.1)
    with GradientClipper(a, max_norm=0.5):
        opt_a.step()
    torch.nn.utils.clip_grad_norm_(b.parameters(), 0.5)
    opt_b.step()
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p, q)
    a, b = _two_nets(10.0)
    opt_a = torch.optim.SGD(a.parameters(), lr=0.1)
    with GradientClipper(a, clip_value=0.01):
        opt_a.step()
    torch.nn.utils.clip_grad_value_(b.parameters(), 0.01)
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p.grad, q.grad)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({}, "恰好给出一个"), ({"max_norm": 1.0, "clip_value": 1.0}, "恰好给出一个"), ({"max_norm": -1.0}, "max_norm 必须在")],
)
def test_clipper_errors(kwargs, message) -> None:

    with pytest.raises(ValueError, match=message):
        GradientClipper(nn.Linear(1, 1), **kwargs)
    with pytest.raises(TypeError, match="model 必须是"):
        GradientClipper("net", max_norm=1.0)


def test_layer_grad_norms_matches_manual() -> None:
    net = mlp([4, 5, 3], "tanh", seed=1)
    net(torch.randn(7, 4)).pow(2).sum().backward()
    expected = [net[0].weight.grad.norm().item(), net[2].weight.grad.norm().item()]
    assert layer_grad_norms(net) == pytest.approx(expected)


def test_norms_do_not_overflow_for_large_finite_gradients() -> None:
    """float32 的 vector_norm 在元素超过约 1.8e19 时上溢成 inf；我们的范数先缩放，有限的梯度得到有限的范数。"""
    w = torch.zeros(3, requires_grad=True)
    (w * torch.tensor([1e20, -1e20, 3.0])).sum().backward()
    assert torch.linalg.vector_norm(w.grad).item() == float("inf")
    assert math.isclose(global_grad_norm([w]), math.sqrt(2) * 1e20, rel_tol=1e-6)
    net = nn.Linear(1, 1, bias=False)
    monitor = GradientMonitor(net)
    net.weight.grad = torch.tensor([[3e38]])
    monitor.record()
    assert monitor.first_nonfinite is None and math.isclose(monitor.max_abs[0], 3e38, rel_tol=1e-6)
    net.weight.grad = torch.tensor([[float("inf")]])
    monitor.record()
    assert monitor.first_nonfinite == 1


def test_clip_grad_norm_keeps_direction_where_torch_zeroes_the_gradient() -> None:
    w = torch.zeros(2, requires_grad=True)
    (w * torch.tensor([3e19, 4e19])).sum().backward()
    assert math.isclose(clip_grad_norm([w], 1.0), 5e19, rel_tol=1e-6)
    assert [round(v, 4) for v in w.grad.tolist()] == [0.6, 0.8]


def test_kind_is_checked_up_front() -> None:
    from dlguide.gradients import GradientMonitor, layer_grad_norms  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
    for bad in ("Linear", None, torch.nn.Linear(2, 2), int):
        with pytest.raises(TypeError, match="kind 必须是 nn.Module 的子类"):
            GradientMonitor(net, kind=bad)  # 以前要等到 record() 才出错
        with pytest.raises(TypeError, match="kind 必须是 nn.Module 的子类"):
            layer_grad_norms(net, bad)
    with pytest.raises(ValueError, match="kind 必须是带 weight 参数的层.*ReLU"):
        GradientMonitor(net, kind=torch.nn.ReLU)
    assert layer_grad_norms(net, torch.nn.Conv2d) == []


@pytest.mark.parametrize("bad", [None, "abc", 3, [None], [torch.zeros(1), "w"]])
def test_parameters_must_be_tensors(bad: object) -> None:
    from dlguide.gradients import clip_grad_norm, clip_grad_value, global_grad_norm  # noqa: PLC0415

    for call in (lambda: global_grad_norm(bad), lambda: clip_grad_norm(bad, 1.0), lambda: clip_grad_value(bad, 1.0)):
        with pytest.raises(TypeError, match=r"parameters(\[\d\])? 必须是"):
            call()
