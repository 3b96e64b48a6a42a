"""参数检查的小工具：错误信息写明参数名和可接受的范围。

全包的公开函数都用这里的检查器校验参数：类型不对抛 ``TypeError``，值越界抛 ``ValueError``，
信息里总有参数名和可接受的类型、区间或取值，例如 ``lr 必须在 (0, inf) 内，收到 -1.0``。
``tests/test_bad_input.py`` 对每个公开函数喂坏输入，核对的就是这种信息。
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

import torch

SEED_MAX = 2**63 - 1
"""``seed`` 的上界：``torch.Generator.manual_seed`` 接受的最大值 $2^{63}-1$。"""

_KINDS = ("float", "int", "any")


def _is_real(value: object) -> bool:
    """实数（含 numpy 的标量），但不含 ``bool``。"""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    """整数（含 numpy 的整数），但不含 ``bool``。"""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_tensor(
    value: object,
    name: str,
    *,
    kind: str = "float",
    ndim: int | Sequence[int] | None = None,
    nonempty: bool = False,
) -> torch.Tensor:
    """确认 ``value`` 是张量，并（按需）核对元素类型、维数、是否为空。

    Parameters
    ----------
    value : object
        要检查的值。
    name : str
        参数名，写进错误信息。
    kind : str
        ``"float"``（默认，float16/32/64 等浮点张量）、``"int"``（整数张量，不含 ``bool``）
        或 ``"any"``（任何元素类型）。
    ndim : int or sequence of int, optional
        允许的维数，例如 ``2`` 或 ``(1, 2)``；``None`` 表示不限。
    nonempty : bool
        为 ``True`` 时不接受元素个数为 0 的张量。

    Returns
    -------
    torch.Tensor
        原样返回 ``value``。

    Raises
    ------
    TypeError
        ``value`` 不是张量，或元素类型不是 ``kind``。
    ValueError
        维数不在 ``ndim`` 里，或 ``nonempty=True`` 时张量为空；``kind`` 不认识。

    Examples
    --------
    >>> check_tensor(torch.zeros(2, 3), "X", ndim=2).shape
    torch.Size([2, 3])
    >>> check_tensor([1.0, 2.0], "X")
    Traceback (most recent call last):
    ...
    TypeError: X 必须是 torch.Tensor，收到的是 list
    >>> check_tensor(torch.tensor([1, 2]), "X")
    Traceback (most recent call last):
    ...
    TypeError: X 必须是浮点张量（float16/32/64），收到的是 torch.int64
    >>> check_tensor(torch.tensor([0.5]), "y", kind="int")
    Traceback (most recent call last):
    ...
    TypeError: y 必须是整数张量（int8/16/32/64、uint8），收到的是 torch.float32
    >>> check_tensor(torch.zeros(4), "X", ndim=(2, 3))
    Traceback (most recent call last):
    ...
    ValueError: X 必须是 2 或 3 维张量，收到 1 维（形状 (4,)）
    >>> check_tensor(torch.zeros(0, 2), "X", nonempty=True)
    Traceback (most recent call last):
    ...
    ValueError: X 不能是空张量，收到形状 (0, 2)
    """
    if kind not in _KINDS:
        raise ValueError(f"kind 必须是 'float'、'int'、'any' 之一，收到 {kind!r}")
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} 必须是 torch.Tensor，收到的是 {type(value).__name__}")
    if kind == "float" and not value.is_floating_point():
        raise TypeError(f"{name} 必须是浮点张量（float16/32/64），收到的是 {value.dtype}")
    if kind == "int" and (value.is_floating_point() or value.is_complex() or value.dtype == torch.bool):
        raise TypeError(f"{name} 必须是整数张量（int8/16/32/64、uint8），收到的是 {value.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if value.ndim not in allowed:
            wanted = " 或 ".join(str(d) for d in allowed)
            raise ValueError(f"{name} 必须是 {wanted} 维张量，收到 {value.ndim} 维（形状 {tuple(value.shape)}）")
    if nonempty and value.numel() == 0:
        raise ValueError(f"{name} 不能是空张量，收到形状 {tuple(value.shape)}")
    return value


def check_same_shape(a: torch.Tensor, b: torch.Tensor, name_a: str, name_b: str) -> None:
    """确认两个张量形状相同，否则抛出 ``ValueError``。

    Examples
    --------
    >>> check_same_shape(torch.zeros(2, 3), torch.zeros(2, 3), "prediction", "target")
    >>> check_same_shape(torch.zeros(2, 3), torch.zeros(3), "prediction", "target")
    Traceback (most recent call last):
    ...
    ValueError: prediction 与 target 的形状必须相同，收到 (2, 3) 和 (3,)
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} 与 {name_b} 的形状必须相同，收到 {tuple(a.shape)} 和 {tuple(b.shape)}"
        )


