"""dlguide.pages.gradients.remedies（页面：docs/gradients/remedies.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import copy

import pytest
import torch

from dlguide.models import mlp
from dlguide.pages.gradients.remedies import amp_clip_step


def _setup():
    net = mlp([4, 8, 3], seed=0)
    X = torch.randn(32, 4, generator=torch.Generator().manual_seed(0))
    y = torch.arange(32) % 3
    return net, X, y


def test_returns_the_unscaled_pre_clip_norm() -> None:
    net, X, y = _setup()
    ref = copy.deepcopy(net)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = torch.nn.functional.cross_entropy(ref(X), y)
    loss.backward()
    expected = torch.nn.utils.clip_grad_norm_(ref.parameters(), float("inf")).item()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    norm = amp_clip_step(net, opt, scaler, X, y, max_norm=1e-3)
    assert norm == pytest.approx(expected, rel=1e-3)
    # 裁剪之后，更新量是 lr × max_norm
    after = torch.cat([p.detach().flatten() for p in net.parameters()])
    before = torch.cat([p.detach().flatten() for p in ref.parameters()])
    assert (after - before).norm().item() == pytest.approx(0.1 * 1e-3, rel=1e-3)


def test_forgetting_unscale_clips_the_scaled_gradient() -> None:
    net, X, y = _setup()
    first = copy.deepcopy(net)
    good = amp_clip_step(first, torch.optim.SGD(first.parameters(), lr=0.1),
                         torch.amp.GradScaler("cpu", init_scale=256.0), X, y, max_norm=1.0)
    twin = copy.deepcopy(net)
    bad = amp_clip_step(twin, torch.optim.SGD(twin.parameters(), lr=0.1),
                        torch.amp.GradScaler("cpu", init_scale=256.0), X, y, max_norm=1.0, unscale=False)
    assert bad == pytest.approx(256 * good, rel=1e-6)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"optimizer": "sgd"}, TypeError, "optimizer"),
        ({"scaler": None}, TypeError, "scaler"),
        ({"max_norm": 0.0}, ValueError, "max_norm"),
        ({"unscale": "yes"}, TypeError, "unscale"),
        ({"y": torch.zeros(32)}, TypeError, "y"),
        ({"model": "net"}, TypeError, "model"),
        ({"y": torch.zeros(5, dtype=torch.long)}, ValueError, "X 与 y 的样本数"),
        ({"X": torch.zeros(32, 7)}, ValueError, "model 不接受 X"),
        ({"optimizer": torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1)}, ValueError, "optimizer 必须管理 model 的参数"),
    ],
)
def test_errors(change: dict, error: type, message: str) -> None:
    net, X, y = _setup()
    args = {"model": net, "optimizer": torch.optim.SGD(net.parameters(), lr=0.1),
            "scaler": torch.amp.GradScaler("cpu"), "X": X, "y": y, "max_norm": 1.0} | change
    with pytest.raises(error, match=message):
        amp_clip_step(args.pop("model"), args.pop("optimizer"), args.pop("scaler"), args.pop("X"), args.pop("y"), **args)
