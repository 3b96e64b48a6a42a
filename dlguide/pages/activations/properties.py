"""“激活函数需要哪些性质”一页：用数值方法检查激活函数的性质，方差映射。"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_callable,
    check_positive,
)
from dlguide.activations import relu, selu, tanh
from dlguide.figures import figure, new_figure
from dlguide.tracing import TRANSCENDENTAL, traced_ops

__all__ = ["activation_properties", "properties_table", "variance_map", "variance_maps"]


def _derivative(fn: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor, h: float = 1e-4) -> torch.Tensor:
    r"""中心差分 $f'(z) \approx (f(z+h) - f(z-h)) / 2h$。"""
    return (fn(z + h) - fn(z - h)) / (2 * h)


def variance_map(fn: Callable[[torch.Tensor], torch.Tensor], variance: float) -> tuple[float, float]:
    r"""$z\sim\mathcal N(0, v)$ 时 $f(z)$ 的均值和方差，用 $[-12, 12]$ 上的梯形积分计算。

    下一层的输入是 $\sum_i w_i a_i$；若权重满足 $\sum_i w_i = 0$、$\sum_i w_i^2 = 1$（LeCun 初始化的期望情形），
    它的方差就是 $\operatorname{Var} f$。所以 $v \mapsto \operatorname{Var} f(\sqrt v\,z)$ 是“方差逐层怎样变化”的映射，
    不动点 $v=1$ 且向它收缩，就是 SELU 的自归一化。

    Parameters
    ----------
    fn : callable
        逐元素激活函数，接受 float64 张量。
    variance : float
        输入方差 $v > 0$。

    Returns
    -------
    tuple[float, float]
        $(\mathbb E f(z), \operatorname{Var} f(z))$。

    Raises
    ------
    TypeError
        ``fn`` 不可调用。
    ValueError
        ``variance`` 不是正数。

    Examples
    --------
    >>> from dlguide.activations import relu, selu
    >>> [round(x, 4) for x in variance_map(selu, 1.0)]
    [0.0, 1.0]
    >>> round(variance_map(relu, 1.0)[0], 4)  # 1/√(2π)
    0.3989
    """
    check_callable(fn, "fn")
    check_positive(variance, "variance")
    u = torch.linspace(-12, 12, 24001, dtype=torch.float64)
    pdf = torch.exp(-0.5 * u**2) / math.sqrt(2 * math.pi)
    values = fn(math.sqrt(variance) * u)
    mean = torch.trapezoid(values * pdf, u).item()
    second = torch.trapezoid(values**2 * pdf, u).item()
    # Var f = E[f²] − (E f)²
    return mean, second - mean**2


def activation_properties(fn: Callable[[torch.Tensor], torch.Tensor]) -> dict[str, object]:
    r"""在网格上用数值方法检查一个逐元素激活函数的九条性质。

    所有检查都在 float64 上做，网格是 $[-10, 10]$ 上步长 0.01 的点（含 0），“很大”指 $|z| = 10^3$。

    Parameters
    ----------
    fn : callable
        逐元素的激活函数（函数或 ``nn.Module``），接受 float64 张量。

    Returns
    -------
    dict
        ``nonlinear``：二阶差分不全为 0；
        ``kinks``：一阶导数跳变的网格点数（``-1`` 表示函数本身不连续）；
        ``cheap``：前向不调用超越函数（见 [`TRANSCENDENTAL`][dlguide.tracing.TRANSCENDENTAL]）；
        ``saturates``：$|f'(\pm10^3)| < 10^{-3}$ 的一侧，``"左"``、``"右"``、``"两侧"`` 或 ``""``；
        ``monotonic``：网格上的差分同号；
        ``bounded``：``"两侧"``、``"下"``、``"上"`` 或 ``""``（$|f|$ 在 $|z|\ge 10^2$ 处不超过 10 的那一侧）；
        ``identity_at_0``：$f(0)=0$ 且 $f'(0)=1$；
        ``parameters``：可学习参数个数；
        ``self_normalizing``：$z\sim\mathcal N(0,1)$ 时 $f(z)$ 均值 0、方差 1，且方差映射
        $v \mapsto \operatorname{Var} f(\sqrt v\,z)$ 把 $v=0.5$ 和 $v=2$ 都拉向 1。

    Raises
    ------
    TypeError
        ``fn`` 不可调用。

    Examples
    --------
    >>> from dlguide.activations import relu
    >>> props = activation_properties(relu)
    >>> props["nonlinear"], props["kinks"], props["saturates"], props["identity_at_0"]
    (True, 1, '左', False)
    """
    if not callable(fn):
        raise TypeError(f"fn 必须可调用，收到的是 {type(fn).__name__}")
    z = torch.linspace(-10, 10, 2001, dtype=torch.float64)
    h = 1e-6
    with torch.no_grad():
        f = fn(z)
        # 非线性：二阶差分 f(z+Δ) − 2f(z) + f(z−Δ) 不全为 0
        nonlinear = bool((f[2:] - 2 * f[1:-1] + f[:-2]).abs().max() > 1e-9)
        # 可微：左右差商 (f(z) − f(z−h))/h 与 (f(z+h) − f(z))/h 相差明显的点是“折点”
        left, right = (f - fn(z - h)) / h, (fn(z + h) - f) / h
        jumps = fn(z + h) - fn(z - h)
        kinks = -1 if bool((jumps.abs() > 1e-3).any()) else int(((left - right).abs() > 1e-3).sum())
        # 饱和：|f'(±10³)| < 10⁻³
        big = torch.tensor([-1e3, 1e3], dtype=torch.float64)
        flat = (_derivative(fn, big).abs() < 1e-3).tolist()
        saturates = {(True, True): "两侧", (True, False): "左", (False, True): "右"}.get(tuple(flat), "")
        # 单调：相邻差分全 ≥ 0 或全 ≤ 0
        step = f[1:] - f[:-1]
        monotonic = bool((step >= -1e-12).all() or (step <= 1e-12).all())
        # 有界：|z| ≥ 10² 的几处，f 的绝对值不超过 10 的那一侧算有界
        far = torch.tensor([1e2, 3e2, 1e3, 1e4], dtype=torch.float64)
        low_ok, high_ok = bool((fn(-far).abs() <= 10).all()), bool((fn(far).abs() <= 10).all())
        bounded = {(True, True): "两侧", (True, False): "下", (False, True): "上"}.get((low_ok, high_ok), "")
        # 在 0 附近近似恒等：f(0) = 0 且 f'(0) = 1
        zero = torch.zeros(1, dtype=torch.float64)
        identity = abs(fn(zero).item()) < 1e-6 and abs(_derivative(fn, zero).item() - 1) < 1e-2
        # 自归一化：N(0,1) ↦ 均值 0、方差 1，且方差映射在 v = 0.5、2 处向 1 收缩
        mean, var = variance_map(fn, 1.0)
        contracts = all(abs(variance_map(fn, v)[1] - 1) < 0.9 * abs(v - 1) for v in (0.5, 2.0))
        normalizing = abs(mean) < 1e-3 and abs(var - 1) < 1e-3 and contracts
    cheap = not set(traced_ops(fn, torch.linspace(-3, 3, 7, dtype=torch.float64))) & TRANSCENDENTAL
    parameters = sum(p.numel() for p in fn.parameters()) if isinstance(fn, nn.Module) else 0
    return {
        "nonlinear": nonlinear,
        "kinks": kinks,
        "cheap": cheap,
        "saturates": saturates,
        "monotonic": monotonic,
        "bounded": bounded,
        "identity_at_0": identity,
        "parameters": parameters,
        "self_normalizing": normalizing,
    }


