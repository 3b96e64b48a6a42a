"""记录一个函数调用了哪些 PyTorch 运算：数激活函数的前向步数，找出其中的超越函数。"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode, resolve_name

from dlguide._checks import check_tensor

__all__ = [
    "TRANSCENDENTAL",
    "traced_ops",
]

TRANSCENDENTAL = frozenset(
    {"exp", "expm1", "log", "log1p", "erf", "tanh", "sigmoid", "sin", "cos", "softplus", "gelu", "silu", "elu", "selu"}
)
"""需要调用超越函数（指数、对数、误差函数、三角函数……）的运算名，供 [`traced_ops`][dlguide.tracing.traced_ops] 的结果筛选。"""


class _Recorder(TorchFunctionMode):
    """记下 ``with`` 块里调用过的每个 torch 函数 / 张量方法的短名字。"""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        name = resolve_name(func) or getattr(func, "__name__", repr(func))
        short = name.rsplit(".", 1)[-1]
        if short not in {"is_floating_point", "dim", "size"}:
            self.names.append(short)
        return func(*args, **(kwargs or {}))


def traced_ops(fn: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor | None = None) -> list[str]:
    """运行一次 ``fn(z)``，按顺序返回它调用的 PyTorch 运算名（用 ``TorchFunctionMode`` 记录）。

    用来数一个激活函数的前向要做几步、有没有超越函数（见 [`TRANSCENDENTAL`][dlguide.tracing.TRANSCENDENTAL]）。

    Parameters
    ----------
    fn : callable
        张量到张量的函数，例如 [`relu`][dlguide.activations.relu]。
    z : torch.Tensor, optional
        输入；默认 ``torch.linspace(-3, 3, 7)``。

    Returns
    -------
    list[str]
        运算的短名字，例如 ``["le", "zeros_like", "where"]``。

    Raises
    ------
    TypeError
        ``fn`` 不可调用，或 ``z`` 不是张量。

    Examples
    --------
    >>> from dlguide.activations import relu, sigmoid
    >>> traced_ops(relu)
    ['le', 'zeros_like', 'where']
    >>> [op for op in traced_ops(sigmoid) if op in TRANSCENDENTAL]
    ['exp', 'exp']
    """
    if not callable(fn):
        raise TypeError(f"fn 必须可调用，收到的是 {type(fn).__name__}")
    if z is not None:
        check_tensor(z, "z", kind="any")
    z = torch.linspace(-3, 3, 7) if z is None else z
    recorder = _Recorder()
    with recorder:
        fn(z)
    return recorder.names
