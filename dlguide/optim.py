r"""优化算法：按更新公式从零实现 SGD、动量、Nesterov、RMSProp、Adam、AdamW 和指数加权平均。

每个 ``*_step`` 函数就地更新一个参数张量 ``p``（梯度 ``g`` 由调用者给出），状态存在调用者持有的字典
``state`` 里。测试 ``tests/test_optim.py`` 核对它们与 ``torch.optim`` 走 N 步之后的参数一致。
[`minimize`][dlguide.optim.minimize] 用它们在一个二元函数上走出轨迹，供鞍点和病态二次函数的实验使用；
“神经网络的优化算法”一页的 [`iteration_losses`][dlguide.pages.optimization.optimizers.iteration_losses]
在 digits 上比较全批量、小批量和单样本梯度下降。
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from dlguide._checks import (
    check_bool,
    check_callable,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_numbers,
    check_positive,
    check_same_shape,
    check_tensor,
)

__all__ = [
    "OPTIMIZERS",
    "adagrad_step",
    "adam_step",
    "ewa",
    "minimize",
    "momentum_step",
    "nesterov_step",
    "rmsprop_step",
    "sgd_step",
]


def ewa(values: Sequence[float], beta: float, *, bias_correction: bool = False) -> list[float]:
    r"""指数加权平均 $v_t = \beta v_{t-1} + (1-\beta)\,\theta_t$，$v_0 = 0$；可选偏差修正 $v_t/(1-\beta^t)$。

    Parameters
    ----------
    values : Sequence[float]
        观测序列 $\theta_1, \theta_2, \dots$（实数的序列或一维张量；NaN/inf 照常参与计算并传播）。
    beta : float
        衰减系数，在 [0, 1) 内；大约平均最近 $1/(1-\beta)$ 个值。
    bias_correction : bool
        是否除以 $1-\beta^t$，修正 $v_0=0$ 造成的开头偏小。

    Returns
    -------
    list[float]
        与 ``values`` 等长的平均值序列。

    Raises
    ------
    TypeError, ValueError
        ``values`` 不是实数的序列，``beta`` 越界，或 ``bias_correction`` 不是 bool。

    Examples
    --------
    >>> [round(v, 3) for v in ewa([10, 10, 10], 0.9)]
    [1.0, 1.9, 2.71]
    >>> [round(v, 3) for v in ewa([10, 10, 10], 0.9, bias_correction=True)]
    [10.0, 10.0, 10.0]
    """
    values = check_numbers(values, "values", nonempty=False)
    check_in_range(beta, "beta", 0.0, 1.0, high_open=True)
    check_bool(bias_correction, "bias_correction")
    out, v = [], 0.0
    for t, theta in enumerate(values, start=1):
        # v_t = β v_{t−1} + (1 − β) θ_t
        v = beta * v + (1 - beta) * float(theta)
        # 偏差修正：v̂_t = v_t / (1 − β^t)
        out.append(v / (1 - beta**t) if bias_correction else v)
    return out


@torch.no_grad()
def sgd_step(p: torch.Tensor, g: torch.Tensor, state: dict, *, lr: float) -> None:
    r"""普通梯度下降 $\theta \leftarrow \theta - \alpha g$（``state`` 不用，只为接口统一）。

    所有 ``*_step`` 函数的 ``p``、``g`` 都是同形状、同 dtype 的浮点张量，``state`` 是 ``dict``（首次调用传空字典），
    里面已有的张量必须与 ``p`` 同形状（否则它属于别的参数），否则抛出写明参数名的 ``TypeError``/``ValueError``。

    Examples
    --------
    >>> import torch
    >>> p = torch.tensor([1.0, 2.0])
    >>> sgd_step(p, torch.tensor([1.0, -1.0]), {}, lr=0.1)
    >>> p.tolist()
    [0.8999999761581421, 2.0999999046325684]
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    # θ ← θ − α g
    p.sub_(lr * g)


