r"""池化：按公式实现的最大池化、平均池化（填充、步幅、``ceil_mode``）、自适应池化、全局池化和空间金字塔池化（SPP）。

约定与 PyTorch 相同：输入形状 ``(N, C, H, W)``（也接受不带批维的 ``(C, H, W)``），每个通道分别池化，
通道数不变；池化没有可学习的参数。输出边长

$$
n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1
$$

（``ceil_mode=True`` 时向上取整，但最后一个窗口必须从输入或左侧填充里开始）。
``tests/test_pooling.py`` 核对它们与 ``F.max_pool2d``、``F.avg_pool2d``、``F.adaptive_max_pool2d``、
``F.adaptive_avg_pool2d`` 的前向和反向结果一致（最大池化逐元素相同，求平均的在浮点舍入误差内）。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from dlguide._checks import check_bool, check_choice, check_int, check_tensor
from dlguide.conv import conv_output_size

__all__ = [
    "pool_output_size",
    "max_pool2d",
    "avg_pool2d",
    "adaptive_bins",
    "adaptive_max_pool2d",
    "adaptive_avg_pool2d",
    "global_avg_pool2d",
    "spp_paper_bins",
    "spatial_pyramid_pool",
    "SpatialPyramidPooling",
]

SIZE_MAX = 4096
"""核、步幅、填充、输出边长的上限：比任何真实网络都大得多，又不会让读者的机器卡住。"""


def _pair(value: object, name: str, low: int) -> tuple[int, int]:
    """``k`` 或 ``(k_h, k_w)`` → ``(k_h, k_w)``，每个分量是 ``[low, SIZE_MAX]`` 内的整数。"""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ValueError(f"{name} 必须是一个整数或两个整数 (h, w)，收到 {value!r}")
        return check_int(value[0], f"{name}[0]", low=low, high=SIZE_MAX), check_int(value[1], f"{name}[1]", low=low, high=SIZE_MAX)
    size = check_int(value, name, low=low, high=SIZE_MAX)
    return size, size


def _as_batch(x: object, name: str = "x") -> tuple[torch.Tensor, bool]:
    """接受 ``(N, C, H, W)`` 或 ``(C, H, W)``，返回 4 维张量和“是否补过批维”。"""
    x = check_tensor(x, name, ndim=(3, 4))
    if x.shape[-1] == 0 or x.shape[-2] == 0:
        raise ValueError(f"{name} 的高和宽必须 ≥ 1，收到形状 {tuple(x.shape)}")
    return (x.unsqueeze(0), True) if x.ndim == 3 else (x, False)


def pool_output_size(n: int, kernel_size: int, stride: int | None = None, padding: int = 0, ceil_mode: bool = False) -> int:
    r"""池化沿一个方向的输出长度：卷积的 [`conv_output_size`][dlguide.conv.conv_output_size]，加上池化层自己的默认值和限制。

    $$
    n_\text{out} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1 ,
    $$

    ``ceil_mode=True`` 时把 $\lfloor\cdot\rfloor$ 换成 $\lceil\cdot\rceil$，多出来的最后一个窗口若从右侧填充里才开始
    （$(n_\text{out}-1)s \ge n + p$），就不要它——与 PyTorch 的规则相同。

    Parameters
    ----------
    n : int
        输入长度，≥ 1。
    kernel_size : int
        窗口大小 $k$，≥ 1。
    stride : int, optional
        步幅 $s$，≥ 1；``None`` 表示等于 ``kernel_size``（PyTorch 池化层的默认值）。
    padding : int
        两侧各填充 $p$ 个，$0 \le p \le k/2$（PyTorch 池化的限制）。
    ceil_mode : bool
        是否向上取整。

    Returns
    -------
    int
        输出长度，≥ 1。

    Raises
    ------
    TypeError
        参数不是整数，或 ``ceil_mode`` 不是 ``bool``。
    ValueError
        参数越界，``padding > kernel_size / 2``，或窗口比填充后的输入还大。

    Examples
    --------
    >>> pool_output_size(224, 2)                          # VGG：2×2、步幅 2
    112
    >>> pool_output_size(112, 3, 2, padding=1)            # ResNet 第一层池化：3×3、步幅 2、填充 1
    56
    >>> pool_output_size(112, 3, 2), pool_output_size(112, 3, 2, ceil_mode=True)  # GoogLeNet 靠 ceil_mode 得到 56
    (55, 56)
    """
    check_int(n, "n", low=1)
    k = check_int(kernel_size, "kernel_size", low=1, high=SIZE_MAX)
    s = k if stride is None else check_int(stride, "stride", low=1, high=SIZE_MAX)
    p = check_int(padding, "padding", low=0, high=SIZE_MAX)
    check_bool(ceil_mode, "ceil_mode")
    if 2 * p > k:
        raise ValueError(f"padding 必须在 [0, kernel_size/2] 内（PyTorch 池化的限制），收到 padding={p}、kernel_size={k}")
    if n + 2 * p < k:
        raise ValueError(f"kernel_size 必须 ≤ 填充后的输入长度 n + 2·padding = {n + 2 * p}，收到 {k}")
    # 公式与卷积相同（ceil_mode 的规则也在那里）：n_out = ⌊(n + 2p − k)/s⌋ + 1
    return conv_output_size(n, k, s, p, ceil_mode=ceil_mode)


def _windows(x: torch.Tensor, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
             ceil_mode: bool, value: float) -> torch.Tensor:
    """把 ``(N, C, H, W)`` 切成全部池化窗口 ``(N, C, H_out, W_out, k_h, k_w)``，填充值为 ``value``。"""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    H, W = x.shape[-2:]
    oh = pool_output_size(H, kh, sh, ph, ceil_mode)
    ow = pool_output_size(W, kw, sw, pw, ceil_mode)
    # 右、下两侧要补到最后一个窗口的末端 (n_out − 1)·s + k（ceil_mode 时可能超出普通填充）
    right = max((ow - 1) * sw + kw - W - pw, 0)
    bottom = max((oh - 1) * sh + kh - H - ph, 0)
    xp = F.pad(x, (pw, right, ph, bottom), value=value)
    # (N, C, H_out, W_out, k_h, k_w)
    return xp.unfold(2, kh, sh).unfold(3, kw, sw)[:, :, :oh, :ow]


def max_pool2d(
    x: torch.Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
) -> torch.Tensor:
    r"""二维最大池化：每个窗口取最大值 $y_{c,i,j} = \max_{(u,v)\in R_{ij}} x_{c,u,v}$。

    填充的位置当作 $-\infty$，永远不会被选中。反向传播时梯度只流向每个窗口里最大值所在的那个位置
    （与 ``F.max_pool2d`` 相同，并列时取第一个）。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 或 ``(C, H, W)`` 的浮点张量。
    kernel_size : int or tuple of int
        窗口大小 $k$ 或 $(k_h, k_w)$。
    stride : int or tuple of int, optional
        步幅，默认等于 ``kernel_size``。
    padding : int or tuple of int
        两侧填充，不超过窗口的一半。
    ceil_mode : bool
        输出长度向上取整（见 [`pool_output_size`][dlguide.pooling.pool_output_size]）。

    Returns
    -------
    torch.Tensor
        ``(N, C, H_out, W_out)``（输入没有批维时也没有）。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 3 或 4 维浮点张量，或尺寸参数越界。

    Examples
    --------
    >>> x = torch.tensor([[[1., 3., 2., 1.],
    ...                    [4., 2., 0., 1.],
    ...                    [0., 1., 5., 6.],
    ...                    [2., 2., 7., 1.]]])
    >>> max_pool2d(x, 2).tolist()
    [[[4.0, 2.0], [2.0, 7.0]]]
    >>> max_pool2d(x, 3, stride=2, padding=1).tolist()      # 重叠的窗口，填充处当作 -inf
    [[[4.0, 3.0], [4.0, 7.0]]]
    """
    x, added = _as_batch(x)
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride_ = kernel if stride is None else _pair(stride, "stride", 1)
    pad = _pair(padding, "padding", 0)
    check_bool(ceil_mode, "ceil_mode")
    windows = _windows(x, kernel, stride_, pad, ceil_mode, -math.inf)  # (N, C, H_out, W_out, k_h, k_w)
    # y = max_{(u,v) ∈ 窗口} x_{u,v}；max(dim) 只记下一个下标，梯度只流向它
    y = windows.flatten(-2).max(dim=-1).values  # (N, C, H_out, W_out)
    return y.squeeze(0) if added else y


def avg_pool2d(
    x: torch.Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> torch.Tensor:
    r"""二维平均池化：$y_{c,i,j} = \frac{1}{|R_{ij}|}\sum_{(u,v)\in R_{ij}} x_{c,u,v}$。

    填充的位置当作 0。分母 $|R_{ij}|$ 的规则与 PyTorch 相同：``count_include_pad=True`` 时数窗口落在
    “输入 + 两侧填充”里的格子（``ceil_mode`` 多出来、伸到填充之外的部分不算），``False`` 时只数真实输入的格子。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 或 ``(C, H, W)`` 的浮点张量。
    kernel_size, stride, padding, ceil_mode
        同 [`max_pool2d`][dlguide.pooling.max_pool2d]。
    count_include_pad : bool
        分母是否把填充的 0 算进去。

    Returns
    -------
    torch.Tensor
        ``(N, C, H_out, W_out)``（输入没有批维时也没有）。

    Raises
    ------
    TypeError, ValueError
        同 [`max_pool2d`][dlguide.pooling.max_pool2d]。

    Examples
    --------
    >>> x = torch.arange(1., 10.).reshape(1, 3, 3)
    >>> avg_pool2d(x, 2, stride=1).tolist()
    [[[3.0, 4.0], [6.0, 7.0]]]
    >>> avg_pool2d(x, 2, padding=1).tolist()                          # 角上的窗口只有 1 个真实格子，却除以 4
    [[[0.25, 1.25], [2.75, 7.0]]]
    >>> avg_pool2d(x, 2, padding=1, count_include_pad=False).tolist()
    [[[1.0, 2.5], [5.5, 7.0]]]
    """
    x, added = _as_batch(x)
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride_ = kernel if stride is None else _pair(stride, "stride", 1)
    pad = _pair(padding, "padding", 0)
    check_bool(ceil_mode, "ceil_mode")
    check_bool(count_include_pad, "count_include_pad")
    windows = _windows(x, kernel, stride_, pad, ceil_mode, 0.0)  # (N, C, H_out, W_out, k_h, k_w)
    # 分母：窗口里算数的格子数。区域是矩形，所以按行、列分别数再相乘
    counts = []
    for axis, n in enumerate(x.shape[-2:]):
        p = pad[axis]
        # 1 标记算数的位置：输入 + 两侧填充（count_include_pad）或只有输入；ceil_mode 超出部分为 0
        mask = torch.zeros(n + 2 * p + kernel[axis] + stride_[axis], dtype=x.dtype, device=x.device)
        mask[(0 if count_include_pad else p) : (n + 2 * p if count_include_pad else n + p)] = 1
        out = windows.shape[2 + axis]
        counts.append(mask.unfold(0, kernel[axis], stride_[axis])[:out].sum(-1))
    divisor = counts[0][:, None] * counts[1][None, :]  # (H_out, W_out)
    # y = Σ_{窗口} x / |R|
    y = windows.sum(dim=(-2, -1)) / divisor  # (N, C, H_out, W_out)
    return y.squeeze(0) if added else y


def adaptive_bins(n: int, out: int) -> list[tuple[int, int]]:
    r"""自适应池化沿一个方向的 ``out`` 个区间 $[\lfloor in/o \rfloor, \lceil (i+1)n/o \rceil)$（PyTorch 的规则）。

    相邻区间可能重叠一个格子；输入比输出短时，有的格子会被几个区间共用。

    Parameters
    ----------
    n : int
        输入长度，≥ 1。
    out : int
        输出长度，在 ``[1, SIZE_MAX]`` 内。

    Returns
    -------
    list of tuple[int, int]
        每个输出位置的 ``(start, end)``（左闭右开）。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> adaptive_bins(7, 3)
    [(0, 3), (2, 5), (4, 7)]
    >>> adaptive_bins(2, 4)
    [(0, 1), (0, 1), (1, 2), (1, 2)]
    """
    check_int(n, "n", low=1)
    check_int(out, "out", low=1, high=SIZE_MAX)
    # start_i = ⌊i·n/o⌋，end_i = ⌈(i+1)·n/o⌉
    return [((i * n) // out, -(-((i + 1) * n) // out)) for i in range(out)]


def _adaptive(x: object, output_size: int | tuple[int, int], mode: str) -> torch.Tensor:
    x, added = _as_batch(x)
    oh, ow = _pair(output_size, "output_size", 1)
    rows = adaptive_bins(x.shape[-2], oh)
    cols = adaptive_bins(x.shape[-1], ow)
    out = []
    for r0, r1 in rows:
        row = []
        for c0, c1 in cols:
            region = x[..., r0:r1, c0:c1].flatten(-2)  # (N, C, 区间内的格子数)
            row.append(region.max(dim=-1).values if mode == "max" else region.mean(dim=-1))
        out.append(torch.stack(row, dim=-1))
    y = torch.stack(out, dim=-2)  # (N, C, H_out, W_out)
    return y.squeeze(0) if added else y


def adaptive_max_pool2d(x: torch.Tensor, output_size: int | tuple[int, int]) -> torch.Tensor:
    """自适应最大池化：不管输入多大，输出都是 ``output_size``；区间由 [`adaptive_bins`][dlguide.pooling.adaptive_bins] 给出。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 或 ``(C, H, W)`` 的浮点张量。
    output_size : int or tuple of int
        输出的 ``(H_out, W_out)``。

    Returns
    -------
    torch.Tensor
        ``(N, C, H_out, W_out)``（输入没有批维时也没有）。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 3 或 4 维浮点张量，或 ``output_size`` 越界。

    Examples
    --------
    >>> [tuple(adaptive_max_pool2d(torch.randn(1, 8, s, s), 2).shape) for s in (5, 13, 40)]
    [(1, 8, 2, 2), (1, 8, 2, 2), (1, 8, 2, 2)]
    """
    return _adaptive(x, output_size, "max")


def adaptive_avg_pool2d(x: torch.Tensor, output_size: int | tuple[int, int]) -> torch.Tensor:
    """自适应平均池化：输出大小固定为 ``output_size``，区间同 [`adaptive_max_pool2d`][dlguide.pooling.adaptive_max_pool2d]。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 或 ``(C, H, W)`` 的浮点张量。
    output_size : int or tuple of int
        输出的 ``(H_out, W_out)``。

    Returns
    -------
    torch.Tensor
        ``(N, C, H_out, W_out)``（输入没有批维时也没有）。

    Raises
    ------
    TypeError, ValueError
        同 [`adaptive_max_pool2d`][dlguide.pooling.adaptive_max_pool2d]。

    Examples
    --------
    >>> adaptive_avg_pool2d(torch.arange(1., 10.).reshape(1, 3, 3), 2).tolist()
    [[[3.0, 4.0], [6.0, 7.0]]]
    """
    return _adaptive(x, output_size, "avg")


def global_avg_pool2d(x: torch.Tensor) -> torch.Tensor:
    r"""全局平均池化：每个通道对整张特征图求平均，$(N, C, H, W) \to (N, C)$。

    它等于 ``adaptive_avg_pool2d(x, 1)`` 再展平；放在分类器前面代替展平 + 大全连接层（NIN、GoogLeNet、ResNet）。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 的浮点张量。

    Returns
    -------
    torch.Tensor
        ``(N, C)``。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 4 维浮点张量，或高、宽为 0。

    Examples
    --------
    >>> global_avg_pool2d(torch.arange(8.).reshape(1, 2, 2, 2)).tolist()
    [[1.5, 5.5]]
    """
    x = check_tensor(x, "x", ndim=4)
    if x.shape[-1] == 0 or x.shape[-2] == 0:
        raise ValueError(f"x 的高和宽必须 ≥ 1，收到形状 {tuple(x.shape)}")
    # GAP(x)_c = (1/HW) Σ_{h,w} x_{c,h,w}
    return x.mean(dim=(-2, -1))  # (N, C)


def spp_paper_bins(a: int, n: int) -> int:
    r"""SPPNet 论文里“窗口 $\lceil a/n \rceil$、步幅 $\lfloor a/n \rfloor$”的滑窗池化实际产生的格数。

    论文用它在 $a\times a$ 的特征图上做 $n\times n$ 的金字塔层；这个公式并不总能得到 $n$ 格
    （例如 $a=7, n=4$ 得到 6 格，$a<n$ 时步幅为 0）。自适应池化（[`adaptive_bins`][dlguide.pooling.adaptive_bins]）总是恰好 $n$ 格。

    Parameters
    ----------
    a : int
        特征图边长，≥ 1。
    n : int
        想要的格数，≥ 1。

    Returns
    -------
    int
        $\lfloor (a - \lceil a/n\rceil) / \lfloor a/n\rfloor \rfloor + 1$；步幅为 0 时返回 0（这一层无法构成）。

    Raises
    ------
    TypeError, ValueError
        参数不是正整数。

    Examples
    --------
    >>> [spp_paper_bins(13, n) for n in (1, 2, 3, 6)]    # 论文里 conv5 是 13×13：都对
    [1, 2, 3, 6]
    >>> spp_paper_bins(7, 4), spp_paper_bins(3, 4)
    (6, 0)
    """
    check_int(a, "a", low=1)
    check_int(n, "n", low=1)
    # win = ⌈a/n⌉，str = ⌊a/n⌋
    win, stride = -(-a // n), a // n
    if stride == 0:
        return 0
    return (a - win) // stride + 1


def _levels(levels: object) -> tuple[int, ...]:
    if not isinstance(levels, Sequence) or isinstance(levels, str) or len(levels) == 0:
        raise TypeError(f"levels 必须是非空的整数序列，例如 (1, 2, 4)，收到 {levels!r}")
    return tuple(check_int(n, f"levels[{i}]", low=1, high=64) for i, n in enumerate(levels))


def spatial_pyramid_pool(x: torch.Tensor, levels: Sequence[int] = (1, 2, 4), mode: str = "max") -> torch.Tensor:
    r"""空间金字塔池化：对每个金字塔层 $n$ 做 $n\times n$ 的自适应池化，展平后拼接。

    输出长度 $C\sum_n n^2$ 与输入的高、宽无关，后面就能接固定大小的全连接层（He 等，2014）。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 的浮点张量，任意 ``H, W ≥ 1``。
    levels : sequence of int
        每层的格数 $n$，每个在 ``[1, 64]`` 内，例如 ``(1, 2, 4)``。
    mode : str
        ``"max"``（论文）或 ``"avg"``。

    Returns
    -------
    torch.Tensor
        ``(N, C·Σ n²)``：先是第 1 层的 ``C·n₁²`` 个数（按通道、行、列展平），再是第 2 层……

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是 4 维浮点张量，``levels`` 不是正整数序列，或 ``mode`` 不认识。

    Examples
    --------
    >>> [tuple(spatial_pyramid_pool(torch.randn(2, 16, s, s + 3)).shape) for s in (6, 13, 31)]
    [(2, 336), (2, 336), (2, 336)]
    """
    x = check_tensor(x, "x", ndim=4)
    levels_ = _levels(levels)
    check_choice(mode, "mode", ("max", "avg"))
    pool = adaptive_max_pool2d if mode == "max" else adaptive_avg_pool2d
    # [pool_n(x) 展平 for n in levels] 拼接 → (N, C·Σ n²)
    return torch.cat([pool(x, n).flatten(1) for n in levels_], dim=1)


class SpatialPyramidPooling(nn.Module):
    """[`spatial_pyramid_pool`][dlguide.pooling.spatial_pyramid_pool] 的层版本：把任意大小的特征图变成定长向量。

    Parameters
    ----------
    levels : sequence of int
        每个金字塔层的格数，例如 ``(1, 2, 4)``。
    mode : str
        ``"max"`` 或 ``"avg"``。

    Examples
    --------
    >>> spp = SpatialPyramidPooling((1, 2, 4))
    >>> spp.output_features(256)                   # 论文 ZF-5 的 conv5 有 256 个通道：(1 + 4 + 16)·256
    5376
    >>> tuple(spp(torch.randn(1, 256, 10, 17)).shape)
    (1, 5376)
    """

    def __init__(self, levels: Sequence[int] = (1, 2, 4), mode: str = "max") -> None:
        super().__init__()
        self.levels = _levels(levels)
        self.mode = str(check_choice(mode, "mode", ("max", "avg")))

    def output_features(self, channels: int) -> int:
        r"""输入有 ``channels`` 个通道时的输出长度 $C\sum_n n^2$。"""
        check_int(channels, "channels", low=1)
        return channels * sum(n * n for n in self.levels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return spatial_pyramid_pool(x, self.levels, self.mode)

    def extra_repr(self) -> str:
        return f"levels={self.levels}, mode={self.mode!r}"