def check_same_length(a: Sequence | torch.Tensor, b: Sequence | torch.Tensor, name_a: str, name_b: str) -> int:
    """确认两组数据的样本数（第 0 维长度）相同，返回这个长度；否则抛出 ``ValueError``。

    0 维张量没有样本维，按 ``ValueError`` 处理（它常常是“标签写成了一个数”的笔误）。

    Parameters
    ----------
    a, b : Sequence or torch.Tensor
        例如输入 ``X`` 和标签 ``y``。
    name_a, name_b : str
        参数名，写进错误信息。

    Returns
    -------
    int
        共同的样本数。

    Raises
    ------
    ValueError
        长度不同，或其中一个是 0 维张量。

    Examples
    --------
    >>> check_same_length(torch.zeros(4, 2), torch.zeros(4), "X", "y")
    4
    >>> check_same_length(torch.zeros(4, 2), torch.zeros(3), "X", "y")
    Traceback (most recent call last):
    ...
    ValueError: X 与 y 的样本数（第 0 维长度）必须相同，收到 4 和 3
    >>> check_same_length(torch.zeros(4, 2), torch.tensor(1), "X", "y")
    Traceback (most recent call last):
    ...
    ValueError: y 必须至少是 1 维（第 0 维是样本），收到 0 维张量
    """
    for value, name in ((a, name_a), (b, name_b)):
        if isinstance(value, torch.Tensor) and value.ndim == 0:
            raise ValueError(f"{name} 必须至少是 1 维（第 0 维是样本），收到 0 维张量")
    if len(a) != len(b):
        raise ValueError(f"{name_a} 与 {name_b} 的样本数（第 0 维长度）必须相同，收到 {len(a)} 和 {len(b)}")
    return len(a)


