"""dlguide.device：设备选择的顺序和错误信息。"""

import pytest
import torch

from dlguide.device import get_device


def test_env_var_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")


def test_default_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLGUIDE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert get_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_blank_env_var_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", "  ")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")


def test_invalid_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", "gpu0")
    with pytest.raises(ValueError, match="DLGUIDE_DEVICE.*'gpu0'"):
        get_device()


@pytest.mark.parametrize("name", ["cuda", "cuda:1", "mps"])
def test_unavailable_device(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", name)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match="DLGUIDE_DEVICE"):
        get_device()
