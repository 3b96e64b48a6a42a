"""“目标检测（R-CNN 系列）”一页的实验：RPN 的锚框，RoI 池化与 RoIAlign 的量化误差。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dlguide._checks import check_int, check_positive
from dlguide.detection import roi_align, roi_pool
from dlguide.figures import figure, new_figure

__all__ = [
    "rpn_anchor_shapes",
    "roi_shift_response",
    "roi_quantization_figure",
]


def rpn_anchor_shapes(scales: tuple[float, ...] = (128.0, 256.0, 512.0), ratios: tuple[float, ...] = (0.5, 1.0, 2.0)) -> torch.Tensor:
    r"""Faster R-CNN 的锚框形状：每个尺度 $s$、每个高宽比 $r = h/w$ 一个，面积都是 $s^2$，即 $w = s/\sqrt r$、$h = s\sqrt r$。

    Returns
    -------
    torch.Tensor
        形状 ``(len(scales)·len(ratios), 2)``，每行 ``(w, h)``。

    Examples
    --------
    >>> [[round(v) for v in row] for row in rpn_anchor_shapes((128.0,), (0.5, 1.0, 2.0)).tolist()]
    [[181, 91], [128, 128], [91, 181]]
    """
    if not isinstance(scales, tuple) or not isinstance(ratios, tuple) or not scales or not ratios:
        raise TypeError("scales 和 ratios 必须是非空的正数元组")
    for s in scales:
        check_positive(s, "scales 的元素")
    for r in ratios:
        check_positive(r, "ratios 的元素")
    # 面积 s²、高宽比 r：w = s/√r，h = s·√r
    return torch.tensor([[s / math.sqrt(r), s * math.sqrt(r)] for s in scales for r in ratios])


def roi_shift_response(steps: int = 9, width: float = 5.0) -> dict[str, list[float]]:
    r"""把一个宽 ``width`` 的 RoI 在特征图上向右平移 0、0.25、0.5……个像素，看 RoI 池化和 RoIAlign 的输出怎么变。

    特征图是 $f(y, x) = x$（值等于列号），两种池化都输出 1×1，所以输出就是“框里取到的特征”。
    框的中心每移 $\delta$，理想的输出也应该移 $\delta$。

    Returns
    -------
    dict
        ``{"shift": [...], "roi_pool": [...], "roi_align": [...]}``，各保留 4 位小数。

    Examples
    --------
    >>> r = roi_shift_response(steps=3)
    >>> r["shift"], r["roi_pool"], r["roi_align"]
    ([0.0, 0.25, 0.5], [7.0, 7.0, 8.0], [4.0, 4.25, 4.5])
    """
    check_int(steps, "steps", low=1, high=100)
    check_positive(width, "width")
    if width > 10:
        raise ValueError(f"width 必须在 (0, 10] 内，收到 {width}")
    features = torch.arange(16.0).repeat(16, 1)[None, None]  # (1, 1, 16, 16)，f(y, x) = x
    out: dict[str, list[float]] = {"shift": [], "roi_pool": [], "roi_align": []}
    for k in range(steps):
        d = 0.25 * k
        roi = torch.tensor([[0.0, 2.0 + d, 2.0, 2.0 + d + width, 2.0 + width]])
        out["shift"].append(d)
        out["roi_pool"].append(round(roi_pool(features, roi, 1).item(), 4))
        out["roi_align"].append(round(roi_align(features, roi, 1, sampling_ratio=2, aligned=True).item(), 4))
    return out


@figure
def roi_quantization_figure() -> Figure:
    """左：一个小数坐标的 RoI 在 8×8 特征图上，RoI 池化取整后的 2×2 块（橙色）与 RoIAlign 的采样点（蓝点）；
    右：RoI 向右平移时两种池化的输出，RoI 池化是台阶，RoIAlign 跟着线性变化。"""
    fig, (left, right) = new_figure(2, width=8.0, height=3.6)
    x1, y1, x2, y2 = 1.3, 1.6, 6.1, 5.4
    left.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, ec="black", lw=1.5, label="RoI（小数坐标）"))
    # RoI 池化：端点四舍五入到整数像素（端点包含在内），2×2 块的边界再取整
    xs, ys, xe, ye = round(x1), round(y1), round(x2), round(y2)
    w, h = xe - xs + 1, ye - ys + 1
    for p in range(2):
        for q in range(2):
            h0, h1 = ys + math.floor(p * h / 2), ys + math.ceil((p + 1) * h / 2)
            w0, w1 = xs + math.floor(q * w / 2), xs + math.ceil((q + 1) * w / 2)
            left.add_patch(Rectangle((w0, h0), w1 - w0, h1 - h0, fill=True, alpha=0.15 + 0.1 * (p + q), color="tab:orange"))
    # RoIAlign（aligned=True）：像素 i 的中心在 i + 0.5，每块 2×2 个采样点
    bw, bh = (x2 - x1) / 2, (y2 - y1) / 2
    px = [x1 + q * bw + (u + 0.5) * bw / 2 for q in range(2) for u in range(2)]
    py = [y1 + p * bh + (u + 0.5) * bh / 2 for p in range(2) for u in range(2)]
    left.scatter([x for x in px for _ in py], [y for _ in px for y in py], s=12, color="tab:blue", zorder=3, label="RoIAlign 采样点")
    left.set_xlim(0, 8)
    left.set_ylim(8, 0)
    left.set_xticks(range(9))
    left.set_yticks(range(9))
    left.set_aspect("equal")
    left.set_title("橙色：RoI 池化取整后的 2×2 块", fontsize=9)
    left.legend(fontsize=7, loc="lower right")
    r = roi_shift_response(steps=17)
    right.step(r["shift"], r["roi_pool"], where="post", label="RoI 池化（取整）")
    right.plot(r["shift"], r["roi_align"], marker="o", ms=3, label="RoIAlign（双线性插值）")
    right.set_xlabel("RoI 向右平移的像素数")
    right.set_ylabel("输出（特征值 = 列号）")
    right.legend(fontsize=8)
    return fig
