"""“人脸论文里的局部连接层”一页：DeepFace 各层的参数个数、卷积/局部连接/全连接的参数对比图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import check_bool, check_choice, check_int, check_seed, resolve_seed
from dlguide.conv import conv_output_size
from dlguide.figures import figure, new_figure
from dlguide.locally_connected import LocallyConnected2d

__all__ = [
    "DEEPFACE",
    "LAYER_KINDS",
    "aligned_patterns",
    "deepface_parameters",
    "layer_parameters",
    "parameter_bars",
    "position_model",
]

LAYER_KINDS = ("conv", "local", "full")
"""[`layer_parameters`][dlguide.pages.misc.locally_connected.layer_parameters] 支持的层：卷积、局部连接、全连接。"""

DEEPFACE = (
    ("C1", "conv", 3, 32, 11, 1),
    ("M2", "pool", 32, 32, 3, 2),
    ("C3", "conv", 32, 16, 9, 1),
    ("L4", "local", 16, 16, 9, 1),
    ("L5", "local", 16, 16, 7, 2),
    ("L6", "local", 16, 16, 5, 1),
    ("F7", "full", 16, 4096, 0, 0),
    ("F8", "full", 4096, 4030, 0, 0),
)
"""DeepFace（Taigman 等，CVPR 2014，图 2）的层：``(名字, 类型, C_in, C_out, k, 步幅)``，输入 152×152×3。

