r"""感知机：阈值单元 $\hat y = \operatorname{sign}(\boldsymbol w^\top\boldsymbol x + b)$ 和 Rosenblatt 的学习规则。

学习规则只在**分错**（含恰好落在分界面上）时更新：

$$
y_i(\boldsymbol w^\top\boldsymbol x_i + b) \le 0 \;\Longrightarrow\;
\boldsymbol w \leftarrow \boldsymbol w + \eta\, y_i \boldsymbol x_i,\quad b \leftarrow b + \eta\, y_i ,
$$

标签 $y_i\in\{-1,+1\}$。从 $\boldsymbol w=\boldsymbol 0, b=0$ 出发时，学习率 $\eta$ 只把参数整体放大 $\eta$ 倍，
预测和出错次数与 $\eta$ 无关。数据线性可分时，出错次数不超过 Novikoff（1962）的上界 $(R/\gamma)^2$
（[`mistake_bound`][dlguide.perceptron.mistake_bound]）。``tests/test_perceptron.py`` 逐轮核对
[`train_perceptron`][dlguide.perceptron.train_perceptron] 与 scikit-learn 的 ``Perceptron`` 得到相同的参数。
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from dlguide._checks import check_bool, check_int, check_positive, check_tensor, resolve_seed

__all__ = [
    "PerceptronResult",
    "mistake_bound",
    "perceptron_predict",
    "step",
    "train_perceptron",
]

MAX_EPOCHS = 100_000
"""``epochs`` 的上限。"""


def step(z: torch.Tensor) -> torch.Tensor:
    r"""阶跃（Heaviside）函数 $H(z) = [z > 0]$，输出 0 或 1，与 ``z`` 同 dtype。

    它的导数几乎处处为 0（在 0 处不存在），所以由阶跃单元组成的网络无法用梯度下降训练。

    Parameters
    ----------
    z : torch.Tensor
        任意形状的浮点张量。

    Returns
    -------
    torch.Tensor
        与 ``z`` 同形状，取值 0 或 1。

    Raises
    ------
    TypeError
        ``z`` 不是浮点张量。

    Examples
    --------
    >>> step(torch.tensor([-1.0, 0.0, 0.5])).tolist()
    [0.0, 0.0, 1.0]
    """
    check_tensor(z, "z")
    # H(z) = [z > 0]
    return (z > 0).to(z.dtype)


def _check_data(X: object, y: object) -> tuple[torch.Tensor, torch.Tensor]:
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_tensor(y, "y", kind="any", ndim=1)
    if y.shape[0] != X.shape[0]:  # type: ignore[union-attr]
        raise ValueError(f"X 与 y 的样本数必须相同，收到 {X.shape[0]} 和 {y.shape[0]}")  # type: ignore[union-attr]
    labels = set(y.unique().tolist())  # type: ignore[union-attr]
    if not labels <= {-1, 1}:
        raise ValueError(f"y 的取值必须是 -1 或 1，收到 {sorted(labels)}")
    return X, y.to(X.dtype)  # type: ignore[return-value,union-attr]


def perceptron_predict(X: torch.Tensor, weight: torch.Tensor, bias: float | torch.Tensor = 0.0) -> torch.Tensor:
    r"""感知机的预测 $\hat y = \operatorname{sign}(\boldsymbol w^\top \boldsymbol x + b)$，取值 $\pm1$（恰好为 0 时记为 $-1$，与 scikit-learn 相同）。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, d)`` 的浮点张量。
    weight : torch.Tensor
        ``(d,)``，与 ``X`` 同 dtype、同设备。
    bias : float or torch.Tensor
        偏置 $b$（有限实数或 0 维张量）。

    Returns
    -------
    torch.Tensor
        ``(n,)`` 的 int64，取值 $-1$ 或 $1$。

    Raises
    ------
    TypeError, ValueError
        张量类型、形状不对，或 ``bias`` 不是有限实数。

    Examples
    --------
    >>> X = torch.tensor([[1.0, 1.0], [-1.0, 0.0]])
    >>> perceptron_predict(X, torch.tensor([1.0, 0.0]), -0.5).tolist()
    [1, -1]
    """
    check_tensor(X, "X", ndim=2)
    check_tensor(weight, "weight", ndim=1)
    if weight.shape[0] != X.shape[1] or weight.dtype != X.dtype or weight.device != X.device:
        raise ValueError(f"weight 必须是形状 ({X.shape[1]},)、与 X 同 dtype 和设备的张量，收到 {tuple(weight.shape)}/{weight.dtype}")
    b = _bias_value(bias)
    # ŷ = sign(wᵀx + b)，0 记为 −1
    z = X @ weight + b
    return torch.where(z > 0, 1, -1).to(torch.int64)


def _bias_value(bias: object) -> float:
    if isinstance(bias, torch.Tensor):
        if bias.numel() != 1:
            raise ValueError(f"bias 必须是一个数，收到形状 {tuple(bias.shape)} 的张量")
        bias = bias.item()
    if isinstance(bias, bool) or not isinstance(bias, (int, float)):
        raise TypeError(f"bias 必须是实数，收到的是 {type(bias).__name__}")
    if bias != bias or bias in (float("inf"), float("-inf")):
        raise ValueError(f"bias 必须是有限实数，收到 {bias}")
    return float(bias)


class PerceptronResult(NamedTuple):
    """[`train_perceptron`][dlguide.perceptron.train_perceptron] 的结果。"""

    weight: torch.Tensor
    """学到的权重 $\\boldsymbol w$，形状 ``(d,)``。"""
    bias: float
    """学到的偏置 $b$。"""
    mistakes: int
    """训练中一共更新（分错）了几次。"""
    epochs: int
    """实际遍历数据的轮数（收敛时提前停止）。"""
    converged: bool
    """最后一轮是否一次都没分错（即训练集被完全分开）。"""
    mistakes_per_epoch: list[int]
    """每一轮分错的次数。"""


def train_perceptron(
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 100,
    lr: float = 1.0,
    shuffle: bool = False,
    seed: int | None = 0,
) -> PerceptronResult:
    r"""按 Rosenblatt 的规则逐个样本训练感知机，某一轮一次都没分错就停止。

    从 $\boldsymbol w = \boldsymbol 0$、$b = 0$ 出发；对每个样本，若 $y_i(\boldsymbol w^\top\boldsymbol x_i+b)\le 0$，
    则 $\boldsymbol w \mathrel{+}= \eta y_i\boldsymbol x_i$、$b \mathrel{+}= \eta y_i$。与 scikit-learn 的
    ``Perceptron(eta0=lr, shuffle=shuffle, penalty=None, tol=None)`` 是同一个算法（不打乱时逐位相同）。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, d)`` 的浮点张量。
    y : torch.Tensor
        ``(n,)``，取值 $-1$ 或 $1$。
    epochs : int
        最多遍历几轮，在 [1, 100000] 内。
    lr : float
        学习率 $\eta$，> 0。
    shuffle : bool
        每轮是否打乱样本顺序（用 ``seed`` 的 CPU 生成器）。
    seed : int or None
        打乱顺序的随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    PerceptronResult
        ``(weight, bias, mistakes, epochs, converged, mistakes_per_epoch)``。

    Raises
    ------
    TypeError, ValueError
        ``X``、``y`` 的类型、形状或取值不对，参数越界。

    Examples
    --------
    逻辑与（AND）线性可分，几轮就收敛：

    >>> X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> result = train_perceptron(X, torch.tensor([-1, -1, -1, 1]))
    >>> result.weight.tolist(), result.bias, result.converged, result.mistakes_per_epoch
    ([3.0, 2.0], -4.0, True, [2, 3, 3, 2, 2, 3, 2, 1, 0])
    >>> perceptron_predict(X, result.weight, result.bias).tolist()
    [-1, -1, -1, 1]
    """
    X, y_float = _check_data(X, y)
    epochs = check_int(epochs, "epochs", low=1, high=MAX_EPOCHS)
    lr = check_positive(lr, "lr")
    check_bool(shuffle, "shuffle")
    g = torch.Generator().manual_seed(resolve_seed(seed))
    n = X.shape[0]
    # 逐个样本更新是顺序的：在 CPU 上用 Python 标量循环最快，结果与设备无关
    Xc, yc = X.detach().cpu(), y_float.detach().cpu()
    w = torch.zeros(X.shape[1], dtype=X.dtype)
    b = 0.0
    history: list[int] = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=g) if shuffle else torch.arange(n)
        wrong = 0
        for i in order.tolist():
            xi, yi = Xc[i], yc[i].item()
            # 分错（或落在分界面上）：y(wᵀx + b) ≤ 0
            if yi * (float(w @ xi) + b) <= 0:
                # w ← w + η y x
                w = w + lr * yi * xi
                # b ← b + η y
                b = b + lr * yi
                wrong += 1
        history.append(wrong)
        if wrong == 0:
            break
    return PerceptronResult(w.to(X.device), b, sum(history), len(history), history[-1] == 0, history)


def mistake_bound(X: torch.Tensor, y: torch.Tensor, weight: torch.Tensor, bias: float | torch.Tensor = 0.0) -> float:
    r"""Novikoff 上界 $(R/\gamma)^2$：数据被 $(\boldsymbol w, b)$ 分开时，感知机（从 0 出发）出错的总次数不超过它。

    偏置当作一个恒为 1 的输入：$\tilde{\boldsymbol x} = (\boldsymbol x, 1)$、$\tilde{\boldsymbol w} = (\boldsymbol w, b)$，

    $$
    R = \max_i \lVert\tilde{\boldsymbol x}_i\rVert ,\qquad
    \gamma = \min_i \frac{y_i\, \tilde{\boldsymbol w}^\top \tilde{\boldsymbol x}_i}{\lVert\tilde{\boldsymbol w}\rVert} .
    $$

    任何一个能分开数据的 $(\boldsymbol w, b)$ 都给出一个成立的上界；间隔越大的分界面给出的上界越紧。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, d)`` 的浮点张量。
    y : torch.Tensor
        ``(n,)``，取值 $-1$ 或 $1$。
    weight : torch.Tensor
        ``(d,)``，一个能分开数据的分界面的法向量。
    bias : float or torch.Tensor
        该分界面的偏置。

    Returns
    -------
    float
        $(R/\gamma)^2$。

    Raises
    ------
    TypeError, ValueError
        参数类型、形状不对，或 $(\boldsymbol w, b)$ 没有严格分开数据（$\gamma \le 0$）。

    Examples
    --------
    >>> X = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    >>> mistake_bound(X, torch.tensor([1, -1]), torch.tensor([1.0, 0.0]))   # R = √2, γ = 1
    2.0
    """
    X, y_float = _check_data(X, y)
    perceptron_predict(X, weight, bias)  # 检查 weight、bias
    b = _bias_value(bias)
    X64, w64 = X.detach().double(), weight.detach().double()  # 用 float64 算，结果不受输入精度影响
    ones = torch.ones(X.shape[0], 1, dtype=torch.float64, device=X.device)
    X_aug = torch.cat([X64, ones], dim=1)  # (n, d + 1)
    w_aug = torch.cat([w64, torch.tensor([b], dtype=torch.float64, device=X.device)])  # (d + 1,)
    # R = max ‖x̃ᵢ‖
    R = X_aug.norm(dim=1).max().item()
    norm = w_aug.norm().item()
    if not norm > 0:
        raise ValueError("weight/bias 不能全为 0：它们必须严格分开数据（γ > 0）")
    # γ = min yᵢ w̃ᵀx̃ᵢ / ‖w̃‖
    gamma = (y_float.double() * (X_aug @ w_aug)).min().item() / norm
    if not gamma > 0:
        raise ValueError(f"weight/bias 必须严格分开数据（γ > 0），收到 γ = {gamma:.4g}")
    # (R / γ)²
    return round((R / gamma) ** 2, 6)
