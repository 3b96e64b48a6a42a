"""dlguide.pages.cnn.classic_comparison（页面：docs/cnn/classic-comparison.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.classic_nets import alexnet, cifar_resnet, lenet5, resnet18
from dlguide.pages.cnn.classic_comparison import NETWORKS, comparison_table, weight_depth


def test_depth_matches_the_names() -> None:
    with torch.device("meta"):
        assert weight_depth(lenet5()) == 5
        assert weight_depth(alexnet()) == 8
        assert weight_depth(resnet18()) == 18
    assert weight_depth(cifar_resnet(3)) == 20  # ResNet-20：6n + 2
    assert weight_depth(nn.ReLU()) == 0


def test_every_published_number_is_within_six_percent() -> None:
    for row in comparison_table():
        assert row["params"] == pytest.approx(row["paper_params"], rel=0.03)
        if row["paper_macs"] is not None:
            assert row["macs"] == pytest.approx(row["paper_macs"], rel=0.06)
    assert all("source" in spec for spec in NETWORKS.values())


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="^module "):
        weight_depth("resnet")
