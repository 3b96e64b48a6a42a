"""“怎么加快训练的速度”一页：吞吐量测量与加速手段的基准测试。

``python -m dlguide.pages.optimization.training_speed`` 在当前设备上运行基准测试并打印表格。
"""

from __future__ import annotations

import datetime
import platform
import time
from collections.abc import Callable, Mapping

import torch
from matplotlib.figure import Figure
from torch import nn
from torch.utils.data import DataLoader

from dlguide._checks import check_bool, check_callable, check_choice, check_int, check_positive
from dlguide.data import AugmentedImages
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.models import small_cnn

__all__ = ["benchmark", "float_formats", "format_table", "throughput"]


def throughput(
    step: Callable[[], object], samples_per_step: int, *, steps: int = 10, warmup: int = 2, device: torch.device | None = None
) -> float:
    """调用 ``step()`` ``warmup + steps`` 次，返回后 ``steps`` 次的吞吐量（样本/秒）。

    GPU 上的运算是异步的：计时前后都要 ``torch.cuda.synchronize()``，否则量到的只是把任务放进队列的时间。

    Parameters
    ----------
    step : callable
        执行一步（例如一次前向 + 反向 + 更新）。
    samples_per_step : int
        每步处理的样本数，≥ 1。
    steps, warmup : int
        计时的步数（[1, 10⁶]）和不计时的预热步数（[0, 10⁶]）。
    device : torch.device, optional
        若是 CUDA 设备则在计时前后同步。

    Returns
    -------
    float
        样本/秒。

    Raises
    ------
    TypeError, ValueError
        ``step`` 不可调用，计数不是整数或越界，或 ``device`` 不是 ``torch.device``。

    Examples
    --------
    >>> rate = throughput(lambda: sum(range(1000)), samples_per_step=8, steps=3)
    >>> isinstance(rate, float) and rate > 0
    True
    """
    check_callable(step, "step")
    check_int(samples_per_step, "samples_per_step", low=1)
    check_int(steps, "steps", low=1, high=10**6)
    check_int(warmup, "warmup", low=0, high=10**6)
    if device is not None and not isinstance(device, torch.device):
        raise TypeError(f"device 必须是 torch.device 或 None，收到的是 {type(device).__name__}")

    def sync() -> None:
        if device is not None and device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(warmup):
        step()
    sync()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    # 吞吐量 = 样本数 / 墙钟时间
    return samples_per_step * steps / (time.perf_counter() - start)


def _train_step(model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, autocast_dtype=None):
    def step() -> None:
        opt.zero_grad(set_to_none=True)
        if autocast_dtype is None:
            loss = nn.functional.cross_entropy(model(x), y)
        else:
            with torch.autocast(device_type=x.device.type, dtype=autocast_dtype):
                loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return step