@torch.no_grad()
def momentum_step(
    p: torch.Tensor, g: torch.Tensor, state: dict, *, lr: float, beta: float = 0.9, convention: str = "ng"
) -> None:
    r"""动量梯度下降。两种写法只差学习率的一个常数因子：

    - ``"ng"``（吴恩达课程）：$v \leftarrow \beta v + (1-\beta) g$，$\theta \leftarrow \theta - \alpha v$；
    - ``"pytorch"``（``torch.optim.SGD(momentum=β)``）：$v \leftarrow \beta v + g$，$\theta \leftarrow \theta - \alpha v$。

    $v_0=0$ 时，``"ng"`` 配学习率 $\alpha$ 与 ``"pytorch"`` 配 $\alpha(1-\beta)$ 逐步相同。

    Parameters
    ----------
    p, g : torch.Tensor
        参数（就地更新）和它的梯度。
    state : dict
        该参数的状态，首次调用传空字典。
    lr : float
        学习率，> 0。
    beta : float
        动量系数，在 [0, 1) 内。
    convention : str
        ``"ng"`` 或 ``"pytorch"``。

    Raises
    ------
    ValueError
        参数越界或 ``convention`` 不认识。

    Examples
    --------
    >>> import torch
    >>> p, state = torch.zeros(1), {}
    >>> for _ in range(3):
    ...     momentum_step(p, torch.ones(1), state, lr=1.0, beta=0.9)
    ...
    >>> round(state["v"].item(), 3), round(p.item(), 3)   # v = 0.1, 0.19, 0.271
    (0.271, -0.561)
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    check_in_range(beta, "beta", 0.0, 1.0, high_open=True)
    check_choice(convention, "convention", ("ng", "pytorch"))
    v = state.setdefault("v", torch.zeros_like(p))
    if convention == "ng":
        # v ← β v + (1 − β) g ：梯度的指数加权平均
        v.mul_(beta).add_((1 - beta) * g)
    else:
        # v ← β v + g ：梯度的指数加权“和”，约为上式的 1/(1 − β) 倍
        v.mul_(beta).add_(g)
    # θ ← θ − α v
    p.sub_(lr * v)


@torch.no_grad()
def nesterov_step(p: torch.Tensor, g: torch.Tensor, state: dict, *, lr: float, beta: float = 0.9) -> None:
    r"""Nesterov 动量，PyTorch 的写法（``SGD(momentum=β, nesterov=True)``）。

    $v \leftarrow \beta v + g$，$\theta \leftarrow \theta - \alpha\,(g + \beta v)$：用“往前看一步”的动量修正当前梯度。

    Examples
    --------
    >>> import torch
    >>> p, state = torch.zeros(1), {}
    >>> nesterov_step(p, torch.ones(1), state, lr=1.0, beta=0.9)
    >>> round(p.item(), 3)      # 第一步就走 1 + 0.9 = 1.9
    -1.9
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    check_in_range(beta, "beta", 0.0, 1.0, high_open=True)
    v = state.setdefault("v", torch.zeros_like(p))
    # v ← β v + g
    v.mul_(beta).add_(g)
    # θ ← θ − α (g + β v)
    p.sub_(lr * (g + beta * v))


