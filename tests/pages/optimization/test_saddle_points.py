"""dlguide.pages.optimization.saddle_points（页面：docs/optimization/saddle-points.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.landscape import ill_conditioned_quadratic, max_stable_lr, rosenbrock, saddle
from dlguide.pages.optimization.saddle_points import positive_definite_fraction


def test_positive_definite_fraction_decreases_and_matches_n2_exact() -> None:
    fr = [positive_definite_fraction(n, 40_000, seed=1) for n in (1, 2, 3, 4)]
    assert fr == sorted(fr, reverse=True)
    assert fr[1] == pytest.approx((2 - 2**0.5) / 4, abs=0.01)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="最后一维必须是 2"):
        saddle(torch.zeros(3))
    with pytest.raises(TypeError, match="x 必须是浮点张量"):
        rosenbrock(torch.zeros(2, dtype=torch.long))
    with pytest.raises(ValueError, match="condition 必须在"):
        ill_conditioned_quadratic(torch.zeros(2), condition=0.5)
    with pytest.raises(ValueError, match=r"dim 必须在 \[1, 1000\] 内"):
        positive_definite_fraction(0)
    with pytest.raises(ValueError, match="H 必须是方阵"):
        max_stable_lr(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="最大特征值必须 > 0"):
        max_stable_lr(-torch.eye(2))


def test_sizes_bounded_and_seed_checked() -> None:
    from dlguide.pages.optimization.saddle_points import positive_definite_fraction  # noqa: PLC0415  追加的测试

    for kwargs, message in (({"dim": 10**9}, "dim 必须在"), ({"dim": 2, "trials": 10**9}, "trials 必须在"),
                            ({"dim": 1000, "trials": 100}, "trials·dim²"), ({"dim": 2, "seed": -1}, "seed 必须在")):
        with pytest.raises(ValueError, match=message):
            positive_definite_fraction(**kwargs)