def check_in_range(
    value: float,
    name: str,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """确认实数 ``value`` 落在给定区间内，返回 ``float(value)``。

    ``int``、``float`` 和 numpy 的实数标量都算实数，``bool`` 不算；``nan`` 不在任何区间内。

    Parameters
    ----------
    value : float
        要检查的值。
    name : str
        参数名，写进错误信息。
    low, high : float
        区间端点，可以是 ``±math.inf``。
    low_open, high_open : bool
        为 ``True`` 时对应端点不含在区间内。

    Returns
    -------
    float
        ``float(value)``。

    Raises
    ------
    TypeError
        ``value`` 不是实数。
    ValueError
        ``value`` 不在区间内（包括 ``nan``）；信息写明参数名和区间。

    Examples
    --------
    >>> check_in_range(1, "p", 0, 1)
    1.0
    >>> check_in_range(1, "p", 0, 1, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: p 必须在 [0, 1) 内，收到 1
    >>> check_in_range("0.5", "p", 0, 1)
    Traceback (most recent call last):
    ...
    TypeError: p 必须是实数，收到的是 str
    """
    if not _is_real(value):
        raise TypeError(f"{name} 必须是实数，收到的是 {type(value).__name__}")
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high or value != value:
        raise ValueError(f"{name} 必须在 {left}{low}, {high}{right} 内，收到 {value}")
    return float(value)


def check_positive(value: float, name: str) -> float:
    r"""确认实数 ``value`` 是有限的正数（学习率、阈值等），即落在 $(0, \infty)$ 内。

    ``inf`` 和 ``nan`` 都被拒绝：``lr=inf`` 只会让参数变成 ``inf``/``nan``。

    Parameters
    ----------
    value : float
        要检查的值。
    name : str
        参数名，写进错误信息。

    Returns
    -------
    float
        ``float(value)``。

    Raises
    ------
    TypeError
        ``value`` 不是实数。
    ValueError
        ``value`` ≤ 0、为 ``inf`` 或 ``nan``。

    Examples
    --------
    >>> check_positive(2, "lr")
    2.0
    >>> check_positive(float("inf"), "lr")
    Traceback (most recent call last):
    ...
    ValueError: lr 必须在 (0, inf) 内，收到 inf
    >>> check_positive(0.0, "lr")
    Traceback (most recent call last):
    ...
    ValueError: lr 必须在 (0, inf) 内，收到 0.0
    """
    return check_in_range(value, name, 0, math.inf, low_open=True, high_open=True)


def check_nonnegative(value: float, name: str) -> float:
    r"""确认实数 ``value`` 是有限的非负数（正则化系数、噪声标准差等），即落在 $[0, \infty)$ 内。

    Parameters
    ----------
    value : float
        要检查的值。
    name : str
        参数名，写进错误信息。

    Returns
    -------
    float
        ``float(value)``。

    Raises
    ------
    TypeError
        ``value`` 不是实数。
    ValueError
        ``value`` < 0、为 ``inf`` 或 ``nan``。

    Examples
    --------
    >>> check_nonnegative(0, "weight_decay")
    0.0
    >>> check_nonnegative(-0.1, "weight_decay")
    Traceback (most recent call last):
    ...
    ValueError: weight_decay 必须在 [0, inf) 内，收到 -0.1
    """
    return check_in_range(value, name, 0, math.inf, high_open=True)


def check_finite(value: float, name: str) -> float:
    """确认 ``value`` 是有限实数（可正可负，例如偏置的初值、函数的系数），拒绝 ``±inf`` 和 ``nan``。

    Parameters
    ----------
    value : float
        要检查的值。
    name : str
        参数名，写进错误信息。

    Returns
    -------
    float
        ``float(value)``。

    Raises
    ------
    TypeError
        ``value`` 不是实数。
    ValueError
        ``value`` 是 ``±inf`` 或 ``nan``。

    Examples
    --------
    >>> check_finite(-3, "value")
    -3.0
    >>> check_finite(float("nan"), "value")
    Traceback (most recent call last):
    ...
    ValueError: value 必须是有限实数（在 (-inf, inf) 内），收到 nan
    """
    if not _is_real(value):
        raise TypeError(f"{name} 必须是实数，收到的是 {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} 必须是有限实数（在 (-inf, inf) 内），收到 {value}")
    return float(value)


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """确认 ``value`` 是整数（``bool`` 不算）且在 ``[low, high]`` 内，返回 ``int(value)``。

    尺寸类参数（样本数、步数、层数、宽度……）都应该给出上界 ``high``：
    ``10**9`` 个 epoch 或 ``10**9`` 个单元在读者的机器上既跑不完也放不下，要在开始之前就拒绝，
    信息里写明上限。

    Parameters
    ----------
    value : object
        要检查的值；``int`` 和 numpy 的整数都算整数。
    name : str
        参数名，写进错误信息。
    low, high : int, optional
        闭区间的下界和上界，``None`` 表示这一侧不限。

    Returns
    -------
    int
        ``int(value)``。

    Raises
    ------
    TypeError
        ``value`` 不是整数（``2.0``、``"2"``、``True`` 都不是）。
    ValueError
        ``value`` 越界；信息写明参数名和范围。

    Examples
    --------
    >>> check_int(3, "epochs", low=1, high=100_000)
    3
    >>> check_int(10**9, "epochs", low=1, high=100_000)
    Traceback (most recent call last):
    ...
    ValueError: epochs 必须在 [1, 100000] 内，收到 1000000000
    >>> check_int(0, "n", low=1)
    Traceback (most recent call last):
    ...
    ValueError: n 必须 ≥ 1，收到 0
    >>> check_int(2.0, "n", low=1)
    Traceback (most recent call last):
    ...
    TypeError: n 必须是整数，收到的是 float
    """
    if not _is_int(value):
        raise TypeError(f"{name} 必须是整数，收到的是 {type(value).__name__}")
    if low is not None and high is not None:
        if not low <= value <= high:
            raise ValueError(f"{name} 必须在 [{low}, {high}] 内，收到 {value}")
    elif low is not None and value < low:
        raise ValueError(f"{name} 必须 ≥ {low}，收到 {value}")
    elif high is not None and value > high:
        raise ValueError(f"{name} 必须 ≤ {high}，收到 {value}")
    return int(value)  # type: ignore[call-overload]


def check_seed(value: object, name: str = "seed") -> int | None:
    """确认随机种子是 ``None`` 或 $[0, 2^{63}-1]$ 内的整数（``torch.Generator.manual_seed`` 接受的范围）。

    全包的 ``seed`` 参数都用它检查，规则处处相同：

    - 整数：函数用它设种子，同样的参数得到同样的结果；
    - ``None``：**不重新设种子**，随机数取自 PyTorch 的全局随机状态（只有事先调用 ``torch.manual_seed``
      才可复现）；
    - 其余（``-1``、``1.5``、``"0"``、``True``、``2**64``）：``TypeError``/``ValueError``，而不是
      PyTorch 或 scikit-learn 内部的报错。

    Parameters
    ----------
    value : object
        要检查的值。
    name : str
        参数名，写进错误信息，默认 ``"seed"``。

    Returns
    -------
    int or None
        ``int(value)``；``value`` 是 ``None`` 时返回 ``None``。

    Raises
    ------
    TypeError
        ``value`` 既不是整数（``bool`` 不算）也不是 ``None``。
    ValueError
        ``value`` 越界。

    Examples
    --------
    >>> check_seed(0)
    0
    >>> check_seed(None) is None
    True
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed 必须在 [0, 2**63 - 1] 内，收到 -1
    >>> check_seed(1.5)
    Traceback (most recent call last):
    ...
    TypeError: seed 必须是整数或 None，收到的是 float
    """
    if value is None:
        return None
    if not _is_int(value):
        raise TypeError(f"{name} 必须是整数或 None，收到的是 {type(value).__name__}")
    if not 0 <= value <= SEED_MAX:  # type: ignore[operator]
        raise ValueError(f"{name} 必须在 [0, 2**63 - 1] 内，收到 {value}")
    return int(value)  # type: ignore[call-overload]


def _same(a: object, b: object) -> bool:
    """``a == b``，但 ``True`` 不等于 ``1``，比较不了（例如多元素张量）时算不等。"""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError, RuntimeError):
        return False


