r"""卷积：按定义实现（填充 → im2col → 矩阵乘法），以及输出尺寸、“same”填充、卷积矩阵和感受野的工具。

深度学习里的“卷积”是**互相关**：第 $o$ 个输出通道在位置 $\boldsymbol p$ 的值是

$$
y_{o}[\boldsymbol p] = b_o + \sum_{c \in \text{组}(o)} \sum_{\boldsymbol m} w_{o,c}[\boldsymbol m]\,
x_{c}[s\boldsymbol p + d\boldsymbol m - p_{\text{前}}] ,
$$

$s$ 是步幅，$d$ 是扩张率，$p_{\text{前}}$ 是前侧填充，$\boldsymbol m$ 遍历卷积核的每个位置（不翻转核）。
本模块的函数对 1、2、3 个空间维度都成立（``Conv1d``/``Conv2d``/``Conv3d``），测试逐一与
``torch.nn.functional`` 的内置实现对照。别的页面复用这里的输出尺寸公式
（[`conv_output_size`][dlguide.conv.conv_output_size]，含池化的 ``ceil_mode``；转置卷积见
[`conv_transpose_output_size`][dlguide.conv.conv_transpose_output_size]）和感受野工具
（[`receptive_field_sizes`][dlguide.conv.receptive_field_sizes] 按公式逐层计算，
[`receptive_field`][dlguide.conv.receptive_field] 用梯度实测）。
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import (
    check_bool,
    check_choice,
    check_int,
    check_module,
    check_seed,
    check_tensor,
)

__all__ = [
    "MAX_ELEMENTS",
    "PADDING_MODES",
    "conv_matrix",
    "conv_nd",
    "conv_output_size",
    "conv_transpose_output_size",
    "im2col",
    "input_gradient",
    "pad",
    "receptive_field",
    "receptive_field_sizes",
    "same_padding",
    "conv_transpose_nd",
    "zero_insert",
]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
"""填充方式，与 ``nn.Conv2d(padding_mode=...)`` 的取值相同：补 0、镜面反射、复制边缘、循环。"""

MAX_ELEMENTS = 2**27
"""中间张量（填充后的输入、im2col 矩阵、卷积矩阵）元素个数的上限（$2^{27}$，float32 时 512 MiB）：超过它在读者的机器上放不下，事先拒绝。"""

_MAX_SIZE = 2**20
"""尺寸类整数参数（核大小、步幅、扩张率、填充）的上限。"""


def _ints(value: object, name: str, n: int, low: int) -> tuple[int, ...]:
    """整数或 ``n`` 个整数的序列 → 长度为 ``n`` 的元组，每个都在 ``[low, _MAX_SIZE]`` 内。"""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} 必须是一个整数或 {n} 个整数（每个空间维一个），收到 {value!r}")
        return tuple(check_int(v, name, low=low, high=_MAX_SIZE) for v in value)
    return (check_int(value, name, low=low, high=_MAX_SIZE),) * n


def _pad_pairs(padding: object, n: int) -> tuple[tuple[int, int], ...]:
    """``padding`` 的三种写法 → 每个空间维的 ``(前, 后)``：整数、每维一个整数、每维一对 ``(前, 后)``。"""
    if isinstance(padding, (list, tuple)) and len(padding) == n and all(isinstance(p, (list, tuple)) for p in padding):
        pairs = []
        for pair in padding:
            if len(pair) != 2:
                raise ValueError(f"padding 的每一对必须是 (前, 后) 两个整数，收到 {padding!r}")
            pairs.append(tuple(check_int(v, "padding", low=0, high=_MAX_SIZE) for v in pair))
        return tuple(pairs)
    if isinstance(padding, (list, tuple)) and any(isinstance(p, (list, tuple)) for p in padding):
        raise ValueError(f"padding 写成成对形式时必须有 {n} 对 (前, 后)，收到 {padding!r}")
    return tuple((p, p) for p in _ints(padding, "padding", n, low=0))


def conv_output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int = 1,
    *,
    ceil_mode: bool = False,
) -> int:
    r"""卷积（或池化）沿一个空间维的输出长度：$\left\lfloor \dfrac{n + 2p - d(k-1) - 1}{s} \right\rfloor + 1$。

    $d(k-1)+1$ 是扩张后的核覆盖的长度；分子是核在填充后的输入上还能向后滑动的距离，
    除以步幅取整、再加上起始位置，就是输出个数。取整向下，所以末尾凑不满一步的输入会被丢掉。
    ``ceil_mode=True`` 是池化层的选项（向上取整），规则与 PyTorch 相同：最后一个窗口必须从输入或前侧填充里开始。

    Parameters
    ----------
    n : int
        输入长度，≥ 1。
    kernel_size : int
        核长度 $k$，≥ 1。
    stride : int
        步幅 $s$，≥ 1。
    padding : int or tuple[int, int]
        两侧各填充 $p$ 个（整数），或不对称的 ``(前, 后)``（例如偶数核的“same”填充）。
    dilation : int
        扩张率 $d$，≥ 1（1 表示普通卷积）。
    ceil_mode : bool
        为 ``True`` 时向上取整（``nn.MaxPool2d(ceil_mode=True)``）。

    Returns
    -------
    int
        输出长度，≥ 1。

    Raises
    ------
    TypeError
        参数不是整数，或 ``ceil_mode`` 不是 ``bool``。
    ValueError
        参数越界，或扩张后的核比填充后的输入还长（PyTorch 同样报错）。

    Examples
    --------
    >>> conv_output_size(32, 5)                       # 32×32 输入、5×5 核：28
    28
    >>> conv_output_size(7, 3, stride=2, padding=1)   # ⌊(7 + 2 − 2 − 1)/2⌋ + 1
    4
    >>> conv_output_size(6, 3, stride=2)              # ⌊3/2⌋ + 1：最后一行用不到
    2
    >>> conv_output_size(10, 3, dilation=2)           # 扩张后的核覆盖 5 个位置
    6
    >>> conv_output_size(5, 2, stride=2, ceil_mode=True)
    3
    >>> conv_output_size(4, 7)
    Traceback (most recent call last):
    ...
    ValueError: kernel_size 或 dilation 太大（或 n、padding 太小）：扩张后的核长 d(k−1)+1 = 7，超过填充后的输入长度 n + padding = 4
    """
    n = check_int(n, "n", low=1)
    kernel_size = check_int(kernel_size, "kernel_size", low=1)
    stride = check_int(stride, "stride", low=1)
    dilation = check_int(dilation, "dilation", low=1)
    check_bool(ceil_mode, "ceil_mode")
    if isinstance(padding, (list, tuple)):
        if len(padding) != 2:
            raise ValueError(f"padding 必须是一个整数或一对 (前, 后)，收到 {padding!r}")
        before, after = (check_int(v, "padding", low=0) for v in padding)
    else:
        before = after = check_int(padding, "padding", low=0)
    # 扩张后的核覆盖 d(k−1)+1 个位置
    span = dilation * (kernel_size - 1) + 1
    padded = n + before + after
    if span > padded:
        raise ValueError(f"kernel_size 或 dilation 太大（或 n、padding 太小）：扩张后的核长 d(k−1)+1 = {span}，"
                         f"超过填充后的输入长度 n + padding = {padded}")
    if not ceil_mode:
        # ⌊(n + p前 + p后 − d(k−1) − 1) / s⌋ + 1
        return (padded - span) // stride + 1
    # ⌈(n + p前 + p后 − d(k−1) − 1) / s⌉ + 1，但最后一个窗口必须从输入或前侧填充里开始
    out = -(-(padded - span) // stride) + 1
    if (out - 1) * stride >= n + before:
        out -= 1
    return out


def conv_transpose_output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    r"""转置卷积沿一个空间维的输出长度：$(n-1)s - 2p + d(k-1) + \text{output\_padding} + 1$。

    它是 [`conv_output_size`][dlguide.conv.conv_output_size] 的“逆”：步幅 $s>1$ 时有 $s$ 个输入长度
    卷积后得到同一个输出长度，``output_padding``（$< \max(s, d)$）从中选一个。

    Parameters
    ----------
    n : int
        输入长度，≥ 1。
    kernel_size, stride, dilation : int
        核长度、步幅、扩张率，≥ 1。
    padding : int
        与对应的普通卷积相同的填充，≥ 0。
    output_padding : int
        加在输出一侧的长度，在 ``[0, max(stride, dilation) − 1]`` 内（PyTorch 的限制）。

    Returns
    -------
    int
        输出长度。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界，或输出长度不是正数。

    Examples
    --------
    >>> conv_transpose_output_size(4, 3, stride=2, padding=1)          # 7 → 卷积 → 4 → 转置卷积 → 7
    7
    >>> conv_transpose_output_size(4, 3, stride=2, padding=1, output_padding=1)
    8
    >>> conv_output_size(8, 3, stride=2, padding=1)                    # 8 卷积后也是 4
    4
    """
    n = check_int(n, "n", low=1)
    kernel_size = check_int(kernel_size, "kernel_size", low=1)
    stride = check_int(stride, "stride", low=1)
    padding = check_int(padding, "padding", low=0)
    dilation = check_int(dilation, "dilation", low=1)
    output_padding = check_int(output_padding, "output_padding", low=0, high=max(stride, dilation) - 1)
    # (n − 1)s − 2p + d(k − 1) + output_padding + 1
    out = (n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1
    if out < 1:
        raise ValueError(f"padding 太大：输出长度 (n−1)s − 2p + d(k−1) + output_padding + 1 = {out}，必须 ≥ 1")
    return out


def same_padding(n: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    r"""“same”填充的 ``(前, 后)``：让输出长度等于 $\lceil n / s \rceil$（步幅 1 时等于输入长度）。

    需要的总填充是 $\max\bigl((\lceil n/s\rceil - 1)s + d(k-1) + 1 - n,\ 0\bigr)$，步幅为 1 时就是 $d(k-1)$。
    总数为奇数（例如偶数核）时多出的 1 放在**后**侧，与 PyTorch 的 ``padding="same"`` 和 TensorFlow 的
    ``"SAME"`` 一致。PyTorch 只在步幅为 1 时接受 ``padding="same"``；步幅大于 1 时的结果（TensorFlow 的规则）
    可以作为显式的不对称填充传给 [`conv_nd`][dlguide.conv.conv_nd]。

    Parameters
    ----------
    n : int
        输入长度，≥ 1（步幅为 1 时结果与它无关）。
    kernel_size, stride, dilation : int
        核长度、步幅、扩张率，≥ 1。

    Returns
    -------
    tuple[int, int]
        ``(前侧填充, 后侧填充)``。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> same_padding(5, 3), same_padding(5, 4), same_padding(5, 3, dilation=2)
    ((1, 1), (1, 2), (2, 2))
    >>> pads = same_padding(7, 3, stride=2)               # 输出 ⌈7/2⌉ = 4
    >>> pads, conv_output_size(7, 3, stride=2, padding=pads)
    ((1, 1), 4)
    """
    n = check_int(n, "n", low=1)
    kernel_size = check_int(kernel_size, "kernel_size", low=1)
    stride = check_int(stride, "stride", low=1)
    dilation = check_int(dilation, "dilation", low=1)
    # 目标输出长度 ⌈n / s⌉
    out = -(-n // stride)
    # 总填充 = max((out − 1)s + d(k − 1) + 1 − n, 0)
    total = max((out - 1) * stride + dilation * (kernel_size - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def _check_input(x: object, name: str = "x") -> torch.Tensor:
    check_tensor(x, name, ndim=(3, 4, 5), nonempty=True)
    return x  # type: ignore[return-value]


def pad(x: torch.Tensor, padding: object, mode: str = "zeros") -> torch.Tensor:
    r"""按定义填充 ``x`` 的空间维（第 2 维以后）：每个新位置 $i$ 从原位置 $\text{src}(i)$ 取值。

    对长度 $n$ 的一维，新坐标 $i \in [-p_{\text{前}},\, n + p_{\text{后}})$：

    - ``"zeros"``：$0 \le i < n$ 时取 $x_i$，否则为 0；
    - ``"replicate"``：$\text{src}(i) = \min(\max(i, 0), n-1)$，重复边缘值；
    - ``"reflect"``：以边缘为镜面反射（边缘本身不重复），周期 $2(n-1)$；
    - ``"circular"``：$\text{src}(i) = i \bmod n$，把信号看成周期的。

    与 ``torch.nn.functional.pad`` 一样，``reflect`` 要求每侧填充 $< n$，``circular`` 要求 $\le n$。

    Parameters
    ----------
    x : torch.Tensor
        形状 ``(B, C, *spatial)`` 的浮点张量，1 到 3 个空间维。
    padding : int or sequence
        整数（所有空间维两侧相同）、每个空间维一个整数，或每个空间维一对 ``(前, 后)``。
    mode : str
        [`PADDING_MODES`][dlguide.conv.PADDING_MODES] 之一。

    Returns
    -------
    torch.Tensor
        形状 ``(B, C, *(n + 前 + 后))``。

    Raises
    ------
    TypeError
        ``x`` 不是浮点张量，``padding`` 不是整数。
    ValueError
        ``x`` 的维数不对或为空，``padding`` 越界，``mode`` 不认识。

    Examples
    --------
    >>> x = torch.tensor([[[1.0, 2.0, 3.0]]])          # (B, C, L) = (1, 1, 3)
    >>> for mode in PADDING_MODES:
    ...     print(f"{mode:>9}", pad(x, 2, mode)[0, 0].tolist())
    ...
        zeros [0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0]
      reflect [3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]
    replicate [1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0]
     circular [2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0]
    >>> pad(torch.ones(1, 1, 2, 2), ((0, 1), (1, 0)))[0, 0].tolist()   # 下侧 1 行、左侧 1 列
    [[0.0, 1.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0]]
    """
    _check_input(x)
    check_choice(mode, "mode", PADDING_MODES)
    pairs = _pad_pairs(padding, x.ndim - 2)
    out_numel = x.shape[0] * x.shape[1] * math.prod(n + a + b for n, (a, b) in zip(x.shape[2:], pairs))
    if out_numel > MAX_ELEMENTS:
        raise ValueError(f"padding 太大：填充后有 {out_numel} 个元素，超过上限 {MAX_ELEMENTS}")
    for axis, (before, after) in zip(range(2, x.ndim), pairs):
        n = x.shape[axis]
        if mode == "reflect" and max(before, after) >= n:
            raise ValueError(f"padding 太大：reflect 填充每侧必须 < 该维长度 {n}，收到 ({before}, {after})")
        if mode == "circular" and max(before, after) > n:
            raise ValueError(f"padding 太大：circular 填充每侧必须 ≤ 该维长度 {n}，收到 ({before}, {after})")
        # 新坐标 i ∈ [−p前, n + p后)
        i = torch.arange(-before, n + after, device=x.device)
        if mode == "circular":
            # src(i) = i mod n（torch 的 % 对负数也返回非负余数）
            src = i % n
        elif mode == "reflect":
            # 周期 2(n − 1) 的镜面反射：j = i mod 2(n−1)，落在后半段时取 2(n−1) − j
            period = 2 * (n - 1) if n > 1 else 1
            j = i % period
            src = torch.where(j < n, j, period - j)
        else:  # zeros 与 replicate 都先取最近的边缘值
            # src(i) = min(max(i, 0), n − 1)
            src = i.clamp(0, n - 1)
        x = x.index_select(axis, src)
        if mode == "zeros":
            inside = ((i >= 0) & (i < n)).view([-1 if d == axis else 1 for d in range(x.ndim)])
            x = torch.where(inside, x, torch.zeros((), dtype=x.dtype, device=x.device))
    return x


def im2col(x: torch.Tensor, kernel_size: object, stride: object = 1, dilation: object = 1) -> torch.Tensor:
    r"""把每个卷积窗口展开成一列（im2col），卷积就变成一次矩阵乘法。

    对核的每个偏移 $\boldsymbol m$，取出所有窗口在该偏移处的值：沿每一维从 $d\,m$ 开始、步幅 $s$ 的切片。
    列的排列与 ``torch.nn.functional.unfold`` 相同：先按通道，再按核内位置（行优先）。``x`` 不再填充：
    需要时先调用 [`pad`][dlguide.conv.pad]。

    Parameters
    ----------
    x : torch.Tensor
        形状 ``(B, C, *spatial)`` 的浮点张量，1 到 3 个空间维。
    kernel_size, stride, dilation : int or sequence of int
        每个空间维一个，或一个整数用于所有空间维。

    Returns
    -------
    torch.Tensor
        形状 ``(B, C · ∏k, L)``，``L`` 是输出位置的个数 ∏ ``conv_output_size(n, k, s, 0, d)``。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 3 到 5 维的非空浮点张量；尺寸参数越界；核比输入大；结果过大。

    Examples
    --------
    >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
    >>> cols = im2col(x, 3)                      # 4×4 输入、3×3 核：2×2 = 4 个窗口，每个 9 个值
    >>> tuple(cols.shape)
    (1, 9, 4)
    >>> cols[0, :, 0].reshape(3, 3).tolist()     # 第一个窗口就是左上角的 3×3 块
    [[0.0, 1.0, 2.0], [4.0, 5.0, 6.0], [8.0, 9.0, 10.0]]
    """
    _check_input(x)
    nd = x.ndim - 2
    kernel = _ints(kernel_size, "kernel_size", nd, low=1)
    strides = _ints(stride, "stride", nd, low=1)
    dilations = _ints(dilation, "dilation", nd, low=1)
    out = [conv_output_size(n, k, s, 0, d) for n, k, s, d in zip(x.shape[2:], kernel, strides, dilations)]
    B, C = x.shape[:2]
    if B * C * math.prod(kernel) * math.prod(out) > MAX_ELEMENTS:
        raise ValueError(f"kernel_size 太大：im2col 矩阵将有 {B * C * math.prod(kernel) * math.prod(out)} 个元素，"
                         f"超过上限 {MAX_ELEMENTS}")
    patches = []
    for offset in itertools.product(*(range(k) for k in kernel)):
        # 偏移 m 处的值：x[..., d·m + s·p]，p = 0 … out − 1
        index = tuple(slice(d * m, d * m + s * (o - 1) + 1, s) for m, s, d, o in zip(offset, strides, dilations, out))
        patches.append(x[(Ellipsis, *index)])  # (B, C, *out)
    cols = torch.stack(patches, dim=2)  # (B, C, ∏k, *out)
    return cols.reshape(B, C * math.prod(kernel), math.prod(out))  # (B, C·∏k, L)


def _check_input_and_weight(x: torch.Tensor, weight: torch.Tensor) -> int:
    """``x`` 与 1/2/3 维卷积核 ``weight`` 维数、dtype、设备一致；返回空间维数。"""
    _check_input(x)
    check_tensor(weight, "weight", ndim=(3, 4, 5), nonempty=True)
    nd = weight.ndim - 2
    if x.ndim != weight.ndim:
        raise ValueError(f"x 必须是 {weight.ndim} 维张量 (B, C_in, *spatial)，与 weight 的 {nd} 个空间维一致，"
                         f"收到形状 {tuple(x.shape)}")
    if x.dtype != weight.dtype or x.device != weight.device:
        raise ValueError(f"weight 必须与 x 同 dtype、同设备，收到 {weight.dtype}/{weight.device} 和 {x.dtype}/{x.device}")
    return nd


def conv_nd(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: object = 1,
    padding: object = 0,
    dilation: object = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> torch.Tensor:
    r"""按定义计算 1、2、3 维卷积（深度学习的约定，即互相关），与 ``F.conv1d``/``conv2d``/``conv3d`` 相同。

    三步：[`pad`][dlguide.conv.pad] 填充 → [`im2col`][dlguide.conv.im2col] 把每个窗口展开成一列
    → 每组的权重矩阵 $(C_\text{out}/g) \times (C_\text{in}/g \cdot \prod k)$ 乘以该组的列。
    空间维数由 ``weight`` 决定：``weight`` 是 ``(C_out, C_in/groups, *kernel)``。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C_in, *spatial)``，浮点。
    weight : torch.Tensor
        ``(C_out, C_in / groups, *kernel)``，与 ``x`` 同 dtype、同设备。
    bias : torch.Tensor, optional
        ``(C_out,)``。
    stride, dilation : int or sequence of int
        每个空间维一个，或一个整数用于所有空间维，≥ 1。
    padding : int, sequence, "valid" or "same"
        整数、每维一个整数、每维一对 ``(前, 后)``，或 ``"valid"``（不填充）、``"same"``
        （只允许步幅 1，与 PyTorch 相同；多出的 1 放在后侧，见 [`same_padding`][dlguide.conv.same_padding]）。
    groups : int
        分组数 $g$，必须整除 ``C_in`` 和 ``C_out``。
    padding_mode : str
        [`PADDING_MODES`][dlguide.conv.PADDING_MODES] 之一（``nn.Conv2d`` 的同名参数；``F.conv2d`` 没有它，只会补 0）。

    Returns
    -------
    torch.Tensor
        ``(B, C_out, *out)``，``out`` 逐维由 [`conv_output_size`][dlguide.conv.conv_output_size] 给出。

    Raises
    ------
    TypeError
        张量参数类型不对，尺寸参数不是整数。
    ValueError
        形状不匹配（通道数、分组、偏置长度、dtype），尺寸越界，``"same"`` 配步幅 > 1。

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> g = torch.Generator().manual_seed(0)
    >>> x = torch.randn(2, 4, 9, 9, generator=g)
    >>> w = torch.randn(6, 2, 3, 3, generator=g)      # groups=2：每个核只看 4/2 = 2 个输入通道
    >>> b = torch.randn(6, generator=g)
    >>> y = conv_nd(x, w, b, stride=2, padding=1, dilation=2, groups=2)
    >>> tuple(y.shape), torch.allclose(y, F.conv2d(x, w, b, stride=2, padding=1, dilation=2, groups=2), atol=1e-5)
    ((2, 6, 4, 4), True)
    """
    nd = _check_input_and_weight(x, weight)
    groups = check_int(groups, "groups", low=1, high=_MAX_SIZE)
    c_out, c_in_per_group = weight.shape[:2]
    if c_out % groups or x.shape[1] != c_in_per_group * groups:
        raise ValueError(f"groups 与通道数不符：weight {tuple(weight.shape)} 要求 C_out 被 groups={groups} 整除、"
                         f"输入通道 = {c_in_per_group}×{groups}，而 x 有 {x.shape[1]} 个通道")
    if bias is not None:
        check_tensor(bias, "bias", ndim=1)
        if bias.shape[0] != c_out or bias.dtype != x.dtype or bias.device != x.device:
            raise ValueError(f"bias 必须是形状 ({c_out},)、与 x 同 dtype 和设备的张量，收到 {tuple(bias.shape)}/{bias.dtype}")
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    kernel = tuple(weight.shape[2:])
    strides = _ints(stride, "stride", nd, low=1)
    dilations = _ints(dilation, "dilation", nd, low=1)
    if isinstance(padding, str):
        check_choice(padding, "padding", ("valid", "same"))
        if padding == "same" and any(s != 1 for s in strides):
            raise ValueError("padding='same' 只支持步幅 1（与 PyTorch 相同）；步幅更大时用 same_padding 算出显式填充")
        pairs = tuple(same_padding(n, k, 1, d) if padding == "same" else (0, 0)
                      for n, k, d in zip(x.shape[2:], kernel, dilations))
    else:
        pairs = _pad_pairs(padding, nd)
    xp = pad(x, pairs, padding_mode)  # (B, C_in, *(n + p前 + p后))
    out = [conv_output_size(n, k, s, 0, d) for n, k, s, d in zip(xp.shape[2:], kernel, strides, dilations)]
    cols = im2col(xp, kernel, strides, dilations)  # (B, C_in·∏k, L)
    B, L = x.shape[0], cols.shape[-1]
    cols = cols.reshape(B, groups, c_in_per_group * math.prod(kernel), L)  # (B, g, C_in/g·∏k, L)
    w = weight.reshape(groups, c_out // groups, -1)  # (g, C_out/g, C_in/g·∏k)
    # y[b, g, o, l] = Σ_j w[g, o, j] · cols[b, g, j, l]：每组一次矩阵乘法
    y = w @ cols  # (B, g, C_out/g, L)
    y = y.reshape(B, c_out, *out)  # (B, C_out, *out)
    if bias is not None:
        # y[b, o, …] += b[o]：每个输出通道一个偏置，在所有位置共享
        y = y + bias.view(1, c_out, *([1] * nd))
    return y


def conv_matrix(
    weight: torch.Tensor,
    input_shape: Sequence[int],
    stride: object = 1,
    padding: object = 0,
    dilation: object = 1,
    groups: int = 1,
) -> torch.Tensor:
    r"""卷积（不含偏置）写成矩阵：返回 $M$，使 ``conv(x).flatten() == M @ x.flatten()``。

    卷积是线性映射，$M$ 的第 $j$ 列就是对第 $j$ 个单位输入（只有一个元素为 1）做卷积的结果。
    $M$ 的绝大多数元素是 0（稀疏连接），非零元素只取 ``weight`` 里的那些值（参数共享）；
    $M^\top$ 就是对应的转置卷积。只用于小输入（演示、测试）。

    Parameters
    ----------
    weight : torch.Tensor
        ``(C_out, C_in / groups, *kernel)``。
    input_shape : sequence of int
        单个样本的形状 ``(C_in, *spatial)``。
    stride, padding, dilation, groups
        同 [`conv_nd`][dlguide.conv.conv_nd]（补 0 填充）。

    Returns
    -------
    torch.Tensor
        形状 ``(输出元素个数, 输入元素个数)``，与 ``weight`` 同 dtype。

    Raises
    ------
    TypeError, ValueError
        参数不合法，或矩阵过大（输入元素个数 × 输出元素个数超过 [`MAX_ELEMENTS`][dlguide.conv.MAX_ELEMENTS]）。

    Examples
    --------
    >>> M = conv_matrix(torch.tensor([[[1.0, 2.0, 3.0]]]), (1, 5))    # 一维：长 5 的输入、长 3 的核
    >>> M.tolist()
    [[1.0, 2.0, 3.0, 0.0, 0.0], [0.0, 1.0, 2.0, 3.0, 0.0], [0.0, 0.0, 1.0, 2.0, 3.0]]
    """
    check_tensor(weight, "weight", ndim=(3, 4, 5), nonempty=True)
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence):
        raise TypeError(f"input_shape 必须是整数序列 (C_in, *spatial)，收到的是 {type(input_shape).__name__}")
    if len(input_shape) != weight.ndim - 1:
        raise ValueError(f"input_shape 必须有 {weight.ndim - 1} 个整数 (C_in, *spatial)，收到 {tuple(input_shape)}")
    shape = tuple(check_int(s, "input_shape", low=1, high=MAX_ELEMENTS) for s in input_shape)
    n_in = math.prod(shape)
    if n_in * n_in > MAX_ELEMENTS:
        raise ValueError(f"input_shape 太大：{n_in} 个输入元素的卷积矩阵放不下（上限约 {math.isqrt(MAX_ELEMENTS)} 个）")
    # 单位输入：第 j 个“样本”只有第 j 个元素为 1
    basis = torch.eye(n_in, dtype=weight.dtype, device=weight.device).reshape(n_in, *shape)
    columns = conv_nd(basis, weight, None, stride, padding, dilation, groups)  # (n_in, C_out, *out)
    return columns.reshape(n_in, -1).T  # (n_out, n_in)


_CONV_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
_POOL_TYPES = (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)


def _first(value: object) -> int:
    return value[0] if isinstance(value, tuple) else value  # type: ignore[return-value]


def receptive_field_sizes(layers: object) -> list[tuple[int, int]]:
    r"""按公式逐层计算感受野：返回每层之后的 ``(感受野, 累计步幅)``。

    设第 $l$ 层的核长 $k_l$、步幅 $s_l$、扩张率 $d_l$，从 $r_0 = 1$、$j_0 = 1$ 开始：

    $$ r_l = r_{l-1} + d_l (k_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l . $$

    $j$ 是相邻两个输出在输入上相隔的像素数：后面的层每多看一个位置，感受野就多 $j$ 个输入像素。
    池化层按同样的公式计入；激活函数、BatchNorm（推理时）等逐位置的层不改变感受野。

    Parameters
    ----------
    layers : sequence of (kernel, stride, dilation), or torch.nn.Module
        每层一个三元组（沿一个空间维），或一个模块：按注册顺序取其中的 ``Conv1d/2d/3d`` 和
        ``MaxPool``/``AvgPool`` 层（取第一个空间维的参数），假设它们串成一条链。

    Returns
    -------
    list[tuple[int, int]]
        每层之后的 ``(r_l, j_l)``。

    Raises
    ------
    TypeError
        ``layers`` 既不是三元组序列也不是模块。
    ValueError
        三元组越界，或模块里没有卷积/池化层。

    Examples
    --------
    >>> receptive_field_sizes([(3, 1, 1)] * 3)          # 三层 3×3：3 → 5 → 7
    [(3, 1), (5, 1), (7, 1)]
    >>> receptive_field_sizes([(5, 1, 1), (2, 2, 1), (5, 1, 1), (2, 2, 1)])   # conv5 → pool2 → conv5 → pool2
    [(5, 1), (6, 2), (14, 2), (16, 4)]
    >>> receptive_field_sizes(nn.Sequential(nn.Conv2d(1, 1, 3, dilation=2), nn.ReLU(), nn.Conv2d(1, 1, 3, dilation=4)))
    [(5, 1), (13, 1)]
    """
    if isinstance(layers, nn.Module):
        triples = []
        for module in layers.modules():
            if isinstance(module, _CONV_TYPES):
                triples.append((_first(module.kernel_size), _first(module.stride), _first(module.dilation)))
            elif isinstance(module, _POOL_TYPES):
                dilation = getattr(module, "dilation", 1)
                triples.append((_first(module.kernel_size), _first(module.stride), _first(dilation)))
        if not triples:
            raise ValueError("layers 里没有 Conv1d/2d/3d 或 MaxPool/AvgPool 层")
    elif isinstance(layers, Sequence) and not isinstance(layers, (str, bytes)):
        triples = list(layers)
    else:
        raise TypeError(f"layers 必须是 (kernel, stride, dilation) 三元组的序列或 nn.Module，收到的是 {type(layers).__name__}")
    r, j, out = 1, 1, []
    for triple in triples:
        if not isinstance(triple, (tuple, list)) or len(triple) != 3:
            raise ValueError(f"layers 的每一项必须是 (kernel, stride, dilation) 三个整数，收到 {triple!r}")
        k = check_int(triple[0], "layers 的 kernel", low=1, high=_MAX_SIZE)
        s = check_int(triple[1], "layers 的 stride", low=1, high=_MAX_SIZE)
        d = check_int(triple[2], "layers 的 dilation", low=1, high=_MAX_SIZE)
        # r_l = r_{l−1} + d_l(k_l − 1)·j_{l−1}
        r = r + d * (k - 1) * j
        # j_l = j_{l−1}·s_l
        j = j * s
        out.append((r, j))
    return out


def input_gradient(model: nn.Module, x: torch.Tensor, position: Sequence[int] | None = None) -> torch.Tensor:
    r"""一个输出位置对输入的梯度大小 $\bigl|\partial \sum_c y_c[\boldsymbol p] / \partial x\bigr|$，按输入通道求和。

    非零的位置就是这个输出“看得见”的输入（感受野）；数值大小显示每个输入像素的影响有多大
    （Luo 等 2016 称之为**有效感受野**）。计算时临时切到 ``eval()``（BatchNorm 用滑动统计量，
    不让同一批里的位置互相影响），结束后恢复原来的模式。

    Parameters
    ----------
    model : torch.nn.Module
        输入 ``(1, C, *spatial)``、输出 ``(1, C_out, *out)`` 的卷积网络。
    x : torch.Tensor
        ``(1, C, *spatial)``，与模型同 dtype、同设备。
    position : sequence of int, optional
        输出的空间位置，默认取中心 ``out // 2``。

    Returns
    -------
    torch.Tensor
        形状 ``spatial`` 的非负张量。

    Raises
    ------
    TypeError
        ``model`` 不是模块，``x`` 不是浮点张量。
    ValueError
        ``x`` 的批大小不是 1，模型输出不是 ``(1, C_out, *out)``，``position`` 越界。

    Examples
    --------
    >>> net = nn.Conv2d(1, 1, 3, bias=False)
    >>> with torch.no_grad():
    ...     _ = net.weight.fill_(1.0)
    ...
    >>> input_gradient(net, torch.zeros(1, 1, 5, 5)).tolist()   # 3×3 输出的中心 (1, 1) 看输入的第 1–3 行、第 1–3 列
    [[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    check_module(model, "model")
    check_tensor(x, "x", ndim=(3, 4, 5), nonempty=True)
    if x.shape[0] != 1:
        raise ValueError(f"x 的批大小必须是 1，收到形状 {tuple(x.shape)}")
    was_training = model.training
    model.eval()
    try:
        x = x.detach().clone().requires_grad_(True)
        y = model(x)
        if not isinstance(y, torch.Tensor) or y.ndim != x.ndim or y.shape[0] != 1:
            raise ValueError(f"model 的输出必须是 (1, C_out, *out) 的张量，收到 {getattr(y, 'shape', type(y).__name__)}")
        out = tuple(y.shape[2:])
        if position is None:
            position = tuple(n // 2 for n in out)
        if not isinstance(position, Sequence) or len(position) != len(out):
            raise ValueError(f"position 必须是 {len(out)} 个整数（输出的空间位置），收到 {position!r}")
        pos = tuple(check_int(p, "position", low=0, high=n - 1) for p, n in zip(position, out))
        # ∂(Σ_c y[0, c, p]) / ∂x：一个输出位置、所有输出通道
        (grad,) = torch.autograd.grad(y[(0, slice(None), *pos)].sum(), x)
    finally:
        model.train(was_training)
    return grad[0].abs().sum(dim=0)  # (*spatial)


def receptive_field(
    model: nn.Module,
    input_shape: Sequence[int],
    *,
    position: Sequence[int] | None = None,
    samples: int = 4,
    seed: int | None = 0,
) -> tuple[int, ...]:
    r"""用梯度实测一个输出位置的感受野：梯度非零的输入像素所占的范围（每个空间维的长度）。

    对 ``samples`` 个随机正态输入分别求 [`input_gradient`][dlguide.conv.input_gradient]，取非零位置的并集。
    ReLU 和最大池化会让某一个输入的梯度在部分位置恰好为 0，所以实测值对单个输入可能偏小；
    几个随机输入的并集就给出公式 [`receptive_field_sizes`][dlguide.conv.receptive_field_sizes] 的值
    （输入要足够大，感受野不能被边界截断）。

    Parameters
    ----------
    model : torch.nn.Module
        卷积网络，输入 ``(1, *input_shape)``。
    input_shape : sequence of int
        ``(C, *spatial)``，元素总数不超过 [`MAX_ELEMENTS`][dlguide.conv.MAX_ELEMENTS]。
    position : sequence of int, optional
        输出的空间位置，默认中心。
    samples : int
        随机输入的个数，在 [1, 64] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[int, ...]
        每个空间维上感受野的长度（非零梯度的外接框）。

    Raises
    ------
    TypeError, ValueError
        参数不合法；或没有任何输入像素影响这个输出。

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3), nn.ReLU(), nn.Conv2d(4, 1, 3))
    >>> receptive_field(net, (1, 15, 15)), receptive_field_sizes(net)[-1][0]
    ((7, 7), 7)
    """
    check_module(model, "model")
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, Sequence) or not 2 <= len(input_shape) <= 4:
        raise ValueError(f"input_shape 必须是 (C, *spatial)，1 到 3 个空间维，收到 {input_shape!r}")
    shape = tuple(check_int(s, "input_shape", low=1, high=MAX_ELEMENTS) for s in input_shape)
    if math.prod(shape) > MAX_ELEMENTS:
        raise ValueError(f"input_shape 太大：{math.prod(shape)} 个元素，超过上限 {MAX_ELEMENTS}")
    samples = check_int(samples, "samples", low=1, high=64)
    check_seed(seed)
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.get_default_dtype()
    device = param.device if param is not None else torch.device("cpu")
    g = None if seed is None else torch.Generator().manual_seed(seed)
    seen = torch.zeros(shape[1:], dtype=torch.bool, device=device)
    for _ in range(samples):
        x = torch.randn((1, *shape), generator=g, dtype=dtype).to(device)
        seen |= input_gradient(model, x, position) > 0
    if not seen.any():
        raise ValueError("model 的这个输出位置对输入的梯度处处为 0，测不出感受野")
    idx = seen.nonzero()  # (非零个数, 空间维数)
    return tuple(int(v) for v in idx.max(0).values - idx.min(0).values + 1)


def zero_insert(x: torch.Tensor, factor: object) -> torch.Tensor:
    r"""在 ``x`` 的每个空间维上，相邻两个元素之间插入 ``factor − 1`` 个 0：长度 $n \to (n-1)s + 1$。

    两处用到它：转置卷积 = 对插零后的输入做普通卷积（[`conv_transpose_nd`][dlguide.conv.conv_transpose_nd]）；
    扩张率为 $d$ 的卷积 = 用插零后的核（核长 $d(k-1)+1$）做普通卷积。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C, *spatial)``，1 到 3 个空间维（卷积核 ``(C_out, C_in, *kernel)`` 也是这个布局）。
    factor : int or sequence of int
        每个空间维一个，或一个整数用于所有空间维，≥ 1（1 表示不插）。

    Returns
    -------
    torch.Tensor
        ``(B, C, *((n − 1)·s + 1))``，原来的元素在下标 $0, s, 2s, \dots$ 处。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 3 到 5 维的非空浮点张量；``factor`` 越界；结果过大。

    Examples
    --------
    >>> zero_insert(torch.tensor([[[1.0, 2.0, 3.0]]]), 2)[0, 0].tolist()
    [1.0, 0.0, 2.0, 0.0, 3.0]
    >>> zero_insert(torch.ones(1, 1, 2, 2), 3)[0, 0].tolist()
    [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0]]
    """
    _check_input(x)
    factors = _ints(factor, "factor", x.ndim - 2, low=1)
    # 新长度 (n − 1)·s + 1
    sizes = [(n - 1) * s + 1 for n, s in zip(x.shape[2:], factors)]
    if x.shape[0] * x.shape[1] * math.prod(sizes) > MAX_ELEMENTS:
        raise ValueError(f"factor 太大：插零后有 {x.shape[0] * x.shape[1] * math.prod(sizes)} 个元素，超过上限 {MAX_ELEMENTS}")
    out = x.new_zeros(*x.shape[:2], *sizes)  # (B, C, *((n − 1)s + 1))
    # out[..., s·i] = x[..., i]
    out[(Ellipsis, *(slice(None, None, s) for s in factors))] = x
    return out


def conv_transpose_nd(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: object = 1,
    padding: object = 0,
    output_padding: object = 0,
    groups: int = 1,
    dilation: object = 1,
) -> torch.Tensor:
    r"""按定义计算转置卷积：输入插零、补边，再用翻转的核做普通卷积；与 ``F.conv_transpose1d/2d/3d`` 相同。

    沿一个空间维（步幅 $s$、核长 $k$、扩张率 $d$、填充 $p$）：

    1. [`zero_insert`][dlguide.conv.zero_insert]：相邻输入之间插 $s-1$ 个 0，长度 $(n-1)s+1$；
    2. 两侧各补 $d(k-1)$ 个 0（后侧再多补 ``output_padding`` 个），用**空间翻转**、输入输出通道**对调**的核做步幅 1 的卷积，
       得到“完整”的输出，长 $(n-1)s + d(k-1) + 1 + \text{output\_padding}$；
    3. 两侧各裁掉 $p$ 个：转置卷积的 ``padding`` 是从输出上**去掉**，它对应的是普通卷积的填充。

    结果的长度就是 [`conv_transpose_output_size`][dlguide.conv.conv_transpose_output_size]。
    它是普通卷积（同样的 ``weight``、步幅、填充）对输入的梯度，即 [`conv_matrix`][dlguide.conv.conv_matrix] 的转置。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C_in, *spatial)``，浮点，1 到 3 个空间维。
    weight : torch.Tensor
        ``(C_in, C_out / groups, *kernel)``（``nn.ConvTranspose2d`` 的布局：第 0 维是**输入**通道），与 ``x`` 同 dtype、同设备。
    bias : torch.Tensor, optional
        ``(C_out,)``。
    stride, padding, dilation : int or sequence of int
        每个空间维一个，或一个整数用于所有空间维；``stride``、``dilation`` ≥ 1，``padding`` ≥ 0。
    output_padding : int or sequence of int
        加在输出后侧的长度，每维 ≥ 0 且小于该维的 ``max(stride, dilation)``（PyTorch 的限制）。
    groups : int
        分组数，必须整除 ``C_in`` 和 ``C_out``。

    Returns
    -------
    torch.Tensor
        ``(B, C_out, *out)``，每维 $(n-1)s - 2p + d(k-1) + \text{output\_padding} + 1$。

    Raises
    ------
    TypeError
        张量参数类型不对，尺寸参数不是整数。
    ValueError
        形状不匹配（通道数、分组、偏置长度、dtype），尺寸越界，输出长度不是正数。

    Examples
    --------
    一维、步幅 2：每个输入把核的一份拷贝（乘以自己的值）放到输出上，相邻两份错开 2 格、重叠的地方相加：

    >>> x = torch.tensor([[[1.0, 10.0]]])                   # (B, C_in, L) = (1, 1, 2)
    >>> w = torch.tensor([[[1.0, 2.0, 3.0]]])               # (C_in, C_out, k) = (1, 1, 3)
    >>> conv_transpose_nd(x, w, stride=2)[0, 0].tolist()    # [1, 2, 3+10, 20, 30]
    [1.0, 2.0, 13.0, 20.0, 30.0]
    >>> import torch.nn.functional as F
    >>> torch.equal(conv_transpose_nd(x, w, stride=2), F.conv_transpose1d(x, w, stride=2))
    True
    """
    nd = _check_input_and_weight(x, weight)
    groups = check_int(groups, "groups", low=1, high=_MAX_SIZE)
    c_in, c_out_per_group = weight.shape[:2]
    if c_in % groups or x.shape[1] != c_in:
        raise ValueError(f"groups 与通道数不符：weight {tuple(weight.shape)} 要求输入有 {c_in} 个通道且能被 groups={groups} 整除，"
                         f"而 x 有 {x.shape[1]} 个通道")
    c_out = c_out_per_group * groups
    if bias is not None:
        check_tensor(bias, "bias", ndim=1)
        if bias.shape[0] != c_out or bias.dtype != x.dtype or bias.device != x.device:
            raise ValueError(f"bias 必须是形状 ({c_out},)、与 x 同 dtype 和设备的张量，收到 {tuple(bias.shape)}/{bias.dtype}")
    kernel = tuple(weight.shape[2:])
    strides = _ints(stride, "stride", nd, low=1)
    paddings = _ints(padding, "padding", nd, low=0)
    dilations = _ints(dilation, "dilation", nd, low=1)
    extras = _ints(output_padding, "output_padding", nd, low=0)
    for extra, s, d in zip(extras, strides, dilations):
        if extra >= max(s, d):
            raise ValueError(f"output_padding 必须小于 max(stride, dilation) = {max(s, d)}，收到 {extra}")
    out = [conv_transpose_output_size(n, k, s, p, e, d)
           for n, k, s, p, e, d in zip(x.shape[2:], kernel, strides, paddings, extras, dilations)]
    k_in = c_in // groups
    # 核：(C_in, C_out/g, *k) → 每组对调输入输出通道 → (C_out, C_in/g, *k)，再把空间维翻转
    w = weight.reshape(groups, k_in, c_out_per_group, *kernel).transpose(1, 2).reshape(c_out, k_in, *kernel)
    w = w.flip(dims=tuple(range(2, 2 + nd)))
    xz = zero_insert(x, strides)  # (B, C_in, *((n − 1)s + 1))
    # 两侧各补 d(k − 1)，后侧再补 output_padding：“完整”的转置卷积
    pairs = tuple((d * (k - 1), d * (k - 1) + e) for k, d, e in zip(kernel, dilations, extras))
    full = conv_nd(xz, w, None, 1, pairs, dilations, groups)  # (B, C_out, *((n − 1)s + d(k − 1) + 1 + e))
    # 转置卷积的 padding：两侧各裁掉 p
    y = full[(Ellipsis, *(slice(p, p + o) for p, o in zip(paddings, out)))]  # (B, C_out, *out)
    if bias is not None:
        y = y + bias.view(1, c_out, *([1] * nd))
    return y
