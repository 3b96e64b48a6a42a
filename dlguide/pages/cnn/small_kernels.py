"""“为什么用许多小卷积核”一页：堆叠 3×3 与单个大核的感受野、参数、计算量，有效感受野，以及组合核的约束。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from dlguide._checks import check_bool, check_int, check_module, check_seed
from dlguide.conv import input_gradient, receptive_field_sizes
from dlguide.figures import figure, new_figure

__all__ = ["effective_kernel", "effective_receptive_fields", "stacked_convs"]


def stacked_convs(
    n_layers: int,
    channels: int,
    kernel_size: int = 3,
    *,
    relu: bool = True,
    seed: int | None = None,
) -> nn.Sequential:
    r"""``n_layers`` 个 ``kernel_size``×``kernel_size`` 卷积（通道数不变、“same”填充、无偏置），层间可选 ReLU。

    不加偏置，参数个数正好是 VGG 论文比较时用的 $n_\text{layers}\,k^2C^2$。

    Parameters
    ----------
    n_layers : int
        层数，在 [1, 64] 内。
    channels : int
        每层的输入、输出通道数 $C$，在 [1, 4096] 内。
    kernel_size : int
        奇数核长，在 [1, 31] 内。
    relu : bool
        层与层之间是否加 ReLU（最后一层之后不加）。
    seed : int, optional
        给出时用它初始化参数。

    Returns
    -------
    torch.nn.Sequential
        卷积层（和 ReLU）按顺序排列。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界，``kernel_size`` 是偶数，``relu`` 不是 ``bool``。

    Examples
    --------
    >>> net = stacked_convs(3, 64)
    >>> sum(p.numel() for p in net.parameters()), 3 * 3**2 * 64**2
    (110592, 110592)
    """
    n_layers = check_int(n_layers, "n_layers", low=1, high=64)
    channels = check_int(channels, "channels", low=1, high=4096)
    kernel_size = check_int(kernel_size, "kernel_size", low=1, high=31)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size 必须是奇数（“same”填充要对称），收到 {kernel_size}")
    check_bool(relu, "relu")
    if seed is not None:
        torch.manual_seed(check_seed(seed))
    layers: list[nn.Module] = []
    for i in range(n_layers):
        layers.append(nn.Conv2d(channels, channels, kernel_size, padding=kernel_size // 2, bias=False))
        if relu and i < n_layers - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def effective_kernel(model: nn.Module, kernel_size: int) -> torch.Tensor:
    """单通道**线性**卷积网络（不填充）等价的单个核：把 ``kernel_size``×``kernel_size`` 的单位输入逐个送进去。

    线性、平移等变的映射就是一个卷积。对只有 1×1 输出的单位输入 $e_{ij}$，输出就是核在 $(i, j)$ 处的值，
    所以 ``F.conv2d(x, effective_kernel(model, k)) == model(x)``。

    Parameters
    ----------
    model : torch.nn.Module
        输入 ``(B, 1, H, W)``、输出 ``(B, 1, H − k + 1, W − k + 1)`` 的线性网络（例如没有 ReLU、没有填充的卷积堆叠）。
    kernel_size : int
        等价核的边长 $k$（网络的感受野），在 [1, 63] 内。

    Returns
    -------
    torch.Tensor
        形状 ``(1, 1, k, k)``，与模型参数同 dtype、同设备。

    Raises
    ------
    TypeError, ValueError
        ``model`` 不是模块，``kernel_size`` 越界，或模型对 ``k×k`` 的输入不输出 1×1。

    Examples
    --------
    >>> a = nn.Conv2d(1, 1, 3, bias=False)
    >>> b = nn.Conv2d(1, 1, 3, bias=False)
    >>> with torch.no_grad():
    ...     _ = a.weight.fill_(1.0)
    ...     _ = b.weight.fill_(1.0)
    ...
    >>> effective_kernel(nn.Sequential(a, b), 5)[0, 0, 2].tolist()   # 中间一行：1, 2, 3, 2, 1 再乘 3
    [3.0, 6.0, 9.0, 6.0, 3.0]
    """
    check_module(model, "model")
    k = check_int(kernel_size, "kernel_size", low=1, high=63)
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.get_default_dtype()
    device = param.device if param is not None else torch.device("cpu")
    # 第 i 个样本是只有第 i 个像素为 1 的 k×k 图像
    basis = torch.eye(k * k, dtype=dtype, device=device).reshape(k * k, 1, k, k)
    with torch.no_grad():
        out = model(basis)
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (k * k, 1, 1, 1):
        raise ValueError(f"kernel_size={k} 与 model 不符：k×k 的单通道输入应得到 1×1 的单通道输出，"
                         f"收到形状 {tuple(getattr(out, 'shape', ()))[1:]}")
    return out.reshape(1, 1, k, k)


def _mean_gradient_map(depth: int, size: int, samples: int, seed: int) -> torch.Tensor:
    """``depth`` 层随机初始化的 3×3 卷积（8 个通道、层间 ReLU）的中心输出对输入的 |梯度|，对多个随机网络和输入取平均。"""
    total = torch.zeros(size, size, dtype=torch.float64)
    g = torch.Generator().manual_seed(seed)
    for i in range(samples):
        net = stacked_convs(depth, 8, 3, relu=True, seed=seed + i).double()
        lift = nn.Conv2d(1, 8, 1, bias=False).double()
        with torch.no_grad():
            lift.weight.fill_(1.0)
        x = torch.randn(1, 1, size, size, generator=g, dtype=torch.float64)
        total += input_gradient(nn.Sequential(lift, net), x)
    return total / samples


@figure
def effective_receptive_fields() -> Figure:
    """中心输出对输入的 |∂y/∂x|：一个 7×7 核是均匀的方块；三层 3×3（核全为 1）是中心高、边缘低的金字塔；
    十层随机初始化的 3×3 加 ReLU（理论感受野 21×21）的影响集中在中间一小块，近似高斯（有效感受野）。"""
    ones7 = nn.Conv2d(1, 1, 7, padding=3, bias=False)
    ones3 = stacked_convs(3, 1, 3, relu=False)
    with torch.no_grad():
        ones7.weight.fill_(1.0)
        for layer in ones3:
            layer.weight.fill_(1.0)
    size = 25
    maps = [
        ("一个 7×7 核", input_gradient(ones7, torch.zeros(1, 1, size, size)), 7),
        ("三层 3×3（核全为 1）", input_gradient(ones3, torch.zeros(1, 1, size, size)), 7),
        ("十层随机 3×3 + ReLU", _mean_gradient_map(10, size, 32, 0), receptive_field_sizes([(3, 1, 1)] * 10)[-1][0]),
    ]
    fig, axes = new_figure(3, width=7.6, height=2.9)
    for ax, (title, grad, rf) in zip(axes, maps):
        image = ax.imshow((grad / grad.max()).numpy(), cmap="magma", vmin=0, vmax=1)
        start = size // 2 - rf // 2 - 0.5
        ax.add_patch(Rectangle((start, start), rf, rf, fill=False, edgecolor="tab:cyan", lw=1.0, ls="--"))
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.colorbar(image, ax=axes, shrink=0.8, label="相对影响 |∂y/∂x|")
    return fig
