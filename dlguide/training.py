"""最小的训练循环：各章实验共用，保证“同样的种子 → 同样的数字”。"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import torch
from torch import nn

from dlguide._checks import (
    check_bool,
    check_callable,
    check_choice,
    check_int,
    check_model_input,
    check_module,
    check_nonnegative,
    check_positive,
    check_same_length,
    check_seed,
    check_tensor,
)
from dlguide.device import get_device

__all__ = [
    "accuracy",
    "fit",
    "progress_bar",
]


def fit(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    epochs: int = 100,
    lr: float = 0.1,
    batch_size: int | None = None,
    weight_decay: float = 0.0,
    optimizer: str = "sgd",
    seed: int | None = 0,
    shuffle: bool = True,
    lr_at: Callable[[int], float] | None = None,
    on_step: Callable[[int, float], bool | None] | None = None,
    param_groups: Sequence[dict] | None = None,
) -> list[float]:
    """用小批量梯度下降训练 ``model``，返回每个 epoch 的平均训练损失。全书的训练实验都用它。

    数据和模型都搬到 [`get_device`][dlguide.device.get_device] 的设备上；打乱顺序用独立的 CPU 生成器，
    所以 CPU 和 GPU 上看到的样本顺序相同。

    Parameters
    ----------
    model : torch.nn.Module
        要训练的模型（就地修改）。
    X : torch.Tensor
        输入，第 0 维是样本，至少一个样本；形状和 dtype 要被 ``model`` 接受（通常是浮点特征，
        嵌入层的输入是整数下标）。
    y : torch.Tensor
        目标，样本数与 ``X`` 相同。默认的损失下：整数 ``y`` 是类别（取值在 ``[0, 类别数)`` 内），
        浮点 ``y`` 是回归目标（每个样本的形状与模型输出相同）。数据里的 NaN/inf 按 PyTorch 的语义传播到损失里。
    loss_fn : callable, optional
        默认：``y`` 是整数时用交叉熵，否则用 MSE。
    epochs : int
        遍历数据的轮数，在 [1, 100000] 内。
    lr : float
        学习率，> 0。
    batch_size : int, optional
        小批量大小；``None`` 表示全批量。
    weight_decay : float
        L2 权重衰减系数，≥ 0。
    optimizer : str
        ``"sgd"`` 或 ``"adam"``。
    seed : int, optional
        打乱顺序的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    shuffle : bool
        每轮重新打乱（默认）；``False`` 时每轮都按原顺序喂数据（演示不打乱的坏处）。
    lr_at : callable, optional
        ``lr_at(t)`` 给出第 ``t`` 次更新（从 0 数）用的学习率，覆盖 ``lr``（学习率范围测试、自定义调度）。
    on_step : callable, optional
        每次更新之后调用 ``on_step(t, loss)``，``loss`` 是这个小批量更新前的损失；返回 ``True`` 时停止训练
        （只返回已经完整跑完的 epoch 的损失）。
    param_groups : sequence of dict, optional
        交给优化器的参数组（PyTorch 的 per-parameter options），代替默认的 ``model.parameters()``，
        例如 ``[{"params": body.parameters(), "lr": 1e-4}, {"params": head.parameters()}]``：
        不写 ``lr`` 的组用 ``lr``。与 ``lr_at`` 同用时每组按初始比例缩放：第 ``t`` 步第 ``k`` 组的学习率是
        ``lr_at(t) * lr_k / lr``。

    Returns
    -------
    list[float]
        每个完整 epoch 的平均损失，正常结束时长度为 ``epochs``。

    Raises
    ------
    TypeError
        参数类型不对：``model`` 不是 ``nn.Module``，``X`` 或 ``y`` 不是张量……
    ValueError
        参数越界，``optimizer`` 不认识，``X`` 与 ``y`` 的样本数不同，``model`` 不接受 ``X``，
        或 ``y`` 与默认损失对不上（类别越界、回归目标的形状与输出不同）。

    Examples
    --------
    >>> from dlguide.data import make_xor
    >>> from dlguide.models import mlp
    >>> X, y = make_xor(200, noise=0.1)
    >>> net = mlp([2, 8, 2], "tanh", seed=0)
    >>> losses = fit(net, X, y, epochs=200, lr=0.5)
    >>> losses[0] > 0.6 and losses[-1] < 0.05
    True
    >>> accuracy(net, X, y)
    1.0
    """
    check_module(model, "model")
    check_tensor(X, "X", kind="any", nonempty=True)
    check_tensor(y, "y", kind="any")
    if y.dtype == torch.bool or y.is_complex():
        raise TypeError(f"y 必须是整数（类别）或实数（回归目标）张量，收到的是 {y.dtype}")
    check_same_length(X, y, "X", "y")
    if loss_fn is not None:
        check_callable(loss_fn, "loss_fn")
    check_int(epochs, "epochs", low=1, high=100_000)
    if lr_at is not None:
        check_callable(lr_at, "lr_at")
    if on_step is not None:
        check_callable(on_step, "on_step")
    check_positive(lr, "lr")
    check_nonnegative(weight_decay, "weight_decay")
    if batch_size is not None:
        check_int(batch_size, "batch_size", low=1)
    optimizers = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}
    check_choice(optimizer, "optimizer", optimizers)
    check_seed(seed)
    check_bool(shuffle, "shuffle")
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("model 没有需要训练的参数（requires_grad=True 的 parameters()）")
    device = get_device()
    model.to(device)
    X, y = X.to(device), y.to(device)
    out = check_model_input(model, X)
    if loss_fn is None:
        _check_default_targets(out, y)
        loss_fn = nn.functional.cross_entropy if not y.is_floating_point() else nn.functional.mse_loss
    params = model.parameters() if param_groups is None else _param_groups(param_groups)
    opt = optimizers[optimizer](params, lr=lr, weight_decay=weight_decay)
    # 每组学习率相对 lr 的比例：lr_at 给出基准学习率，各组按这个比例缩放（默认只有一组，比例为 1）
    lr_scales = [group["lr"] / lr for group in opt.param_groups]
    g = None if seed is None else torch.Generator().manual_seed(seed)
    n = len(X)
    size = n if batch_size is None else min(batch_size, n)
    history = []
    step = 0
    model.train()
    for _ in range(epochs):
        order = (torch.randperm(n, generator=g) if shuffle else torch.arange(n)).to(device)
        total = 0.0
        for start in range(0, n, size):
            idx = order[start : start + size]
            if lr_at is not None:
                for group, scale in zip(opt.param_groups, lr_scales):
                    group["lr"] = lr_at(step) * scale
            opt.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            stop = on_step is not None and on_step(step, loss.item())
            step += 1
            if stop:
                return history
        history.append(total / n)
    return history


def _check_default_targets(out: torch.Tensor, y: torch.Tensor) -> None:
    """默认损失下 ``y`` 与模型输出 ``out = model(X[:1])`` 是否对得上：交叉熵要类别下标，MSE 要同形状的目标。"""
    if not y.is_floating_point():
        # 交叉熵：输出 (N, C, ...)，类别 (N, ...)，取值在 [0, C) 内
        if out.ndim < 2 or tuple(y.shape[1:]) != tuple(out.shape[2:]):
            raise ValueError(
                f"整数 y 是交叉熵的类别：model 每个样本输出 {tuple(out.shape[1:])}，"
                f"y 每个样本的形状应为 {tuple(out.shape[2:])}，收到 {tuple(y.shape[1:])}"
            )
        low, high = int(y.min()), int(y.max())
        if low < 0 or high >= out.shape[1]:
            raise ValueError(f"y 的类别必须在 [0, {out.shape[1] - 1}] 内（model 输出 {out.shape[1]} 类），收到 [{low}, {high}]")
    elif tuple(y.shape[1:]) != tuple(out.shape[1:]):
        # MSE：形状不同会被广播成 (N, N) 之类，损失是一个没有意义的数
        raise ValueError(
            f"浮点 y 是 MSE 的回归目标：每个样本的形状必须与 model 的输出 {tuple(out.shape[1:])} 相同，"
            f"收到 {tuple(y.shape[1:])}（整数类别请用 int64 张量）"
        )


def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """分类准确率（取 logit 最大的类；单输出时以 0 为阈值），保留 4 位小数。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型，输出 ``(N, C)`` 的 logit，或 ``(N,)``/``(N, 1)`` 的单个 logit（二分类）。
    X : torch.Tensor
        输入，第 0 维是样本，至少一个样本；形状和 dtype 要被 ``model`` 接受。
    y : torch.Tensor
        类别，形状 ``(N,)`` 或 ``(N, 1)``：整数张量，或取整数值的有限浮点张量（如 ``0.0``/``1.0``）。

    Returns
    -------
    float
        分对的比例。只要有一个样本的 logit 含 NaN（输入含 NaN，或模型已经发散），就返回 ``nan``：
        NaN 没有大小，不能把它算成某一类，这样发散不会被一个看似正常的准确率掩盖。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``，``X`` 或 ``y`` 不是张量，或 ``y`` 是布尔张量。
    ValueError
        ``X`` 为空，``X`` 与 ``y`` 的样本数不同，``y`` 的形状不对、含非有限值或非整数值，或 ``model`` 不接受 ``X``。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Linear(1, 1)
    >>> with torch.no_grad():
    ...     _ = net.weight.fill_(1.0)
    ...     _ = net.bias.zero_()
    ...
    >>> accuracy(net, torch.tensor([[-1.0], [2.0], [3.0]]), torch.tensor([0, 1, 0]))
    0.6667
    >>> accuracy(net, torch.tensor([[-1.0], [float("nan")], [3.0]]), torch.tensor([0, 1, 0]))
    nan
    """
    check_module(model, "model")
    check_tensor(X, "X", kind="any", nonempty=True)
    check_tensor(y, "y", kind="any")
    check_same_length(X, y, "X", "y")
    if y.ndim > 2 or (y.ndim == 2 and y.shape[1] != 1):
        raise ValueError(f"y 的形状必须是 (N,) 或 (N, 1)，收到 {tuple(y.shape)}")
    if y.dtype == torch.bool or y.is_complex():
        raise TypeError(f"y 必须是整数张量（类别），收到的是 {y.dtype}")
    if y.is_floating_point() and not bool((torch.isfinite(y) & (y == y.round())).all()):
        raise ValueError("y 是类别：浮点的 y 只能取有限的整数值（0.0、1.0……），收到了 NaN、inf 或小数")
    params = list(model.parameters())
    device = params[0].device if params else X.device
    X = X.to(device)
    check_model_input(model, X)
    model.eval()
    try:
        with torch.no_grad():
            logits = model(X)
    finally:
        model.train()
    if logits.ndim == 0 or len(logits) != len(X) or (logits.ndim == 2 and logits.shape[1] == 0) or logits.ndim > 2:
        raise ValueError(f"model 的输出形状必须是 (N, C)、(N,) 或 (N, 1)（N = {len(X)}），收到 {tuple(logits.shape)}")
    if bool(torch.isnan(logits).any()):
        return float("nan")
    pred = logits.argmax(dim=1) if logits.ndim == 2 and logits.shape[1] > 1 else (logits.reshape(-1) > 0).long()
    return round((pred.cpu() == y.reshape(-1).cpu()).float().mean().item(), 4)


def progress_bar(
    total_steps: int,
    *,
    width: int = 20,
    every: int = 1,
    newline: bool = False,
    digits: int = 4,
    file: TextIO | None = None,
) -> Callable[[int, float], None]:
    r"""给 [`fit`][dlguide.training.fit] 的 ``on_step`` 用的文字进度条：``[#####-----]  50% 步 20/40 损失 0.6931``。

    损失是最近 ``every`` 步的平均。默认在同一行原地刷新（``\r``），最后一步后换行；
    ``newline=True`` 时每次刷新都另起一行（写进日志或文档时用）。不需要 tqdm，也不另写训练循环。

    Parameters
    ----------
    total_steps : int
        总步数（``epochs × 每轮的小批量数``），在 ``[1, 10**7]`` 内。
    width : int
        进度条的字符数，在 ``[1, 200]`` 内。
    every : int
        每隔多少步刷新一次，≥ 1；最后一步总会刷新。
    newline : bool
        每次刷新是否换行。
    digits : int
        损失保留的小数位数，在 ``[0, 10]`` 内。
    file : TextIO, optional
        输出位置，默认 ``sys.stdout``。

    Returns
    -------
    callable
        ``on_step(t, loss)``，返回 ``None``（不会让训练提前停止）。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> bar = progress_bar(4, width=8, every=2, newline=True)
    >>> for t, loss in enumerate([1.0, 0.8, 0.6, 0.4]):
    ...     bar(t, loss)
    ...
    [####----]  50% 步 2/4 损失 0.9000
    [########] 100% 步 4/4 损失 0.5000
    """
    check_int(total_steps, "total_steps", low=1, high=10**7)
    check_int(width, "width", low=1, high=200)
    check_int(every, "every", low=1)
    check_bool(newline, "newline")
    check_int(digits, "digits", low=0, high=10)
    recent: list[float] = []

    def on_step(t: int, loss: float) -> None:
        recent.append(loss)
        done = t + 1
        if done % every and done < total_steps:
            return
        filled = round(width * min(done, total_steps) / total_steps)
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {100 * done // total_steps:3d}% 步 {done}/{total_steps} 损失 {sum(recent) / len(recent):.{digits}f}"
        recent.clear()
        out = sys.stdout if file is None else file
        end = "\n" if newline or done >= total_steps else ""
        out.write(("" if newline else "\r") + line + end)
        out.flush()

    return on_step


def _param_groups(groups: object) -> list[dict]:
    """检查并复制 [`fit`][dlguide.training.fit] 的 ``param_groups``：每组是带 ``"params"`` 的 dict，``lr`` 是正数。"""
    if isinstance(groups, (str, bytes, dict)) or not isinstance(groups, Sequence) or not groups:
        raise TypeError(f"param_groups 必须是非空的 dict 序列（每组含 'params'），收到的是 {type(groups).__name__}")
    out = []
    for k, group in enumerate(groups):
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"param_groups[{k}] 必须是含 'params' 的 dict，收到的是 {type(group).__name__}")
        if "lr" in group:
            check_positive(group["lr"], f"param_groups[{k}]['lr']")
        out.append({**group, "params": list(group["params"])})
    return out
