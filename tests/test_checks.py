"""dlguide._checks：错误信息写明参数名和区间。"""

import pytest
import torch

from dlguide._checks import check_in_range, check_int, check_module, check_positive, check_sizes


def test_in_range_accepts_and_returns_float() -> None:
    assert check_in_range(1, "lr", 0, 10, low_open=True) == 1.0


@pytest.mark.parametrize(
    ("value", "message"),
    [(0.0, r"lr 必须在 \(0, 1\] 内，收到 0.0"), (1.5, r"lr 必须在 \(0, 1\] 内"), (float("nan"), "lr")],
)
def test_in_range_rejects(value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_in_range(value, "lr", 0, 1, low_open=True)


@pytest.mark.parametrize("value", ["0.1", None, True])
def test_in_range_type(value: object) -> None:
    with pytest.raises(TypeError, match="lr 必须是实数"):
        check_in_range(value, "lr", 0, 1)  # type: ignore[arg-type]


def test_check_int_accepts_and_names_range() -> None:
    assert check_int(3, "n", low=1) == 3
    assert check_int(-5, "offset") == -5
    with pytest.raises(ValueError, match="n 必须 ≥ 1，收到 0"):
        check_int(0, "n", low=1)
    with pytest.raises(ValueError, match=r"pixels 必须在 \[0, 7\] 内，收到 8"):
        check_int(8, "pixels", low=0, high=7)
    with pytest.raises(ValueError, match="k 必须 ≤ 3"):
        check_int(4, "k", high=3)


@pytest.mark.parametrize("value", [2.0, "2", True, None])
def test_check_int_type(value: object) -> None:
    with pytest.raises(TypeError, match="n 必须是整数"):
        check_int(value, "n", low=1)


def test_check_positive_and_sizes() -> None:
    assert check_positive(2, "lr") == 2.0
    with pytest.raises(ValueError, match=r"lr 必须在 \(0.0, inf\] 内"):
        check_positive(0.0, "lr")
    assert check_sizes((3, 4, 1)) == [3, 4, 1]
    for bad in ([2], [2, 0], [2, True], [2, 1.5]):
        with pytest.raises(ValueError, match="sizes 必须是至少 2 个正整数"):
            check_sizes(bad)


def test_check_module() -> None:
    lin = torch.nn.Linear(1, 1)
    assert check_module(lin, "model") is lin
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Module，收到的是 str"):
        check_module("net", "model")
    with pytest.raises(TypeError, match="lstm 必须是 torch.nn.LSTM，收到的是 GRU"):
        check_module(torch.nn.GRU(1, 1), "lstm", torch.nn.LSTM)
