"""选择计算设备：全书所有示例都通过 :func:`get_device` 取设备。"""

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
        ``DLGUIDE_DEVICE`` 不是合法的设备名（如 ``"cpu"``、``"cuda"``、``"cuda:1"``、``"mps"``），
        或者指定的设备在本机不可用。

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
        try:
            device = torch.device(requested)
        except RuntimeError as err:
            raise ValueError(
                f"DLGUIDE_DEVICE 必须是 'cpu'、'cuda'、'cuda:N' 或 'mps' 之类的设备名，收到 {requested!r}"
            ) from err
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}，但本机没有可用的 CUDA")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"DLGUIDE_DEVICE={requested!r}，但本机没有可用的 MPS")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
