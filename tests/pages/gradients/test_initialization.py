"""dlguide.pages.gradients.initialization（页面：docs/gradients/initialization.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.init import mean_field_chi
from dlguide.pages.gradients.initialization import critical_propagation, signal_propagation


def test_signal_propagation_shapes_and_he_keeps_scale() -> None:
    out = signal_propagation("he", "relu", depth=20, width=64, n=128)
    assert set(out) == {"z_var", "grad_var", "weight_grad_norm"}
    assert all(len(v) == 20 for v in out.values())
    assert 0.1 < out["z_var"][-1] / out["z_var"][0] < 10
    bad = signal_propagation("xavier", "relu", depth=20, width=64, n=128)
    assert bad["z_var"][-1] / bad["z_var"][0] < 1e-4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "swish"}, "activation 必须是"),
        ({"depth": 0}, r"depth 必须在 \[1, 1000\] 内"),
        ({"depth": 10**9}, r"depth 必须在 \[1, 1000\] 内"),
        ({"width": 10**9}, r"width 必须在 \[1, 4096\] 内"),
        ({"n": 10**9}, r"n 必须在 \[1, 100000\] 内"),
        ({"depth": 1000, "n": 100_000}, "depth、width、n 太大"),
        ({"seed": -1}, "seed 必须在"),
    ],
)
def test_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        signal_propagation("he", **kwargs)


def test_critical_propagation_follows_chi_to_the_power_of_depth() -> None:
    for weight_var in (1.0, 3.0):
        grad = critical_propagation("tanh", weight_var, 0.05, depth=30)["grad_var"]
        predicted = mean_field_chi("tanh", weight_var, 0.05) ** 29
        assert 0.1 < (grad[0] / grad[-1]) / predicted < 10
    out = critical_propagation("tanh", 1.76, 0.05, depth=30, orthogonal=True)
    assert 0.1 < out["grad_var"][0] / out["grad_var"][-1] < 10


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [({"activation": "swish"}, ValueError, "activation 必须是"), ({"weight_var": -1.0}, ValueError, "weight_var"),
     ({"bias_var": float("nan")}, ValueError, "bias_var"), ({"orthogonal": "yes"}, TypeError, "orthogonal"),
     ({"n": 0}, ValueError, "n 必须在")],
)
def test_critical_propagation_errors(kwargs: dict, error: type, message: str) -> None:
    args = {"activation": "tanh", "weight_var": 1.0} | kwargs
    with pytest.raises(error, match=message):
        critical_propagation(**args)


def test_critical_propagation_bounds_sizes_and_seed_none() -> None:
    import torch  # noqa: PLC0415

    with pytest.raises(ValueError, match="depth、width、n 太大"):
        critical_propagation("tanh", 1.0, depth=1000, n=100_000)
    with pytest.raises(ValueError, match="seed 必须在"):
        critical_propagation("tanh", 1.0, seed=-1)
    torch.manual_seed(0)
    a = critical_propagation("tanh", 1.0, depth=2, width=4, n=8, seed=None)
    torch.manual_seed(0)
    assert a == critical_propagation("tanh", 1.0, depth=2, width=4, n=8, seed=None)


def test_scheme_checked_first_and_seed_none() -> None:
    import torch  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    with pytest.raises(ValueError, match="scheme 必须是"):
        signal_propagation("glorot", depth=2)
    torch.manual_seed(0)
    a = signal_propagation("he", depth=2, width=4, n=8, seed=None)
    torch.manual_seed(0)
    assert a == signal_propagation("he", depth=2, width=4, n=8, seed=None)
