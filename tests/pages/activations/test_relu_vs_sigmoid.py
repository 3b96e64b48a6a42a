"""dlguide.pages.activations.relu_vs_sigmoid（页面：docs/activations/relu-vs-sigmoid.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.activations.relu_vs_sigmoid import gradient_profile


def test_gradient_profile_shapes_and_errors() -> None:
    assert len(gradient_profile("relu", depth=3, width=4)) == 4
    with pytest.raises(ValueError, match="init 必须是"):
        gradient_profile("relu", init="orthogonal")
    with pytest.raises(ValueError, match=r"depth 必须在 \[1, 1000\] 内"):
        gradient_profile("relu", depth=0)


def test_gradient_profile_bounds_sizes_and_checks_seed() -> None:
    for kwargs, message in (({"depth": 10**9}, "depth 必须在"), ({"width": 10**9}, "width 必须在"),
                            ({"depth": 1000, "width": 4096}, "depth 和 width 给出的网络有约"), ({"seed": -1}, "seed 必须在")):
        with pytest.raises(ValueError, match=message):
            gradient_profile("relu", **kwargs)
    with pytest.raises(TypeError, match="seed 必须是整数或 None"):
        gradient_profile("relu", seed="0")
    torch.manual_seed(0)
    a = gradient_profile("tanh", depth=2, width=4, seed=None)
    torch.manual_seed(0)
    assert a == gradient_profile("tanh", depth=2, width=4, seed=None)