def check_choice(value: object, name: str, choices: Iterable[object]) -> object:
    """确认 ``value`` 是 ``choices`` 之一，原样返回；全包“必须是……之一”的信息都由它生成。

    Parameters
    ----------
    value : object
        要检查的值。
    name : str
        参数名，写进错误信息。
    choices : Iterable
        可接受的取值，按给出的顺序写进信息（``dict`` 取它的键）。

    Returns
    -------
    object
        原样返回 ``value``。

    Raises
    ------
    TypeError
        ``choices`` 全是字符串而 ``value`` 不是字符串。
    ValueError
        ``value`` 不在 ``choices`` 里。

    Examples
    --------
    >>> check_choice("adam", "optimizer", ["sgd", "adam"])
    'adam'
    >>> check_choice("Adam", "optimizer", ["sgd", "adam"])
    Traceback (most recent call last):
    ...
    ValueError: optimizer 必须是 'sgd'、'adam' 之一，收到 'Adam'
    >>> check_choice(None, "optimizer", ["sgd", "adam"])
    Traceback (most recent call last):
    ...
    TypeError: optimizer 必须是字符串（'sgd'、'adam' 之一），收到的是 NoneType
    """
    options = tuple(choices)
    listed = "、".join(repr(c) for c in options)
    if options and all(isinstance(c, str) for c in options) and not isinstance(value, str):
        raise TypeError(f"{name} 必须是字符串（{listed} 之一），收到的是 {type(value).__name__}")
    if not any(_same(value, c) for c in options):
        raise ValueError(f"{name} 必须是 {listed} 之一，收到 {value!r}")
    return value


