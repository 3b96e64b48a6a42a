"""dlguide.pages.optimization.training_speed（页面：docs/optimization/training-speed.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.data import AugmentedImages
from dlguide.models import small_cnn
from dlguide.pages.optimization.training_speed import (
    accumulate_gradients,
    benchmark,
    checkpoint_cost,
    format_table,
    profile_training,
    throughput,
)


def test_benchmark_structure_and_recorded_failures(monkeypatch) -> None:
    # 一次运行同时检查结构，以及 torch.compile 失败时只记录原因、不中断（真正的编译太慢，不在测试里做）
    def broken(*args, **kwargs):
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(torch, "compile", broken)
    out = benchmark(torch.device("cpu"), batch_size=4, steps=1, compile=True)
    assert sorted(out) == ["date", "device", "results", "torch"]
    rows = out["results"]
    assert "训练步 FP32" in rows and "DataLoader num_workers=0" in rows
    for row in rows.values():
        assert set(row) == {"samples_per_s", "note"}
        assert row["samples_per_s"] is None or row["samples_per_s"] > 0
        if row["samples_per_s"] is None:
            assert row["note"].startswith("跳过")
    note = rows["训练步 torch.compile"]
    assert note["samples_per_s"] is None and "no compiler here" in note["note"]
    table = format_table(out)
    assert table.count("\n") == len(rows) + 1


def test_throughput_and_helpers() -> None:
    assert throughput(lambda: None, 4, steps=2, warmup=0) > 0
    with pytest.raises(ValueError, match="samples_per_step 必须 ≥ 1"):
        throughput(lambda: None, 0)
    assert small_cnn()(torch.zeros(1, 3, 32, 32)).shape == (1, 10)
    ds = AugmentedImages(5, seed=1)
    assert len(ds) == 5 and torch.equal(ds[2][0], ds[2][0])


def test_accumulated_gradients_equal_the_big_batch_also_with_a_ragged_last_block() -> None:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3))
    X, y = torch.randn(23, 5), torch.arange(23) % 3
    full = torch.autograd.grad(nn.functional.cross_entropy(net(X), y), list(net.parameters()))
    for micro in (1, 5, 23, 100):
        got = accumulate_gradients(net, X, y, micro)
        assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(got, full))
    with pytest.raises(ValueError, match="micro_batch"):
        accumulate_gradients(net, X, y, 0)
    with pytest.raises(ValueError, match="样本数"):
        accumulate_gradients(net, X, y[:5], 2)
    with pytest.raises(ValueError, match="model 不接受 X"):
        accumulate_gradients(net, torch.randn(23, 4), y, 2)
    with pytest.raises(ValueError, match="model 没有需要梯度的参数"):
        accumulate_gradients(nn.Sequential(nn.Identity()), X, y, 2)


def test_checkpoint_saves_memory_recomputes_and_keeps_gradients() -> None:
    torch.manual_seed(0)
    blocks = nn.ModuleList(nn.Sequential(nn.Linear(16, 16), nn.GELU()) for _ in range(5))
    x = torch.randn(4, 16, requires_grad=True)
    plain = checkpoint_cost(blocks, x, use_checkpoint=False)
    grads = [p.grad.clone() for p in blocks.parameters()]
    ckpt = checkpoint_cost(blocks, x, use_checkpoint=True)
    assert ckpt["saved_bytes"] < plain["saved_bytes"]
    assert (plain["block_calls"], ckpt["block_calls"]) == (5, 10)
    assert all(torch.allclose(p.grad, g) for p, g in zip(blocks.parameters(), grads))
    assert not blocks[0]._forward_pre_hooks  # 计数用的钩子已经移除
    with pytest.raises(ValueError, match="blocks"):
        checkpoint_cost(nn.ModuleList(), x, use_checkpoint=True)
    with pytest.raises(TypeError, match="use_checkpoint"):
        checkpoint_cost(blocks, x, use_checkpoint="yes")
    with pytest.raises(ValueError, match="blocks 不接受 x"):
        checkpoint_cost(blocks, torch.randn(4, 3), use_checkpoint=False)
    with pytest.raises(ValueError, match="没有东西可以反向"):
        checkpoint_cost(nn.ModuleList([nn.Tanh()]), torch.randn(4, 3), use_checkpoint=False)


def test_profile_training_counts_regions_and_flops() -> None:
    net = nn.Linear(6, 4)
    events = profile_training(net, torch.randn(10, 6), torch.arange(10) % 4, steps=2, batch_size=5)
    assert events["optimizer"]["count"] == 2
    assert events["aten::addmm"]["flops"] == 2 * 2 * 5 * 6 * 4
    with pytest.raises(ValueError, match="data_delay"):
        profile_training(net, torch.randn(10, 6), torch.arange(10) % 4, data_delay=-1.0)
    with pytest.raises(TypeError, match="y"):
        profile_training(net, torch.randn(10, 6), torch.zeros(10))
    with pytest.raises(ValueError, match="data_delay"):
        profile_training(net, torch.randn(10, 6), torch.arange(10) % 4, data_delay=2.0)
    with pytest.raises(ValueError, match="model 不接受 X"):
        profile_training(net, torch.randn(10, 5), torch.arange(10) % 4)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"compile": "no"}, TypeError, "compile 必须是 True 或 False"),  # 以前 "no" 是真值，会去跑 torch.compile
        ({"compile": None}, TypeError, "compile 必须是 True 或 False"),
        ({"steps": 0}, ValueError, r"steps 必须在 \[1, 10000\] 内"),  # 以前被吞进“跳过”说明
        ({"steps": 10**9}, ValueError, r"steps 必须在 \[1, 10000\] 内"),
        ({"batch_size": -1}, ValueError, r"batch_size 必须在 \[1, 4096\] 内"),
        ({"batch_size": "64"}, TypeError, "batch_size 必须是整数"),
        ({"device": "cpu"}, TypeError, "device 必须是 torch.device 或 None"),
        ({"device": torch.device("meta")}, ValueError, "device 的类型 必须是 'cpu'、'cuda'、'mps' 之一"),
        ({"device": torch.device("cuda", 99)}, ValueError, "在本机不可用"),
    ],
)
def test_benchmark_refuses_bad_settings_before_measuring(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        benchmark(**kwargs)


def test_throughput_and_format_table_check_arguments() -> None:
    for kwargs, error, name in (({"step": "go"}, TypeError, "step"), ({"steps": 10**9}, ValueError, "steps"),
                                ({"warmup": -1}, ValueError, "warmup"), ({"samples_per_step": 2.5}, TypeError, "samples_per_step"),
                                ({"device": "cuda"}, TypeError, "device")):
        with pytest.raises(error, match=f"^{name} "):
            throughput(**{"step": lambda: None, "samples_per_step": 4, **kwargs})
    for bad in (None, "abc", ["a"], {"results": None}):
        with pytest.raises(TypeError, match="^result "):
            format_table(bad)
    with pytest.raises(TypeError, match=r"^result\['results'\]\['x'\]"):
        format_table({"results": {"x": {"samples_per_s": 1.0}}})
    with pytest.raises(ValueError, match=r"^result\['results'\]\['x'\]\['samples_per_s'\]"):
        format_table({"results": {"x": {"samples_per_s": float("nan"), "note": ""}}})