论文把 C3 写成“16 个 9×9×16 的核”，但它的输入（M2 的输出）有 32 个通道，这里按 32 算。
"""


def layer_parameters(
    kind: str = "conv",
    in_channels: int = 16,
    out_channels: int = 16,
    input_size: int = 63,
    kernel_size: int = 9,
    stride: int = 1,
    bias: bool = True,
) -> int:
    r"""一层的参数个数（方形输入、无填充），不必真的建出这一层。

    - 卷积：$C_\text{out}(C_\text{in}k^2 + 1)$，与输入大小无关；
    - 局部连接：每个输出位置一套，$H_\text{out}W_\text{out}\,C_\text{out}(C_\text{in}k^2 + 1)$；
    - 全连接（同样的输入、输出形状）：$(C_\text{in}H W)(C_\text{out}H_\text{out}W_\text{out}) + C_\text{out}H_\text{out}W_\text{out}$。

    Parameters
    ----------
    kind : str
        [`LAYER_KINDS`][dlguide.pages.misc.locally_connected.LAYER_KINDS] 之一。
    in_channels, out_channels : int
        通道数，在 [1, 100000] 内（默认值是 DeepFace 的 L4）。
    input_size : int
        输入边长 $H = W$，在 [1, 10000] 内。
    kernel_size : int
        核边长，在 [1, 10000] 内，不超过 ``input_size``。
    stride : int
        步幅，在 [1, 10000] 内。
    bias : bool
        是否有偏置。

    Returns
    -------
    int
        参数个数。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> [layer_parameters(k, 3, 6, 32, 5) for k in LAYER_KINDS]        # 32×32×3 → 28×28×6
    [456, 357504, 14455392]
    """
    check_choice(kind, "kind", LAYER_KINDS)
    c_in = check_int(in_channels, "in_channels", low=1, high=100_000)
    c_out = check_int(out_channels, "out_channels", low=1, high=100_000)
    n = check_int(input_size, "input_size", low=1, high=10_000)
    k = check_int(kernel_size, "kernel_size", low=1, high=n)
    s = check_int(stride, "stride", low=1, high=10_000)
    b = int(check_bool(bias, "bias"))
    m = conv_output_size(n, k, s)
    if kind == "conv":
        # C_out·(C_in·k² + 1)
        return c_out * (c_in * k * k + b)
    if kind == "local":
        # H_out·W_out·C_out·(C_in·k² + 1)
        return m * m * c_out * (c_in * k * k + b)
    # (C_in·H·W)·(C_out·H_out·W_out) + 偏置
    return c_in * n * n * c_out * m * m + b * c_out * m * m


def deepface_parameters() -> list[tuple[str, str, int, int]]:
    """按 [`DEEPFACE`][dlguide.pages.misc.locally_connected.DEEPFACE] 逐层算输出边长和参数个数（含偏置，局部连接层每个位置一个偏置）。

    Returns
    -------
    list[tuple[str, str, int, int]]
        每层 ``(名字, 类型, 输出边长, 参数个数)``；全连接层的输出边长记为 1。

    Examples
    --------
    >>> [row[2] for row in deepface_parameters()]
    [142, 71, 63, 55, 25, 21, 1, 1]
    """
    rows, n = [], 152
    for name, kind, c_in, c_out, k, s in DEEPFACE:
        if kind == "pool":
            # 3×3/2 池化：142 → 71 需要向上取整（Caffe 的池化默认如此）
            n, count = conv_output_size(n, k, s, ceil_mode=True), 0
        elif kind == "full":
            count = c_in * n * n * c_out + c_out  # 把前一层展平
            n = 1
        else:
            count = layer_parameters(kind, c_in, c_out, n, k, s)
            n = conv_output_size(n, k, s)
        rows.append((name, kind, n, count))
    return rows


@figure
def parameter_bars() -> Figure:
    """DeepFace 的 L4 这样一层（63×63×16 → 55×55×16，9×9 核）做成卷积、局部连接、全连接时的参数个数（对数坐标）。"""
    counts = [layer_parameters(kind, 16, 16, 63, 9) for kind in LAYER_KINDS]
    fig, (ax,) = new_figure(1, width=6, height=3.2)
    names = ["卷积（共享）", "局部连接（DeepFace L4）", "全连接"]
    bars = ax.barh(names, counts, color=["tab:green", "tab:orange", "tab:red"])
    ax.set_xscale("log")
    for bar, count in zip(bars, counts):
        ax.text(count * 1.3, bar.get_y() + bar.get_height() / 2, f"{count:,}", va="center", fontsize=9)
    ax.set_xlim(1e3, 1e11)
    ax.set_xlabel("参数个数（对数坐标）")
    ax.set_title("63×63×16 → 55×55×16、9×9 窗口的一层", fontsize=10)
    return fig


def aligned_patterns(n: int = 400, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """“对齐的人脸”的玩具版：10×10 图，上半部（“眼睛”的位置，第 2 行）和下半部（“嘴”的位置，第 7 行）各以 1/2 的概率出现同一根横条，
    加上标准差 0.1 的噪声。标签只看**上半部**有没有横条；下半部的横条是干扰。

    同一个图案出现在不同位置含义不同：位置无关的特征（卷积 + 全局池化）分不清它在哪里，最多答对 3/4；
    每个位置自己的滤波器（局部连接）可以只在上半部响应。

    Parameters
    ----------
    n : int
        样本数，在 [4, 100000] 内。
    seed : int or None
        随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` ``(n, 1, 10, 10)`` float32，``y`` ``(n,)`` int64。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> X, y = aligned_patterns(8)
    >>> tuple(X.shape), y.tolist()
    ((8, 1, 10, 10), [1, 0, 1, 1, 1, 0, 1, 0])
    """
    n = check_int(n, "n", low=4, high=100_000)
    g = torch.Generator().manual_seed(resolve_seed(seed))
    top = torch.rand(n, generator=g) < 0.5
    bottom = torch.rand(n, generator=g) < 0.5
    X = 0.1 * torch.randn(n, 1, 10, 10, generator=g)
    # 同一根横条（4 个像素）：上半部第 2 行、下半部第 7 行
    X[top, 0, 2, 3:7] += 1.0
    X[bottom, 0, 7, 3:7] += 1.0
    return X, top.long()


def position_model(kind: str = "local", seed: int | None = 0) -> nn.Sequential:
    """3×3、4 个滤波器的一层（卷积或局部连接）→ ReLU → 全局平均池化 → 线性分类器，输入 ``(B, 1, 10, 10)``。

    两种模型的分类头完全相同，区别只在第一层是否共享参数。

    Parameters
    ----------
    kind : str
        ``"conv"`` 或 ``"local"``。
    seed : int or None
        初始化的种子；``None`` 时不重新设种子。

    Returns
    -------
    torch.nn.Sequential
        ``(B, 1, 10, 10)`` → ``(B, 2)``。

    Raises
    ------
    TypeError, ValueError
        ``kind`` 不认识，``seed`` 不对。

    Examples
    --------
    >>> [sum(p.numel() for p in position_model(k).parameters()) for k in ("conv", "local")]
    [50, 2570]
    """
    check_choice(kind, "kind", ("conv", "local"))
    seed = check_seed(seed)
    if seed is not None:
        torch.manual_seed(seed)
    first = nn.Conv2d(1, 4, 3) if kind == "conv" else LocallyConnected2d(1, 4, 10, 3)
    return nn.Sequential(first, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
