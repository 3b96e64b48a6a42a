"""dlguide.complexity：逐层摘要、参数与乘加次数，与 PyTorch 自己的计数（参数、形状、torch.utils.flop_counter）一致。"""

from __future__ import annotations

import re
from collections import OrderedDict

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from dlguide.complexity import LayerSummary, count_macs, count_parameters, format_summary, layer_macs, summarize
from dlguide.models import course_example_cnn, digits_cnn, mlp, small_cnn


def _flops(model: nn.Module, shape: tuple[int, ...]) -> int:
    model.eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.zeros(1, *shape))
    return counter.get_total_flops()


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: course_example_cnn(seed=0), (3, 32, 32)),
        (lambda: small_cnn(), (3, 32, 32)),
        (lambda: digits_cnn(8, seed=0), (64,)),
        (lambda: mlp([10, 7, 3]), (10,)),
        (lambda: nn.Sequential(nn.Conv1d(4, 6, 3, groups=2), nn.ReLU()), (4, 9)),
        (lambda: nn.Sequential(nn.Conv3d(2, 4, 3, stride=2, groups=2), nn.Flatten(), nn.Linear(4 * 27, 5)), (2, 7, 7, 7)),
        (lambda: nn.Sequential(nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2), nn.ReLU()), (4, 5, 5)),
    ],
)
def test_summary_agrees_with_pytorch_counts(make, shape) -> None:
    model = make()
    rows = summarize(model, shape)
    assert rows[0] == LayerSummary("input", "Input", shape, int(torch.tensor(shape).prod()), 0, 0)
    assert sum(r.parameters for r in rows) == sum(p.numel() for p in model.parameters())
    # FLOPs = 2 × 乘加（flop_counter 不计偏置、激活与池化）
    assert 2 * sum(r.macs for r in rows) == _flops(model, shape)
    assert count_macs(model, shape) == sum(r.macs for r in rows)
    with torch.no_grad():
        out = model(torch.zeros(2, *shape))
    assert rows[-1].output_shape == tuple(out.shape[1:])
    assert all(r.activation_size == int(torch.tensor(r.output_shape).prod()) for r in rows)


def test_counts_by_hand() -> None:
    net = nn.Sequential(
        nn.Conv2d(4, 8, 3, padding=1, groups=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 6, 1), nn.Flatten(), nn.Linear(6 * 5 * 5, 7),
    )
    # 分组卷积：每个输出元素 (4/2)·3·3 次乘加
    assert count_macs(net, (4, 10, 10)) == 10 * 10 * 8 * 2 * 9 + 5 * 5 * 6 * 8 + 150 * 7
    assert count_parameters(net) == (8 * 2 * 9 + 8) + (6 * 8 + 6) + (150 * 7 + 7)
    assert count_parameters(net, nn.Linear) == 150 * 7 + 7
    assert count_parameters(net, (nn.Conv2d, nn.Linear)) == count_parameters(net)


