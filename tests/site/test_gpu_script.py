"""scripts/gpu.sh（GPU 运行）：没有 CUDA 时明确失败；--allow-cpu 的试运行写出结果表；失败会被列出。"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _gpu_run():
    spec = importlib.util.spec_from_file_location("gpu_run", ROOT / "scripts" / "gpu_run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _script(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DLGUIDE_DEVICE", "OUT")}
    return subprocess.run(
        ["bash", "scripts/gpu.sh", *args],
        cwd=ROOT,
        env={**environ, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DLGUIDE_FAKE_NO_CUDA": "1"}, "没有可用的 CUDA"),
        ({"DLGUIDE_DEVICE": "cpu"}, "不是 CUDA 设备"),
    ],
)
def test_refuses_to_run_without_cuda(env: dict, message: str) -> None:
    result = _script(**env)
    assert result.returncode == 3, result.stdout + result.stderr
    assert message in result.stdout and "--allow-cpu" in result.stdout


def test_cpu_trial_run_writes_a_results_table(tmp_path: Path) -> None:
    result = _script("--allow-cpu", "--skip-bench", "-k", "device.py or device.md", DLGUIDE_DEVICE="cpu", OUT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    table = (tmp_path / "gpu-results.md").read_text(encoding="utf-8")
    passed = int(table.split("| 通过 | ")[1].split(" |")[0])
    assert passed > 0
    assert "| 失败 | 0 |" in table and "- 设备：CPU" in table
    assert (tmp_path / "gpu-junit.xml").is_file() and (tmp_path / "gpu-pytest.log").is_file()


def test_report_lists_each_failure(tmp_path: Path) -> None:
    gpu_run = _gpu_run()
    junit = tmp_path / "junit.xml"
    junit.write_text(
        """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite>
        <testcase classname="docs/activations/sigmoid.md" name="line:40,column:1"/>
        <testcase classname="docs/gradients/monitor.md" name="line:77,column:1">
          <failure message="Expected: [0.25]&#10;Got: tensor([0.25], device='cuda:0')">trace</failure></testcase>
        <testcase classname="dlguide.speed" name="line:9"><skipped message="skip"/></testcase>
        <testcase classname="dlguide.init" name="line:3"><error message="CUDA error: out of memory"/></testcase>
        </testsuite></testsuites>""",
        encoding="utf-8",
    )
    summary = {**gpu_run.parse_junit(junit), "returncode": 1}
    meta = {"date": "2026-01-01 00:00 UTC", "device": "NVIDIA H200", "device_name": "cuda", "torch": "2.11.0+cu130",
            "python": "3.12.3", "commit": "abc1234"}
    text = gpu_run.report(meta, summary, 12.0, ("设备：NVIDIA H200\n\n| 项目 | 样本/秒 |", 0, 30.0))
    assert "| 通过 | 1 |" in text and "| 失败 | 1 |" in text and "| 错误 | 1 |" in text and "| 跳过 | 1 |" in text
    assert "`docs/gradients/monitor.md::line:77,column:1`：Expected: [0.25]" in text
    assert "`dlguide.init::line:3`：CUDA error: out of memory" in text
    assert "NVIDIA H200" in text and "2.11.0+cu130" in text and "| 项目 | 样本/秒 |" in text
