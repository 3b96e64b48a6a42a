"""dlguide.pages.activations.properties（页面：docs/activations/properties.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.activations import (
    PReLU,
    elu,
    gelu,
    relu,
    selu,
    sigmoid,
)
from dlguide.pages.activations.properties import activation_properties, properties_table, variance_map


def test_properties_of_known_functions() -> None:
    ident = activation_properties(lambda z: z)
    assert not ident["nonlinear"] and ident["identity_at_0"] and ident["kinks"] == 0 and not ident["self_normalizing"]
    step = activation_properties(lambda z: (z > 0).to(z.dtype))
    assert step["kinks"] == -1 and step["saturates"] == "两侧"
    assert activation_properties(selu)["self_normalizing"]
    assert activation_properties(elu)["kinks"] == 0  # α = 1 时 ELU 是 C¹ 的
    assert activation_properties(selu)["kinks"] == 1
    assert activation_properties(PReLU())["parameters"] == 1
    assert activation_properties(sigmoid)["bounded"] == "两侧"
    assert activation_properties(relu)["bounded"] == "下"
    assert not activation_properties(gelu)["monotonic"]


def test_variance_map_matches_closed_forms() -> None:
    # ReLU：E f = √(v/2π)，E f² = v/2
    mean, var = variance_map(relu, 2.0)
    assert mean == pytest.approx((2.0 / (2 * torch.pi)) ** 0.5, rel=1e-6)
    assert var == pytest.approx(1.0 - mean**2, rel=1e-6)
    assert variance_map(lambda z: z, 3.0)[1] == pytest.approx(3.0, rel=1e-6)


def test_property_helpers_reject_bad_input() -> None:
    with pytest.raises(TypeError, match="fn 必须可调用"):
        activation_properties("relu")
    with pytest.raises(TypeError, match="functions 必须是"):
        properties_table([relu])
    with pytest.raises(ValueError, match="variance 必须在"):
        variance_map(relu, 0.0)


def test_function_arguments_are_checked_by_name() -> None:
    for bad in (None, "tanh", 3):
        with pytest.raises(TypeError, match="fn 必须是可调用对象"):
            variance_map(bad, 1.0)
    with pytest.raises(TypeError, match=r"functions\['tanh'\] 必须是可调用对象"):
        properties_table({"tanh": None})
    with pytest.raises(TypeError, match="functions 的键必须是名字"):
        properties_table({1: torch.tanh})
