"""dlguide.classic_nets：结构、参数个数、乘加次数与论文（和 torchvision 文档）给出的数字对照。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.classic_nets import (
    BasicBlock,
    Bottleneck,
    InceptionModule,
    ResNet,
    alexnet,
    cifar_resnet,
    googlenet,
    lenet5,
    resnet18,
    resnet50,
    vgg16,
)
from dlguide.complexity import count_macs, count_parameters, summarize


def _weighted(net: nn.Module, shape: tuple[int, ...]):
    """卷积层和全连接层的摘要行（按前向顺序）。"""
    return [r for r in summarize(net, shape) if r.kind in ("Conv2d", "Linear")]


def _meta(build, *args, **kwargs) -> nn.Module:
    with torch.device("meta"):
        return build(*args, **kwargs)


# (构造函数, 输入形状, 参数个数, 论文/文档的参数个数, 论文/文档的乘加次数, 允许的相对偏差)
PUBLISHED = {
    # AlexNet：论文“6 千万参数”；乘加 720M（Howard 等 2017，MobileNets 表 9）
    "alexnet": (alexnet, (3, 227, 227), 60_965_224, 60e6, 720e6, 0.02),
    # VGG-16：论文表 2 的 138M；乘加 15.3G（He 等 2016 正文；MobileNets 表 8 同）
    "vgg16": (vgg16, (3, 224, 224), 138_357_544, 138e6, 15.3e9, 0.015),
    # GoogLeNet：1.5G 乘加的设计预算（论文 §5），MobileNets 表 8 记 6.8M 参数、1.55G 乘加
    "googlenet": (googlenet, (3, 224, 224), 6_998_552, 6.8e6, 1.55e9, 0.03),
    # ResNet：论文表 1 的 1.8G、3.8G；参数个数与 torchvision 文档的 num_params 完全相同
    "resnet18": (resnet18, (3, 224, 224), 11_689_512, 11_689_512, 1.8e9, 0.01),
    "resnet50": (resnet50, (3, 224, 224), 25_557_032, 25_557_032, 3.8e9, 0.02),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_parameters_and_macs_match_published_numbers(name: str) -> None:
    build, shape, exact, paper_params, paper_macs, tol = PUBLISHED[name]
    net = _meta(build)
    assert count_parameters(net) == exact
    assert count_parameters(net) == pytest.approx(paper_params, rel=0.03)
    assert count_macs(net, shape) == pytest.approx(paper_macs, rel=tol)


def test_resnet50_v1_5_costs_more_with_the_same_parameters() -> None:
    v1, v15 = _meta(resnet50), _meta(resnet50, stride_in_3x3=True)
    assert count_parameters(v1) == count_parameters(v15)
    # torchvision 文档：ResNet-50（v1.5）4.09 GFLOPS（它的 FLOPS 指乘加）
    assert count_macs(v15, (3, 224, 224)) == pytest.approx(4.09e9, rel=0.005)


def test_lenet5_layers_follow_the_paper() -> None:
    net = lenet5()
    convs = [m for m in net if isinstance(m, nn.Conv2d)]
    linears = [m for m in net if isinstance(m, nn.Linear)]
    # 论文 §II.B：C1 156 个参数，C5 48,120 个，F6 10,164 个
    assert count_parameters(convs[0]) == 156
    assert count_parameters(convs[2]) == 48_120
    assert count_parameters(linears[0]) == 10_164
    # C3 全连接 2,416 个；论文的部分连接表：6 个图连 3 个输入，9 个连 4 个，1 个连 6 个
    assert count_parameters(convs[1]) == 2_416
    assert 6 * (3 * 25 + 1) + 9 * (4 * 25 + 1) + (6 * 25 + 1) == 1_516
    shapes = [row.output_shape for row in _weighted(net, (1, 32, 32))]
    assert shapes == [(6, 28, 28), (16, 10, 10), (120, 1, 1), (84,), (10,)]


def test_alexnet_needs_227_and_has_the_paper_shapes() -> None:
    net = _meta(alexnet)
    shapes = [row.output_shape for row in _weighted(net, (3, 227, 227))]
    assert shapes[:5] == [(96, 55, 55), (256, 27, 27), (384, 13, 13), (384, 13, 13), (256, 13, 13)]
    with pytest.raises(RuntimeError):  # 224 得到 5×5×256 = 6400 ≠ 9216
        summarize(net, (3, 224, 224))
    assert count_parameters(_meta(alexnet, groups=1)) == 62_378_344


def test_vgg16_has_13_convs_and_3_fc_layers() -> None:
    net = _meta(vgg16)
    assert sum(isinstance(m, nn.Conv2d) for m in net.modules()) == 13
    assert sum(isinstance(m, nn.Linear) for m in net.modules()) == 3
    assert count_parameters(net, nn.Linear) == 102_764_544 + 16_781_312 + 4_097_000
    bn = _meta(vgg16, batch_norm=True)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in bn.modules()) == 13


def test_googlenet_matches_table_1() -> None:
    net = _meta(googlenet)
    rows = summarize(net, (3, 224, 224))
    blocks = [m for m in net.modules() if isinstance(m, InceptionModule)]
    assert [b.out_channels for b in blocks] == [256, 480, 512, 512, 512, 528, 832, 832, 1024]
    # 表 1 的 ops 列（百万次乘加）：每个 Inception 模块
    table_ops = [128, 304, 73, 88, 100, 119, 170, 54, 71]
    ops = []
    for block in blocks:
        names = {n for n, m in net.named_modules() if m is block}
        prefix = names.pop() + "."
        ops.append(sum(r.macs for r in rows if r.name.startswith(prefix)) / 1e6)
    for ours, table in zip(ops, table_ops):
        assert ours == pytest.approx(table, rel=0.06)
    # 22 个带参数的层：2 + 1（stem 的 3 个卷积）+ 9 个模块 × 2 层 + 全连接 = 3 + 18 + 1
    assert 3 + 2 * len(blocks) + 1 == 22


def test_resnet_structure_and_plain_variant() -> None:
    r18 = _meta(resnet18)
    assert sum(isinstance(m, BasicBlock) for m in r18.modules()) == 8
    r50 = _meta(resnet50)
    assert sum(isinstance(m, Bottleneck) for m in r50.modules()) == 16
    assert all(m.bias is None for m in r50.modules() if isinstance(m, nn.Conv2d))  # BN 前的卷积不带偏置
    plain = cifar_resnet(2, skip=False)
    assert all(b.shortcut is None for b in plain.modules() if isinstance(b, BasicBlock))
    x = torch.randn(3, 1, 8, 8)
    assert cifar_resnet(2)(x).shape == (3, 10) and plain(x).shape == (3, 10)


def test_residual_block_is_identity_plus_branch() -> None:
    block = BasicBlock(4, 4).eval()
    with torch.no_grad():
        for m in block.residual:
            if isinstance(m, nn.BatchNorm2d):
                m.weight.zero_()  # γ = 0：残差分支输出 0（“zero-init residual”）
    x = torch.randn(2, 4, 5, 5).abs()
    torch.testing.assert_close(block(x), x)  # ReLU(0 + x) = x（x ≥ 0）


def test_pytorch_lrn_divides_alpha_by_size() -> None:
    x = torch.rand(1, 7, 3, 3) + 0.5
    n, alpha, beta, k = 5, 1e-4, 0.75, 2.0
    padded = nn.functional.pad(x.pow(2), (0, 0, 0, 0, n // 2, n // 2))
    window = torch.stack([padded[:, c : c + n].sum(1) for c in range(7)], dim=1)
    paper = x / (k + alpha * window) ** beta  # 论文：α 乘以平方和
    torch.testing.assert_close(nn.LocalResponseNorm(n, alpha * n, beta, k)(x), paper)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: lenet5(0), ValueError, "num_classes"),
        (lambda: lenet5(activation="gelu"), ValueError, "activation"),
        (lambda: lenet5(pooling=None), TypeError, "pooling"),
        (lambda: alexnet(groups=3), ValueError, "groups"),
        (lambda: vgg16(10**9), ValueError, "num_classes"),
        (lambda: vgg16(batch_norm="yes"), TypeError, "batch_norm"),
        (lambda: googlenet(-1), ValueError, "num_classes"),
        (lambda: InceptionModule(0, 1, 1, 1, 1, 1, 1), ValueError, "in_channels"),
        (lambda: BasicBlock(4, 4, stride=3), ValueError, "stride"),
        (lambda: Bottleneck(4, 4, skip=1), TypeError, "skip"),
        (lambda: ResNet(nn.Linear, (1,)), TypeError, "block"),
        (lambda: ResNet(BasicBlock, (1, 1), widths=(8,)), ValueError, "layers"),
        (lambda: ResNet(BasicBlock, (0,), widths=(8,)), ValueError, "layers[0]"),
        (lambda: ResNet(BasicBlock, (1,), widths=None), TypeError, "widths"),
        (lambda: cifar_resnet(10**9), ValueError, "n"),
        (lambda: cifar_resnet(1, width=2.0), TypeError, "width"),
        (lambda: cifar_resnet(1, width=None), TypeError, "width"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()


@pytest.mark.parametrize("bad", [None, "abc", [[0.0]], torch.zeros(3, 4)])
def test_blocks_check_their_input(bad: object) -> None:
    """非张量、维数不对的输入得到写明 x 的错误（以前是 conv2d 的参数组合错误）。"""
    from dlguide.classic_nets import BasicBlock, Bottleneck, InceptionModule, ResNet  # noqa: PLC0415

    modules = [
        BasicBlock(4, 4), Bottleneck(4, 2), InceptionModule(4, 2, 2, 2, 2, 2, 2),
        ResNet(BasicBlock, (1, 1), num_classes=3, widths=(4, 8), in_channels=1, small_input=True),
    ]
    for module in modules:
        with pytest.raises((TypeError, ValueError), match=r"\bx\b"):
            module(bad)
