"""“如何解决梯度消失和梯度膨胀”一页：四种结构的对比图，混合精度下的梯度裁剪。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_bool,
    check_model_input,
    check_module,
    check_positive,
    check_same_length,
    check_tensor,
)
from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.gradients import GradientClipper, GradientMonitor, layer_grad_norms
from dlguide.init import init_mlp
from dlguide.models import mlp, residual_mlp
from dlguide.training import fit

__all__ = ["amp_clip_step", "remedies"]


def _remedy_nets() -> dict[str, torch.nn.Module]:
    return {
        "sigmoid\n（基线）": mlp([64] + [32] * 10 + [10], "sigmoid", seed=0),
        "ReLU\n+ He": init_mlp(mlp([64] + [32] * 10 + [10], "relu"), "he"),
        "sigmoid\n+ BN": mlp([64] + [32] * 10 + [10], "sigmoid", batch_norm=True, seed=0),
        "sigmoid\n+ 残差": residual_mlp(64, 32, 10, 10, "sigmoid", seed=0),
    }


@figure
def remedies() -> Figure:
    """左：10 层网络第 1 层与最后一层的梯度范数；右：学习率 2 时不同对策下每步的梯度范数。"""
    X, y = load_digits()
    X, y = X[:300], y[:300]
    fig, (left, right) = new_figure(2, width=8.8, height=3.8)
    names, first, last = [], [], []
    for name, net in _remedy_nets().items():
        nn.functional.cross_entropy(net(X), y).backward()
        norms = layer_grad_norms(net)
        names.append(name)
        first.append(norms[0])
        last.append(norms[-1])
    xs = torch.arange(len(names)).float()
    left.bar(xs - 0.2, first, width=0.4, label="第 1 层")
    left.bar(xs + 0.2, last, width=0.4, label="最后一层")
    left.set_xticks(xs.tolist(), names, fontsize=8)
    left.set_yscale("log")
    left.set_title("初始时 ‖∂L/∂W‖")
    left.legend(fontsize=8)
    settings = (
        ("无对策", {}, 0.0, "tab:red"),
        ("权重衰减 0.01", {}, 0.01, "tab:purple"),
        ("按范数裁剪 1.0", {"max_norm": 1.0}, 0.0, "tab:green"),
        ("按值裁剪 0.01", {"clip_value": 0.01}, 0.0, "tab:blue"),
    )
    for label, clip, wd, color in settings:
        net = init_mlp(mlp([64] + [32] * 5 + [10], "relu", seed=0), "he")
        with GradientMonitor(net) as monitor:
            if clip:
                with GradientClipper(net, **clip):
                    fit(net, X, y, epochs=30, lr=2.0, weight_decay=wd)
            else:
                fit(net, X, y, epochs=30, lr=2.0, weight_decay=wd)
        norms = [v if math.isfinite(v) else float("nan") for v in monitor.global_norms]
        right.plot(norms, color=color, label=label)
    right.set_yscale("log")
    right.set_xlabel("训练步（lr = 2）")
    right.set_title("裁剪前的全局梯度范数")
    right.legend(fontsize=8)
    return fig


def amp_clip_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    max_norm: float,
    unscale: bool = True,
) -> float:
    """混合精度训练的一步，带按范数的梯度裁剪；返回**裁剪前**的梯度总范数。

    顺序是 PyTorch 文档（Automatic Mixed Precision examples，“Gradient clipping”一节）给出的：
    ``scaler.scale(loss).backward()`` → ``scaler.unscale_(optimizer)`` → ``clip_grad_norm_`` → ``scaler.step`` → ``scaler.update``。
    autocast 在 CUDA 上用 float16（需要缩放的情形），在其他设备上用 bfloat16。``unscale=False`` 演示漏掉 ``unscale_`` 的后果。

    Parameters
    ----------
    model : torch.nn.Module
        分类模型，输出 logit。
    optimizer : torch.optim.Optimizer
        ``model`` 参数的优化器。
    scaler : torch.amp.GradScaler
        损失缩放器。
    X : torch.Tensor
        输入（与 ``model`` 在同一设备上）。
    y : torch.Tensor
        整数类别标签。
    max_norm : float
        裁剪阈值，> 0。
    unscale : bool
        是否在裁剪前调用 ``scaler.unscale_``（正确的做法是 ``True``）。

    Returns
    -------
    float
        ``clip_grad_norm_`` 返回的裁剪前总范数（``unscale=False`` 时是乘了缩放因子的范数）。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> from dlguide.models import mlp
    >>> net = mlp([4, 8, 3], seed=0)
    >>> opt = torch.optim.SGD(net.parameters(), lr=0.1)
    >>> scaler = torch.amp.GradScaler("cpu", init_scale=2.0**16)
    >>> X, y = torch.randn(16, 4, generator=torch.Generator().manual_seed(0)), torch.arange(16) % 3
    >>> norm = amp_clip_step(net, opt, scaler, X, y, max_norm=1.0)
    >>> 0 < norm < 10, scaler.get_scale()
    (True, 65536.0)
    """
    check_module(model, "model")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer 必须是 torch.optim.Optimizer，收到的是 {type(optimizer).__name__}")
    if not isinstance(scaler, torch.amp.GradScaler):
        raise TypeError(f"scaler 必须是 torch.amp.GradScaler，收到的是 {type(scaler).__name__}")
    check_tensor(X, "X", nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1, nonempty=True)
    check_same_length(X, y, "X", "y")
    check_positive(max_norm, "max_norm")
    check_bool(unscale, "unscale")
    check_model_input(model, X)
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("model 没有需要梯度的参数，没有东西可以训练")
    managed = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not any(id(p) in managed for p in model.parameters() if p.requires_grad):
        raise ValueError("optimizer 必须管理 model 的参数，收到的优化器里没有 model 的任何参数")
    optimizer.zero_grad()
    dtype = torch.float16 if X.device.type == "cuda" else torch.bfloat16
    with torch.autocast(device_type=X.device.type, dtype=dtype):
        loss = nn.functional.cross_entropy(model(X), y)
    # 1. 损失先乘上缩放因子 S 再反向：fp16 里很小的梯度不会下溢成 0，但此时每个梯度都是真实值的 S 倍
    scaler.scale(loss).backward()
    if unscale:
        # 2. 就地把梯度除以 S，还原成真实梯度（并检查有没有 inf/nan）
        scaler.unscale_(optimizer)
    # 3. 按真实梯度的总范数裁剪：‖g‖ > c 时 g ← c·g/‖g‖；返回值是裁剪前的 ‖g‖
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    # 4. 梯度有 inf/nan 就跳过这一步；否则更新（已经 unscale_ 过的梯度不会再除一次 S）
    scaler.step(optimizer)
    # 5. 调整 S：这一步有 inf/nan 就减半，连续 growth_interval（默认 2000）步正常就加倍
    scaler.update()
    return norm.item()
