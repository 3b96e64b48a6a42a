"""dlguide.device：设备选择的顺序和错误信息。"""

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("name", ["meta", "xpu", "cpu:1", "mps:1"])
def test_unsupported_devices_are_refused(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", name)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    with pytest.raises(ValueError, match="DLGUIDE_DEVICE"):
        get_device()


def test_a_gpu_index_that_does_not_exist_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLGUIDE_DEVICE", "cuda:7")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(ValueError, match=r"只有 1 块 GPU（cuda:0 到 cuda:0）"):
        get_device()
    monkeypatch.setenv("DLGUIDE_DEVICE", "cuda:0")
    assert get_device() == torch.device("cuda:0")


def test_an_unavailable_device_stops_the_test_run_once(tmp_path) -> None:
    """设备不可用时，整个测试运行只报一次清楚的错误，而不是每个示例一个 NameError。"""
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text(
        "```pycon\n>>> from dlguide import get_device\n>>> device = get_device()\n>>> 1 + 1\n2\n```\n", encoding="utf-8"
    )
    (tmp_path / "conftest.py").write_text((root / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:doctest -p no:cacheprovider\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "DLGUIDE_DEVICE": "cuda:7"},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert output.count("DLGUIDE_DEVICE='cuda:7'") == 1, output
    assert "NameError" not in output
