"""GPU 上的一次完整运行：每个页面和 docstring 里的 ``>>>`` 示例（``DLGUIDE_DEVICE=cuda``）和训练速度基准，
结果写成一张 Markdown 表。由 ``scripts/gpu.sh`` 调用（用法、设备机上的准备步骤见那里的注释和 README）。

    python scripts/gpu_run.py [--allow-cpu] [--skip-bench] [--jobs N] [-k 表达式] [--output 文件]

- 没有 CUDA 时立即失败并说明原因；``--allow-cpu`` 只用于在 CPU 上试这个脚本本身
  （设备取 ``DLGUIDE_DEVICE``，默认 cpu）。``DLGUIDE_FAKE_NO_CUDA=1`` 假装没有 CUDA（测试用）。
- 示例：``python -m pytest dlguide docs -q``，设备由 ``DLGUIDE_DEVICE`` 决定（默认 ``cuda``）；
  ``--jobs N`` 在装了 pytest-xdist 时用 N 个进程（``--dist loadfile``：同一页面的示例留在同一进程，按顺序运行）。
- 基准：``python -m dlguide.pages.optimization.training_speed``，原样收进结果。
- 结果：``$OUT/gpu-results.md``（设了 ``OUT`` 时），否则 ``benchmarks/results/gpu-<时间>.md``；
  同一目录里还有 pytest 的完整输出（``gpu-pytest.log``）和 JUnit XML（``gpu-junit.xml``）。
- 退出状态：全部示例通过且基准跑完为 0，有失败为 1，没有 CUDA 为 3，缺依赖为 4。
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NO_CUDA = 3
MISSING = 4


def log(message: str) -> None:
    print(f"[gpu] {message}", flush=True)


def cuda_available() -> bool:
    if os.environ.get("DLGUIDE_FAKE_NO_CUDA") == "1":
        return False
    import torch  # noqa: PLC0415

    return torch.cuda.is_available()


def choose_device(allow_cpu: bool) -> str:
    """要用的设备名；不是可用的 CUDA 设备且没有 ``--allow-cpu`` 时以 NO_CUDA 退出。"""
    requested = os.environ.get("DLGUIDE_DEVICE", "").strip()
    if allow_cpu:
        return requested or ("cuda" if cuda_available() else "cpu")
    device = requested or "cuda"
    if not device.startswith("cuda"):
        log(f"DLGUIDE_DEVICE={device!r} 不是 CUDA 设备；这是 GPU 运行。在 CPU 上试运行请加 --allow-cpu。")
        sys.exit(NO_CUDA)
    if not cuda_available():
        import torch  # noqa: PLC0415

        log(
            "没有可用的 CUDA：torch.cuda.is_available() 为 False"
            f"（torch {torch.__version__}，编译时的 CUDA：{torch.version.cuda or '无（CPU 版 torch）'}）。"
            "这个脚本要在有 GPU 的机器上运行；在 CPU 上试运行请加 --allow-cpu。"
        )
        sys.exit(NO_CUDA)
    return device


def device_description(device: str) -> str:
    import torch  # noqa: PLC0415

    if device.startswith("cuda"):
        index = torch.device(device).index or 0
        props = torch.cuda.get_device_properties(index)
        return (
            f"{torch.cuda.get_device_name(index)}（{props.total_memory / 2**30:.0f} GiB，"
            f"计算能力 {props.major}.{props.minor}，CUDA {torch.version.cuda}）"
        )
    return f"CPU（{platform.processor() or platform.machine()}，{os.cpu_count()} 核）"


def check_imports() -> None:
    missing = [name for name in ("torch", "pytest", "sybil", "sklearn", "matplotlib") if importlib.util.find_spec(name) is None]
    if missing:
        log(
            f"缺少 {missing}。Sybil 在设备机上没有：先在开发机上运行 bash scripts/gpu.sh --fetch-wheels，"
            "把 .whl/ 随工作树带过去（scripts/gpu.sh 会从那里离线安装）。"
        )
        sys.exit(MISSING)


def run_examples(device: str, out_dir: Path, jobs: int, keyword: str | None) -> tuple[dict, float]:
    junit = out_dir / "gpu-junit.xml"
    command = [sys.executable, "-m", "pytest", "dlguide", "docs", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
    if jobs > 1:
        if importlib.util.find_spec("xdist") is None:
            log("没有 pytest-xdist，--jobs 被忽略，按顺序运行")
        else:
            command += ["-n", str(jobs), "--dist", "loadfile"]
    if keyword:
        command += ["-k", keyword]
    env = {**os.environ, "DLGUIDE_DEVICE": device, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log(f"DLGUIDE_DEVICE={device} {' '.join(command[1:])}")
    start = time.perf_counter()
    with open(out_dir / "gpu-pytest.log", "w", encoding="utf-8") as logfile:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - start
    summary = parse_junit(junit) if junit.is_file() else {"tests": 0, "failures": [], "errors": 0, "skipped": 0}
    summary["returncode"] = result.returncode
    return summary, seconds


def parse_junit(path: Path) -> dict:
    """从 JUnit XML 数出通过、失败、错误、跳过，并列出每个失败（测试 id + 消息第一行）。"""
    root = ET.parse(path).getroot()
    tests = skipped = errors = 0
    failures: list[tuple[str, str]] = []
    for case in root.iter("testcase"):
        tests += 1
        ident = f"{case.get('classname', '')}::{case.get('name', '')}"
        for child in case:
            if child.tag == "skipped":
                skipped += 1
            elif child.tag in ("failure", "error"):
                message = (child.get("message") or child.text or "").strip().splitlines()
                first = message[0][:200] if message else ""
                failures.append((ident, first))
                if child.tag == "error":
                    errors += 1
    return {"tests": tests, "failures": failures, "errors": errors, "skipped": skipped}


def run_benchmark(device: str) -> tuple[str, int, float]:
    env = {**os.environ, "DLGUIDE_DEVICE": device, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log("python -m dlguide.pages.optimization.training_speed")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "dlguide.pages.optimization.training_speed"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    text = result.stdout.strip()
    if result.returncode != 0:
        text += "\n\n```\n" + result.stderr.strip()[-3000:] + "\n```"
    return text, result.returncode, time.perf_counter() - start


def report(meta: dict, summary: dict, seconds: float, bench: tuple[str, int, float] | None) -> str:
    failed = len(summary["failures"])
    passed = summary["tests"] - failed - summary["skipped"]
    lines = [
        "# dlguide GPU 运行结果",
        "",
        f"- 日期：{meta['date']}",
        f"- 设备：{meta['device']}",
        f"- torch {meta['torch']}；Python {meta['python']}；提交 {meta['commit'] or '（未知）'}",
        f"- 命令：`DLGUIDE_DEVICE={meta['device_name']} python -m pytest dlguide docs -q`"
        + (f"（`-k {meta['keyword']}`）" if meta.get("keyword") else ""),
        "",
        "## 页面与 docstring 示例",
        "",
        "| 结果 | 数量 |",
        "| --- | ---: |",
        f"| 通过 | {passed} |",
        f"| 失败 | {failed - summary['errors']} |",
        f"| 错误 | {summary['errors']} |",
        f"| 跳过 | {summary['skipped']} |",
        f"| 合计 | {summary['tests']} |",
        "",
        f"耗时 {seconds:.0f} s；pytest 退出状态 {summary['returncode']}。",
        "",
    ]
    if summary["failures"]:
        lines += ["### 失败", ""]
        lines += [f"- `{ident}`：{message}" for ident, message in summary["failures"]]
        lines.append("")
    elif summary["tests"] == 0:
        lines += ["没有收集到任何示例：看 gpu-pytest.log。", ""]
    lines += ["## 训练速度基准（`python -m dlguide.pages.optimization.training_speed`）", ""]
    if bench is None:
        lines += ["（未运行：--skip-bench）", ""]
    else:
        text, code, bench_seconds = bench
        lines += [text, "", f"耗时 {bench_seconds:.0f} s；退出状态 {code}。", ""]
    return "\n".join(lines)


def _git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allow-cpu", action="store_true", help="没有 CUDA 也运行（只用于试这个脚本）")
    parser.add_argument("--skip-bench", action="store_true", help="不跑训练速度基准")
    parser.add_argument("--jobs", type=int, default=1, help="pytest-xdist 的进程数（默认 1：不用 xdist）")
    parser.add_argument("-k", dest="keyword", help="只跑名字匹配的示例（传给 pytest -k）")
    parser.add_argument("--output", type=Path, help="结果文件（默认 $OUT/gpu-results.md 或 benchmarks/results/）")
    args = parser.parse_args(argv)

    check_imports()
    device = choose_device(args.allow_cpu)
    import torch  # noqa: PLC0415

    now = datetime.datetime.now(datetime.UTC)
    if args.output is None:
        out = os.environ.get("OUT")
        name = "gpu-results.md" if out else f"gpu-{now:%Y%m%d-%H%M%S}.md"
        args.output = Path(out) / name if out else ROOT / "benchmarks" / "results" / name
    args.output.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": f"{now:%Y-%m-%d %H:%M} UTC",
        "device": device_description(device),
        "device_name": device,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "commit": _git_commit(),
        "keyword": args.keyword,
    }
    log(f"设备：{meta['device']}；torch {meta['torch']}")
    summary, seconds = run_examples(device, args.output.parent, args.jobs, args.keyword)
    failed = len(summary["failures"])
    log(f"示例：{summary['tests']} 个，失败 {failed}，跳过 {summary['skipped']}（{seconds:.0f} s）")
    bench = None if args.skip_bench else run_benchmark(device)
    text = report(meta, summary, seconds, bench)
    args.output.write_text(text, encoding="utf-8")
    print(text, flush=True)
    log(f"结果写到 {args.output}")
    ok = summary["returncode"] == 0 and summary["tests"] > 0 and (bench is None or bench[1] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