def check_bool(value: object, name: str) -> bool:
    """确认 ``value`` 是 ``bool``（开关类参数）；``"no"``、``0``、``None`` 都不算。

    字符串 ``"no"`` 在 ``if`` 里是真值，不检查就会被当成 ``True``。

    Examples
    --------
    >>> check_bool(False, "compile")
    False
    >>> check_bool("no", "compile")
    Traceback (most recent call last):
    ...
    TypeError: compile 必须是 True 或 False，收到的是 str
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name} 必须是 True 或 False，收到的是 {type(value).__name__}")
    return value


def check_callable(value: object, name: str) -> object:
    """确认 ``value`` 可调用（函数、``nn.Module`` 等），否则抛出 ``TypeError``。

    Examples
    --------
    >>> check_callable(torch.tanh, "fn") is torch.tanh
    True
    >>> check_callable("tanh", "fn")
    Traceback (most recent call last):
    ...
    TypeError: fn 必须是可调用对象（函数或 nn.Module），收到的是 str
    """
    if not callable(value):
        raise TypeError(f"{name} 必须是可调用对象（函数或 nn.Module），收到的是 {type(value).__name__}")
    return value


def check_sizes(sizes: object, name: str = "sizes", *, high: int | None = None) -> list[int]:
    """确认 ``sizes`` 是至少 2 个正整数（各层宽度，含输入层和输出层），返回列表。

    Parameters
    ----------
    sizes : object
        各层宽度的序列，例如 ``[2, 16, 1]``。
    name : str
        参数名，写进错误信息。
    high : int, optional
        每层宽度的上界。

    Returns
    -------
    list[int]
        ``sizes`` 的副本。

    Raises
    ------
    TypeError
        ``sizes`` 不是整数序列（例如 ``None`` 或字符串）。
    ValueError
        少于 2 个、含非正整数，或有宽度超过 ``high``。

    Examples
    --------
    >>> check_sizes((3, 4, 1))
    [3, 4, 1]
    >>> check_sizes([2, 0, 1])
    Traceback (most recent call last):
    ...
    ValueError: sizes 必须是至少 2 个正整数（含输入层和输出层），收到 [2, 0, 1]
    >>> check_sizes([2, 10**9], high=100_000)
    Traceback (most recent call last):
    ...
    ValueError: sizes 的每个宽度必须在 [1, 100000] 内，收到 [2, 1000000000]
    >>> check_sizes(None)
    Traceback (most recent call last):
    ...
    TypeError: sizes 必须是正整数的序列（例如 [2, 16, 1]），收到的是 NoneType
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise TypeError(f"{name} 必须是正整数的序列（例如 [2, 16, 1]），收到的是 {type(sizes).__name__}")
    sizes = list(sizes)
    if len(sizes) < 2 or any(not _is_int(s) or s < 1 for s in sizes):
        raise ValueError(f"{name} 必须是至少 2 个正整数（含输入层和输出层），收到 {sizes}")
    if high is not None and any(s > high for s in sizes):
        raise ValueError(f"{name} 的每个宽度必须在 [1, {high}] 内，收到 {sizes}")
    return [int(s) for s in sizes]


def check_module(value: object, name: str, kind: type[torch.nn.Module] = torch.nn.Module) -> torch.nn.Module:
    """确认 ``value`` 是 ``kind``（默认任何 ``torch.nn.Module``）的实例，否则抛出 ``TypeError``。

    Examples
    --------
    >>> check_module(torch.nn.Linear(2, 1), "model")
    Linear(in_features=2, out_features=1, bias=True)
    >>> check_module(torch.nn.Linear(2, 1), "model", torch.nn.Sequential)
    Traceback (most recent call last):
    ...
    TypeError: model 必须是 torch.nn.Sequential，收到的是 Linear
    """
    if not isinstance(value, kind):
        raise TypeError(f"{name} 必须是 torch.nn.{kind.__name__}，收到的是 {type(value).__name__}")
    return value


def check_numbers(
    values: object, name: str, *, kind: str = "real", nonempty: bool = True, finite: bool = False
) -> list:
    """确认 ``values`` 是一串数（``kind="int"`` 时是整数），返回 Python 数的列表。

    接受 list、tuple、range 等可迭代对象，以及一维的张量和 numpy 数组；字符串、映射、单个数和 ``None``
    都不算。数据里的 ``nan``/``inf`` 默认照收（按 PyTorch 的语义传播），``finite=True`` 时拒绝。

    Parameters
    ----------
    values : object
        要检查的值。
    name : str
        参数名，写进错误信息。
    kind : str
        ``"real"``（默认，实数）或 ``"int"``（整数；``bool`` 都不算）。
    nonempty : bool
        为 ``True``（默认）时不接受空序列。
    finite : bool
        为 ``True`` 时不接受 ``nan`` 和 ``±inf``。

    Returns
    -------
    list
        ``kind="real"`` 时是 ``float`` 的列表，``kind="int"`` 时是 ``int`` 的列表。

    Raises
    ------
    TypeError
        ``values`` 不是数的序列，或某个元素的类型不对。
    ValueError
        序列为空（``nonempty=True``）、张量不是一维，或有非有限的元素（``finite=True``）。

    Examples
    --------
    >>> check_numbers((1, 2.5), "x0")
    [1.0, 2.5]
    >>> check_numbers(torch.tensor([1, 0]), "y_true", kind="int")
    [1, 0]
    >>> check_numbers(3, "values")
    Traceback (most recent call last):
    ...
    TypeError: values 必须是数的序列（list、tuple 或一维张量），收到的是 int
    >>> check_numbers([1, 2.5], "y_pred", kind="int")
    Traceback (most recent call last):
    ...
    TypeError: y_pred 的元素必须是整数，第 1 个是 float
    >>> check_numbers([0.5, float("nan")], "x0", finite=True)
    Traceback (most recent call last):
    ...
    ValueError: x0 的元素必须是有限实数，第 1 个是 nan
    """
    if kind not in ("real", "int"):
        raise ValueError(f"kind 必须是 'real' 或 'int'，收到 {kind!r}")
    if hasattr(values, "ndim") and hasattr(values, "tolist"):  # 张量、numpy 数组
        if values.ndim != 1:  # type: ignore[attr-defined]
            raise ValueError(f"{name} 必须是一维的，收到 {values.ndim} 维（形状 {tuple(values.shape)}）")  # type: ignore[attr-defined]
        values = values.tolist()  # type: ignore[attr-defined]
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} 必须是数的序列（list、tuple 或一维张量），收到的是 {type(values).__name__}")
    items = list(values)
    if nonempty and not items:
        raise ValueError(f"{name} 不能为空")
    accepted = _is_int if kind == "int" else _is_real
    for i, item in enumerate(items):
        if not accepted(item):
            wanted = "整数" if kind == "int" else "实数"
            raise TypeError(f"{name} 的元素必须是{wanted}，第 {i} 个是 {type(item).__name__}")
        if finite and not math.isfinite(item):
            raise ValueError(f"{name} 的元素必须是有限实数，第 {i} 个是 {item}")
    return [int(v) for v in items] if kind == "int" else [float(v) for v in items]


