"""dlguide.complexity：参数与乘加次数的统计。"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from dlguide.complexity import count_macs, count_parameters, layer_stats


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


def test_shared_parameters_counted_once_and_meta_device_works() -> None:
    layer = nn.Linear(3, 3)
    net = nn.Sequential(layer, nn.ReLU(), layer)
    assert count_parameters(net) == 12 and count_parameters(net, nn.Linear) == 12
    assert [row["macs"] for row in layer_stats(net, (3,))] == [9, 9]  # 调用两次，两行
    with torch.device("meta"):
        big = nn.Sequential(nn.Conv2d(3, 64, 3), nn.Flatten(), nn.Linear(64 * 222 * 222, 10))
    assert count_macs(big, (3, 224, 224)) == 222 * 222 * 64 * 27 + 64 * 222 * 222 * 10


def test_training_mode_is_restored() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
    layer_stats(net, (2,))
    assert net.training
    net.eval()
    layer_stats(net, (2,))
    assert not net.training


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: count_parameters("net"), TypeError, "model"),
        (lambda: count_parameters(nn.Linear(2, 2), int), TypeError, "kind"),
        (lambda: count_macs(None, (3,)), TypeError, "model"),
        (lambda: count_macs(nn.Linear(2, 2), 2), TypeError, "input_shape"),
        (lambda: count_macs(nn.Linear(2, 2), (0,)), ValueError, "input_shape[0]"),
        (lambda: layer_stats(nn.Linear(2, 2), (10**9,)), ValueError, "input_shape[0]"),
    ],
)
def test_bad_input_names_the_parameter(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
