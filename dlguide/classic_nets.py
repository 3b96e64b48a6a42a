r"""经典卷积网络的紧凑定义：LeNet-5、AlexNet、VGG-16、GoogLeNet（Inception 模块）、ResNet-18/50（基本块、瓶颈块）。

每个定义都按原论文的表格写（层数、通道数、核大小、步幅、填充），参数个数和乘加次数由
[`count_parameters`][dlguide.complexity.count_parameters]、[`count_macs`][dlguide.complexity.count_macs]
算出，``tests/test_classic_nets.py`` 把它们与论文给出的数字对照。不含预训练权重（本站不下载任何东西）。

想只数参数、不占内存：``with torch.device("meta"): net = vgg16()``。

这里只放**发表过的结构**（按论文的表格写、用论文的数字检验）；各页实验用的小模型在 [`dlguide.models`][dlguide.models]，
例如吴恩达课程的示例网络 [`course_example_cnn`][dlguide.models.course_example_cnn] 是 LeNet-5 的一个变体（ReLU、最大池化、命名的层）。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_bool, check_choice, check_int, check_tensor

__all__ = [
    "lenet5",
    "alexnet",
    "VGG16_CONFIG",
    "vgg16",
    "InceptionModule",
    "GOOGLENET_CONFIG",
    "googlenet",
    "BasicBlock",
    "Bottleneck",
    "ResNet",
    "resnet18",
    "resnet50",
    "cifar_resnet",
]

_CLASSES_MAX = 100_000
_ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


def lenet5(num_classes: int = 10, *, activation: str = "tanh", pooling: str = "avg") -> nn.Sequential:
    """LeNet-5（LeCun 等，1998）：输入 1×32×32，C1–S2–C3–S4–C5–F6–输出。

    与论文的差别（今天的通行写法）：C3 的 16 个特征图都连到 S2 的全部 6 个图（论文用一张部分连接表，
    参数 1,516 个而不是 2,416 个）；S2、S4 是不带参数的池化（论文的下采样层每个图有 1 个系数和 1 个偏置）；
    输出层是普通全连接层（论文是参数固定的欧氏 RBF 单元）。C5 按论文写成 5×5 卷积：它的输入正好是 5×5，
    所以它就是一个全连接层。

    Parameters
    ----------
    num_classes : int
        输出类别数。
    activation : str
        ``"tanh"``（接近论文的缩放 tanh）、``"relu"`` 或 ``"sigmoid"``。
    pooling : str
        ``"avg"``（接近论文的下采样）或 ``"max"``。

    Returns
    -------
    torch.nn.Sequential
        输入 ``(N, 1, 32, 32)``，输出 ``(N, num_classes)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> net = lenet5()
    >>> tuple(net(torch.zeros(2, 1, 32, 32)).shape), sum(p.numel() for p in net.parameters())
    ((2, 10), 61706)
    """
    check_int(num_classes, "num_classes", low=1, high=_CLASSES_MAX)
    check_choice(activation, "activation", tuple(_ACTIVATIONS))
    check_choice(pooling, "pooling", ("avg", "max"))
    act = _ACTIVATIONS[activation]
    pool = nn.AvgPool2d if pooling == "avg" else nn.MaxPool2d
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), act(), pool(2),  # C1: 32→28，S2: 28→14
        nn.Conv2d(6, 16, 5), act(), pool(2),  # C3: 14→10，S4: 10→5
        nn.Conv2d(16, 120, 5), act(),  # C5: 5×5 卷积覆盖整张 5×5 图 → 1×1，相当于全连接
        nn.Flatten(),
        nn.Linear(120, 84), act(),  # F6
        nn.Linear(84, num_classes),  # 输出
    )


def alexnet(num_classes: int = 1000, *, groups: int = 2) -> nn.Sequential:
    r"""AlexNet（Krizhevsky 等，2012）：5 个卷积层 + 3 个全连接层，输入 3×227×227。

    ``groups=2`` 复现论文的双 GPU 结构（conv2、conv4、conv5 只连本 GPU 上的一半通道），参数 60,965,224 个，
    即论文说的“6 千万”；``groups=1`` 是单卡版本。论文正文写输入 224×224，但 11×11、步幅 4、不填充的 conv1
    要得到论文的 55×55 输出，输入必须是 227（Caffe 的参考实现就用 227）。
    局部响应归一化（LRN）的 $\alpha$ 写成 ``5e-4``：PyTorch 的 ``LocalResponseNorm`` 把 $\alpha$ 除以 ``size``，
    论文的 $\alpha = 10^{-4}$ 不除。

    Parameters
    ----------
    num_classes : int
        输出类别数。
    groups : int
        1 或 2。

    Returns
    -------
    torch.nn.Sequential
        输入 ``(N, 3, 227, 227)``，输出 ``(N, num_classes)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     net = alexnet()
    ...
    >>> sum(p.numel() for p in net.parameters())
    60965224
    """
    check_int(num_classes, "num_classes", low=1, high=_CLASSES_MAX)
    g = check_choice(groups, "groups", (1, 2))

    def lrn() -> nn.Module:
        return nn.LocalResponseNorm(size=5, alpha=5e-4, beta=0.75, k=2.0)

    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2),  # 227→55→27（重叠池化 3/2）
        nn.Conv2d(96, 256, 5, padding=2, groups=g), nn.ReLU(), lrn(), nn.MaxPool2d(3, 2),  # 27→13
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),  # conv3 连接两块 GPU 的全部通道
        nn.Conv2d(384, 384, 3, padding=1, groups=g), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1, groups=g), nn.ReLU(), nn.MaxPool2d(3, 2),  # 13→6
        nn.Flatten(),
        nn.Linear(256 * 6 * 6, 4096), nn.ReLU(), nn.Dropout(0.5),  # 论文：dropout 作用在前两个全连接层的输出上
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, num_classes),
    )


VGG16_CONFIG: tuple[int | str, ...] = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
                                       512, 512, 512, "M", 512, 512, 512, "M")
"""VGG 论文表 1 的配置 D（VGG-16）：数字是 3×3 卷积的输出通道数，``"M"`` 是 2×2、步幅 2 的最大池化。"""


def vgg16(num_classes: int = 1000, *, batch_norm: bool = False) -> nn.Sequential:
    """VGG-16（Simonyan & Zisserman，2015，配置 D）：13 个 3×3 卷积 + 3 个全连接层，输入 3×224×224。

    Parameters
    ----------
    num_classes : int
        输出类别数。
    batch_norm : bool
        每个卷积后加批标准化（论文发表时还没有 BN，这是后来的常见变体；卷积随之去掉偏置）。

    Returns
    -------
    torch.nn.Sequential
        输入 ``(N, 3, 224, 224)``，输出 ``(N, num_classes)``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     net = vgg16()
    ...
    >>> sum(p.numel() for p in net.parameters())
    138357544
    """
    check_int(num_classes, "num_classes", low=1, high=_CLASSES_MAX)
    check_bool(batch_norm, "batch_norm")
    layers: list[nn.Module] = []
    channels = 3
    for item in VGG16_CONFIG:
        if item == "M":
            layers.append(nn.MaxPool2d(2))  # 224→112→56→28→14→7
        else:
            layers.append(nn.Conv2d(channels, int(item), 3, padding=1, bias=not batch_norm))
            if batch_norm:
                layers.append(nn.BatchNorm2d(int(item)))
            layers.append(nn.ReLU())
            channels = int(item)
    return nn.Sequential(
        *layers,
        nn.Flatten(),
        nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, num_classes),
    )


def _conv_relu(cin: int, cout: int, k: int, stride: int = 1, padding: int = 0) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride=stride, padding=padding), nn.ReLU())


class InceptionModule(nn.Module):
    r"""Inception 模块（GoogLeNet，Szegedy 等，2015）：四条分支并行，输出在通道维拼接。

    1×1 卷积；1×1 降维 → 3×3 卷积；1×1 降维 → 5×5 卷积；3×3 最大池化（步幅 1、填充 1）→ 1×1 投影。
    所有分支保持空间大小不变，输出通道数是 ``c1 + c3 + c5 + pool_proj``。3×3、5×5 之前的 1×1 卷积把通道
    先压小，计算量因此降到原来的几分之一。

    Parameters
    ----------
    in_channels : int
        输入通道数。
    c1, c3_reduce, c3, c5_reduce, c5, pool_proj : int
        论文表 1 的六列：“#1×1”“#3×3 reduce”“#3×3”“#5×5 reduce”“#5×5”“pool proj”。

    Examples
    --------
    >>> block = InceptionModule(192, 64, 96, 128, 16, 32, 32)   # 表 1 的 inception (3a)
    >>> tuple(block(torch.zeros(1, 192, 28, 28)).shape)
    (1, 256, 28, 28)
    """

    def __init__(self, in_channels: int, c1: int, c3_reduce: int, c3: int, c5_reduce: int, c5: int, pool_proj: int) -> None:
        super().__init__()
        sizes = {"in_channels": in_channels, "c1": c1, "c3_reduce": c3_reduce, "c3": c3,
                 "c5_reduce": c5_reduce, "c5": c5, "pool_proj": pool_proj}
        for name, value in sizes.items():
            check_int(value, name, low=1, high=16384)
        self.branch1 = _conv_relu(in_channels, c1, 1)
        self.branch3 = nn.Sequential(_conv_relu(in_channels, c3_reduce, 1), _conv_relu(c3_reduce, c3, 3, padding=1))
        self.branch5 = nn.Sequential(_conv_relu(in_channels, c5_reduce, 1), _conv_relu(c5_reduce, c5, 5, padding=2))
        self.branch_pool = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), _conv_relu(in_channels, pool_proj, 1))
        self.out_channels = c1 + c3 + c5 + pool_proj

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ndim=4)  # (N, C, H, W)
        # 四条分支保持 H×W 不变，在通道维拼接：(N, c1 + c3 + c5 + pool_proj, H, W)
        return torch.cat([self.branch1(x), self.branch3(x), self.branch5(x), self.branch_pool(x)], dim=1)


GOOGLENET_CONFIG: tuple[tuple[int, ...] | str, ...] = (
    (64, 96, 128, 16, 32, 32), (128, 128, 192, 32, 96, 64), "M",  # 3a, 3b
    (192, 96, 208, 16, 48, 64), (160, 112, 224, 24, 64, 64), (128, 128, 256, 24, 64, 64),  # 4a–4c
    (112, 144, 288, 32, 64, 64), (256, 160, 320, 32, 128, 128), "M",  # 4d, 4e
    (256, 160, 320, 32, 128, 128), (384, 192, 384, 48, 128, 128),  # 5a, 5b
)
"""GoogLeNet 论文表 1 的九个 Inception 模块（输入通道数由前一个模块决定），``"M"`` 是 3×3、步幅 2 的最大池化。"""


def googlenet(num_classes: int = 1000) -> nn.Sequential:
    """GoogLeNet（Szegedy 等，2015）：按论文表 1，22 个带参数的层，输入 3×224×224。

    省略了训练时才用的两个辅助分类器和两处 LRN（都不影响推断时的结构，LRN 没有参数）。
    最大池化用 ``ceil_mode=True``（与原 Caffe 实现相同），这样 112→56→28→14→7 与表 1 一致。
    最后是 7×7 全局平均池化 + dropout 0.4 + 一个全连接层。

    Parameters
    ----------
    num_classes : int
        输出类别数。

    Returns
    -------
    torch.nn.Sequential
        输入 ``(N, 3, 224, 224)``，输出 ``(N, num_classes)``。

    Raises
    ------
    TypeError, ValueError
        ``num_classes`` 越界。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     net = googlenet()
    ...
    >>> sum(isinstance(m, InceptionModule) for m in net.modules())
    9
    """
    check_int(num_classes, "num_classes", low=1, high=_CLASSES_MAX)
    layers: list[nn.Module] = [
        _conv_relu(3, 64, 7, stride=2, padding=3), nn.MaxPool2d(3, 2, ceil_mode=True),  # 224→112→56
        _conv_relu(64, 64, 1), _conv_relu(64, 192, 3, padding=1), nn.MaxPool2d(3, 2, ceil_mode=True),  # 56→28
    ]
    channels = 192
    for item in GOOGLENET_CONFIG:
        if item == "M":
            layers.append(nn.MaxPool2d(3, 2, ceil_mode=True))  # 28→14→7
        else:
            block = InceptionModule(channels, *item)
            layers.append(block)
            channels = block.out_channels
    return nn.Sequential(
        *layers,
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),  # 论文：7×7 平均池化
        nn.Dropout(0.4), nn.Linear(channels, num_classes),
    )


def _shortcut(in_channels: int, out_channels: int, stride: int) -> nn.Module:
    """形状不变时是恒等映射；否则用 1×1 卷积（带步幅）+ BN 投影（ResNet 论文的选项 B）。"""
    if stride == 1 and in_channels == out_channels:
        return nn.Identity()
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False), nn.BatchNorm2d(out_channels))


class BasicBlock(nn.Module):
    r"""ResNet 的基本块：两个 3×3 卷积，$y = \mathrm{ReLU}\bigl(F(x) + \text{shortcut}(x)\bigr)$（ResNet-18/34）。

    BN 紧跟卷积，所以卷积不要偏置（``bias=False``：BN 减均值时会把它消掉）。

    Parameters
    ----------
    in_channels : int
        输入通道数。
    channels : int
        输出通道数。
    stride : int
        第一个 3×3 卷积的步幅（1 或 2；2 时空间尺寸减半，捷径用 1×1 卷积投影）。
    skip : bool
        ``False`` 时去掉捷径，变成同样深度的“普通”网络（用来对照残差连接的作用）。

    Examples
    --------
    >>> block = BasicBlock(64, 128, stride=2)
    >>> tuple(block(torch.zeros(1, 64, 56, 56)).shape)
    (1, 128, 28, 28)
    """

    expansion = 1

    def __init__(self, in_channels: int, channels: int, stride: int = 1, *, skip: bool = True) -> None:
        super().__init__()
        check_int(in_channels, "in_channels", low=1, high=16384)
        check_int(channels, "channels", low=1, high=16384)
        check_int(stride, "stride", low=1, high=2)
        self.skip = check_bool(skip, "skip")
        self.residual = nn.Sequential(
            nn.Conv2d(in_channels, channels, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels),
        )
        self.shortcut = _shortcut(in_channels, channels, stride) if skip else None
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ndim=4)  # (N, C, H, W)
        out = self.residual(x)
        # y = ReLU(F(x) + x)：反向时 ∂y/∂x 里多了一个恒等项
        if self.shortcut is not None:
            out = out + self.shortcut(x)
        return self.relu(out)


class Bottleneck(nn.Module):
    r"""ResNet 的瓶颈块：1×1 降维 → 3×3 → 1×1 升维（输出通道 ``4 * channels``），用于 ResNet-50/101/152。

    Parameters
    ----------
    in_channels : int
        输入通道数。
    channels : int
        瓶颈宽度（中间 3×3 卷积的通道数）；输出 ``4 * channels``。
    stride : int
        1 或 2。
    skip : bool
        ``False`` 时去掉捷径。
    stride_in_3x3 : bool
        步幅放在哪个卷积上：论文放在第一个 1×1 上（默认 ``False``）；torchvision 放在 3×3 上（“ResNet v1.5”），
        计算量多约 7%，准确率略高。

    Examples
    --------
    >>> block = Bottleneck(256, 128, stride=2)
    >>> tuple(block(torch.zeros(1, 256, 56, 56)).shape)
    (1, 512, 28, 28)
    """

    expansion = 4

    def __init__(self, in_channels: int, channels: int, stride: int = 1, *, skip: bool = True, stride_in_3x3: bool = False) -> None:
        super().__init__()
        check_int(in_channels, "in_channels", low=1, high=16384)
        check_int(channels, "channels", low=1, high=16384)
        check_int(stride, "stride", low=1, high=2)
        self.skip = check_bool(skip, "skip")
        check_bool(stride_in_3x3, "stride_in_3x3")
        out = channels * self.expansion
        s1, s3 = (1, stride) if stride_in_3x3 else (stride, 1)
        self.residual = nn.Sequential(
            nn.Conv2d(in_channels, channels, 1, stride=s1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, stride=s3, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, out, 1, bias=False), nn.BatchNorm2d(out),
        )
        self.shortcut = _shortcut(in_channels, out, stride) if skip else None
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ndim=4)  # (N, C, H, W)
        out = self.residual(x)
        # y = ReLU(F(x) + shortcut(x))
        if self.shortcut is not None:
            out = out + self.shortcut(x)
        return self.relu(out)


class ResNet(nn.Module):
    """ResNet（He 等，2016）：起始层 → 若干阶段的残差块（每阶段第一个块步幅 2，宽度翻倍）→ 全局平均池化 → 全连接。

    Parameters
    ----------
    block : type
        [`BasicBlock`][dlguide.classic_nets.BasicBlock] 或 [`Bottleneck`][dlguide.classic_nets.Bottleneck]。
    layers : sequence of int
        每个阶段的块数，例如 ResNet-18 的 ``(2, 2, 2, 2)``。
    num_classes : int
        输出类别数。
    widths : sequence of int
        每个阶段的宽度，与 ``layers`` 等长；默认 ``(64, 128, 256, 512)``。
    in_channels : int
        输入通道数。
    small_input : bool
        ``False``：ImageNet 的起始层（7×7 卷积步幅 2 + 3×3 最大池化步幅 2，224→56）；
        ``True``：小图的起始层（一个 3×3 卷积，不下采样，论文 CIFAR 实验的写法）。
    skip : bool
        ``False`` 时所有块都去掉捷径（同样深度的普通网络）。
    stride_in_3x3 : bool
        只对瓶颈块有效，见 [`Bottleneck`][dlguide.classic_nets.Bottleneck]。

    Examples
    --------
    >>> net = ResNet(BasicBlock, (1, 1), num_classes=10, widths=(8, 16), in_channels=1, small_input=True)
    >>> tuple(net(torch.zeros(2, 1, 8, 8)).shape)
    (2, 10)
    """

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: Sequence[int],
        num_classes: int = 1000,
        *,
        widths: Sequence[int] = (64, 128, 256, 512),
        in_channels: int = 3,
        small_input: bool = False,
        skip: bool = True,
        stride_in_3x3: bool = False,
    ) -> None:
        super().__init__()
        if block not in (BasicBlock, Bottleneck):
            raise TypeError(f"block 必须是 BasicBlock 或 Bottleneck，收到 {block!r}")
        for name, value in (("layers", layers), ("widths", widths)):
            if not isinstance(value, Sequence) or isinstance(value, str) or len(value) == 0:
                raise TypeError(f"{name} 必须是非空的整数序列，收到 {value!r}")
        if len(layers) != len(widths):
            raise ValueError(f"layers 与 widths 必须等长，收到 {len(layers)} 和 {len(widths)}")
        layers = [check_int(n, f"layers[{i}]", low=1, high=64) for i, n in enumerate(layers)]
        widths = [check_int(w, f"widths[{i}]", low=1, high=4096) for i, w in enumerate(widths)]
        check_int(num_classes, "num_classes", low=1, high=_CLASSES_MAX)
        check_int(in_channels, "in_channels", low=1, high=64)
        check_bool(small_input, "small_input")
        check_bool(skip, "skip")
        check_bool(stride_in_3x3, "stride_in_3x3")
        stem_width = widths[0]
        if small_input:
            self.stem = nn.Sequential(nn.Conv2d(in_channels, stem_width, 3, padding=1, bias=False), nn.BatchNorm2d(stem_width), nn.ReLU())
        else:
            self.stem = nn.Sequential(
                nn.Conv2d(in_channels, stem_width, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(stem_width), nn.ReLU(),
                nn.MaxPool2d(3, stride=2, padding=1),  # 112→56：这里的填充必不可少
            )
        extra = {"stride_in_3x3": stride_in_3x3} if block is Bottleneck else {}
        stages: list[nn.Module] = []
        channels = stem_width
        for i, (n, width) in enumerate(zip(layers, widths)):
            for j in range(n):
                stride = 2 if (i > 0 and j == 0) else 1  # 每个阶段的第一个块下采样
                stages.append(block(channels, width, stride, skip=skip, **extra))
                channels = width * block.expansion
        self.stages = nn.Sequential(*stages)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ndim=4)  # (N, C, H, W)
        return self.head(self.stages(self.stem(x)))


def resnet18(num_classes: int = 1000) -> ResNet:
    """ResNet-18：基本块，每阶段 2 个，宽度 64–128–256–512，输入 3×224×224。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     net = resnet18()
    ...
    >>> sum(p.numel() for p in net.parameters())
    11689512
    """
    return ResNet(BasicBlock, (2, 2, 2, 2), num_classes)


def resnet50(num_classes: int = 1000, *, stride_in_3x3: bool = False) -> ResNet:
    """ResNet-50：瓶颈块，每阶段 3、4、6、3 个，输出宽度 256–512–1024–2048，输入 3×224×224。

    Parameters
    ----------
    num_classes : int
        输出类别数。
    stride_in_3x3 : bool
        ``False`` 是论文的写法，``True`` 是 torchvision 的“v1.5”（参数相同，计算量不同）。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     net = resnet50()
    ...
    >>> sum(p.numel() for p in net.parameters())
    25557032
    """
    return ResNet(Bottleneck, (3, 4, 6, 3), num_classes, stride_in_3x3=stride_in_3x3)


def cifar_resnet(n: int = 1, num_classes: int = 10, *, in_channels: int = 1, width: int = 16, skip: bool = True) -> ResNet:
    """小图用的 ResNet（He 等，2016，§4.2 的 CIFAR 结构）：3×3 起始层 + 三个阶段各 ``n`` 个基本块，共 ``6n + 2`` 层。

    宽度 ``width``、``2·width``、``4·width``；论文用 16 并以补零做下采样的捷径，这里用 1×1 投影（选项 B）。
    ``n=1`` 是 8 层，8×8 的 digits 在 CPU 上几秒就能训完。

    Parameters
    ----------
    n : int
        每个阶段的块数，在 ``[1, 64]`` 内。
    num_classes : int
        输出类别数。
    in_channels : int
        输入通道数（digits 是 1）。
    width : int
        第一阶段的宽度。
    skip : bool
        ``False`` 时是同样深度、没有捷径的普通网络。

    Returns
    -------
    ResNet
        输入 ``(N, in_channels, H, W)``，任意 ``H, W``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> net = cifar_resnet(3, in_channels=3)                      # ResNet-20
    >>> sum(isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3) for m in net.modules()) + 1   # 19 个 3×3 卷积 + 全连接
    20
    """
    check_int(n, "n", low=1, high=64)
    check_int(width, "width", low=1, high=1024)
    return ResNet(BasicBlock, (n, n, n), num_classes, widths=(width, 2 * width, 4 * width),
                  in_channels=in_channels, small_input=True, skip=skip)
