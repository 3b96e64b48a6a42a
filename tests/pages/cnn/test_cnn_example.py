"""dlguide.pages.cnn.cnn_example（页面：docs/cnn/cnn-example.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.models import course_example_cnn
from dlguide.pages.cnn.cnn_example import CIRCULATING_TABLE, COURSE_NAMES, compare_with_circulating, course_rows


def test_rows_match_a_real_forward_pass() -> None:
    net = course_example_cnn(seed=0)
    shapes = {}
    h = torch.zeros(2, 3, 32, 32)
    for name, layer in net.named_children():
        h = layer(h)
        shapes[name] = tuple(h.shape[1:])
    for row in course_rows()[1:]:
        assert shapes[row.name] == row.output_shape
    assert [r.name for r in course_rows()] == list(COURSE_NAMES.values())


def test_the_circulating_table_is_right_about_shapes_and_wrong_about_five_parameter_counts() -> None:
    diffs = compare_with_circulating(course_rows())
    assert [(layer, column) for layer, column, _, _ in diffs] == [
        ("CONV1", "parameters"), ("CONV2", "parameters"), ("FC3", "parameters"), ("FC4", "parameters"),
        ("Softmax", "parameters"),
    ]
    # 流传的数正好是“漏掉输入通道”和“只加一个偏置”的结果
    wrong = {layer: claimed for layer, _, claimed, _ in diffs}
    assert wrong == {"CONV1": (5 * 5 + 1) * 8, "CONV2": (5 * 5 + 1) * 16, "FC3": 400 * 120 + 1,
                     "FC4": 120 * 84 + 1, "Softmax": 84 * 10 + 1}
    # 讲解时的 6 个核：形状和激活值个数也对不上
    assert ("CONV1", "shape", (28, 28, 8), (28, 28, 6)) in compare_with_circulating(course_rows(6))
    assert len(CIRCULATING_TABLE) == len(COURSE_NAMES)


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="rows 必须是 LayerSummary"):
        compare_with_circulating(None)
    with pytest.raises(ValueError, match="rows 缺少"):
        compare_with_circulating(course_rows()[:3])
    with pytest.raises(ValueError, match="conv1_filters 必须在"):
        course_rows(0)
