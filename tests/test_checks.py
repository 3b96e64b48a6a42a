"""dlguide._checks：错误信息写明参数名和区间。"""

import pytest

from dlguide._checks import check_in_range


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
