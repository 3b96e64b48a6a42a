"""“CNN 经典网络对比”一页：由定义算出的深度、参数、乘加次数，与论文数字并列；时间线图。"""

from __future__ import annotations

from collections.abc import Callable

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_module
from dlguide.classic_nets import InceptionModule, alexnet, googlenet, lenet5, resnet18, resnet50, vgg16
from dlguide.complexity import count_macs, count_parameters
from dlguide.figures import figure, new_figure

__all__ = ["NETWORKS", "weight_depth", "comparison_table", "timeline"]

NETWORKS: dict[str, dict] = {
    "LeNet-5": {"build": lenet5, "input": (1, 32, 32), "year": 1998, "params": 60_000, "macs": None,
                "top5": 0.95, "source": "LeCun 等 1998：各层参数之和（C3 部分连接、下采样层带参数）；MNIST 错误率 0.95%"},
    "AlexNet": {"build": alexnet, "input": (3, 227, 227), "year": 2012, "params": 60e6, "macs": 720e6,
                "top5": 15.3, "source": "Krizhevsky 等 2012：“6 千万参数”，ILSVRC-2012 第一；720M 乘加见 Howard 等 2017 表 9"},
    "VGG-16": {"build": vgg16, "input": (3, 224, 224), "year": 2014, "params": 138e6, "macs": 15.3e9,
               "top5": 7.3, "source": "Simonyan & Zisserman 2015 表 2（138M），ILSVRC-2014 分类第二；15.3G 见 He 等 2016"},
    "GoogLeNet": {"build": googlenet, "input": (3, 224, 224), "year": 2014, "params": 6.8e6, "macs": 1.5e9,
                  "top5": 6.67, "source": "Szegedy 等 2015：1.5G 乘加的预算，ILSVRC-2014 分类第一；6.8M 见 Howard 等 2017 表 8"},
    "ResNet-18": {"build": resnet18, "input": (3, 224, 224), "year": 2015, "params": 11_689_512, "macs": 1.8e9,
                  "top5": None, "source": "He 等 2016 表 1（1.8G）；参数个数见 torchvision 文档"},
    "ResNet-50": {"build": resnet50, "input": (3, 224, 224), "year": 2015, "params": 25_557_032, "macs": 3.8e9,
                  "top5": 3.57, "source": "He 等 2016 表 1（3.8G）；3.57% 是 ResNet 集成在 ILSVRC-2015 的成绩"},
}
"""每个网络：构造函数、输入形状、年份，以及论文（或官方文档）给出的数字（``None`` 表示原文没有给出）和出处。

``top5`` 是 ILSVRC 比赛测试集上的 top-5 错误率（%，各队的集成模型），LeNet-5 一栏是 MNIST 测试错误率。
"""


def weight_depth(module: nn.Module) -> int:
    """沿最长路径数“带权重的层”（卷积、全连接）：论文给网络起名（VGG-16、ResNet-50……）时数的就是它。

    规则：卷积、全连接层算 1；[`InceptionModule`][dlguide.classic_nets.InceptionModule] 取最深的分支；
    残差块只数残差分支（捷径上的 1×1 投影不在最长路径上）；其他容器把子模块按顺序相加。

    Parameters
    ----------
    module : torch.nn.Module
        要数的网络或其中一部分。

    Returns
    -------
    int
        最长路径上的卷积层和全连接层个数。

    Raises
    ------
    TypeError
        ``module`` 不是 ``nn.Module``。

    Examples
    --------
    >>> with torch.device("meta"):
    ...     print(weight_depth(vgg16()), weight_depth(googlenet()), weight_depth(resnet50()))
    ...
    16 22 50
    """
    check_module(module, "module")
    if isinstance(module, (nn.modules.conv._ConvNd, nn.Linear)):
        return 1
    if isinstance(module, InceptionModule):
        branches = (module.branch1, module.branch3, module.branch5, module.branch_pool)
        return max(weight_depth(b) for b in branches)
    if hasattr(module, "residual") and hasattr(module, "shortcut"):  # BasicBlock / Bottleneck
        return weight_depth(module.residual)
    return sum(weight_depth(child) for child in module.children())


def comparison_table() -> list[dict]:
    """对 [`NETWORKS`][dlguide.pages.cnn.classic_comparison.NETWORKS] 里的每个网络，在 meta 设备上建出来，算深度、参数和乘加。

    Returns
    -------
    list of dict
        每个网络一行：``name``、``year``、``depth``、``params``、``macs``、
        ``paper_params``、``paper_macs``、``top5``。

    Examples
    --------
    >>> rows = comparison_table()
    >>> [(r["name"], r["depth"]) for r in rows]
    [('LeNet-5', 5), ('AlexNet', 8), ('VGG-16', 16), ('GoogLeNet', 22), ('ResNet-18', 18), ('ResNet-50', 50)]
    """
    rows = []
    for name, spec in NETWORKS.items():
        build: Callable[[], nn.Module] = spec["build"]
        with torch.device("meta"):
            net = build()
        rows.append({
            "name": name, "year": spec["year"], "depth": weight_depth(net), "params": count_parameters(net),
            "macs": count_macs(net, spec["input"]),
            "paper_params": spec["params"], "paper_macs": spec["macs"], "top5": spec["top5"],
        })
    return rows


@figure
def timeline() -> Figure:
    """ImageNet 冠亚军网络的时间线：纵轴 ILSVRC top-5 错误率，圆的面积正比于参数量，旁注每张 224×224 图的乘加次数。"""
    rows = [r for r in comparison_table() if r["top5"] is not None and r["name"] != "LeNet-5"]
    fig, (ax,) = new_figure(width=6.4, height=3.8)
    # 标注的位置：VGG-16 与 GoogLeNet 同一年、错误率相近，一个放左边、一个放右下
    offsets = {"VGG-16": (-14, 10, "right"), "GoogLeNet": (14, -16, "left")}
    for r in rows:
        ax.scatter(r["year"], r["top5"], s=r["params"] / 4e5, alpha=0.5, edgecolor="black")
        label = f"{r['name']}\n{r['depth']} 层，{r['params'] / 1e6:.1f}M 参数\n{r['macs'] / 1e9:.2f}G 乘加"
        dx, dy, ha = offsets.get(r["name"], (14, 0, "left"))
        ax.annotate(label, (r["year"], r["top5"]), textcoords="offset points", xytext=(dx, dy), fontsize=8, va="center", ha=ha)
    ax.set_xlim(2011.3, 2017.2)
    ax.set_ylim(0, 18)
    ax.set_xticks([2012, 2013, 2014, 2015, 2016])
    ax.set_xlabel("ILSVRC 年份")
    ax.set_ylabel("top-5 错误率（%，测试集，集成）")
    ax.set_title("圆的面积 ∝ 参数量", fontsize=9)
    return fig
