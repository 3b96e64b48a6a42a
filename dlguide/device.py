"""选择计算设备：全书所有示例都通过 [`get_device`][dlguide.device.get_device] 取设备。"""

from __future__ import annotations

import os

import torch

__all__ = [
    "get_device",
]

def get_device() -> torch.device:
    """返回示例使用的计算设备。

    顺序：环境变量 ``DLGUIDE_DEVICE``（若已设置）→ CUDA → MPS → CPU。

    Returns
    -------
    torch.device
        选中的设备。

    Raises
    ------
    ValueError
        ``DLGUIDE_DEVICE`` 不是 ``"cpu"``、``"cuda"``、``"cuda:N"`` 或 ``"mps"``（``meta``、``xpu`` 等
        本书不支持），或者指定的设备在本机不存在（例如只有一块 GPU 时的 ``"cuda:7"``）。

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"DLGUIDE_DEVICE": "cpu"}):
    ...     print(get_device())
    ...
    cpu
    >>> get_device().type in {"cpu", "cuda", "mps"}
    True
    """
    requested = os.environ.get("DLGUIDE_DEVICE", "").strip()
    if requested:
        return _requested_device(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


_SUPPORTED = ("cpu", "cuda", "mps")


def _requested_device(requested: str) -> torch.device:
    """检查 ``DLGUIDE_DEVICE`` 指定的设备：名字合法、本书支持、本机确实有。"""
    try:
        device = torch.device(requested)
    except RuntimeError as err:
        raise ValueError(
            f"DLGUIDE_DEVICE 必须是 'cpu'、'cuda'、'cuda:N' 或 'mps'，收到 {requested!r}"
        ) from err
    if device.type not in _SUPPORTED:
        raise ValueError(f"DLGUIDE_DEVICE 必须是 'cpu'、'cuda'、'cuda:N' 或 'mps'（不支持 {device.type}），收到 {requested!r}")
    if device.type == "cpu" and device.index not in (None, 0):
        raise ValueError(f"DLGUIDE_DEVICE={requested!r}：CPU 只有 'cpu'")
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}，但本机没有可用的 CUDA")
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}，但本机只有 {count} 块 GPU（cuda:0 到 cuda:{count - 1}）")
    if device.type == "mps":
        if not torch.backends.mps.is_available():
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}，但本机没有可用的 MPS")
        if device.index not in (None, 0):
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}：MPS 只有 'mps'")
    return device
