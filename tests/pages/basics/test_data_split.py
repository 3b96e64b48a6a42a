"""dlguide.pages.basics.data_split（页面：docs/basics/data-split.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import math

import pytest

from dlguide.metrics import accuracy_standard_error, required_test_size
from dlguide.pages.basics.data_split import split_counts


def test_split_counts_sum_to_n() -> None:
    for n in (1, 7, 1_000, 1_234_567):
        for fractions in ([0.7, 0.3], [0.6, 0.2, 0.2], [0.98, 0.01, 0.01], [0.995, 0.004, 0.001]):
            counts = split_counts(n, fractions)
            assert sum(counts) == n
            assert all(abs(c - n * f) <= len(fractions) for c, f in zip(counts, fractions))
    assert math.isclose(accuracy_standard_error(1.0, 5), 0.0)


def test_errors() -> None:
    with pytest.raises(ValueError, match="n 必须 ≥ 1"):
        split_counts(0, [1.0])
    with pytest.raises(ValueError, match="fractions 的总和必须为 1"):
        split_counts(10, [0.5, 0.4])
    with pytest.raises(ValueError, match=r"fractions 的每一项 必须在 \(0.0, 1.0\] 内"):
        split_counts(10, [1.5, -0.5])
    with pytest.raises(ValueError, match=r"accuracy 必须在 \[0.0, 1.0\] 内"):
        accuracy_standard_error(1.2, 10)
    with pytest.raises(ValueError, match="n 必须 ≥ 1"):
        accuracy_standard_error(0.5, 0)
    with pytest.raises(ValueError, match=r"margin 必须在 \(0.0, 1.0\) 内"):
        required_test_size(0.0)
    with pytest.raises(TypeError, match="z 必须是实数"):
        required_test_size(0.01, z="1.96")


def test_fractions_must_be_a_sequence_of_numbers() -> None:
    for bad in (None, 3, "0.5"):
        with pytest.raises(TypeError, match="fractions 必须是数的序列"):
            split_counts(10, bad)
    with pytest.raises(TypeError, match="fractions 的元素必须是实数"):
        split_counts(10, [0.5, None])
