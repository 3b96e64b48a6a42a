"""dlguide.pages.optimization.optimizers（页面：docs/optimization/optimizers.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.optimization.optimizers import iteration_losses, successive_diff_std


def test_iteration_losses_and_noise_measure() -> None:
    X = torch.randn(64, 3, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    assert len(iteration_losses(X, y, batch_size=8, lr=0.1, steps=7)) == 7
    with pytest.raises(ValueError, match="batch_size 必须 ≥ 1"):
        iteration_losses(X, y, batch_size=0, lr=0.1, steps=3)
    with pytest.raises(ValueError, match=r"steps 必须在 \[1, 100000\] 内"):
        iteration_losses(X, y, batch_size=None, lr=0.1, steps=0)
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        iteration_losses(y.reshape(-1, 1), y, batch_size=None, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="values 至少需要 3 个数"):
        successive_diff_std([1.0, 2.0])


def test_iteration_losses_and_successive_diff_std_check_input() -> None:
    from dlguide.pages.optimization.optimizers import iteration_losses, successive_diff_std  # noqa: PLC0415

    X, y = torch.randn(8, 3, generator=torch.Generator().manual_seed(0)), torch.tensor([0, 1] * 4)
    for args, error, message in (
        ((X[:0], y), ValueError, "X 不能是空张量"),  # 以前是 ZeroDivisionError
        ((X, None), TypeError, "y 必须是 torch.Tensor"),
        ((X, y.float()), TypeError, "y 必须是整数张量"),
        ((X, y[:7]), ValueError, "X 与 y 的样本数"),
        ((X, y - 1), ValueError, r"y 的类别必须在 \[0, 10000\) 内"),
        ((X, y * 10**9), ValueError, r"y 的类别必须在 \[0, 10000\) 内"),
    ):
        with pytest.raises(error, match=message):
            iteration_losses(*args, batch_size=None, lr=0.1, steps=2)
    with pytest.raises(TypeError, match="seed 必须是整数或 None"):
        iteration_losses(X, y, batch_size=None, lr=0.1, steps=2, seed="0")
    for bad, error in ((None, TypeError), ("abc", TypeError), (3, TypeError), ([1.0, None, 2.0], TypeError)):
        with pytest.raises(error, match="values"):
            successive_diff_std(bad)


def test_noisy_mean_sgd_follows_robbins_monro_and_checks_input() -> None:
    from dlguide.pages.optimization.optimizers import noisy_mean_sgd  # noqa: PLC0415

    harmonic = noisy_mean_sgd(lambda t: 1 / (t + 2), steps=2000)
    too_fast = noisy_mean_sgd(lambda t: 1 / (t + 2) ** 2, steps=2000)
    assert sum(harmonic[-100:]) / 100 < 0.05 and too_fast[-1] > 10  # Σα² < ∞ 但 Σα = ∞ 才能到达最优点
    with pytest.raises(TypeError, match="schedule"):
        noisy_mean_sgd(0.1)
    with pytest.raises(TypeError, match="schedule"):
        noisy_mean_sgd(torch.tanh, steps=2)  # tanh 不接受整数
    with pytest.raises(ValueError, match=r"schedule\(0\)"):
        noisy_mean_sgd(lambda t: float("nan"), steps=2)
    with pytest.raises(ValueError, match="steps"):
        noisy_mean_sgd(lambda t: 0.1, steps=10**9)
    torch.manual_seed(0)
    a = noisy_mean_sgd(lambda t: 0.1, steps=5, seed=None)
    torch.manual_seed(0)
    assert a == noisy_mean_sgd(lambda t: 0.1, steps=5, seed=None)


def test_implicit_bias_gd_finds_the_min_norm_solution_and_adam_does_not() -> None:
    from dlguide.pages.optimization.optimizers import implicit_bias  # noqa: PLC0415

    gd, adam = implicit_bias("sgd"), implicit_bias("adam")
    assert gd["train_mse"] < 1e-4 and adam["train_mse"] < 1e-4
    assert gd["to_min_norm"] < 0.01 < adam["to_min_norm"] and gd["norm"] < adam["norm"]
    for kwargs, error, message in (({"method": "adamw"}, ValueError, "method 必须是"), ({"d": 10}, ValueError, "d 必须在"),
                                   ({"steps": 100_000, "n": 100, "d": 1000}, ValueError, "steps·n·d"),
                                   ({"seed": -1}, ValueError, "seed 必须在")):
        with pytest.raises(error, match=message):
            implicit_bias(**kwargs)
