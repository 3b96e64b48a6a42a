"""训练速度一章的图：fp32、fp16、bf16 的表示误差与范围。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.figures import figure, new_figure


@figure("optimization/float-formats.svg")
def float_formats() -> Figure:
    """把 10⁻¹⁰～10⁶ 的数存成 fp16 / bf16 后的相对误差：fp16 在 6×10⁻⁵ 以下精度迅速变差、10⁻⁸ 以下变成 0、65504 以上溢出；bf16 范围与 fp32 相同但精度约 3 位有效数字。"""
    x = torch.logspace(-10, 6, 2000, dtype=torch.float64)
    fig, (ax,) = new_figure(width=7.0, height=3.6)
    for dtype, label in ((torch.float16, "fp16"), (torch.bfloat16, "bf16"), (torch.float32, "fp32")):
        y = x.to(dtype).double()
        rel = ((y - x).abs() / x).clamp(min=1e-9, max=1.0)
        ax.loglog(x, rel, lw=0.8, label=label)
    ax.axvline(65504, color="gray", ls="--", lw=0.8)
    ax.axvline(6.1e-5, color="gray", ls=":", lw=0.8)
    ax.text(2e3, 3e-2, "fp16 上溢\n(65504)", fontsize=8)
    ax.text(1.5e-7, 3e-2, "fp16 次正规数\n(< 6.1e-5)", fontsize=8)
    ax.set_xlabel("数值大小")
    ax.set_ylabel("相对舍入误差（截断在 1）")
    ax.legend(loc="center left")
    return fig
