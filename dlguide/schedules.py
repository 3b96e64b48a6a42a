r"""学习率调度：按公式从零实现，每个函数给出第 ``step`` 步（或第 ``epoch`` 轮）的学习率。

测试 ``tests/test_schedules.py`` 逐值核对它们与 ``torch.optim.lr_scheduler`` 的结果
（``LambdaLR``、``StepLR``、``ExponentialLR``、``CosineAnnealingLR``、``LinearLR`` + ``SequentialLR``、``OneCycleLR``）。
所有函数都从 0 开始计数，与 PyTorch 调度器的 ``last_epoch`` 一致。
"""

from __future__ import annotations

import math

from dlguide._checks import check_in_range, check_int, check_nonnegative, check_positive

__all__ = [
    "cosine_with_warmup",
    "exponential_decay",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "one_cycle",
    "step_decay",
]


def inverse_time_decay(lr0: float, epoch: int, decay_rate: float = 1.0) -> float:
    r"""反时衰减 $\alpha = \dfrac{\alpha_0}{1 + \text{decay\_rate}\cdot \text{epoch}}$（吴恩达课程里“最常用”的那个）。

    Parameters
    ----------
    lr0 : float
        初始学习率 $\alpha_0$，> 0。
    epoch : int
        从 0 开始的轮数，≥ 0。
    decay_rate : float
        衰减率，有限且 ≥ 0。

    Returns
    -------
    float
        第 ``epoch`` 轮的学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> [round(inverse_time_decay(0.2, e, decay_rate=1.0), 4) for e in range(4)]
    [0.2, 0.1, 0.0667, 0.05]
    """
    check_positive(lr0, "lr0")
    check_int(epoch, "epoch", low=0)
    check_nonnegative(decay_rate, "decay_rate")
    # α = α₀ / (1 + decay_rate · epoch)
    return lr0 / (1 + decay_rate * epoch)


def exponential_decay(lr0: float, epoch: int, gamma: float = 0.95) -> float:
    r"""指数衰减 $\alpha = \gamma^{\text{epoch}}\,\alpha_0$，原笔记取 $\gamma = 0.95$。

    Parameters
    ----------
    lr0 : float
        初始学习率，> 0。
    epoch : int
        从 0 开始的轮数。
    gamma : float
        每轮的衰减因子，在 (0, 1] 内。

    Returns
    -------
    float
        第 ``epoch`` 轮的学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> round(exponential_decay(0.1, 10), 5), round(exponential_decay(0.1, 45), 4)
    (0.05987, 0.0099)
    """
    check_positive(lr0, "lr0")
    check_int(epoch, "epoch", low=0)
    check_in_range(gamma, "gamma", 0.0, 1.0, low_open=True)
    # α = γ^epoch · α₀
    return gamma**epoch * lr0


def inverse_sqrt_decay(lr0: float, t: int, k: float = 1.0) -> float:
    r"""平方根反比衰减 $\alpha = \dfrac{k}{\sqrt{t}}\,\alpha_0$，其中 $t\ge 1$ 是从 **1** 开始的轮数（或步数）。

    从 0 计数的循环里要传 ``epoch + 1``：$t=0$ 时公式除以零。

    Parameters
    ----------
    lr0 : float
        基准学习率，> 0。
    t : int
        从 1 开始的轮数或步数，≥ 1。
    k : float
        常数，> 0。

    Returns
    -------
    float
        学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界（包括 ``t = 0``）。

    Examples
    --------
    >>> [round(inverse_sqrt_decay(0.1, t), 4) for t in (1, 4, 100)]
    [0.1, 0.05, 0.01]
    >>> inverse_sqrt_decay(0.1, 0)
    Traceback (most recent call last):
    ...
    ValueError: t 必须 ≥ 1（公式 k/√t 在 t = 0 处除以零），收到 0
    """
    check_positive(lr0, "lr0")
    check_int(t, "t", low=0)
    if t < 1:
        raise ValueError(f"t 必须 ≥ 1（公式 k/√t 在 t = 0 处除以零），收到 {t}")
    check_positive(k, "k")
    # α = k / √t · α₀
    return k / math.sqrt(t) * lr0


