"""dlguide.pages.gradients.initialization（页面：docs/gradients/initialization.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.pages.gradients.initialization import signal_propagation


def test_signal_propagation_shapes_and_he_keeps_scale() -> None:
    out = signal_propagation("he", "relu", depth=20, width=64, n=128)
    assert set(out) == {"z_var", "grad_var", "weight_grad_norm"}
    assert all(len(v) == 20 for v in out.values())
    assert 0.1 < out["z_var"][-1] / out["z_var"][0] < 10
    bad = signal_propagation("xavier", "relu", depth=20, width=64, n=128)
    assert bad["z_var"][-1] / bad["z_var"][0] < 1e-4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"activation": "swish"}, "activation 必须是"), ({"depth": 0}, "depth 必须 ≥ 1")],
)
def test_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        signal_propagation("he", **kwargs)
