"""dlguide.schedules：docs/optimization/lr-decay.md）。"""

from __future__ import annotations

import math

import pytest
import torch
from torch.optim import lr_scheduler as S

from dlguide.schedules import (
    cosine_with_warmup,
    exponential_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    one_cycle,
    step_decay,
)


def _torch_lrs(make_scheduler, lr0: float, n: int) -> list[float]:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr0, momentum=0.9)
    sched = make_scheduler(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def _close(ours: list[float], theirs: list[float]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_inverse_time_matches_lambdalr() -> None:
    theirs = _torch_lrs(lambda o: S.LambdaLR(o, lambda e: 1 / (1 + 0.5 * e)), 0.2, 30)
    _close([inverse_time_decay(0.2, e, 0.5) for e in range(30)], theirs)


def test_exponential_matches_exponentiallr() -> None:
    theirs = _torch_lrs(lambda o: S.ExponentialLR(o, gamma=0.95), 0.1, 50)
    _close([exponential_decay(0.1, e, 0.95) for e in range(50)], theirs)


def test_inverse_sqrt_matches_lambdalr_with_one_based_counter() -> None:
    theirs = _torch_lrs(lambda o: S.LambdaLR(o, lambda e: 2.0 / math.sqrt(e + 1)), 0.1, 30)
    _close([inverse_sqrt_decay(0.1, e + 1, k=2.0) for e in range(30)], theirs)


def test_step_matches_steplr() -> None:
    theirs = _torch_lrs(lambda o: S.StepLR(o, step_size=7, gamma=0.3), 0.5, 40)
    _close([step_decay(0.5, e, 7, 0.3) for e in range(40)], theirs)


def test_cosine_without_warmup_matches_cosineannealinglr() -> None:
    theirs = _torch_lrs(lambda o: S.CosineAnnealingLR(o, T_max=40, eta_min=0.001), 0.1, 41)
    ours = [cosine_with_warmup(0.1, t, 40, 0, min_lr=0.001) for t in range(41)]
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9)  # PyTorch 用递推式，有舍入


def test_cosine_with_warmup_matches_linearlr_plus_sequentiallr() -> None:
    w, total = 5, 50

    def make(o):
        warm = S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=w)
        cos = S.CosineAnnealingLR(o, T_max=total - w, eta_min=0.0)
        return S.SequentialLR(o, [warm, cos], milestones=[w])

    theirs = _torch_lrs(make, 0.3, total)
    ours = [cosine_with_warmup(0.3, t, total, w, start_factor=0.1) for t in range(total)]
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("total,pct", [(100, 0.3), (37, 0.25), (10, 0.5)])
def test_one_cycle_matches_onecyclelr(total: int, pct: float) -> None:
    theirs = _torch_lrs(
        lambda o: S.OneCycleLR(o, max_lr=0.4, total_steps=total, pct_start=pct, cycle_momentum=False), 0.4, total
    )
    _close([one_cycle(0.4, t, total, pct_start=pct) for t in range(total)], theirs)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="lr0 必须在"):
        inverse_time_decay(0.0, 1)
    with pytest.raises(TypeError, match="epoch 必须是整数"):
        exponential_decay(0.1, 1.5)
    with pytest.raises(ValueError, match="epoch 必须 ≥ 0"):
        step_decay(0.1, -1)
    with pytest.raises(ValueError, match="gamma 必须在"):
        exponential_decay(0.1, 1, gamma=1.5)
    with pytest.raises(ValueError, match="t 必须 ≥ 1"):
        inverse_sqrt_decay(0.1, 0)
    with pytest.raises(ValueError, match="step_size 必须 ≥ 1"):
        step_decay(0.1, 3, step_size=0)
    with pytest.raises(ValueError, match="total_steps 必须 > warmup_steps"):
        cosine_with_warmup(0.1, 0, 5, 5)
    with pytest.raises(ValueError, match="min_lr 必须在"):
        cosine_with_warmup(0.1, 0, 10, min_lr=0.5)
    with pytest.raises(ValueError, match="step < total_steps"):
        one_cycle(0.1, 10, 10)
    with pytest.raises(ValueError, match="pct_start 必须在"):
        one_cycle(0.1, 0, 10, pct_start=1.0)


def test_infinite_factors_are_refused() -> None:
    from dlguide.schedules import inverse_time_decay, one_cycle  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    with pytest.raises(ValueError, match=r"decay_rate 必须在 \[0, inf\) 内"):
        inverse_time_decay(0.1, 3, float("inf"))  # 以前返回 0.0
    with pytest.raises(ValueError, match=r"div_factor 必须在 \[1.0, inf\) 内"):
        one_cycle(1.0, 2, 10, div_factor=float("inf"))
    with pytest.raises(ValueError, match=r"final_div_factor 必须在 \[1.0, inf\) 内"):
        one_cycle(1.0, 2, 10, final_div_factor=float("inf"))
