"""最小的训练循环：各章实验共用，保证“同样的种子 → 同样的数字”。"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import torch
from torch import nn

from dlguide._checks import check_bool, check_callable, check_in_range, check_int, check_positive
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
    seed: int = 0,
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
    X, y : torch.Tensor
        输入和目标，第 0 维是样本。
    loss_fn : callable, optional
        默认：``y`` 是整数时用交叉熵，否则用 MSE。
    epochs : int
        遍历数据的轮数，≥ 1。
    lr : float
        学习率，> 0。
    batch_size : int, optional
        小批量大小；``None`` 表示全批量。
    weight_decay : float
        L2 权重衰减系数，≥ 0。
    optimizer : str
        ``"sgd"`` 或 ``"adam"``。
    seed : int
        打乱顺序的随机种子。
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
    ValueError
        参数越界或 ``optimizer`` 不认识。

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
    check_int(epochs, "epochs", low=1)
    if lr_at is not None:
        check_callable(lr_at, "lr_at")
    if on_step is not None:
        check_callable(on_step, "on_step")
    check_positive(lr, "lr")
    check_in_range(weight_decay, "weight_decay", 0.0, float("inf"))
    if len(X) != len(y):
        raise ValueError(f"X 与 y 的样本数必须相同，收到 {len(X)} 和 {len(y)}")
    if batch_size is not None:
        check_int(batch_size, "batch_size", low=1)
    optimizers = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}
    if optimizer not in optimizers:
        raise ValueError(f"optimizer 必须是 {sorted(optimizers)} 之一，收到 {optimizer!r}")
    device = get_device()
    model.to(device)
    X, y = X.to(device), y.to(device)
    if loss_fn is None:
        loss_fn = nn.functional.cross_entropy if not y.is_floating_point() else nn.functional.mse_loss
    params = model.parameters() if param_groups is None else _param_groups(param_groups)
    opt = optimizers[optimizer](params, lr=lr, weight_decay=weight_decay)
    # 每组学习率相对 lr 的比例：lr_at 给出基准学习率，各组按这个比例缩放（默认只有一组，比例为 1）
    lr_scales = [group["lr"] / lr for group in opt.param_groups]
    g = torch.Generator().manual_seed(seed)
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


def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """分类准确率（取 logit 最大的类；单输出时以 0 为阈值），保留 4 位小数。

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
    """
    device = next(model.parameters()).device
    model.eval()
    with torch.no_grad():
        logits = model(X.to(device))
    model.train()
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
