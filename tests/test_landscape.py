"""dlguide.landscape：Hessian、随机矩阵、稳定学习率"""

from __future__ import annotations

import pytest
import torch

from dlguide.landscape import hessian_eigenvalues, ill_conditioned_quadratic, max_stable_lr, rosenbrock, saddle


def test_hessians_match_analytic() -> None:
    assert hessian_eigenvalues(lambda x: ill_conditioned_quadratic(x, 7.0), [0.3, -2.0]) == pytest.approx([1.0, 7.0])
    # Rosenbrock 在 (1, 1) 的 Hessian = [[802, −400], [−400, 200]]
    H = torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64)
    assert hessian_eigenvalues(rosenbrock, [1.0, 1.0]) == pytest.approx(torch.linalg.eigvalsh(H).tolist(), abs=1e-6)
    assert hessian_eigenvalues(saddle, [0.5, 0.5]) == [-2.0, 2.0]


def test_gradient_descent_threshold() -> None:
    H = torch.tensor([[3.0, 1.0], [1.0, 3.0]])
    assert max_stable_lr(H) == pytest.approx(0.5)
