"""“CNN 经典网络总结”一页：在 digits 上训练 LeNet-5 和小 ResNet，Inception 的 1×1 降维，残差连接与梯度。"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_bool, check_choice, check_int, check_seed
from dlguide.classic_nets import BasicBlock, InceptionModule, cifar_resnet, lenet5
from dlguide.complexity import count_macs
from dlguide.data import load_digits, train_val_split
from dlguide.figures import figure, new_figure
from dlguide.training import accuracy, fit, progress_bar

__all__ = ["digits_images", "train_on_digits", "inception_macs", "block_gradient_norms", "residual_depth"]


def digits_images(size: int = 8, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """digits 切成 70% 训练、30% 验证，图像形状 ``(n, 1, size, size)``（``size`` 不是 8 时双线性缩放）。

    LeNet-5 的输入是 32×32：论文把 28×28 的 MNIST 放在 32×32 的画布中央，这里把 8×8 的 digits 放大到 32×32。

    Parameters
    ----------
    size : int
        边长，在 ``[8, 64]`` 内。
    seed : int, optional
        划分的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple of torch.Tensor
        ``(X_train, y_train, X_val, y_val)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> X_train, y_train, X_val, y_val = digits_images(32)
    >>> tuple(X_train.shape), tuple(X_val.shape)
    ((1258, 1, 32, 32), (539, 1, 32, 32))
    """
    check_int(size, "size", low=8, high=64)
    check_seed(seed)
    X, y = load_digits()
    X_train, y_train, X_val, y_val = train_val_split(X, y, 0.3, seed=seed)

    def images(flat: torch.Tensor) -> torch.Tensor:
        img = flat.reshape(-1, 1, 8, 8)
        return img if size == 8 else F.interpolate(img, size=(size, size), mode="bilinear", align_corners=False)

    return images(X_train), y_train, images(X_val), y_val


_RECIPES: dict[str, tuple[Callable[[], nn.Module], int, dict]] = {
    "lenet5": (lenet5, 32, {"optimizer": "adam", "lr": 3e-3}),  # tanh + 平均池化，接近论文
    "resnet8": (lambda: cifar_resnet(1), 8, {"optimizer": "sgd", "lr": 0.05}),  # 3 个阶段各 1 个基本块
}
"""两个在 digits 上训练的网络：构造函数、输入边长、优化器设置。"""


def train_on_digits(name: str, *, epochs: int = 3, seed: int | None = 0, progress: bool = False) -> float:
    """在 digits 上训练 ``"lenet5"``（输入放大到 32×32）或 ``"resnet8"``（8×8），返回验证准确率。

    训练循环是 [`fit`][dlguide.training.fit]（批大小 64）；``progress=True`` 时用
    [`progress_bar`][dlguide.training.progress_bar] 作为 ``on_step`` 回调，每 20 步打印一行（损失保留 2 位小数）。

    Parameters
    ----------
    name : str
        ``"lenet5"`` 或 ``"resnet8"``。
    epochs : int
        轮数，在 ``[1, 50]`` 内。
    seed : int, optional
        初始化、划分和打乱的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。
    progress : bool
        是否打印进度条。

    Returns
    -------
    float
        验证集准确率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> train_on_digits("resnet8", epochs=1) > 0.5
    True
    """
    check_choice(name, "name", tuple(_RECIPES))
    check_int(epochs, "epochs", low=1, high=50)
    check_seed(seed)
    check_bool(progress, "progress")
    build, size, settings = _RECIPES[name]
    X_train, y_train, X_val, y_val = digits_images(size, seed)
    if seed is not None:
        torch.manual_seed(seed)
    net = build()
    steps = epochs * -(-len(X_train) // 64)
    bar = progress_bar(steps, every=20, newline=True, digits=2) if progress else None
    fit(net, X_train, y_train, epochs=epochs, batch_size=64, seed=seed, on_step=bar, **settings)
    return accuracy(net, X_val, y_val)


def inception_macs(reduce: bool = True, size: int = 28) -> int:
    """GoogLeNet 的 inception (3a)（输入 192 通道）每张图的乘加次数；``reduce=False`` 时去掉 3×3、5×5 前的 1×1 降维。

    去掉降维后，3×3、5×5 卷积直接作用在 192 个通道上，池化分支也不再投影（输出 192 个通道）——论文图 2(a) 的“朴素版本”。

    Parameters
    ----------
    reduce : bool
        是否用 1×1 降维（论文图 2(b)）。
    size : int
        特征图边长，在 ``[1, 256]`` 内（表 1 里是 28）。

    Returns
    -------
    int
        乘加次数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> inception_macs(True) < inception_macs(False)
    True
    """
    check_bool(reduce, "reduce")
    check_int(size, "size", low=1, high=256)
    with torch.device("meta"):
        if reduce:
            block: nn.Module = InceptionModule(192, 64, 96, 128, 16, 32, 32)
        else:
            block = nn.ModuleList([nn.Conv2d(192, 64, 1), nn.Conv2d(192, 128, 3, padding=1), nn.Conv2d(192, 32, 5, padding=2)])
    if reduce:
        return count_macs(block, (192, size, size))
    return sum(count_macs(conv, (192, size, size)) for conv in block)


def block_gradient_norms(n: int, *, skip: bool, seed: int | None = 0) -> list[float]:
    """初始化后（未训练）的 [`cifar_resnet`][dlguide.classic_nets.cifar_resnet]：每个残差块第一个卷积的梯度范数，从输入端到输出端。

    用 256 张 digits 做一次前向和反向（训练模式，BN 用批统计量）。

    Parameters
    ----------
    n : int
        每个阶段的块数，在 ``[1, 30]`` 内；网络共 ``6n + 2`` 层。
    skip : bool
        是否有捷径（``False`` 是同样深度的普通网络）。
    seed : int, optional
        初始化的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[float]
        ``3n`` 个梯度范数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> len(block_gradient_norms(2, skip=True))
    6
    """
    check_int(n, "n", low=1, high=30)
    check_bool(skip, "skip")
    check_seed(seed)
    X, y = load_digits()
    if seed is not None:
        torch.manual_seed(seed)
    net = cifar_resnet(n, skip=skip)
    loss = F.cross_entropy(net(X[:256].reshape(-1, 1, 8, 8)), y[:256])
    loss.backward()
    return [block.residual[0].weight.grad.norm().item() for block in net.modules() if isinstance(block, BasicBlock)]


@figure
def residual_depth() -> Figure:
    """56 层的普通网络与 ResNet-56：左，初始化时各块的梯度范数；右，在 digits 上训练 3 轮的损失。"""
    fig, (left, right) = new_figure(2, width=10, height=3.6)
    X_train, y_train, X_val, y_val = digits_images(8)
    for skip, name, color in ((False, "普通网络（无捷径）", "tab:red"), (True, "ResNet（有捷径）", "tab:blue")):
        norms = block_gradient_norms(9, skip=skip)
        left.plot(range(1, len(norms) + 1), norms, marker="o", ms=3, color=color, label=name)
        torch.manual_seed(0)
        net = cifar_resnet(9, skip=skip)
        losses: list[float] = []
        fit(net, X_train, y_train, epochs=3, lr=0.05, batch_size=64, on_step=lambda t, loss, out=losses: out.append(loss))
        right.plot(range(1, len(losses) + 1), losses, color=color, lw=1, label=f"{name}，验证准确率 {accuracy(net, X_val, y_val):.2f}")
    left.set_yscale("log")
    left.set_xlabel("残差块（1 = 靠近输入）")
    left.set_ylabel("第一个卷积的梯度范数")
    left.legend(fontsize=8)
    right.set_xlabel("训练步数（批大小 64，SGD 学习率 0.05）")
    right.set_ylabel("小批量损失")
    right.legend(fontsize=8)
    return fig
