"""dlguide.optim：docs/optimization/optimizers.md）。"""

from __future__ import annotations

import pytest
import torch

from dlguide.optim import (
    OPTIMIZERS,
    adagrad_step,
    adam_step,
    ewa,
    minimize,
    momentum_step,
    nesterov_step,
    rmsprop_step,
    sgd_step,
)

STEPS = 25


def _problem():
    g = torch.Generator().manual_seed(0)
    A = torch.randn(20, 5, generator=g, dtype=torch.float64)
    b = torch.randn(20, generator=g, dtype=torch.float64)
    x0 = torch.randn(5, generator=g, dtype=torch.float64)

    def loss(x):
        return ((A @ x - b) ** 2).mean() + 0.1 * torch.sin(x).sum()

    return loss, x0


def _run_ours(update, **hp):
    loss, x0 = _problem()
    x, state = x0.clone(), {}
    for _ in range(STEPS):
        xg = x.clone().requires_grad_()
        (g,) = torch.autograd.grad(loss(xg), xg)
        update(x, g, state, **hp)
    return x


def _run_torch(make_opt):
    loss, x0 = _problem()
    x = x0.clone().requires_grad_()
    opt = make_opt([x])
    for _ in range(STEPS):
        opt.zero_grad()
        loss(x).backward()
        opt.step()
    return x.detach()


