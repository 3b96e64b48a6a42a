r"""随机失活（dropout）：PyTorch 用的“inverted dropout”，训练时丢弃并放大，推断时原样输出。

$$
y = \frac{m \odot x}{1-p}, \qquad m_i \sim \text{Bernoulli}(1-p),
$$

$p$ 是**丢弃**概率（PyTorch 的 ``p``；吴恩达课程和 TensorFlow 1 的 ``keep_prob`` 是 $1-p$）。除以 $1-p$ 让
$\mathbb E[y] = x$，所以推断时什么都不用做。``tests/test_dropout.py`` 核对它与 ``nn.Dropout`` 的统计性质一致，
在 CPU 上同一个种子下逐元素相同。
"""

from __future__ import annotations

import torch
from torch import nn

from dlguide._checks import check_bool, check_in_range, check_tensor

__all__ = [
    "dropout",
    "Dropout",
]


def dropout(x: torch.Tensor, p: float = 0.5, training: bool = True, generator: torch.Generator | None = None) -> torch.Tensor:
    r"""Inverted dropout：训练时每个元素以概率 ``p`` 置 0，其余乘以 $1/(1-p)$；``training=False`` 时原样返回。

    Parameters
    ----------
    x : torch.Tensor
        任意形状的浮点张量。
    p : float
        丢弃概率，在 $[0, 1]$ 内（``p=1`` 时输出全 0）。
    training : bool
        是否处于训练模式。
    generator : torch.Generator, optional
        给出时用它采样掩码（在生成器所在设备上采样，再搬到 ``x`` 的设备），结果可复现；
        否则用全局随机数（与 ``nn.Dropout`` 相同，CPU 上同一个种子得到同一个掩码）。

    Returns
    -------
    torch.Tensor
        与 ``x`` 同形状。

    Raises
    ------
    TypeError, ValueError
        ``x`` 不是浮点张量，``p`` 不在 $[0, 1]$ 内，或 ``training`` 不是 ``bool``。

    Examples
    --------
    >>> x = torch.ones(10)
    >>> dropout(x, 0.5, generator=torch.Generator().manual_seed(0)).tolist()
    [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 2.0, 2.0, 0.0, 2.0]
    >>> dropout(x, 0.5, training=False).tolist() == x.tolist()
    True
    """
    x = check_tensor(x, "x")
    p = check_in_range(p, "p", 0.0, 1.0)
    check_bool(training, "training")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator 必须是 torch.Generator 或 None，收到的是 {type(generator).__name__}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    device = x.device if generator is None else generator.device
    # m_i ~ Bernoulli(1 − p)：1 表示保留
    mask = torch.empty(x.shape, dtype=x.dtype, device=device).bernoulli_(1 - p, generator=generator).to(x.device)
    # y = x ⊙ m / (1 − p)（与 PyTorch 相同：先把掩码除以 1 − p 再相乘）
    return x * (mask / (1 - p))


class Dropout(nn.Module):
    """[`dropout`][dlguide.dropout.dropout] 的层版本：``model.train()`` 时丢弃，``model.eval()`` 时是恒等映射。

    Parameters
    ----------
    p : float
        丢弃概率，在 $[0, 1]$ 内，默认 0.5（与 ``nn.Dropout`` 相同）。

    Examples
    --------
    >>> layer = Dropout(0.25)
    >>> _ = torch.manual_seed(0)
    >>> round(layer(torch.ones(100_000)).mean().item(), 2)     # 期望不变
    1.0
    >>> layer.eval()(torch.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = check_in_range(p, "p", 0.0, 1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"
