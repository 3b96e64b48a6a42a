"""dlguide.diagnosis：docs/basics/bias-variance.md）。"""

from __future__ import annotations

import pytest

from dlguide.diagnosis import diagnose


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