@torch.no_grad()
def rmsprop_step(
    p: torch.Tensor, g: torch.Tensor, state: dict, *, lr: float, beta: float = 0.99, eps: float = 1e-8
) -> None:
    r"""RMSProp：$s \leftarrow \beta s + (1-\beta) g^2$，$\theta \leftarrow \theta - \alpha\, g / (\sqrt{s} + \epsilon)$。

    PyTorch 的 ``RMSprop`` 里 $\beta$ 叫 ``alpha``，默认 0.99；$\epsilon$ 加在平方根**外面**。

    Examples
    --------
    >>> import torch
    >>> p, state = torch.zeros(2), {}
    >>> rmsprop_step(p, torch.tensor([100.0, 0.01]), state, lr=0.01)
    >>> [round(v, 3) for v in p.tolist()]   # 梯度差 10⁴ 倍，步长一样：按各自的均方根归一化
    [-0.1, -0.1]
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    check_in_range(beta, "beta", 0.0, 1.0, high_open=True)
    check_nonnegative(eps, "eps")
    s = state.setdefault("s", torch.zeros_like(p))
    # s ← β s + (1 − β) g²
    s.mul_(beta).add_((1 - beta) * g * g)
    # θ ← θ − α g / (√s + ε)
    p.sub_(lr * g / (s.sqrt() + eps))


@torch.no_grad()
def adam_step(
    p: torch.Tensor,
    g: torch.Tensor,
    state: dict,
    *,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    decoupled: bool = False,
) -> None:
    r"""Adam（``decoupled=False``，权重衰减当作 L2 加进梯度）或 AdamW（``decoupled=True``）。

    $m \leftarrow \beta_1 m + (1-\beta_1) g$，$v \leftarrow \beta_2 v + (1-\beta_2) g^2$，
    $\hat m = m/(1-\beta_1^t)$，$\hat v = v/(1-\beta_2^t)$，$\theta \leftarrow \theta - \alpha\,\hat m/(\sqrt{\hat v}+\epsilon)$。

    Parameters
    ----------
    p, g : torch.Tensor
        参数（就地更新）和梯度。
    state : dict
        该参数的状态，首次调用传空字典。
    lr : float
        学习率，> 0。
    beta1, beta2 : float
        一阶、二阶矩的衰减系数，在 [0, 1) 内。
    eps : float
        数值稳定项，有限且 ≥ 0。
    weight_decay : float
        权重衰减系数 $\lambda$，有限且 ≥ 0。
    decoupled : bool
        ``False``：$g \leftarrow g + \lambda\theta$（``torch.optim.Adam``）；
        ``True``：先 $\theta \leftarrow \theta(1-\alpha\lambda)$ 再做 Adam 更新（``torch.optim.AdamW``）。

    Examples
    --------
    >>> import torch
    >>> p, state = torch.zeros(2), {}
    >>> adam_step(p, torch.tensor([5.0, -0.001]), state, lr=0.1)
    >>> [round(v, 3) for v in p.tolist()]   # 偏差修正后第一步的步长就是 α，与梯度大小无关
    [-0.1, 0.1]
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    check_in_range(beta1, "beta1", 0.0, 1.0, high_open=True)
    check_in_range(beta2, "beta2", 0.0, 1.0, high_open=True)
    check_nonnegative(eps, "eps")
    check_nonnegative(weight_decay, "weight_decay")
    check_bool(decoupled, "decoupled")
    if "t" in state:
        check_int(state["t"], "state['t']", low=0)
    if weight_decay and decoupled:
        # AdamW：θ ← θ (1 − α λ)，与梯度的自适应缩放无关
        p.mul_(1 - lr * weight_decay)
    elif weight_decay:
        # Adam + L2：g ← g + λ θ，之后会被 √v̂ 一起缩放
        g = g + weight_decay * p
    m = state.setdefault("m", torch.zeros_like(p))
    v = state.setdefault("v", torch.zeros_like(p))
    t = state["t"] = state.get("t", 0) + 1
    # m ← β₁ m + (1 − β₁) g ；v ← β₂ v + (1 − β₂) g²
    m.mul_(beta1).add_((1 - beta1) * g)
    v.mul_(beta2).add_((1 - beta2) * g * g)
    # 偏差修正：m̂ = m / (1 − β₁ᵗ)，v̂ = v / (1 − β₂ᵗ)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    # θ ← θ − α m̂ / (√v̂ + ε)
    p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


def _adamw_step(p: torch.Tensor, g: torch.Tensor, state: dict, **hp: float) -> None:
    adam_step(p, g, state, decoupled=True, **hp)


OPTIMIZERS: dict[str, Callable[..., None]] = {
    "sgd": sgd_step,
    "momentum": momentum_step,
    "nesterov": nesterov_step,
    "rmsprop": rmsprop_step,
    "adam": adam_step,
    "adamw": _adamw_step,
}
"""按名字取更新函数，供 [`minimize`][dlguide.optim.minimize] 使用。"""


def minimize(
    f: Callable[[torch.Tensor], torch.Tensor],
    x0: Sequence[float],
    method: str = "sgd",
    *,
    steps: int = 100,
    **hyper: float,
) -> torch.Tensor:
    """从 ``x0`` 出发，用 ``method`` 对 ``f`` 走 ``steps`` 步，返回整条轨迹。

    Parameters
    ----------
    f : callable
        把形状 ``(d,)`` 的张量映射到标量（单元素张量）的函数（可求导）。
    x0 : Sequence[float]
        起点：有限实数的非空序列。
    method : str
        [`OPTIMIZERS`][dlguide.optim.OPTIMIZERS] 里的名字。
    steps : int
        步数，在 [1, 100000] 内。
    **hyper
        传给更新函数的超参数，至少要有 ``lr``。

    Returns
    -------
    torch.Tensor
        形状 ``(steps + 1, d)`` 的 float64 轨迹（第 0 行是起点）。

    Raises
    ------
    TypeError, ValueError
        ``f`` 不可调用或不返回标量，``x0`` 不是有限实数的序列，``method`` 不认识，或 ``steps`` 越界。

    Examples
    --------
    >>> path = minimize(lambda x: (x**2).sum(), [1.0, -2.0], "sgd", steps=10, lr=0.25)
    >>> path.shape[0], [round(v, 4) for v in path[-1].tolist()]   # 每步乘 (1 − 2·0.25) = 0.5
    (11, [0.001, -0.002])
    """
    check_callable(f, "f")
    x0 = check_numbers(x0, "x0", finite=True)
    check_choice(method, "method", OPTIMIZERS)
    check_int(steps, "steps", low=1, high=100_000)
    update = OPTIMIZERS[method]
    x = torch.tensor(x0, dtype=torch.float64)
    state: dict = {}
    path = [x.clone()]
    for _ in range(steps):
        xg = x.clone().requires_grad_()
        value = f(xg)
        if not isinstance(value, torch.Tensor) or value.numel() != 1 or not value.requires_grad:
            raise ValueError(f"f 必须把 x 映射成一个可求导的标量张量，收到 {type(value).__name__}"
                             + (f"（形状 {tuple(value.shape)}）" if isinstance(value, torch.Tensor) else ""))
        (grad,) = torch.autograd.grad(value, xg)
        update(x, grad, state, **hyper)
        path.append(x.clone())
    return torch.stack(path)




