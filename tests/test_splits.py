"""dlguide.splits（页面：docs/basics/data-split.md）：公式与模拟对照。"""

import math

import pytest
import torch

from dlguide.splits import accuracy_standard_error, required_test_size, split_counts


@pytest.mark.parametrize("n", [100, 1_000, 10_000])
@pytest.mark.parametrize("p", [0.5, 0.9, 0.99])
def test_standard_error_matches_simulation(n: int, p: float) -> None:
    g = torch.Generator().manual_seed(n)
    accs = (torch.rand(4_000, n, generator=g, dtype=torch.float64) < p).double().mean(dim=1)
    assert accs.std().item() == pytest.approx(accuracy_standard_error(p, n), rel=0.05)


@pytest.mark.parametrize("margin", [0.02, 0.01, 0.005, 0.001])
def test_required_size_is_the_smallest_that_works(margin: float) -> None:
    n = required_test_size(margin, 0.9)
    assert 1.96 * accuracy_standard_error(0.9, n) <= margin + 1e-12
    assert 1.96 * accuracy_standard_error(0.9, n - 1) > margin


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
