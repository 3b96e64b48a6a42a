"""dlguide.pages.applications.transfer_learning（页面：docs/applications/transfer-learning.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.pages.applications.transfer_learning import digit_tasks, few_labels, replace_head, small_convnet, transfer


def test_tasks_are_disjoint_and_relabelled() -> None:
    tasks = digit_tasks()
    assert set(tasks["source"][1].tolist()) == {0, 1, 2, 3, 4}
    assert len(tasks["pool"][0]) + len(tasks["test"][0]) == 1797 - len(tasks["source"][0])
    pool, test = tasks["pool"][0], tasks["test"][0]
    assert not bool((torch.cdist(pool, test) == 0).any())  # 没有一张图同时在标注池和测试集里
    tasks["pool"][0].zero_()  # 返回的是副本，改了不影响下一次
    assert digit_tasks()["pool"][0].abs().sum() > 0


def test_few_labels_takes_n_per_class() -> None:
    X, y = digit_tasks()["pool"]
    Xl, yl = few_labels(X, y, n_per_class=3, seed=2)
    assert torch.bincount(yl).tolist() == [3, 3, 3, 3, 3]
    assert not torch.equal(Xl, few_labels(X, y, n_per_class=3, seed=3)[0])


def test_frozen_transfer_leaves_the_source_untouched() -> None:
    source = small_convnet(5, seed=0)
    before = [p.detach().clone() for p in source.parameters()]
    transfer(source, "finetune", 1)
    assert all(torch.equal(a, b) for a, b in zip(before, source.parameters()))
    new = replace_head(source, 7)
    assert new[1].out_features == 7 and new[0] is not source[0]


def test_bad_input_is_rejected() -> None:
    source = small_convnet()
    with pytest.raises(ValueError, match="strategy 必须是"):
        transfer(source, "linear", 1)
    with pytest.raises(ValueError, match="n_per_class 必须在"):
        transfer(source, "frozen", 10**9)
    with pytest.raises(TypeError, match="source 必须是 torch.nn.Sequential"):
        transfer(nn.Linear(64, 5), "frozen", 1)
    with pytest.raises(TypeError, match="y 必须是整数张量"):
        few_labels(torch.zeros(4, 64), torch.zeros(4), 1)