def benchmark(device: torch.device | None = None, *, batch_size: int = 64, steps: int = 10, compile: bool = True) -> dict:
    """在 ``device`` 上测量各种加速手段的吞吐量。每一项是 ``{"samples_per_s": float 或 None, "note": str}``。

    ``samples_per_s`` 为 ``None`` 表示这一项被跳过，``note`` 写明原因（例如 CPU 上没有 ``pin_memory`` 可言、
    ``torch.compile`` 不可用或失败）。不在 doctest 里运行：耗时取决于机器。

    Parameters
    ----------
    device : torch.device, optional
        默认 [`dlguide.device.get_device`][dlguide.device.get_device]；给出时必须是本机可用的 ``cpu``、``cuda`` 或 ``mps`` 设备。
    batch_size : int
        小批量大小，在 [1, 4096] 内。
    steps : int
        每项计时的步数，在 [1, 10000] 内。
    compile : bool
        是否尝试 ``torch.compile``（首次编译可能要几十秒）；必须是 ``True`` 或 ``False``（字符串 ``"no"`` 是真值）。

    Returns
    -------
    dict
        ``{"device": str, "date": str, "torch": str, "results": {名称: {"samples_per_s", "note"}}}``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界，或 ``device`` 在本机不可用。它们在测量之前就被拒绝，不会变成表格里的“跳过”。

    Examples
    --------
    >>> result = benchmark(steps=2, compile=False)  # doctest: +SKIP
    >>> sorted(result)  # doctest: +SKIP
    ['date', 'device', 'results', 'torch']
    """

    if device is not None:
        if not isinstance(device, torch.device):
            raise TypeError(f"device 必须是 torch.device 或 None，收到的是 {type(device).__name__}")
        check_choice(device.type, "device 的类型", ("cpu", "cuda", "mps"))
        if device.type == "cuda" and (not torch.cuda.is_available() or (device.index or 0) >= torch.cuda.device_count()):
            raise ValueError(f"device {device} 在本机不可用（可用的 CUDA 设备数：{torch.cuda.device_count()}）")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"device {device} 在本机不可用")
    check_int(batch_size, "batch_size", low=1, high=4096)
    check_int(steps, "steps", low=1, high=10_000)
    check_bool(compile, "compile")
    device = device or get_device()
    results: dict[str, dict] = {}

    def record(name: str, fn: Callable[[], float | None], note: str = "") -> None:
        try:
            rate = fn()
            results[name] = {"samples_per_s": rate, "note": note}
        except Exception as err:
            results[name] = {"samples_per_s": None, "note": f"跳过：{type(err).__name__}: {str(err).splitlines()[0][:120]}"}

    # 1. 数据加载：worker 数与 pin_memory（只测“把一个 epoch 的数据取出来并搬到设备上”）
    data = AugmentedImages(16 * batch_size)

    def loader_rate(workers: int, pin: bool) -> float:
        loader = DataLoader(data, batch_size=batch_size, num_workers=workers, pin_memory=pin, persistent_workers=False)
        start = time.perf_counter()
        for x, _ in loader:
            x.to(device, non_blocking=pin)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return len(data) / (time.perf_counter() - start)

    record("DataLoader num_workers=0", lambda: loader_rate(0, False))
    record("DataLoader num_workers=2", lambda: loader_rate(2, False))
    if device.type == "cuda":
        record("DataLoader num_workers=2, pin_memory", lambda: loader_rate(2, True))
    else:
        results["DataLoader num_workers=2, pin_memory"] = {"samples_per_s": None, "note": "跳过：pin_memory 只对 CPU→GPU 拷贝有意义"}

    # 2. 训练步：FP32、混合精度、channels-last、torch.compile
    g = torch.Generator().manual_seed(0)
    x = torch.randn(batch_size, 3, 32, 32, generator=g).to(device)
    y = torch.randint(0, 10, (batch_size,), generator=g).to(device)

    def train_rate(autocast_dtype=None, channels_last: bool = False, compiled: bool = False) -> float:
        model = small_cnn().to(device)
        xx = x
        if channels_last:
            model = model.to(memory_format=torch.channels_last)
            xx = x.contiguous(memory_format=torch.channels_last)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        if compiled:
            model = torch.compile(model)
        return throughput(_train_step(model, opt, xx, y, autocast_dtype), batch_size, steps=steps, warmup=2, device=device)

    record("训练步 FP32", train_rate)
    record("训练步 autocast bf16", lambda: train_rate(torch.bfloat16))
    if device.type == "cuda":
        record("训练步 autocast fp16", lambda: train_rate(torch.float16), "真实训练还需 GradScaler")
    else:
        results["训练步 autocast fp16"] = {"samples_per_s": None, "note": "跳过：fp16 autocast 面向 GPU"}
    record("训练步 channels-last", lambda: train_rate(channels_last=True))
    if compile and hasattr(torch, "compile"):
        record("训练步 torch.compile", lambda: train_rate(compiled=True), "不含首次编译时间")
    else:
        results["训练步 torch.compile"] = {"samples_per_s": None, "note": "跳过：未请求或不可用"}

    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
    else:
        name = f"CPU（{platform.processor() or platform.machine()}，{torch.get_num_threads()} 线程）"
    return {
        "device": name,
        "date": datetime.date.today().isoformat(),
        "torch": torch.__version__,
        "results": results,
    }