def properties_table(functions: Mapping[str, Callable[[torch.Tensor], torch.Tensor]]) -> str:
    """对每个激活函数调用 [`activation_properties`][dlguide.pages.activations.properties.activation_properties]，排成一张文本表（✓ / ✗）。

    Parameters
    ----------
    functions : Mapping[str, callable]
        名字（字符串）到激活函数（可调用对象）。

    Returns
    -------
    str
        每个函数一行；列依次是：非线性、可微、无超越函数、不饱和、单调、有界、0 处近似恒等、参数个数、自归一化。

    Raises
    ------
    TypeError
        ``functions`` 不是映射，或其中的名字不是字符串、值不可调用。

    Examples
    --------
    >>> from dlguide.activations import tanh
    >>> print(properties_table({"tanh": tanh}))
    函数 非线性 可微 计算简单 不饱和   单调 有界 近似恒等 参数 自归一化
    tanh ✓      处处 ✗        ✗(两侧) ✓    ✓    ✓        0    ✗
    """
    if not isinstance(functions, Mapping):
        raise TypeError(f"functions 必须是 dict 之类的映射，收到的是 {type(functions).__name__}")
    for name, fn in functions.items():
        if not isinstance(name, str):
            raise TypeError(f"functions 的键必须是名字（字符串），收到的是 {type(name).__name__}")
        check_callable(fn, f"functions[{name!r}]")

    def mark(flag: object) -> str:
        return "✓" if flag else "✗"

    rows = [["函数", "非线性", "可微", "计算简单", "不饱和", "单调", "有界", "近似恒等", "参数", "自归一化"]]
    for name, fn in functions.items():
        p = activation_properties(fn)
        kinks = int(p["kinks"])  # type: ignore[call-overload]
        smooth = "不连续" if kinks < 0 else "处处" if kinks == 0 else f"除{kinks}点"
        saturation = "✓" if not p["saturates"] else f"✗({p['saturates']})"
        bounded = "✓" if p["bounded"] == "两侧" else f"✗({p['bounded']})" if p["bounded"] else "✗"
        cells = [name, mark(p["nonlinear"]), smooth, mark(p["cheap"]), saturation, mark(p["monotonic"]), bounded,
                 mark(p["identity_at_0"]), str(p["parameters"]), mark(p["self_normalizing"])]
        rows.append(cells)

    def width(text: str) -> int:  # 中文字符占两格
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        " ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip() for row in rows
    )


@figure
def variance_maps() -> Figure:
    r"""方差映射 $v \mapsto \operatorname{Var} f(\sqrt v z)$：与对角线的交点是不动点，SELU 的不动点在 1 且是吸引的。"""
    import torch.nn.functional as F  # noqa: PLC0415


    v = torch.linspace(0.05, 3, 60).tolist()
    fig, (ax,) = new_figure(width=5.6, height=4.0)
    ax.plot(v, v, color="gray", ls="--", lw=1, label="恒等（v_out = v）")
    for name, fn in {"SELU": selu, "tanh": tanh, "ReLU": relu, "ELU": F.elu}.items():
        ax.plot(v, [variance_map(fn, x)[1] for x in v], label=name)
    ax.plot([1], [1], "ko", ms=5)
    ax.annotate("SELU 的不动点 (1, 1)", xy=(1, 1), xytext=(1.4, 0.45), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel("输入方差 v")
    ax.set_ylabel("输出方差 Var f(√v·z)")
    ax.legend()
    return fig
