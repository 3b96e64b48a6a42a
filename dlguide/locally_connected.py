r"""局部连接层（locally connected layer，“不共享参数的卷积”）：用 ``F.unfold`` 实现，PyTorch 没有内置的这种层。

它和卷积一样只看每个输出位置的局部窗口（稀疏连接），但**每个输出位置** $(h, w)$ 有自己的一套核：

$$
y[o, h, w] = b[o, h, w] + \sum_{c}\sum_{i,j} W_{h,w}[o, c, i, j]\; x[c,\; s h + i - p,\; s w + j - p] .
$$

所有位置的 $W_{h,w}$ 都相同时它就是卷积（``tests/test_locally_connected.py`` 用 ``F.conv2d`` 核对这一点），
参数个数是同样形状的卷积层的 $H_\text{out}W_\text{out}$ 倍。DeepFace（Taigman 等，CVPR 2014）在对齐过的人脸上用了三层。
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dlguide._checks import check_bool, check_int, check_seed, check_tensor
from dlguide.conv import conv_output_size

__all__ = [
    "LocallyConnected2d",
    "locally_connected2d",
]

MAX_PARAMETERS = 2**28
"""一层参数个数的上限（$2^{28}$，float32 时 1 GiB），超过的在读者的机器上建不出来。"""


def locally_connected2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int = 1,
    padding: int = 0,
) -> torch.Tensor:
    r"""局部连接层的前向计算：``unfold`` 取出每个窗口，再让每个位置的窗口乘以**自己**的权重矩阵。

    Parameters
    ----------
    x : torch.Tensor
        ``(B, C_in, H, W)``，浮点。
    weight : torch.Tensor
        ``(H_out, W_out, C_out, C_in, k, k)``：每个输出位置一套 ``(C_out, C_in, k, k)`` 的核，与 ``x`` 同 dtype、同设备。
    bias : torch.Tensor, optional
        ``(C_out, H_out, W_out)``：每个输出位置、每个通道一个偏置。
    stride : int
        步幅，在 [1, 1024] 内。
    padding : int
        每侧补 0 的个数，在 [0, 1024] 内。

    Returns
    -------
    torch.Tensor
        ``(B, C_out, H_out, W_out)``，``H_out``、``W_out`` 由 [`conv_output_size`][dlguide.conv.conv_output_size] 给出，
        且必须与 ``weight`` 的前两维一致。

    Raises
    ------
    TypeError, ValueError
        张量类型不对，形状不匹配，尺寸越界。

    Examples
    --------
    每个位置的核都取同一个时，结果就是卷积：

    >>> g = torch.Generator().manual_seed(0)
    >>> x = torch.randn(2, 3, 6, 6, generator=g)
    >>> kernel = torch.randn(4, 3, 3, 3, generator=g)              # (C_out, C_in, k, k)
    >>> shared = kernel.expand(4, 4, 4, 3, 3, 3)                   # 4×4 个输出位置都用它
    >>> torch.allclose(locally_connected2d(x, shared), F.conv2d(x, kernel), atol=1e-5)
    True
    """
    check_tensor(x, "x", ndim=4, nonempty=True)
    check_tensor(weight, "weight", ndim=6, nonempty=True)
    if x.dtype != weight.dtype or x.device != weight.device:
        raise ValueError(f"weight 必须与 x 同 dtype、同设备，收到 {weight.dtype}/{weight.device} 和 {x.dtype}/{x.device}")
    stride = check_int(stride, "stride", low=1, high=1024)
    padding = check_int(padding, "padding", low=0, high=1024)
    h_out, w_out, c_out, c_in, kh, kw = weight.shape
    if c_in != x.shape[1] or kh != kw:
        raise ValueError(f"weight 的形状必须是 (H_out, W_out, C_out, {x.shape[1]}, k, k)（方形核、输入通道与 x 一致），"
                         f"收到 {tuple(weight.shape)}")
    expected = tuple(conv_output_size(n, kh, stride, padding) for n in x.shape[2:])
    if expected != (h_out, w_out):
        raise ValueError(f"weight 的前两维必须是输出大小 {expected}（由输入 {tuple(x.shape[2:])}、k={kh}、"
                         f"stride={stride}、padding={padding} 决定），收到 {(h_out, w_out)}")
    if bias is not None:
        check_tensor(bias, "bias", ndim=3)
        if tuple(bias.shape) != (c_out, h_out, w_out) or bias.dtype != x.dtype or bias.device != x.device:
            raise ValueError(f"bias 必须是形状 {(c_out, h_out, w_out)}、与 x 同 dtype 和设备的张量，"
                             f"收到 {tuple(bias.shape)}/{bias.dtype}")
    B = x.shape[0]
    L = h_out * w_out
    cols = F.unfold(x, kh, padding=padding, stride=stride)  # (B, C_in·k·k, L)
    w = weight.reshape(L, c_out, c_in * kh * kw)  # (L, C_out, C_in·k·k)：第 l 个位置自己的矩阵
    # y[b, o, l] = Σ_j W_l[o, j] · cols[b, j, l]
    y = torch.einsum("bjl,loj->bol", cols, w)  # (B, C_out, L)
    y = y.reshape(B, c_out, h_out, w_out)
    if bias is not None:
        # 每个位置、每个通道自己的偏置
        y = y + bias
    return y


class LocallyConnected2d(nn.Module):
    r"""局部连接层模块：接口与 ``nn.Conv2d`` 相似，但必须事先知道输入的大小（每个输出位置一套参数）。

    初始化与 ``nn.Conv2d`` 相同：权重和偏置都取 $U(-1/\sqrt{C_\text{in} k^2},\, 1/\sqrt{C_\text{in} k^2})$。

    Parameters
    ----------
    in_channels, out_channels : int
        输入、输出通道数，在 [1, 4096] 内。
    input_size : int or tuple[int, int]
        输入的 ``(H, W)``，每个在 [1, 4096] 内。
    kernel_size : int
        方形核的边长，在 [1, 256] 内。
    stride : int
        步幅，在 [1, 256] 内。
    padding : int
        每侧补 0 的个数，在 [0, 256] 内。
    bias : bool
        是否有偏置（每个输出位置、每个通道一个）。
    seed : int, optional
        给出时用它初始化参数。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界，核比填充后的输入大，参数个数超过 [`MAX_PARAMETERS`][dlguide.locally_connected.MAX_PARAMETERS]。

    Examples
    --------
    >>> layer = LocallyConnected2d(3, 6, 32, 5, seed=0)            # 32×32×3 → 28×28×6
    >>> tuple(layer(torch.zeros(1, 3, 32, 32)).shape), sum(p.numel() for p in layer.parameters())
    ((1, 6, 28, 28), 357504)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        input_size: int | tuple[int, int],
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        bias: bool = True,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        c_in = check_int(in_channels, "in_channels", low=1, high=4096)
        c_out = check_int(out_channels, "out_channels", low=1, high=4096)
        if isinstance(input_size, (list, tuple)):
            if len(input_size) != 2:
                raise ValueError(f"input_size 必须是一个整数或 (H, W)，收到 {input_size!r}")
            h, w = (check_int(v, "input_size", low=1, high=4096) for v in input_size)
        else:
            h = w = check_int(input_size, "input_size", low=1, high=4096)
        k = check_int(kernel_size, "kernel_size", low=1, high=256)
        self.stride = check_int(stride, "stride", low=1, high=256)
        self.padding = check_int(padding, "padding", low=0, high=256)
        check_bool(bias, "bias")
        h_out = conv_output_size(h, k, self.stride, self.padding)
        w_out = conv_output_size(w, k, self.stride, self.padding)
        count = h_out * w_out * c_out * (c_in * k * k + (1 if bias else 0))
        if count > MAX_PARAMETERS:
            raise ValueError(f"input_size 或通道数太大：这一层将有 {count} 个参数，超过上限 {MAX_PARAMETERS}")
        self.input_size = (h, w)
        if seed is not None:
            torch.manual_seed(check_seed(seed))
        bound = 1 / math.sqrt(c_in * k * k)
        # W ~ U(−1/√(C_in k²), 1/√(C_in k²))，每个输出位置一套 (C_out, C_in, k, k)
        self.weight = nn.Parameter(torch.empty(h_out, w_out, c_out, c_in, k, k).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(c_out, h_out, w_out).uniform_(-bound, bound)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C_in, H, W)`` → ``(B, C_out, H_out, W_out)``；``(H, W)`` 必须等于构造时的 ``input_size``。

        Parameters
        ----------
        x : torch.Tensor
            ``(B, C_in, H, W)``。

        Returns
        -------
        torch.Tensor
            ``(B, C_out, H_out, W_out)``。

        Raises
        ------
        TypeError, ValueError
            ``x`` 不是 4 维浮点张量，或大小与构造时的 ``input_size`` 不同。

        Examples
        --------
        >>> layer = LocallyConnected2d(1, 2, (4, 5), 3, padding=1, seed=0)
        >>> tuple(layer(torch.ones(3, 1, 4, 5)).shape)
        (3, 2, 4, 5)
        """
        check_tensor(x, "x", ndim=4, nonempty=True)
        if tuple(x.shape[2:]) != self.input_size:
            raise ValueError(f"x 的空间大小必须是构造时的 input_size {self.input_size}，收到 {tuple(x.shape[2:])}"
                             "（局部连接层的每个输出位置有自己的参数，换一个输入大小就没有对应的参数）")
        return locally_connected2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        h_out, w_out, c_out, c_in, k, _ = self.weight.shape
        return (f"{c_in}, {c_out}, input_size={self.input_size}, kernel_size={k}, stride={self.stride}, "
                f"padding={self.padding}, output_size={(h_out, w_out)}")