def _check_step(p: object, g: object, state: object) -> None:
    """``*_step`` 的共同检查：同形状、同 dtype 的浮点张量 ``p``、``g``，属于 ``p`` 的状态字典 ``state``。"""
    check_tensor(p, "p")
    check_tensor(g, "g")
    check_same_shape(p, g, "p", "g")  # type: ignore[arg-type]
    if g.dtype != p.dtype:  # type: ignore[union-attr]
        raise TypeError(f"g 的 dtype 必须与 p 相同（{p.dtype}），收到 {g.dtype}")  # type: ignore[union-attr]
    if not isinstance(state, dict):
        raise TypeError(f"state 必须是 dict（这个参数的优化器状态，首次调用传空字典），收到的是 {type(state).__name__}")
    for key, value in state.items():
        if isinstance(value, torch.Tensor) and value.shape != p.shape:  # type: ignore[union-attr]
            raise ValueError(
                f"state[{key!r}] 的形状 {tuple(value.shape)} 与 p 的形状 {tuple(p.shape)} 不同：这个 state 属于别的参数"  # type: ignore[union-attr]
            )
@torch.no_grad()
def adagrad_step(
    p: torch.Tensor,
    g: torch.Tensor,
    state: dict,
    *,
    lr: float,
    eps: float = 1e-10,
    initial_accumulator_value: float = 0.0,
) -> None:
    r"""AdaGrad（Duchi 等 2011）：$s \leftarrow s + g^2$，$\theta \leftarrow \theta - \alpha\, g / (\sqrt{s} + \epsilon)$。

    $s$ 是**全部**历史梯度平方的和（不衰减），所以每个参数的有效学习率 $\alpha/\sqrt{s}$ 单调下降；
    梯度一直很大的参数步子很快变小，很少得到梯度的参数（稀疏特征）步子保持较大。
    RMSProp 把这个和换成指数加权平均，避免学习率降到 0。与 ``torch.optim.Adagrad``（``lr_decay=0``）的公式相同，
    默认 $\epsilon=10^{-10}$。

    Parameters
    ----------
    p, g : torch.Tensor
        参数（就地更新）和梯度。
    state : dict
        该参数的状态，首次调用传空字典。
    lr : float
        学习率 $\alpha > 0$。
    eps : float
        加在平方根外面的数值稳定项，≥ 0。
    initial_accumulator_value : float
        $s$ 的初值，≥ 0。

    Raises
    ------
    TypeError, ValueError
        ``p``、``g`` 不是同形状同 dtype 的张量，``state`` 不是字典，或超参数越界。

    Examples
    --------
    >>> import torch
    >>> p, state = torch.zeros(1), {}
    >>> for _ in range(100):
    ...     adagrad_step(p, torch.tensor([1.0]), state, lr=0.5)   # 梯度恒为 1
    ...
    >>> round(state["s"].item()), round(0.5 / state["s"].sqrt().item(), 3)   # 第 100 步的步长是 α/√100
    (100, 0.05)
    """
    _check_step(p, g, state)
    check_positive(lr, "lr")
    check_nonnegative(eps, "eps")
    check_nonnegative(initial_accumulator_value, "initial_accumulator_value")
    s = state.setdefault("s", torch.full_like(p, initial_accumulator_value))
    # s ← s + g²（所有历史梯度平方之和，不衰减）
    s.add_(g * g)
    # θ ← θ − α g / (√s + ε)
    p.sub_(lr * g / (s.sqrt() + eps))


OPTIMIZERS["adagrad"] = adagrad_step
