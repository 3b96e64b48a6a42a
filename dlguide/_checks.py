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
