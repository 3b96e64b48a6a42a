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
        (lambda: make_xor(3), ValueError, "n 必须 ≥ 4"),
        (lambda: make_xor(10, noise=2.0), ValueError, r"noise 必须在 \[0.0, 1.0\] 内"),
        (lambda: make_moons(1.5), TypeError, "n 必须是整数"),
        (lambda: train_val_split(torch.zeros(3), torch.zeros(2)), ValueError, "样本数必须相同"),
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
