"""dlguide.pages.basics.bias_variance（页面：docs/basics/bias-variance.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.diagnosis import diagnose
from dlguide.pages.basics.bias_variance import bias_variance_decomposition, double_descent


@pytest.mark.parametrize("degree", [0, 1, 3, 8, 12])
def test_decomposition_adds_up_to_measured_test_error(degree: int) -> None:
    r = bias_variance_decomposition(degree, n_trials=400, n_test=300, seed=1)
    assert r["sum"] == pytest.approx(r["bias2"] + r["variance"] + r["noise"])
    assert r["sum"] == pytest.approx(r["test_error"], rel=0.03)


def test_noise_free_interpolation_has_no_variance() -> None:
    r = bias_variance_decomposition(3, noise=0.0)
    assert r["variance"] < 1e-20 and r["noise"] == 0.0


def test_more_data_lowers_variance_not_bias() -> None:
    small, large = bias_variance_decomposition(9, n_train=15), bias_variance_decomposition(9, n_train=150)
    assert large["variance"] < small["variance"] / 5


def test_errors_name_the_parameter() -> None:
    with pytest.raises(TypeError, match="degree 必须是整数"):
        bias_variance_decomposition(2.0)
    with pytest.raises(ValueError, match=r"n_trials 必须在 \[2, 100000\] 内"):
        bias_variance_decomposition(2, n_trials=1)
    with pytest.raises(ValueError, match=r"noise 必须在 \[0.0, 10.0\] 内"):
        bias_variance_decomposition(2, noise=-1.0)
    with pytest.raises(ValueError, match=r"dev_error 必须在 \[0.0, 1.0\] 内"):
        diagnose(0.1, 1.5)
    with pytest.raises(TypeError, match="bayes_error 必须是实数"):
        diagnose(0.1, 0.2, "0")
    with pytest.raises(ValueError, match=r"train_error 必须在 \[0.0, 1.0\] 内"):
        diagnose(1.5, 0.1, 0.01)
    with pytest.raises(ValueError, match=r"train_dev_error 必须在 \[0.0, 1.0\] 内"):
        diagnose(0.1, 0.1, 0.01, train_dev_error=-0.1)
    with pytest.raises(ValueError, match=r"test_error 必须在 \[0.0, 1.0\] 内"):
        diagnose(0.1, 0.1, 0.01, test_error=1.1)


def test_double_descent_peaks_at_the_interpolation_threshold() -> None:
    errors = {p: double_descent(p, draws=3)["test_error"] for p in (50, 110, 1000)}
    assert errors[110] > errors[50] > errors[1000]
    assert double_descent(110, draws=2)["train_mse"] < 1e-20
    # 一点 L2 就去掉了阈值处的尖峰
    assert double_descent(110, ridge=1e-4, draws=3)["test_error"] < errors[50]
    with pytest.raises(ValueError, match="n_features"):
        double_descent(0)
    with pytest.raises(ValueError, match="ridge"):
        double_descent(10, ridge=-1.0)
    with pytest.raises(TypeError, match="n_train"):
        double_descent(10, n_train=1.5)
    with pytest.raises(ValueError, match="seed 必须在"):
        double_descent(10, seed=-1)
    assert double_descent(10, draws=1, seed=None)["test_error"] <= 1.0


def test_sizes_bounded_seed_checked_and_true_function_checks_x() -> None:
    import torch  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    from dlguide.pages.basics.bias_variance import true_function  # noqa: PLC0415

    for kwargs, message in (({"n_train": 10**9}, "n_train 必须在"), ({"n_test": 10**9}, "n_test 必须在"),
                            ({"n_trials": 10**9}, "n_trials 必须在"), ({"n_trials": 100_000, "n_test": 100_000}, "太大"),
                            ({"seed": -1}, "seed 必须在")):
        with pytest.raises(ValueError, match=message):
            bias_variance_decomposition(3, **kwargs)
    a = bias_variance_decomposition(2, n_trials=5, n_test=10, seed=None)
    assert set(a) >= {"bias2", "variance"}
    for bad in ("abc", [0.5], None):
        with pytest.raises(TypeError, match="x 必须是"):
            true_function(bad)
    assert true_function(torch.tensor([0.25])).tolist() == [1.0]
