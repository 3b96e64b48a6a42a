"""dlguide.pages.cnn.convolution（页面：docs/cnn/convolution.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.pages.cnn.convolution import compare_with_torch, output_size_mismatches


def test_random_sweeps_agree_with_torch_for_other_seeds() -> None:
    assert compare_with_torch(60, seed=1) == (60, 60)
    assert output_size_mismatches(2000, seed=2) == 0


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="n_configs 必须在"):
        compare_with_torch(0)
    with pytest.raises(ValueError, match="n_configs 必须在"):
        compare_with_torch(10**9)
    with pytest.raises(TypeError, match="n_configs 必须是整数"):
        output_size_mismatches(1.5)
    with pytest.raises(ValueError, match="seed 必须"):
        output_size_mismatches(10, seed=-1)