def format_table(result: dict) -> str:
    """把 [`benchmark`][dlguide.pages.optimization.training_speed.benchmark] 的结果排成 Markdown 表格，附相对第一行同类基线的倍数。

    ``result`` 要有 ``"results"``：``{名称: {"samples_per_s": 正数或 None, "note": str}}``；否则抛出写明 ``result`` 的
    ``TypeError``/``ValueError``。

    Examples
    --------
    >>> fake = {"device": "CPU", "date": "2026-01-01", "torch": "2.x", "results": {
    ...     "训练步 FP32": {"samples_per_s": 100.0, "note": ""},
    ...     "训练步 autocast bf16": {"samples_per_s": 150.0, "note": ""},
    ...     "训练步 torch.compile": {"samples_per_s": None, "note": "跳过：没有编译器"}}}
    >>> print(format_table(fake))
    | 项目 | 样本/秒 | 相对基线 | 说明 |
    | --- | ---: | ---: | --- |
    | 训练步 FP32 | 100 | 1.00× |  |
    | 训练步 autocast bf16 | 150 | 1.50× |  |
    | 训练步 torch.compile | — | — | 跳过：没有编译器 |
    """
    if not isinstance(result, Mapping) or not isinstance(result.get("results"), Mapping):
        raise TypeError(f"result 必须是 benchmark() 的结果（含 'results' 字典的 dict），收到的是 {type(result).__name__}")
    for name, row in result["results"].items():
        if not isinstance(row, Mapping) or not isinstance(row.get("note"), str):
            raise TypeError(f"result['results'][{name!r}] 必须是 {{'samples_per_s': 数或 None, 'note': str}}，收到 {row!r}")
        rate = row.get("samples_per_s")
        if rate is not None:
            check_positive(rate, f"result['results'][{name!r}]['samples_per_s']")
    lines = ["| 项目 | 样本/秒 | 相对基线 | 说明 |", "| --- | ---: | ---: | --- |"]
    baselines: dict[str, float] = {}
    for name, row in result["results"].items():
        group = name.split(" ")[0]
        rate = row["samples_per_s"]
        if rate is not None and group not in baselines:
            baselines[group] = rate
        rel = f"{rate / baselines[group]:.2f}×" if rate is not None else "—"
        shown = f"{rate:.0f}" if rate is not None else "—"
        lines.append(f"| {name} | {shown} | {rel} | {row['note']} |")
    return "\n".join(lines)


@figure
def float_formats() -> Figure:
    """把 10⁻¹⁰～10⁶ 的数存成 fp16 / bf16 后的相对误差。

    fp16 在 6×10⁻⁵ 以下精度迅速变差、10⁻⁸ 以下变成 0、65504 以上溢出；bf16 范围与 fp32 相同但精度约 3 位有效数字。
    """
    x = torch.logspace(-10, 6, 2000, dtype=torch.float64)
    fig, (ax,) = new_figure(width=7.0, height=3.6)
    for dtype, label in ((torch.float16, "fp16"), (torch.bfloat16, "bf16"), (torch.float32, "fp32")):
        y = x.to(dtype).double()
        rel = ((y - x).abs() / x).clamp(min=1e-9, max=1.0)
        ax.loglog(x, rel, lw=0.8, label=label)
    ax.axvline(65504, color="gray", ls="--", lw=0.8)
    ax.axvline(6.1e-5, color="gray", ls=":", lw=0.8)
    ax.text(2e3, 3e-2, "fp16 上溢\n(65504)", fontsize=8)
    ax.text(1.5e-7, 3e-2, "fp16 次正规数\n(< 6.1e-5)", fontsize=8)
    ax.set_xlabel("数值大小")
    ax.set_ylabel("相对舍入误差（截断在 1）")
    ax.legend(loc="center left")
    return fig


if __name__ == "__main__":  # python -m dlguide.pages.optimization.training_speed
    out = benchmark()
    print(f"设备：{out['device']}；日期：{out['date']}；torch {out['torch']}\n")
    print(format_table(out))
