"""梯度的测量工具：逐层梯度范数、训练过程中的梯度监视器、梯度裁剪。"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Self

import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from dlguide._checks import check_module, check_positive

__all__ = [
    "GradientClipper",
    "GradientMonitor",
    "clip_grad_norm",
    "clip_grad_value",
    "global_grad_norm",
    "layer_grad_norms",
]


def layer_grad_norms(model: nn.Module, kind: type[nn.Module] = nn.Linear) -> list[float]:
    r"""按前向顺序返回每个 ``kind`` 层（默认 ``nn.Linear``）权重梯度的 L2 范数。

    需要先对损失调用 ``backward()``。没有梯度的层记为 ``0.0``。

    Parameters
    ----------
    model : torch.nn.Module
        已经反向传播过的模型。
    kind : type
        统计哪一类层：带 ``weight`` 参数的 ``nn.Module`` 子类，默认 ``nn.Linear``。

    Returns
    -------
    list[float]
        每层 $\lVert \partial L / \partial W^{[l]} \rVert_2$，第 0 个是最靠近输入的层。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``，或 ``kind`` 不是 ``nn.Module`` 的子类。
    ValueError
        ``model`` 里 ``kind`` 类的层没有 ``weight`` 参数（例如 ``nn.ReLU``）。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Linear(2, 2, bias=False), nn.Linear(2, 1, bias=False))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.fill_(1.0)
    ...     _ = net[1].weight.fill_(1.0)
    ...
    >>> net(torch.tensor([[1.0, 2.0]])).sum().backward()
    >>> [round(g, 4) for g in layer_grad_norms(net)]
    [3.1623, 4.2426]
    """
    check_module(model, "model")
    _check_kind(model, kind)
    norms = []
    for layer in model.modules():
        if isinstance(layer, kind):
            grad = layer.weight.grad
            # ‖∂L/∂W‖₂（把整个矩阵看成一个向量）
            norms.append(0.0 if grad is None else _tensor_norm(grad))
    return norms


def _grads(parameters: Iterable[torch.Tensor] | torch.Tensor) -> list[torch.Tensor]:
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    elif isinstance(parameters, (str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(
            f"parameters 必须是张量或张量的可迭代对象（例如 model.parameters()），收到的是 {type(parameters).__name__}"
        )
    parameters = list(parameters)
    for i, p in enumerate(parameters):
        if not isinstance(p, torch.Tensor):
            raise TypeError(f"parameters[{i}] 必须是 torch.Tensor，收到的是 {type(p).__name__}")
    return [p.grad for p in parameters if p.grad is not None]


def _tensor_norm(g: torch.Tensor) -> float:
    """一个张量的 L2 范数，作为 Python float（float64）返回；只要元素都有限，结果就有限。

    float32 直接求 ``vector_norm`` 会先平方：元素超过约 1.8e19 时平方上溢，有限的梯度报出 ``inf``。
    """
    m = g.detach().abs().max().item() if g.numel() else 0.0
    if m == 0.0 or not math.isfinite(m):
        return m  # 全 0，或者真的有 inf/nan
    # ‖g‖ = m·‖g/m‖，m = max|gᵢ|：先除以 m 再平方，|gᵢ/m| ≤ 1，不会上溢
    return m * torch.linalg.vector_norm(g.detach() / m).item()


def _total_norm(grads: list[torch.Tensor]) -> float:
    # ‖g‖ = √(Σ_p ‖g_p‖²)：所有参数的梯度拼成一个长向量后的 L2 范数（hypot 在 float64 里算，也不会上溢）
    return math.hypot(*(_tensor_norm(g) for g in grads))


def global_grad_norm(parameters: Iterable[torch.Tensor] | torch.Tensor) -> float:
    r"""所有参数的梯度拼成一个长向量后的 L2 范数 $\sqrt{\sum_p \lVert g_p \rVert_2^2}$。

    ``parameters`` 是一个张量或张量的可迭代对象（例如 ``model.parameters()``）；没有梯度的张量不计入。

    Raises
    ------
    TypeError
        ``parameters`` 不是张量或张量的可迭代对象。

    Examples
    --------
    >>> import torch
    >>> w = torch.zeros(2, requires_grad=True)
    >>> (w * torch.tensor([3.0, 4.0])).sum().backward()
    >>> global_grad_norm([w])
    5.0
    """
    grads = _grads(parameters)
    return _total_norm(grads) if grads else 0.0


class GradientMonitor:
    """训练时逐步记录梯度范数，并标出梯度里出现 ``inf``/``nan`` 的步。

    两种用法：

    - 手动：每次 ``loss.backward()`` 之后调用 [`record`][dlguide.gradients.GradientMonitor.record]；
    - 上下文：``with GradientMonitor(model):`` 块里，**任何** ``torch.optim`` 优化器每次
      ``step()`` 之前都会自动调用 [`record`][dlguide.gradients.GradientMonitor.record]，所以不用改训练循环（例如
      [`dlguide.training.fit`][dlguide.training.fit]）。

    Parameters
    ----------
    model : torch.nn.Module
        要监视的模型。
    kind : type
        逐层统计哪一类层的权重，默认 ``nn.Linear``（见 [`layer_grad_norms`][dlguide.gradients.layer_grad_norms]）。

    Attributes
    ----------
    global_norms : list[float]
        每步所有参数梯度的总 L2 范数。
    layer_norms : list[list[float]]
        每步每层权重梯度的 L2 范数，层按前向顺序。
    max_abs : list[float]
        每步梯度里绝对值最大的元素。
    nonfinite_steps : list[int]
        梯度**元素**里含 ``inf`` 或 ``nan`` 的步号（从 0 数）。范数的计算不会上溢，
        所以有限的梯度不会因为平方太大而被误报。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``，或 ``kind`` 不是 ``nn.Module`` 的子类。
    ValueError
        ``model`` 里 ``kind`` 类的层没有 ``weight`` 参数。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Linear(2, 1)
    >>> monitor = GradientMonitor(net)
    >>> net(torch.tensor([[3.0, 4.0]])).sum().backward()
    >>> round(monitor.record(), 4), monitor.layer_norms, monitor.first_nonfinite
    (5.099, [[5.0]], None)
    >>> net.weight.grad[0, 0] = float("nan")
    >>> _ = monitor.record()
    >>> monitor.nonfinite_steps, monitor.first_nonfinite
    ([1], 1)
    """

    def __init__(self, model: nn.Module, kind: type[nn.Module] = nn.Linear) -> None:
        check_module(model, "model")
        _check_kind(model, kind)
        self.model = model
        self.kind = kind
        self.global_norms: list[float] = []
        self.layer_norms: list[list[float]] = []
        self.max_abs: list[float] = []
        self.nonfinite_steps: list[int] = []
        self._handle = None

    def record(self) -> float:
        """记录当前梯度（在 ``backward()`` 之后、``step()`` 之前调用），返回总范数。"""
        step = len(self.global_norms)
        grads = _grads(self.model.parameters())
        total = _total_norm(grads) if grads else 0.0
        self.global_norms.append(total)
        self.layer_norms.append(layer_grad_norms(self.model, self.kind))
        largest = [g.detach().abs().max().item() for g in grads if g.numel()]
        self.max_abs.append(math.nan if any(math.isnan(v) for v in largest) else max(largest, default=0.0))
        # 逐个张量检查元素是否有限（不靠总范数：那样 1e20 这样有限但很大的梯度也会被当成 inf）
        if not all(torch.isfinite(g).all().item() for g in grads):
            self.nonfinite_steps.append(step)
        return total

    @property
    def first_nonfinite(self) -> int | None:
        """第一次出现 ``inf``/``nan`` 梯度的步号；从未出现时为 ``None``。"""
        return self.nonfinite_steps[0] if self.nonfinite_steps else None

    def __enter__(self) -> Self:
        mine = {id(p) for p in self.model.parameters()}

        def hook(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
            # 只记录优化本模型参数的优化器
            if any(id(p) in mine for group in optimizer.param_groups for p in group["params"]):
                self.record()

        self._handle = register_optimizer_step_pre_hook(hook)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None


def clip_grad_norm(parameters: Iterable[torch.Tensor] | torch.Tensor, max_norm: float) -> float:
    r"""按总范数裁剪（就地）：$\lVert g\rVert > c$ 时 $g \leftarrow g\cdot c/\lVert g\rVert$，方向不变。

    与 ``torch.nn.utils.clip_grad_norm_`` 相同，分母加 $10^{-6}$ 防止除以 0。

    Parameters
    ----------
    parameters : iterable of torch.Tensor
        带 ``.grad`` 的参数。
    max_norm : float
        阈值 $c > 0$。

    Returns
    -------
    float
        裁剪**前**的总范数（可以拿来监视梯度）。

    Raises
    ------
    TypeError
        ``parameters`` 不是张量或张量的可迭代对象。
    ValueError
        ``max_norm`` 不是有限的正数。

    Examples
    --------
    >>> import torch
    >>> w = torch.zeros(2, requires_grad=True)
    >>> (w * torch.tensor([30.0, 40.0])).sum().backward()
    >>> clip_grad_norm([w], max_norm=1.0), [round(v, 4) for v in w.grad.tolist()]
    (50.0, [0.6, 0.8])
    """
    check_positive(max_norm, "max_norm")
    grads = _grads(parameters)
    if not grads:
        return 0.0
    # ‖g‖ = √(Σ_p ‖g_p‖²)，所有参数一起算（与 global_grad_norm 同一个函数）
    total = _total_norm(grads)
    # 缩放系数 min(1, c / (‖g‖ + ε))：没超过阈值就不动
    scale = min(1.0, max_norm / (total + 1e-6))
    for g in grads:
        g.mul_(scale)
    return total


def clip_grad_value(parameters: Iterable[torch.Tensor] | torch.Tensor, clip_value: float) -> None:
    r"""按元素裁剪（就地）：$g_i \leftarrow \min(\max(g_i, -c), c)$。超阈值的分量被压平，方向一般会变。

    Parameters
    ----------
    parameters : iterable of torch.Tensor
        带 ``.grad`` 的参数。
    clip_value : float
        阈值 $c > 0$。

    Raises
    ------
    TypeError
        ``parameters`` 不是张量或张量的可迭代对象。
    ValueError
        ``clip_value`` 不是有限的正数。

    Examples
    --------
    >>> import torch
    >>> w = torch.zeros(2, requires_grad=True)
    >>> (w * torch.tensor([30.0, 0.4])).sum().backward()
    >>> clip_grad_value([w], clip_value=1.0)
    >>> [round(v, 4) for v in w.grad.tolist()]
    [1.0, 0.4]
    """
    check_positive(clip_value, "clip_value")
    for g in _grads(parameters):
        # 每个分量单独截到 [-c, c]
        g.clamp_(-clip_value, clip_value)


class GradientClipper:
    """上下文管理器：块内 ``model`` 的优化器每次 ``step()`` 之前自动裁剪梯度，训练循环不用改。

    Parameters
    ----------
    model : torch.nn.Module
        要裁剪其梯度的模型。
    max_norm : float, optional
        给出时用 [`clip_grad_norm`][dlguide.gradients.clip_grad_norm] 按总范数裁剪。
    clip_value : float, optional
        给出时用 [`clip_grad_value`][dlguide.gradients.clip_grad_value] 按元素裁剪。两者恰好给一个。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``。
    ValueError
        ``max_norm`` 与 ``clip_value`` 没有恰好给一个，或不是正数。

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> net = nn.Linear(2, 1, bias=False)
    >>> opt = torch.optim.SGD(net.parameters(), lr=1.0)
    >>> with torch.no_grad():
    ...     _ = net.weight.zero_()
    ...
    >>> net(torch.tensor([[30.0, 40.0]])).sum().backward()
    >>> with GradientClipper(net, max_norm=1.0):
    ...     opt.step()
    ...
    >>> [round(v, 4) for v in net.weight[0].tolist()]  # 沿负梯度方向只走了长度 1
    [-0.6, -0.8]
    """

    def __init__(self, model: nn.Module, *, max_norm: float | None = None, clip_value: float | None = None) -> None:
        check_module(model, "model")
        if (max_norm is None) == (clip_value is None):
            raise ValueError("max_norm 与 clip_value 必须恰好给出一个")
        if max_norm is not None:
            check_positive(max_norm, "max_norm")
        if clip_value is not None:
            check_positive(clip_value, "clip_value")
        self.model, self.max_norm, self.clip_value = model, max_norm, clip_value
        self._handle = None

    def __enter__(self) -> Self:
        params = list(self.model.parameters())
        mine = {id(p) for p in params}

        def hook(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
            if any(id(p) in mine for group in optimizer.param_groups for p in group["params"]):
                if self.max_norm is not None:
                    clip_grad_norm(params, self.max_norm)
                else:
                    clip_grad_value(params, self.clip_value)

        self._handle = register_optimizer_step_pre_hook(hook)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None


def _check_kind(model: nn.Module, kind: object) -> None:
    """``kind`` 是 ``nn.Module`` 的子类，且 ``model`` 里这一类的层都有 ``weight`` 参数。"""
    if not (isinstance(kind, type) and issubclass(kind, nn.Module)):
        raise TypeError(f"kind 必须是 nn.Module 的子类（例如 nn.Linear，不是字符串或实例），收到 {kind!r}")
    for layer in model.modules():
        if isinstance(layer, kind) and not isinstance(getattr(layer, "weight", None), torch.Tensor):
            raise ValueError(f"kind 必须是带 weight 参数的层（nn.Linear、nn.Conv2d……），{kind.__name__} 没有 weight")
