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


def test_landscape_checks_points_and_coefficients() -> None:
    from dlguide.landscape import (  # noqa: PLC0415  追加的测试，导入放在这里便于合并
        hessian_eigenvalues,
        ill_conditioned_quadratic,
        rosenbrock,
        saddle,
    )

    for fn in (saddle, rosenbrock, ill_conditioned_quadratic):
        with pytest.raises(ValueError, match="x 的最后一维必须是 2"):
            fn(torch.tensor(1.0))  # 0 维：以前是 IndexError
    for bad in (float("nan"), float("inf"), None):
        with pytest.raises((TypeError, ValueError), match="^a "):
            rosenbrock(torch.zeros(2), a=bad)
        with pytest.raises((TypeError, ValueError), match="^b "):
            rosenbrock(torch.zeros(2), b=bad)
    with pytest.raises(ValueError, match=r"condition 必须在 \[1.0, inf\) 内"):
        ill_conditioned_quadratic(torch.zeros(2), float("inf"))
    with pytest.raises(TypeError, match="f 必须是可调用对象"):
        hessian_eigenvalues("saddle", [0.0, 0.0])
    with pytest.raises(TypeError, match="x 必须是数的序列"):
        hessian_eigenvalues(saddle, 3)
    with pytest.raises(ValueError, match="x 不能为空"):
        hessian_eigenvalues(saddle, [])
    with pytest.raises(ValueError, match="x 的元素必须是有限实数"):
        hessian_eigenvalues(saddle, [0.0, float("nan")])
    with pytest.raises(ValueError, match="f 必须把 x 映射成一个标量张量"):
        hessian_eigenvalues(lambda x: x**2, [0.0, 1.0])
    assert saddle(torch.tensor([float("nan"), 0.0])).isnan()  # 数据里的 NaN 传播