CASES = [
    (sgd_step, {"lr": 0.05}, lambda p: torch.optim.SGD(p, lr=0.05)),
    (momentum_step, {"lr": 0.05, "beta": 0.9, "convention": "pytorch"}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    # 课程写法 lr=α 等价于 PyTorch 写法 lr=α(1−β)
    (momentum_step, {"lr": 0.5, "beta": 0.9, "convention": "ng"}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    (nesterov_step, {"lr": 0.05, "beta": 0.8}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    (rmsprop_step, {"lr": 0.01, "beta": 0.95, "eps": 1e-6}, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.95, eps=1e-6)),
    (adam_step, {"lr": 0.02}, lambda p: torch.optim.Adam(p, lr=0.02)),
    (adam_step, {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.1},
     lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.1)),
    (adam_step, {"lr": 0.02, "weight_decay": 0.1, "decoupled": True}, lambda p: torch.optim.AdamW(p, lr=0.02, weight_decay=0.1)),
    (adagrad_step, {"lr": 0.1}, lambda p: torch.optim.Adagrad(p, lr=0.1)),
    (adagrad_step, {"lr": 0.3, "eps": 1e-6, "initial_accumulator_value": 0.5},
     lambda p: torch.optim.Adagrad(p, lr=0.3, eps=1e-6, initial_accumulator_value=0.5)),
]


@pytest.mark.parametrize("update,hp,make", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_matches_torch_optim_after_n_steps(update, hp, make) -> None:
    ours, theirs = _run_ours(update, **hp), _run_torch(make)
    assert not torch.equal(ours, _problem()[1])
    torch.testing.assert_close(ours, theirs, rtol=1e-9, atol=1e-10)


def test_pytorch_dampening_is_not_the_course_formula_on_step_one() -> None:
    # SGD(momentum=β, dampening=β) 第一步不衰减（buf = g），所以不等于课程里 v₁ = (1 − β) g 的写法
    ng = _run_ours(momentum_step, lr=0.5, beta=0.9, convention="ng")
    damp = _run_torch(lambda p: torch.optim.SGD(p, lr=0.5, momentum=0.9, dampening=0.9))
    assert (ng - damp).abs().max() > 1e-3


def test_ewa_matches_closed_form() -> None:
    vals = torch.randn(50, generator=torch.Generator().manual_seed(1)).tolist()
    beta = 0.8
    out = ewa(vals, beta)
    t = 50
    closed = sum((1 - beta) * beta ** (t - i) * v for i, v in enumerate(vals, start=1))
    assert out[-1] == pytest.approx(closed)
    corrected = ewa([2.0] * 5, 0.99, bias_correction=True)
    assert corrected == pytest.approx([2.0] * 5)


def test_minimize_path_and_errors() -> None:
    path = minimize(lambda x: (x**2).sum(), [1.0, 1.0], "adam", steps=5, lr=0.1)
    assert path.shape == (6, 2)
    with pytest.raises(ValueError, match="method 必须是"):
        minimize(lambda x: x.sum(), [0.0], "lbfgs")
    with pytest.raises(ValueError, match=r"steps 必须在 \[1, 100000\] 内"):
        minimize(lambda x: x.sum(), [0.0], steps=0, lr=0.1)


def test_bad_hyperparameters() -> None:
    p, g = torch.zeros(2), torch.ones(2)
    with pytest.raises(ValueError, match="lr 必须在"):
        sgd_step(p, g, {}, lr=0.0)
    with pytest.raises(ValueError, match="beta 必须在"):
        momentum_step(p, g, {}, lr=0.1, beta=1.0)
    with pytest.raises(ValueError, match="convention 必须是"):
        momentum_step(p, g, {}, lr=0.1, convention="tf")
    with pytest.raises(ValueError, match="beta2 必须在"):
        adam_step(p, g, {}, lr=0.1, beta2=1.5)
    with pytest.raises(ValueError, match="eps 必须在"):
        rmsprop_step(p, g, {}, lr=0.1, eps=-1.0)
    with pytest.raises(ValueError, match="beta 必须在"):
        nesterov_step(p, g, {}, lr=0.1, beta=-0.1)
    with pytest.raises(ValueError, match="beta 必须在"):
        ewa([1.0], 1.0)
    with pytest.raises(TypeError, match="lr 必须是实数"):
        sgd_step(p, g, {}, lr="0.1")


STEP_FUNCTIONS = {
    "sgd": lambda p, g, s: sgd_step(p, g, s, lr=0.1),
    "momentum": lambda p, g, s: momentum_step(p, g, s, lr=0.1),
    "nesterov": lambda p, g, s: nesterov_step(p, g, s, lr=0.1),
    "rmsprop": lambda p, g, s: rmsprop_step(p, g, s, lr=0.1),
    "adam": lambda p, g, s: adam_step(p, g, s, lr=0.1),
    "adagrad": lambda p, g, s: adagrad_step(p, g, s, lr=0.1),
}


@pytest.mark.parametrize("name", sorted(STEP_FUNCTIONS))
def test_steps_check_p_g_and_state(name: str) -> None:
    step = STEP_FUNCTIONS[name]
    p, g = torch.zeros(3), torch.ones(3)
    cases = [
        ((None, g, {}), TypeError, "p 必须是 torch.Tensor"),
        ((p.tolist(), g, {}), TypeError, "p 必须是 torch.Tensor"),
        ((p.long(), g, {}), TypeError, "p 必须是浮点张量"),
        ((p, "g", {}), TypeError, "g 必须是 torch.Tensor"),
        ((p, torch.ones(()), {}), ValueError, r"p 与 g 的形状必须相同，收到 \(3,\) 和 \(\)"),
        ((p, torch.ones(2), {}), ValueError, "p 与 g 的形状必须相同"),
        ((p, g.double(), {}), TypeError, "g 的 dtype 必须与 p 相同"),
        ((p, g, None), TypeError, "state 必须是 dict"),
        ((p, g, [1]), TypeError, "state 必须是 dict"),
    ]
    for args, error, message in cases:
        with pytest.raises(error, match=message):
            step(*args)
    assert p.tolist() == [0.0, 0.0, 0.0]  # 坏输入在更新之前就被拒绝，p 没有被改动
    if name != "sgd":
        state: dict = {}
        step(torch.zeros(3), g, state)
        with pytest.raises(ValueError, match="这个 state 属于别的参数"):
            step(torch.zeros(2), torch.ones(2), state)


def test_optim_refuses_infinite_and_non_bool_settings() -> None:
    p, g = torch.zeros(2), torch.ones(2)
    with pytest.raises(ValueError, match=r"eps 必须在 \[0, inf\) 内"):
        adam_step(p, g, {}, lr=0.1, eps=float("inf"))
    with pytest.raises(ValueError, match=r"weight_decay 必须在 \[0, inf\) 内"):
        adam_step(p, g, {}, lr=0.1, weight_decay=float("inf"))
    with pytest.raises(TypeError, match="decoupled 必须是 True 或 False"):
        adam_step(p, g, {}, lr=0.1, decoupled="no")
    with pytest.raises(ValueError, match="eps 必须在"):
        rmsprop_step(p, g, {}, lr=0.1, eps=float("inf"))
    with pytest.raises(ValueError, match="convention 必须是 'ng'、'pytorch' 之一"):
        momentum_step(p, g, {}, lr=0.1, convention="torch")
    with pytest.raises(TypeError, match="bias_correction 必须是 True 或 False"):
        ewa([1.0], 0.5, bias_correction="no")
    for bad in (None, "abc", 3):
        with pytest.raises(TypeError, match="values 必须是数的序列"):
            ewa(bad, 0.5)
    with pytest.raises(TypeError, match="values 的元素必须是实数"):
        ewa([1.0, None], 0.5)
    assert ewa([], 0.5) == []


def test_minimize_checks_f_x0_and_steps() -> None:
    f = lambda x: (x**2).sum()
    with pytest.raises(TypeError, match="f 必须是可调用对象"):
        minimize("tanh", [0.0], lr=0.1)
    with pytest.raises(TypeError, match="x0 必须是数的序列"):
        minimize(f, 3, lr=0.1)
    with pytest.raises(ValueError, match="x0 的元素必须是有限实数"):
        minimize(f, [float("nan")], lr=0.1)
    with pytest.raises(ValueError, match="x0 不能为空"):
        minimize(f, [], lr=0.1)
    with pytest.raises(ValueError, match=r"steps 必须在 \[1, 100000\] 内，收到 1000000000"):
        minimize(f, [0.0], steps=10**9, lr=0.1)
    with pytest.raises(ValueError, match="f 必须把 x 映射成一个可求导的标量张量"):
        minimize(lambda x: x**2, [0.0, 1.0], lr=0.1)
    assert minimize(f, torch.tensor([1.0, 2.0]), steps=1, lr=0.25)[-1].tolist() == [0.5, 1.0]


def test_adagrad_is_registered_and_checks_hyperparameters() -> None:
    assert OPTIMIZERS["adagrad"] is adagrad_step
    path = minimize(lambda x: (x**2).sum(), [1.0, -2.0], "adagrad", steps=50, lr=0.5)
    assert path[-1].abs().max() < path[0].abs().max()
    p = torch.zeros(2)
    for kwargs, message in (({"lr": 0.0}, "lr"), ({"lr": 0.1, "eps": -1.0}, "eps"),
                            ({"lr": 0.1, "initial_accumulator_value": float("nan")}, "initial_accumulator_value")):
        with pytest.raises(ValueError, match=message):
            adagrad_step(p, torch.ones(2), {}, **kwargs)
