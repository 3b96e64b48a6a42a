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

from dlguide._checks import (
    check_bool,
    check_callable,
    check_choice,
    check_in_range,
    check_int,
    check_model_input,
    check_module,
    check_positive,
    check_same_length,
    check_tensor,
)
from dlguide.data import AugmentedImages
from dlguide.device import get_device
from dlguide.figures import figure, new_figure
from dlguide.models import small_cnn

__all__ = [
    "accumulate_gradients",
    "benchmark",
    "checkpoint_cost",
    "float_formats",
    "format_table",
    "profile_training",
    "throughput",
]


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


def profile_training(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    steps: int = 3,
    batch_size: int = 32,
    data_delay: float = 0.0,
) -> dict[str, dict[str, float]]:
    """用 ``torch.profiler`` 记录 ``steps`` 个训练步，返回每个事件的调用次数、CPU 总时间（微秒）和 FLOPs。

    每步分成四段，用 ``record_function`` 标上名字：``"data"``（取一个批次；``data_delay`` 秒的 ``time.sleep``
    模拟慢的解码和增强）、``"forward"``、``"backward"``、``"optimizer"``。PyTorch 自己的算子以 ``aten::`` 开头。
    ``with_flops=True`` 让分析器按形状估计矩阵乘法等算子的浮点运算数。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型。
    X, y : torch.Tensor
        输入和整数标签，从头按 ``batch_size`` 切批次。
    steps : int
        记录的训练步数，1～100。
    batch_size : int
        批量大小，≥ 1。
    data_delay : float
        每次取批次额外等待的秒数，0～1。

    Returns
    -------
    dict[str, dict[str, float]]
        ``{事件名: {"count": 调用次数, "cpu_time_us": CPU 总时间, "flops": 浮点运算数}}``。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> net = nn.Linear(4, 3)
    >>> events = profile_training(net, torch.randn(8, 4), torch.zeros(8, dtype=torch.long), steps=2, batch_size=4)
    >>> events["forward"]["count"], events["aten::addmm"]["count"], events["aten::addmm"]["flops"]   # 2·4·4·3 每步
    (2, 2, 192)
    """
    from torch.profiler import ProfilerActivity, profile, record_function  # noqa: PLC0415

    check_module(model, "model")
    check_tensor(X, "X", nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    check_same_length(X, y, "X", "y")
    check_int(steps, "steps", low=1, high=100)
    check_int(batch_size, "batch_size", low=1)
    check_in_range(data_delay, "data_delay", 0.0, 1.0)
    _check_trainable(model)
    device = next(model.parameters()).device
    check_model_input(model, X.to(device))  # 批次在循环里才搬到模型所在的设备
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    with profile(activities=activities, with_flops=True) as prof:
        for step in range(steps):
            with record_function("data"):
                start = (step * batch_size) % len(X)
                xb, yb = X[start : start + batch_size].to(device), y[start : start + batch_size].to(device)
                time.sleep(data_delay)
            with record_function("forward"):
                loss = nn.functional.cross_entropy(model(xb), yb)
            with record_function("backward"):
                opt.zero_grad()
                loss.backward()
            with record_function("optimizer"):
                opt.step()
    return {
        e.key: {"count": e.count, "cpu_time_us": e.cpu_time_total, "flops": e.flops}
        for e in prof.key_averages()
    }


def _check_trainable(model: nn.Module) -> None:
    """``model`` 至少有一个需要梯度的参数，否则没有东西可以训练。"""
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("model 没有需要梯度的参数，没有东西可以训练")


def accumulate_gradients(model: nn.Module, X: torch.Tensor, y: torch.Tensor, micro_batch: int) -> list[torch.Tensor]:
    r"""梯度累积：把批次 ``(X, y)`` 切成大小 ``micro_batch`` 的小块，逐块反向、梯度在 ``.grad`` 里累加，返回各参数的梯度。

    每块的平均损失乘上 $m_k/B$（这一块的样本数 / 整批样本数）再反向，累加后正好是整批平均损失的梯度：
    $\nabla\frac1B\sum_i\ell_i = \sum_k\frac{m_k}{B}\nabla\frac1{m_k}\sum_{i\in k}\ell_i$。显存只需容纳一块的激活。
    含批标准化的模型不等价：每块用自己的统计量。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型（梯度先清零）。
    X, y : torch.Tensor
        整批输入和整数标签。
    micro_batch : int
        每块的样本数，≥ 1。

    Returns
    -------
    list[torch.Tensor]
        按 ``model.parameters()`` 顺序的梯度（拷贝）。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> net = nn.Linear(3, 2)
    >>> X, y = torch.randn(10, 3, generator=torch.Generator().manual_seed(0)), torch.arange(10) % 2
    >>> full = torch.autograd.grad(nn.functional.cross_entropy(net(X), y), list(net.parameters()))
    >>> all(torch.allclose(a, b, atol=1e-6) for a, b in zip(accumulate_gradients(net, X, y, 4), full))
    True
    """
    check_module(model, "model")
    check_tensor(X, "X", nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    total = check_same_length(X, y, "X", "y")
    check_int(micro_batch, "micro_batch", low=1)
    check_model_input(model, X)
    _check_trainable(model)
    model.zero_grad()
    for start in range(0, total, micro_batch):
        xb, yb = X[start : start + micro_batch], y[start : start + micro_batch]
        # 这一块的平均损失 × m_k / B：累加后 = 整批的平均损失
        loss = nn.functional.cross_entropy(model(xb), yb) * (len(xb) / total)
        loss.backward()  # 梯度累加到 .grad 上，不清零
    return [p.grad.detach().clone() for p in model.parameters()]


def checkpoint_cost(blocks: nn.ModuleList, x: torch.Tensor, *, use_checkpoint: bool) -> dict[str, int]:
    """把 ``x`` 依次送过 ``blocks`` 再反向，返回为反向保存的张量字节数和各块前向被调用的总次数。

    ``use_checkpoint=True`` 时每块用 ``torch.utils.checkpoint.checkpoint(block, h, use_reentrant=False)`` 包起来：
    前向只保存每块的**输入**，块内的中间激活在反向时重新算一遍。保存的字节数用
    ``torch.autograd.graph.saved_tensors_hooks`` 统计；梯度留在各参数的 ``.grad`` 里。

    Parameters
    ----------
    blocks : torch.nn.ModuleList
        依次调用的块。
    x : torch.Tensor
        输入。
    use_checkpoint : bool
        是否对每块做激活检查点。

    Returns
    -------
    dict[str, int]
        ``{"saved_bytes": 为反向保存的字节数, "block_calls": 各块前向被调用的总次数}``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或 ``blocks`` 为空。

    Examples
    --------
    >>> blocks = nn.ModuleList([nn.Sequential(nn.Linear(8, 8), nn.Tanh()) for _ in range(3)])
    >>> checkpoint_cost(blocks, torch.randn(4, 8), use_checkpoint=True)["block_calls"]   # 前向 3 次 + 反向重算 3 次
    6
    """
    from torch.utils.checkpoint import checkpoint  # noqa: PLC0415

    check_module(blocks, "blocks", nn.ModuleList)
    if len(blocks) == 0:
        raise ValueError("blocks 至少要有 1 块，收到空的 ModuleList")
    check_tensor(x, "x", nonempty=True)
    check_bool(use_checkpoint, "use_checkpoint")
    if not x.requires_grad and not any(p.requires_grad for p in blocks.parameters()):
        raise ValueError("blocks 没有需要梯度的参数，x 也不需要梯度：没有东西可以反向")
    check_model_input(nn.Sequential(*blocks), x, "blocks", "x")
    counts = {"saved_bytes": 0, "block_calls": 0}

    def pack(t: torch.Tensor) -> torch.Tensor:
        counts["saved_bytes"] += t.numel() * t.element_size()
        return t

    hooks = [b.register_forward_pre_hook(lambda *_: counts.__setitem__("block_calls", counts["block_calls"] + 1)) for b in blocks]
    try:
        for p in blocks.parameters():
            p.grad = None
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            h = x
            for block in blocks:
                # 检查点：只存块的输入，反向时重算块内的激活
                h = checkpoint(block, h, use_reentrant=False) if use_checkpoint else block(h)
            loss = h.pow(2).mean()
        loss.backward()
    finally:
        for hook in hooks:
            hook.remove()
    return counts


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