def step_decay(lr0: float, epoch: int, step_size: int = 10, gamma: float = 0.1) -> float:
    r"""阶梯（离散）衰减 $\alpha = \gamma^{\lfloor \text{epoch}/\text{step\_size}\rfloor}\,\alpha_0$，即 ``StepLR``。

    Parameters
    ----------
    lr0 : float
        初始学习率，> 0。
    epoch : int
        从 0 开始的轮数。
    step_size : int
        每隔多少轮降一次，≥ 1。
    gamma : float
        每次乘的因子，在 (0, 1] 内。

    Returns
    -------
    float
        第 ``epoch`` 轮的学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> [step_decay(1.0, e, step_size=2, gamma=0.5) for e in range(6)]
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """
    check_positive(lr0, "lr0")
    check_int(epoch, "epoch", low=0)
    check_int(step_size, "step_size", low=1)
    check_in_range(gamma, "gamma", 0.0, 1.0, low_open=True)
    # α = γ^⌊epoch / step_size⌋ · α₀
    return gamma ** (epoch // step_size) * lr0


def cosine_with_warmup(
    lr0: float, step: int, total_steps: int, warmup_steps: int = 0, *, start_factor: float = 0.1, min_lr: float = 0.0
) -> float:
    r"""线性预热 + 余弦退火（Transformer 类模型最常用的组合）。

    预热段 $t < w$：$\alpha = \alpha_0\bigl(s + (1-s)\,t/w\bigr)$；
    之后 $\alpha = \alpha_{\min} + \tfrac12(\alpha_0-\alpha_{\min})\bigl(1+\cos\frac{\pi (t-w)}{T-w}\bigr)$。

    Parameters
    ----------
    lr0 : float
        峰值学习率，> 0。
    step : int
        从 0 开始的步数。
    total_steps : int
        总步数 $T$，> ``warmup_steps``。
    warmup_steps : int
        预热步数 $w$，≥ 0。
    start_factor : float
        预热起点是峰值的多少倍 $s$，在 (0, 1] 内。
    min_lr : float
        退火终点 $\alpha_{\min}$，在 [0, lr0] 内。

    Returns
    -------
    float
        第 ``step`` 步的学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> [round(cosine_with_warmup(1.0, t, total_steps=10, warmup_steps=2), 3) for t in (0, 1, 2, 6, 10)]
    [0.1, 0.55, 1.0, 0.5, 0.0]
    """
    check_positive(lr0, "lr0")
    check_int(step, "step", low=0)
    check_int(warmup_steps, "warmup_steps", low=0)
    check_int(total_steps, "total_steps", low=0)
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps 必须 > warmup_steps，收到 {total_steps} 和 {warmup_steps}")
    check_in_range(start_factor, "start_factor", 0.0, 1.0, low_open=True)
    check_in_range(min_lr, "min_lr", 0.0, lr0)
    if step < warmup_steps:
        # 预热：α = α₀ (s + (1 − s) t / w)，从 s·α₀ 线性升到 α₀
        return lr0 * (start_factor + (1 - start_factor) * step / warmup_steps)
    # 余弦退火：α = α_min + ½(α₀ − α_min)(1 + cos(π (t − w) / (T − w)))
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (lr0 - min_lr) * (1 + math.cos(math.pi * progress))


def one_cycle(
    max_lr: float,
    step: int,
    total_steps: int,
    *,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> float:
    r"""单周期（one-cycle）策略，与 ``torch.optim.lr_scheduler.OneCycleLR`` 的默认（余弦、两段）一致。

    从 $\alpha_{\max}/d$ 余弦升到 $\alpha_{\max}$（前 ``pct_start`` 的步数），
    再余弦降到 $\alpha_{\max}/(d\cdot d_f)$。余弦插值 $\text{cos\_anneal}(a, b, p) = b + \tfrac12(a-b)(1+\cos \pi p)$。

    Parameters
    ----------
    max_lr : float
        峰值学习率，> 0。
    step : int
        从 0 开始的步数，< ``total_steps``。
    total_steps : int
        总步数，≥ 2。
    pct_start : float
        上升段所占比例，在 (0, 1) 内。
    div_factor : float
        初始学习率 = ``max_lr / div_factor``，有限且 ≥ 1。
    final_div_factor : float
        最终学习率 = 初始学习率 / ``final_div_factor``，有限且 ≥ 1。

    Returns
    -------
    float
        第 ``step`` 步的学习率。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> [round(one_cycle(1.0, t, total_steps=11), 4) for t in (0, 2, 10)]  # 峰值在第 0.3·11 − 1 = 2.3 步
    [0.04, 0.9603, 0.0]
    """
    check_positive(max_lr, "max_lr")
    check_int(step, "step", low=0)
    check_int(total_steps, "total_steps", low=0)
    if total_steps < 2 or step >= total_steps:
        raise ValueError(f"需要 total_steps ≥ 2 且 0 ≤ step < total_steps，收到 step={step}, total_steps={total_steps}")
    check_in_range(pct_start, "pct_start", 0.0, 1.0, low_open=True, high_open=True)
    check_in_range(div_factor, "div_factor", 1.0, math.inf, high_open=True)
    check_in_range(final_div_factor, "final_div_factor", 1.0, math.inf, high_open=True)
    initial = max_lr / div_factor
    final = initial / final_div_factor

    def cos_anneal(start: float, end: float, pct: float) -> float:
        # b + ½(a − b)(1 + cos πp)：p = 0 时为 a，p = 1 时为 b
        return end + 0.5 * (start - end) * (1 + math.cos(math.pi * pct))

    peak = pct_start * total_steps - 1  # PyTorch 的约定：第 peak 步到达 max_lr
    if step <= peak:
        return cos_anneal(initial, max_lr, step / peak)
    return cos_anneal(max_lr, final, (step - peak) / (total_steps - 1 - peak))
