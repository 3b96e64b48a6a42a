"""dlguide.pages.activations.relu_vs_sigmoid（页面：docs/activations/relu-vs-sigmoid.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.pages.activations.relu_vs_sigmoid import gradient_profile


def test_gradient_profile_shapes_and_errors() -> None:
    assert len(gradient_profile("relu", depth=3, width=4)) == 4
    with pytest.raises(ValueError, match="init 必须是"):
        gradient_profile("relu", init="orthogonal")
    with pytest.raises(ValueError, match="depth 必须 ≥ 1"):
        gradient_profile("relu", depth=0)