def check_model_input(
    model: torch.nn.Module, X: torch.Tensor, model_name: str = "model", X_name: str = "X"
) -> torch.Tensor:
    """用 ``X`` 的第一个样本试跑一次 ``model``，确认模型接受这样的输入，返回这次的输出。

    特征数、dtype 或设备与模型对不上时，PyTorch 要到训练循环深处才报 ``RuntimeError``；这里提前报
    ``ValueError``，写明两个参数名、``X`` 的形状和 dtype。试跑在 ``eval`` 模式、``torch.no_grad()`` 下进行
    （不更新 BatchNorm 的统计量），之后每个子模块恢复原来的模式。

    Parameters
    ----------
    model : torch.nn.Module
        要检查的模型。
    X : torch.Tensor
        一批输入，第 0 维是样本，至少一个样本。
    model_name, X_name : str
        参数名，写进错误信息。

    Returns
    -------
    torch.Tensor
        ``model(X[:1])``。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``、``X`` 不是张量，或模型的输出不是张量。
    ValueError
        ``X`` 是 0 维或空张量，或模型不接受它。

    Examples
    --------
    >>> net = torch.nn.Linear(2, 3)
    >>> tuple(check_model_input(net, torch.zeros(5, 2)).shape)
    (1, 3)
    >>> check_model_input(net, torch.zeros(5, 4))
    Traceback (most recent call last):
    ...
    ValueError: model 不接受 X（形状 (5, 4)，torch.float32）：mat1 and mat2 shapes cannot be multiplied (1x4 and 2x3)
    """
    check_module(model, model_name)
    check_tensor(X, X_name, kind="any", nonempty=True)
    if X.ndim == 0:
        raise ValueError(f"{X_name} 必须至少是 1 维（第 0 维是样本），收到 0 维张量")
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            out = model(X[:1])
    except (RuntimeError, TypeError, ValueError, IndexError) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{model_name} 不接受 {X_name}（形状 {tuple(X.shape)}，{X.dtype}）：{reason}") from err
    finally:
        for m, training in modes:
            m.training = training
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"{model_name} 的输出必须是张量，收到的是 {type(out).__name__}")
    return out


def resolve_seed(value: object, name: str = "seed") -> int:
    """[`check_seed`][dlguide._checks.check_seed]，再把 ``None`` 换成从 PyTorch 全局随机状态抽出的一个种子。

    给只接受整数种子的地方用（``random.Random``、scikit-learn、``seed + 1`` 这样的算术）：``seed=None`` 时结果
    跟着 ``torch.manual_seed`` 走，与包里其余函数的 ``seed=None`` 一致。

    Examples
    --------
    >>> resolve_seed(3)
    3
    >>> _ = torch.manual_seed(0)
    >>> a = resolve_seed(None)
    >>> _ = torch.manual_seed(0)
    >>> a == resolve_seed(None), 0 <= a <= SEED_MAX
    (True, True)
    """
    seed = check_seed(value, name)
    if seed is None:
        # 从全局生成器抽一个 [0, 2^63 − 1) 内的整数
        return int(torch.randint(0, SEED_MAX, (1,)))
    return seed
