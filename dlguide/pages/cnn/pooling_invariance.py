"""“池化为什么对平移不变性有贡献”一页：照片上的边缘特征在平移、旋转、缩放下变了多少，池化前后对比。"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from dlguide._checks import check_choice, check_finite, check_in_range, check_int, check_tensor
from dlguide.figures import figure, new_figure
from dlguide.pooling import global_avg_pool2d, max_pool2d

__all__ = [
    "STAGES",
    "sample_patch",
    "edge_features",
    "transform",
    "relative_change",
    "sensitivity",
    "sensitivity_curves",
]


@lru_cache(maxsize=1)
def _photo() -> torch.Tensor:
    """``china.jpg`` 转成灰度、4×4 平均池化：``(1, 1, 106, 160)``。"""
    from sklearn.datasets import load_sample_images  # noqa: PLC0415  scikit-learn 只在这里用到，导入要 1 秒

    photo = torch.tensor(load_sample_images().images[0], dtype=torch.float32).mean(dim=-1) / 255  # (427, 640)
    return F.avg_pool2d(photo[None, None], 4)


def sample_patch(size: int = 64, *, top: int = 10, left: int = 40) -> torch.Tensor:
    """scikit-learn 随包附带的照片 ``china.jpg``（灰度、4×4 平均池化到 106×160）上的一块 ``size×size``。

    Parameters
    ----------
    size : int
        边长，在 ``[8, 100]`` 内。
    top, left : int
        左上角在缩小后的照片里的位置，整块必须落在 106×160 之内。

    Returns
    -------
    torch.Tensor
        ``(1, 1, size, size)``，取值 [0, 1]。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> tuple(sample_patch(32).shape)
    (1, 1, 32, 32)
    """
    check_int(size, "size", low=8, high=100)
    check_int(top, "top", low=0, high=106 - size)
    check_int(left, "left", low=0, high=160 - size)
    return _photo()[:, :, top : top + size, left : left + size].clone()


_SOBEL = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
"""四个方向的 Sobel 边缘检测核：竖边（左暗右亮 / 左亮右暗）、横边（上暗下亮 / 上亮下暗）。"""
_KERNELS = torch.stack([_SOBEL, _SOBEL.T, -_SOBEL, -_SOBEL.T])[:, None]  # (4, 1, 3, 3)


def edge_features(x: torch.Tensor) -> torch.Tensor:
    """四个方向的 Sobel 卷积 + ReLU，循环填充（边界也平移等变），``(N, 1, H, W) → (N, 4, H, W)``。

    Examples
    --------
    >>> x = torch.zeros(1, 1, 6, 6); x[..., 3:] = 1.0          # 一条竖直的边
    >>> [round(v, 1) for v in edge_features(x).amax(dim=(0, 2, 3)).tolist()]   # 只有竖边的两个核有响应
    [4.0, 0.0, 4.0, 0.0]
    """
    x = check_tensor(x, "x", ndim=4)
    if x.shape[1] != 1:
        raise ValueError(f"x 必须是单通道 (N, 1, H, W)，收到形状 {tuple(x.shape)}")
    # 循环填充：卷积对循环平移严格等变
    return F.relu(F.conv2d(F.pad(x, (1, 1, 1, 1), mode="circular"), _KERNELS.to(x.device, x.dtype)))


STAGES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "卷积": edge_features,
    "最大池化 2×2": lambda x: max_pool2d(edge_features(x), 2),
    "最大池化 4×4": lambda x: max_pool2d(edge_features(x), 4),
    "全局最大池化": lambda x: edge_features(x).amax(dim=(-2, -1)),
    "全局平均池化": lambda x: global_avg_pool2d(edge_features(x)),
}
"""比较的几个阶段（名字 → 函数）：边缘特征（[`edge_features`][dlguide.pages.cnn.pooling_invariance.edge_features]），
再做 2×2、4×4 最大池化，或全局最大 / 平均池化。"""


def transform(x: torch.Tensor, kind: str, amount: float) -> torch.Tensor:
    """对 ``(N, C, H, W)`` 做一种几何变换。

    - ``"shift"``：循环平移 ``amount`` 个像素（向右、向下各 ``amount``，必须是整数），不插值，严格可逆；
    - ``"rotate"``：绕中心旋转 ``amount`` 度（双线性插值，边界反射）；
    - ``"scale"``：以中心放大 ``amount`` 倍（``amount > 0``，双线性插值，边界反射）。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, C, H, W)`` 的浮点张量。
    kind : str
        ``"shift"``、``"rotate"`` 或 ``"scale"``。
    amount : float
        像素数、角度或倍数。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
    >>> transform(x, "shift", 1)[0, 0, 0].tolist()
    [15.0, 12.0, 13.0, 14.0]
    >>> torch.allclose(transform(x, "rotate", 0.0), x), torch.allclose(transform(x, "scale", 1.0), x)
    (True, True)
    """
    x = check_tensor(x, "x", ndim=4, nonempty=True)
    check_choice(kind, "kind", ("shift", "rotate", "scale"))
    if kind == "shift":
        d = check_int(amount, "amount", low=-1024, high=1024)
        return torch.roll(x, shifts=(d, d), dims=(-2, -1))
    amount = check_finite(amount, "amount")
    if kind == "scale" and not 0.1 <= amount <= 10:
        raise ValueError(f"amount 必须在 [0.1, 10] 内（缩放倍数），收到 {amount}")
    t = math.radians(amount) if kind == "rotate" else 0.0
    zoom = 1.0 / amount if kind == "scale" else 1.0
    # 采样网格：输出坐标 → 输入坐标，θ = zoom · [[cos t, −sin t], [sin t, cos t]]
    theta = torch.tensor([[[zoom * math.cos(t), -zoom * math.sin(t), 0.0],
                           [zoom * math.sin(t), zoom * math.cos(t), 0.0]]], dtype=x.dtype, device=x.device)
    grid = F.affine_grid(theta.expand(len(x), 2, 3), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def relative_change(a: torch.Tensor, b: torch.Tensor) -> float:
    r"""相对变化 $\lVert b - a\rVert / \lVert a\rVert$，保留 3 位小数（0 表示完全不变）。

    Examples
    --------
    >>> relative_change(torch.tensor([3.0, 4.0]), torch.tensor([3.0, 5.0]))
    0.2
    """
    check_tensor(a, "a", nonempty=True)
    check_tensor(b, "b", nonempty=True)
    if a.shape != b.shape:
        raise ValueError(f"a 与 b 的形状必须相同，收到 {tuple(a.shape)} 和 {tuple(b.shape)}")
    norm = a.norm().item()
    if norm == 0:
        raise ValueError("a 不能全为 0（相对变化无定义）")
    return round((b - a).norm().item() / norm, 3)


def sensitivity(x: torch.Tensor, kind: str, amounts: Sequence[float]) -> dict[str, list[float]]:
    """对每个阶段（[`STAGES`][dlguide.pages.cnn.pooling_invariance.STAGES]），输入做变换前后特征的相对变化。

    Parameters
    ----------
    x : torch.Tensor
        ``(N, 1, H, W)`` 的图像，``H, W`` 是 4 的倍数。
    kind : str
        见 [`transform`][dlguide.pages.cnn.pooling_invariance.transform]。
    amounts : sequence of float
        变换的幅度，最多 64 个。

    Returns
    -------
    dict[str, list[float]]
        阶段名 → 每个幅度下的相对变化。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> out = sensitivity(sample_patch(32), "shift", [0, 4])
    >>> out["卷积"][0], out["最大池化 4×4"][1] < out["卷积"][1], out["全局最大池化"][1]
    (0.0, True, 0.0)
    """
    x = check_tensor(x, "x", ndim=4, nonempty=True)
    if x.shape[1] != 1 or x.shape[-1] % 4 or x.shape[-2] % 4:
        raise ValueError(f"x 必须是 (N, 1, H, W)、H 和 W 是 4 的倍数，收到形状 {tuple(x.shape)}")
    if not isinstance(amounts, Sequence) or isinstance(amounts, str) or not 1 <= len(amounts) <= 64:
        raise TypeError(f"amounts 必须是 1 到 64 个数的序列，收到 {amounts!r}")
    check_choice(kind, "kind", ("shift", "rotate", "scale"))
    for i, a in enumerate(amounts):  # 先逐个检查，错误信息里写 amounts[i]
        if kind == "shift":
            check_int(a, f"amounts[{i}]", low=-1024, high=1024)
        elif kind == "scale":
            check_in_range(a, f"amounts[{i}]", 0.1, 10.0)
        else:
            check_finite(a, f"amounts[{i}]")
    moved = [transform(x, kind, a) for a in amounts]
    return {name: [relative_change(stage(x), stage(m)) for m in moved] for name, stage in STAGES.items()}


@figure
def sensitivity_curves() -> Figure:
    """照片上的边缘特征：平移、旋转、缩放后相对变化多少，池化前后各一条线。"""
    x = sample_patch(64)
    settings = [
        ("shift", list(range(0, 9)), "循环平移（像素）"),
        ("rotate", [0, 2, 5, 10, 15, 20, 30, 45], "旋转（度）"),
        ("scale", [1.0, 1.05, 1.1, 1.2, 1.3, 1.4, 1.5], "放大（倍）"),
    ]
    fig, axes = new_figure(3, width=11, height=3.6)
    for ax, (kind, amounts, label) in zip(axes, settings):
        result = sensitivity(x, kind, amounts)
        for name, values in result.items():
            ax.plot(amounts, values, marker="o", ms=3, label=name)
        ax.set_xlabel(label)
        ax.set_ylim(-0.05, 1.45)
    axes[0].set_ylabel("特征的相对变化 ‖f(Tx) − f(x)‖ / ‖f(x)‖")
    axes[2].legend(fontsize=8, loc="upper left")
    return fig
