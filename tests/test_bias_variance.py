"""dlguide.bias_variance（页面：docs/basics/bias-variance.md）。"""

import pytest

from dlguide.bias_variance import bias_variance_decomposition, diagnose


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


@pytest.mark.parametrize(
    ("train", "dev", "bayes", "verdict"),
    [
        (0.01, 0.11, 0.0, "高方差"),
        (0.15, 0.16, 0.0, "高偏差"),
        (0.15, 0.30, 0.0, "高偏差且高方差"),
        (0.005, 0.01, 0.0, "偏差和方差都低"),
        (0.15, 0.16, 0.14, "偏差和方差都低"),
        (0.08, 0.10, 0.0, "高偏差"),
    ],
)
def test_diagnose(train: float, dev: float, bayes: float, verdict: str) -> None:
    d = diagnose(train, dev, bayes)
    assert d.verdict == verdict
    assert d.avoidable_bias == pytest.approx(train - bayes)
    assert d.variance == pytest.approx(dev - train)
    assert bool(d.remedies) == (verdict != "偏差和方差都低")


def test_diagnose_full() -> None:
    d = diagnose(0.02, 0.10, 0.01, train_dev_error=0.03, test_error=0.15)
    assert d.gaps() == {"avoidable_bias": 0.01, "variance": 0.01, "data_mismatch": 0.07, "dev_overfitting": 0.05}
    assert d.focus == "data_mismatch"
    assert d.verdict == "数据不匹配且对验证集过拟合"
    assert d.remedies[-1] == "换一个更大的验证集"


def test_diagnose_focus_without_train_dev() -> None:
    d = diagnose(0.08, 0.10, 0.01)
    assert (d.gaps(), d.focus) == ({"avoidable_bias": 0.07, "variance": 0.02}, "avoidable_bias")
    assert d.data_mismatch is None and d.dev_overfitting is None
    assert diagnose(0.08, 0.10, 0.075).focus == "variance"
    assert diagnose(0.02, 0.03, 0.01, train_dev_error=0.025).verdict == "各项差距都低"


def test_errors_name_the_parameter() -> None:
    with pytest.raises(TypeError, match="degree 必须是整数"):
        bias_variance_decomposition(2.0)
    with pytest.raises(ValueError, match="n_trials 必须 ≥ 2"):
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
