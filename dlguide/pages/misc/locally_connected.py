"""“人脸论文里的局部连接层”一页：DeepFace 各层的参数个数、卷积/局部连接/全连接的参数对比图。"""

from __future__ import annotations

from matplotlib.figure import Figure

from dlguide._checks import check_bool, check_choice, check_int
from dlguide.conv import conv_output_size
from dlguide.figures import figure, new_figure

__all__ = ["DEEPFACE", "LAYER_KINDS", "deepface_parameters", "layer_parameters", "parameter_bars"]

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
