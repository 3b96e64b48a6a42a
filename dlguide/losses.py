"""损失函数，按公式从零实现，并与 ``torch.nn.functional`` 对照测试。"""

from __future__ import annotations

import torch

from dlguide._checks import check_same_shape, check_tensor

__all__ = ["binary_cross_entropy_with_logits", "mse_loss"]


# --8<-- [start:bce_with_logits]
def binary_cross_entropy_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r"""以 logit ``z`` 为输入的二元交叉熵（对样本取平均）。

    $$
    \ell(z, y) = -\bigl[y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))\bigr]
               = \max(z, 0) - z y + \log\bigl(1 + e^{-|z|}\bigr)
    $$

    右边的写法数值稳定，且对 ``z`` 的梯度恰好是 $\sigma(z) - y$。

    Parameters
    ----------
    z : torch.Tensor
        logit（sigmoid 之前的值），浮点张量。
    y : torch.Tensor
        目标，与 ``z`` 同形状，取值在 $[0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        标量，所有元素损失的平均值。

    Raises
    ------
    TypeError
        ``z`` 或 ``y`` 不是浮点张量。
    ValueError
        形状不同，或 ``y`` 越出 $[0, 1]$。

    Examples
    --------
    >>> import torch
    >>> z = torch.tensor([2.0, -1.0])
    >>> y = torch.tensor([1.0, 0.0])
    >>> round(binary_cross_entropy_with_logits(z, y).item(), 4)
    0.2201
    """
    check_tensor(z, "z")
    check_tensor(y, "y")
    check_same_shape(z, y, "z", "y")
    if bool(((y < 0) | (y > 1)).any()):
        raise ValueError("y 的取值必须在 [0, 1] 内")
    # ℓ = max(z, 0) − z·y + log(1 + e^{−|z|})
    loss = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
    return loss.mean()
# --8<-- [end:bce_with_logits]


# --8<-- [start:mse_loss]
def mse_loss(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""均方误差 $\frac{1}{n}\sum_i (\hat y_i - y_i)^2$。

    Parameters
    ----------
    prediction : torch.Tensor
        预测值，浮点张量。
    target : torch.Tensor
        目标值，与 ``prediction`` 同形状。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError
        输入不是浮点张量。
    ValueError
        两者形状不同。

    Examples
    --------
    >>> import torch
    >>> mse_loss(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0])).item()
    5.0
    """
    check_tensor(prediction, "prediction")
    check_tensor(target, "target")
    check_same_shape(prediction, target, "prediction", "target")
    # MSE = (1/n) Σ (ŷ − y)²
    return ((prediction - target) ** 2).mean()
# --8<-- [end:mse_loss]
