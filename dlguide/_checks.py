"""参数检查的小工具：错误信息写明参数名和可接受的范围。"""

from __future__ import annotations

import torch


def check_tensor(value: object, name: str) -> torch.Tensor:
    """确认 ``value`` 是浮点张量，否则抛出 ``TypeError``。"""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} 必须是 torch.Tensor，收到的是 {type(value).__name__}")
    if not value.is_floating_point():
        raise TypeError(f"{name} 必须是浮点张量（float16/32/64），收到的是 {value.dtype}")
    return value


def check_same_shape(a: torch.Tensor, b: torch.Tensor, name_a: str, name_b: str) -> None:
    """确认两个张量形状相同，否则抛出 ``ValueError``。"""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} 与 {name_b} 的形状必须相同，收到 {tuple(a.shape)} 和 {tuple(b.shape)}"
        )


def check_in_range(
    value: float,
    name: str,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """确认实数 ``value`` 落在给定区间内。

    类型不对抛 ``TypeError``，越界抛 ``ValueError``；两者的信息都写明参数名和区间。
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} 必须是实数，收到的是 {type(value).__name__}")
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high or value != value:
        raise ValueError(f"{name} 必须在 {left}{low}, {high}{right} 内，收到 {value}")
    return float(value)


def check_positive(value: float, name: str) -> float:
    """确认实数 ``value`` > 0（学习率、阈值等），即落在 $(0, \\infty)$ 内；见 :func:`check_in_range`。"""
    return check_in_range(value, name, 0.0, float("inf"), low_open=True)


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """确认 ``value`` 是整数（``bool`` 不算）且在 ``[low, high]`` 内（``None`` 表示这一侧不限）。

    类型不对抛 ``TypeError``，越界抛 ``ValueError``；两者的信息都写明参数名和范围。
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} 必须是整数，收到的是 {type(value).__name__}")
    if low is not None and high is not None:
        if not low <= value <= high:
            raise ValueError(f"{name} 必须在 [{low}, {high}] 内，收到 {value}")
    elif low is not None and value < low:
        raise ValueError(f"{name} 必须 ≥ {low}，收到 {value}")
    elif high is not None and value > high:
        raise ValueError(f"{name} 必须 ≤ {high}，收到 {value}")
    return value


def check_sizes(sizes: object, name: str = "sizes") -> list[int]:
    """确认 ``sizes`` 是至少 2 个正整数（各层宽度，含输入层和输出层），返回列表；否则抛 ``ValueError``。"""
    sizes = list(sizes)  # type: ignore[call-overload]
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError(f"{name} 必须是至少 2 个正整数（含输入层和输出层），收到 {sizes}")
    return sizes


def check_module(value: object, name: str, kind: type[torch.nn.Module] = torch.nn.Module) -> torch.nn.Module:
    """确认 ``value`` 是 ``kind``（默认任何 ``torch.nn.Module``）的实例，否则抛 ``TypeError``。"""
    if not isinstance(value, kind):
        raise TypeError(f"{name} 必须是 torch.nn.{kind.__name__}，收到的是 {type(value).__name__}")
    return value
