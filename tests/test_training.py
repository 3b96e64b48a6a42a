"""dlguide.training：各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlguide.data import make_moons, make_xor, train_val_split
from dlguide.gradients import layer_grad_norms
from dlguide.models import mlp
from dlguide.training import accuracy, fit


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_xor(3), ValueError, r"n 必须在 \[4, 10000000\] 内"),
        (lambda: make_xor(10, noise=2.0), ValueError, r"noise 必须在 \[0.0, 1.0\] 内"),
        (lambda: make_moons(1.5), TypeError, "n 必须是整数"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(2)), ValueError, "样本数"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(3), 1.0), ValueError, "val_fraction"),
        (lambda: mlp([2]), ValueError, "sizes 必须是至少 2 个正整数"),
        (lambda: mlp([2, 1], "swish"), ValueError, "activation 必须是"),
        (lambda: layer_grad_norms("net"), TypeError, "model 必须是 torch.nn.Module"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), epochs=0), ValueError, "epochs"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), lr=0.0), ValueError, "lr 必须在"),
        (lambda: fit(nn.Linear(1, 1), torch.zeros(2, 1), torch.zeros(2, 1), optimizer="rmsprop"), ValueError, "optimizer"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_fit_is_reproducible_and_learns_moons() -> None:
    X, y = make_moons(200, noise=0.1)
    runs = []
    for _ in range(2):
        net = mlp([2, 16, 2], "relu", seed=0)
        runs.append(fit(net, X, y, epochs=150, lr=0.3, batch_size=32, seed=1))
    assert runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0] / 3
    assert accuracy(net, X, y) > 0.95


def test_fit_without_shuffle_keeps_order_and_ignores_seed() -> None:
    X = torch.randn(16, 2, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    runs = {(s, seed): fit(mlp([2, 2], seed=0), X, y, epochs=3, batch_size=4, seed=seed, shuffle=s)
            for s in (False, True) for seed in (0, 1)}
    assert runs[(False, 0)] == runs[(False, 1)]
    assert runs[(True, 0)] != runs[(True, 1)]


def test_progress_bar_is_an_on_step_callback() -> None:
    import io  # noqa: PLC0415  只有这个测试用

    from dlguide.training import progress_bar  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    out = io.StringIO()
    bar = progress_bar(3, width=4, file=out, digits=1)
    for t, loss in enumerate([3.0, 2.0, 1.0]):
        assert bar(t, loss) is None  # 不会让 fit 提前停止
    assert out.getvalue() == "\r[#---]  33% 步 1/3 损失 3.0\r[###-]  66% 步 2/3 损失 2.0\r[####] 100% 步 3/3 损失 1.0\n"
    X, y = make_xor(40)
    lines = io.StringIO()
    losses = fit(mlp([2, 4, 2], seed=0), X, y, epochs=2, lr=0.1, batch_size=20,
                 on_step=progress_bar(4, every=2, newline=True, file=lines))
    assert len(losses) == 2 and lines.getvalue().count("\n") == 2
    for kwargs, name in (({"total_steps": 0}, "total_steps"), ({"total_steps": 2, "width": 10**9}, "width"),
                         ({"total_steps": 2, "newline": "yes"}, "newline"), ({"total_steps": 2, "digits": -1}, "digits")):
        with pytest.raises((TypeError, ValueError), match=f"^{name} "):
            progress_bar(**kwargs)


def test_fit_param_groups_scale_with_lr_at_and_freeze() -> None:
    X = torch.randn(32, 2, generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 0).long()
    net = mlp([2, 4, 2], seed=0)
    seen = []
    body, head = net[0], net[2]

    def lr_at(t: int) -> float:
        return 0.1 / (t + 1)

    groups = [{"params": body.parameters(), "lr": 0.01}, {"params": head.parameters()}]
    before = body.weight.detach().clone()
    fit(net, X, y, epochs=1, batch_size=8, lr=0.1, lr_at=lr_at, param_groups=groups,
        on_step=lambda t, loss: seen.append(t))
    assert seen == [0, 1, 2, 3] and not torch.equal(before, body.weight.detach())
    # 默认（不传 param_groups）与传一个含全部参数的组结果相同
    a, b = mlp([2, 4, 2], seed=1), mlp([2, 4, 2], seed=1)
    ra = fit(a, X, y, epochs=3, batch_size=8, lr=0.2, lr_at=lr_at)
    rb = fit(b, X, y, epochs=3, batch_size=8, lr=0.2, lr_at=lr_at, param_groups=[{"params": b.parameters()}])
    assert ra == rb
    # 冻结的参数不变
    c = mlp([2, 4, 2], seed=2)
    c[0].requires_grad_(False)
    frozen = c[0].weight.detach().clone()
    fit(c, X, y, epochs=2, lr=0.5)
    assert torch.equal(frozen, c[0].weight)


def test_fit_rejects_bad_param_groups() -> None:
    net = mlp([2, 2], seed=0)
    X, y = torch.zeros(4, 2), torch.zeros(4, dtype=torch.long)
    with pytest.raises(TypeError, match="param_groups 必须是"):
        fit(net, X, y, param_groups="all")
    with pytest.raises(TypeError, match="param_groups\\[0\\]"):
        fit(net, X, y, param_groups=[net.parameters()])
    with pytest.raises(ValueError, match="param_groups\\[0\\]\\['lr'\\]"):
        fit(net, X, y, param_groups=[{"params": net.parameters(), "lr": -1.0}])


def _xor_net() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    X, y = make_xor(8, noise=0.0)
    return mlp([2, 4, 2], seed=0), X, y


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"model": "net"}, TypeError, "model 必须是 torch.nn.Module"),
        ({"X": None}, TypeError, "X 必须是 torch.Tensor"),
        ({"X": [[0.0, 1.0]] * 8}, TypeError, "X 必须是 torch.Tensor，收到的是 list"),
        ({"X": torch.zeros(8, 2, dtype=torch.long)}, ValueError, "model 不接受 X.*int64"),
        ({"X": torch.zeros(0, 2)}, ValueError, "X 不能是空张量"),
        ({"X": torch.zeros(8, 3)}, ValueError, r"model 不接受 X（形状 \(8, 3\)"),
        ({"X": torch.zeros(8, 2, dtype=torch.float64)}, ValueError, "model 不接受 X.*float64"),
        ({"y": torch.tensor(1)}, ValueError, "y 必须至少是 1 维"),
        ({"y": torch.zeros(7, dtype=torch.long)}, ValueError, "X 与 y 的样本数"),
        ({"y": torch.zeros(8)}, ValueError, r"浮点 y 是 MSE 的回归目标.*\(2,\).*收到 \(\)"),
        ({"y": torch.full((8,), 2)}, ValueError, r"y 的类别必须在 \[0, 1\] 内"),
        ({"y": torch.full((8,), -1)}, ValueError, r"y 的类别必须在 \[0, 1\] 内"),
        ({"y": torch.zeros(8, dtype=torch.bool)}, TypeError, "y 必须是整数"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn 必须是可调用对象"),
        ({"epochs": 10**9}, ValueError, r"epochs 必须在 \[1, 100000\] 内"),
        ({"weight_decay": float("inf")}, ValueError, r"weight_decay 必须在 \[0, inf\) 内"),
        ({"seed": -1}, ValueError, "seed 必须在"),
        ({"seed": 1.5}, TypeError, "seed 必须是整数或 None"),
        ({"shuffle": "no"}, TypeError, "shuffle 必须是 True 或 False"),
        ({"optimizer": None}, TypeError, "optimizer 必须是字符串"),
    ],
)
def test_fit_checks_model_and_data(change: dict, error: type[Exception], message: str) -> None:
    net, X, y = _xor_net()
    kwargs = {"model": net, "X": X, "y": y, "epochs": 1, **change}
    with pytest.raises(error, match=message):
        fit(**kwargs)


def test_fit_accepts_float_targets_of_the_output_shape_and_seed_none() -> None:
    X = torch.randn(8, 2, generator=torch.Generator().manual_seed(0))
    net = mlp([2, 3, 1], seed=0)
    losses = fit(net, X, X.sum(dim=1, keepdim=True), epochs=2)  # (8, 1) 对 (8, 1)：MSE
    assert len(losses) == 2
    torch.manual_seed(5)
    a = fit(mlp([2, 2], seed=0), X, (X[:, 0] > 0).long(), epochs=2, batch_size=2, seed=None)
    torch.manual_seed(5)
    b = fit(mlp([2, 2], seed=0), X, (X[:, 0] > 0).long(), epochs=2, batch_size=2, seed=None)
    assert a == b  # seed=None：用全局随机状态，先设全局种子就可复现


def test_fit_probe_leaves_batch_norm_statistics_alone() -> None:
    net = mlp([2, 4, 2], batch_norm=True, seed=0)
    X, y = make_xor(8, noise=0.1)
    fit(net, X, y, epochs=1)
    assert net[1].num_batches_tracked.item() == 1  # 只有那一次训练步：检查输入时的试跑不更新统计量


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (torch.zeros(3, 1), torch.tensor(1), ValueError, "y 必须至少是 1 维"),
        (torch.zeros(3, 1), torch.tensor([0, 1]), ValueError, "X 与 y 的样本数"),
        (torch.zeros(3, 1), torch.tensor([0.0, float("nan"), 1.0]), ValueError, "y 是类别"),
        (torch.zeros(3, 1), torch.tensor([0.0, 0.5, 1.0]), ValueError, "y 是类别"),
        (torch.zeros(3, 1), torch.zeros(3, 2, dtype=torch.long), ValueError, r"y 的形状必须是 \(N,\) 或 \(N, 1\)"),
        (torch.zeros(3, 2), torch.tensor([0, 1, 0]), ValueError, "model 不接受 X"),
        (torch.zeros(3, 1, dtype=torch.long), torch.tensor([0, 1, 0]), ValueError, "model 不接受 X.*int64"),
        (torch.zeros(0, 1), torch.zeros(0, dtype=torch.long), ValueError, "X 不能是空张量"),
        ([[1.0]], torch.tensor([0]), TypeError, "X 必须是 torch.Tensor"),
    ],
)
def test_accuracy_refuses_invalid_input(X, y, error, message) -> None:
    with pytest.raises(error, match=message):
        accuracy(nn.Linear(1, 1), X, y)


def test_accuracy_is_nan_when_logits_are_nan() -> None:
    net = nn.Linear(1, 2)
    y = torch.tensor([0, 1, 1, 0])
    X = torch.tensor([[1.0], [float("nan")], [2.0], [3.0]])
    assert accuracy(net, X, y) != accuracy(net, X, y)  # nan：不把 NaN 的 logit 当成第 0 类
    assert accuracy(net, torch.ones(4, 1), torch.tensor([1.0, 0.0, 1.0, 0.0])) == 0.5
    assert accuracy(nn.Flatten(0), torch.tensor([[-1.0], [2.0]]), torch.tensor([0, 1])) == 1.0  # 没有参数的模型


def test_fit_and_accuracy_take_integer_inputs_where_the_model_does() -> None:
    net = nn.Sequential(nn.Embedding(5, 3), nn.Flatten(), nn.Linear(6, 2))
    X = torch.randint(0, 5, (8, 2), generator=torch.Generator().manual_seed(0))
    y = (X[:, 0] > 2).long()
    assert len(fit(net, X, y, epochs=2)) == 2
    assert 0 <= accuracy(net, X, y) <= 1
    with pytest.raises(ValueError, match="model 不接受 X.*float32"):
        fit(net, X.float(), y, epochs=1)
    with pytest.raises(ValueError, match="model 不接受 X"):
        accuracy(net, X + 10, y)  # 下标越界
