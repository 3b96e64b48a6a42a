"""dlguide.landscape：Hessian、随机矩阵、稳定学习率（页面：docs/optimization/saddle-points.md）。"""

import pytest
import torch

from dlguide.landscape import (
    hessian_eigenvalues,
    ill_conditioned_quadratic,
    max_stable_lr,
    positive_definite_fraction,
    rosenbrock,
    saddle,
)


def test_hessians_match_analytic() -> None:
    assert hessian_eigenvalues(lambda x: ill_conditioned_quadratic(x, 7.0), [0.3, -2.0]) == pytest.approx([1.0, 7.0])
    # Rosenbrock 在 (1, 1) 的 Hessian = [[802, −400], [−400, 200]]
    H = torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64)
    assert hessian_eigenvalues(rosenbrock, [1.0, 1.0]) == pytest.approx(torch.linalg.eigvalsh(H).tolist(), abs=1e-6)
    assert hessian_eigenvalues(saddle, [0.5, 0.5]) == [-2.0, 2.0]


def test_positive_definite_fraction_decreases_and_matches_n2_exact() -> None:
    fr = [positive_definite_fraction(n, 40_000, seed=1) for n in (1, 2, 3, 4)]
    assert fr == sorted(fr, reverse=True)
    assert fr[1] == pytest.approx((2 - 2**0.5) / 4, abs=0.01)


def test_gradient_descent_threshold() -> None:
    H = torch.tensor([[3.0, 1.0], [1.0, 3.0]])
    assert max_stable_lr(H) == pytest.approx(0.5)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="最后一维必须是 2"):
        saddle(torch.zeros(3))
    with pytest.raises(TypeError, match="x 必须是浮点张量"):
        rosenbrock(torch.zeros(2, dtype=torch.long))
    with pytest.raises(ValueError, match="condition 必须在"):
        ill_conditioned_quadratic(torch.zeros(2), condition=0.5)
    with pytest.raises(ValueError, match="dim 必须 ≥ 1"):
        positive_definite_fraction(0)
    with pytest.raises(ValueError, match="H 必须是方阵"):
        max_stable_lr(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="最大特征值必须 > 0"):
        max_stable_lr(-torch.eye(2))
