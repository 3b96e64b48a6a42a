r"""模型的规模：参数个数与乘加次数（multiply–accumulate，MAC），用前向钩子逐层统计。

约定（与 ResNet、GoogLeNet 论文里的 “FLOPs / multiply-adds” 相同）：只数卷积层和全连接层的乘加，
一个输出元素的卷积要做 $\frac{C_\text{in}}{g} k_h k_w$ 次乘加（$g$ 是分组数），全连接层要做 $d_\text{in}$ 次；
偏置、批标准化、激活、池化、残差相加都不计（它们合起来通常不到 1%）。
很多工具把 1 MAC 记作 2 FLOPs，读数字时要先看清单位。

统计时用**批大小为 0** 的输入做一次前向：各层照常推出输出形状，却不做任何乘法，所以 VGG-16 也只要几毫秒。
在 ``torch.device("meta")`` 上建的模型（只有形状、没有数据，建 1.4 亿个参数也不占内存、不用初始化）同样能数：
统计时临时换上未初始化的 CPU 张量（``torch.func.functional_call``），不改动模型本身。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.func import functional_call

from dlguide._checks import check_int, check_module

__all__ = [
    "count_parameters",
    "layer_stats",
    "count_macs",
]


def count_parameters(model: nn.Module, kind: type[nn.Module] | tuple[type[nn.Module], ...] | None = None) -> int:
    """参数个数（每个参数张量只数一次）；给出 ``kind`` 时只数这类层的参数。

    Parameters
    ----------
    model : torch.nn.Module
        要统计的模型（可以在 meta 设备上）。
    kind : type or tuple of type, optional
        例如 ``nn.Linear``：只数全连接层的参数。

    Returns
    -------
    int
        参数个数。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``，或 ``kind`` 不是 ``nn.Module`` 的子类。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))
    >>> count_parameters(net), count_parameters(net, nn.Linear)
    (3114, 2890)
    """
    check_module(model, "model")
    if kind is None:
        return sum(p.numel() for p in model.parameters())
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not kinds or not all(isinstance(k, type) and issubclass(k, nn.Module) for k in kinds):
        raise TypeError(f"kind 必须是 nn.Module 的子类（或它们的元组），收到 {kind!r}")
    seen: set[int] = set()
    total = 0
    for module in model.modules():
        if isinstance(module, kinds):
            for p in module.parameters(recurse=False):
                if id(p) not in seen:
                    seen.add(id(p))
                    total += p.numel()
    return total


def _check_shape(input_shape: object) -> tuple[int, ...]:
    if not isinstance(input_shape, Sequence) or isinstance(input_shape, str) or len(input_shape) == 0:
        raise TypeError(f"input_shape 必须是不含批维的形状元组，例如 (3, 224, 224)，收到 {input_shape!r}")
    return tuple(check_int(s, f"input_shape[{i}]", low=1, high=4096) for i, s in enumerate(input_shape))


def layer_stats(model: nn.Module, input_shape: Sequence[int]) -> list[dict]:
    r"""做一次批大小为 0 的前向，记下每个卷积层和全连接层的输出形状、参数个数和每个样本的乘加次数。

    Parameters
    ----------
    model : torch.nn.Module
        要统计的模型；统计期间切到 ``eval()``，结束后恢复原来的模式。
    input_shape : sequence of int
        一个样本的形状（不含批维），例如 ``(3, 224, 224)``，每维在 ``[1, 4096]`` 内。

    Returns
    -------
    list of dict
        按前向顺序，每层一个字典：``name``、``type``、``out_shape``（不含批维）、``params``、``macs``。
        同一层被调用多次时出现多次。

    Raises
    ------
    TypeError, ValueError
        ``model`` 不是 ``nn.Module``，或 ``input_shape`` 不是正整数序列。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
    >>> for row in layer_stats(net, (3, 4, 4)):
    ...     print(row["name"], row["type"], row["out_shape"], row["params"], row["macs"])
    ...
    0 Conv2d (8, 4, 4) 224 3456
    3 Linear (10,) 1290 1280
    """
    check_module(model, "model")
    shape = _check_shape(input_shape)
    rows: list[dict] = []
    names = {module: name for name, module in model.named_modules()}

    def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        out_shape = tuple(output.shape[1:])  # 去掉批维（大小 0）
        per_sample = 1
        for size in out_shape:
            per_sample *= size
        if isinstance(module, nn.modules.conv._ConvNd):
            # 每个输出元素：C_in/g · k_h · k_w 次乘加
            macs = per_sample * (module.in_channels // module.groups) * module.weight[0, 0].numel()
        else:
            # 全连接：每个输出元素 d_in 次乘加
            macs = per_sample * module.in_features
        params = sum(p.numel() for p in module.parameters(recurse=False))
        rows.append({"name": names[module], "type": type(module).__name__, "out_shape": out_shape,
                     "params": params, "macs": macs})

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.modules.conv._ConvNd, nn.Linear))]
    tensors = dict(model.named_parameters()) | dict(model.named_buffers())
    device = next(iter(tensors.values())).device if tensors else torch.device("cpu")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            x = torch.zeros(0, *shape)  # 批大小 0：只推形状，不做乘法
            if device.type == "meta":  # meta 张量没有数据：临时换成未初始化的 CPU 张量
                stand_in = {name: torch.empty(t.shape, dtype=t.dtype) for name, t in tensors.items()}
                functional_call(model, stand_in, (x,))
            else:
                model(x.to(device))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return rows


def count_macs(model: nn.Module, input_shape: Sequence[int]) -> int:
    """一个样本前向一次的乘加次数（卷积层 + 全连接层，约定见模块说明）。

    Parameters
    ----------
    model : torch.nn.Module
        要统计的模型（推荐建在 meta 设备上）。
    input_shape : sequence of int
        一个样本的形状，例如 ``(3, 224, 224)``。

    Returns
    -------
    int
        乘加次数。

    Raises
    ------
    TypeError, ValueError
        同 [`layer_stats`][dlguide.complexity.layer_stats]。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     conv = nn.Conv2d(64, 64, 3, padding=1)
    ...
    >>> count_macs(conv, (64, 56, 56)) == 56 * 56 * 64 * 64 * 9
    True
    """
    return sum(row["macs"] for row in layer_stats(model, input_shape))