def test_layers_are_recorded_in_call_order_and_shared_modules_twice() -> None:
    shared = nn.Linear(4, 4)

    class Twice(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = nn.Linear(3, 4)
            self.shared = shared

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.shared(torch.relu(self.shared(self.first(x))))

    rows = summarize(Twice(), (3,))
    assert [r.name for r in rows] == ["input", "first", "shared", "shared"]
    # 参数按调用记了两次：共享参数时合计会大于参数总数（文档里写明了这个例外）
    assert sum(r.parameters for r in rows) == 16 + 2 * 20


def test_shared_parameters_counted_once_and_meta_device_works() -> None:
    layer = nn.Linear(3, 3)
    net = nn.Sequential(layer, nn.ReLU(), layer)
    assert count_parameters(net) == 12 and count_parameters(net, nn.Linear) == 12
    assert [row.macs for row in summarize(net, (3,)) if row.kind == "Linear"] == [9, 9]  # 调用两次，两行
    with torch.device("meta"):
        big = nn.Sequential(nn.Conv2d(3, 64, 3), nn.Flatten(), nn.Linear(64 * 222 * 222, 10))
    assert count_macs(big, (3, 224, 224)) == 222 * 222 * 64 * 27 + 64 * 222 * 222 * 10
    rows = summarize(big, (3, 224, 224))
    assert [r.parameters for r in rows] == [0, 64 * 27 + 64, 0, 64 * 222 * 222 * 10 + 10]
    assert all(p.device.type == "meta" for p in big.parameters())  # 模型本身没被改动


def test_named_sequential_and_single_module_and_modes() -> None:
    net = nn.Sequential(OrderedDict(conv=nn.Conv2d(1, 2, 3), bn=nn.BatchNorm2d(2)))
    net.train()
    rows = summarize(net, (1, 5, 5))
    assert [r.name for r in rows] == ["input", "conv", "bn"]
    assert net.training  # 恢复了原来的模式
    assert net.bn.num_batches_tracked.item() == 0  # 在 eval() 下运行，没有更新 BatchNorm 的统计量
    single = summarize(nn.Linear(3, 2), (3,))
    assert [(r.name, r.parameters, r.macs) for r in single] == [("input", 0, 0), ("linear", 8, 6)]


def test_training_mode_is_restored() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
    summarize(net, (2,))
    assert net.training
    net.eval()
    summarize(net, (2,))
    assert not net.training


def test_float64_models_get_a_float64_input() -> None:
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 1)).double()
    assert count_macs(net, (1, 4, 4)) == 2 * 2 * 2 * 9 + 8


def test_format_summary_totals_and_layout() -> None:
    rows = summarize(course_example_cnn(seed=0), (3, 32, 32))
    text = format_summary(rows)
    assert text.splitlines()[-1].split()[:2] == ["合计", "62958"]
    assert "(8, 28, 28)" in text and "(28, 28, 8)" in format_summary(rows, channels_last=True)


def test_layer_macs_for_linear_on_sequences() -> None:
    layer = nn.Linear(5, 3)
    x = torch.zeros(2, 7, 5)
    assert layer_macs(layer, x, layer(x)) == 7 * 3 * 5
    assert layer_macs(nn.ReLU(), x, x) == 0
    empty = torch.zeros(0, 7, 5)  # 批大小 0：仍按每个样本算
    assert layer_macs(layer, empty, layer(empty)) == 7 * 3 * 5


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="model 必须是"):
        summarize("net", (3,))
    with pytest.raises(TypeError, match="input_shape 必须是整数序列"):
        summarize(nn.Linear(3, 2), 3)
    with pytest.raises(ValueError, match="input_shape 不能为空"):
        summarize(nn.Linear(3, 2), ())
    with pytest.raises(ValueError, match=r"input_shape\[0\] 必须"):
        summarize(nn.Linear(3, 2), (0,))
    with pytest.raises(ValueError, match="input_shape 太大"):
        summarize(nn.Linear(3, 2), (2**20, 2**20))
    with pytest.raises(TypeError, match=r"input_shape\[0\] 必须是整数"):
        summarize(nn.Linear(3, 2), (3.0,))
    with pytest.raises(TypeError, match="summarize 只支持输出单个张量的层"):
        summarize(nn.LSTM(3, 2, batch_first=True), (4, 3))  # 输出 (output, (h, c))
    with pytest.raises(TypeError, match="rows 必须是 LayerSummary"):
        format_summary([1, 2])
    with pytest.raises(TypeError, match="channels_last"):
        format_summary([], channels_last="yes")
    with pytest.raises(TypeError, match="module 必须是"):
        layer_macs(None, torch.zeros(1), torch.zeros(1))
    with pytest.raises(TypeError, match="inputs 和 output"):
        layer_macs(nn.ReLU(), [1.0], torch.zeros(1))


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: count_parameters("net"), TypeError, "model"),
        (lambda: count_parameters(nn.Linear(2, 2), int), TypeError, "kind"),
        (lambda: count_macs(None, (3,)), TypeError, "model"),
        (lambda: count_macs(nn.Linear(2, 2), 2), TypeError, "input_shape"),
        (lambda: count_macs(nn.Linear(2, 2), (0,)), ValueError, "input_shape[0]"),
        (lambda: summarize(nn.Linear(2, 2), (10**9,)), ValueError, "input_shape[0]"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
