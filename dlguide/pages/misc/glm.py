"""“广义线性模型是怎样被应用在深度学习中的”一页：生成数据、用 ``fit`` 拟合 GLM、均值函数图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_choice, check_int, check_positive, check_tensor, resolve_seed
from dlguide.figures import figure, new_figure
from dlguide.glm import FAMILIES, GeneralizedLinearModel, glm_nll, inverse_link
from dlguide.training import fit

__all__ = ["TRUE_BIAS", "TRUE_WEIGHT", "fit_glm", "glm_data", "mean_functions"]

TRUE_WEIGHT = (1.0, -2.0, 0.5)
"""生成数据用的真实权重（三个特征）。"""
TRUE_BIAS = -0.5
"""生成数据用的真实偏置。"""


def glm_data(family: str = "bernoulli", n: int = 300, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""按 GLM 本身的假设生成数据：$\boldsymbol x \sim \mathcal N(0, I_3)$，$\eta = \boldsymbol w^\top\boldsymbol x + b$，
    $y \sim$ 该分布（均值 $g^{-1}(\eta)$）。

    ``"categorical"`` 有 3 类：第 $k$ 类的自然参数是 $\eta_k = \boldsymbol w^\top \boldsymbol x$ 沿第 $k$ 个特征平移，
    即 $\eta_k = 1.5 x_k$。泊松分布的 $\eta$ 缩小一半，避免个别计数过大。

    Parameters
    ----------
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一。
    n : int
        样本数，在 [10, 100000] 内。
    seed : int or None
        随机种子；``None`` 时取自 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` ``(n, 3)`` float32；``y`` ``(n,)``：多类时 int64，其余 float32。

    Raises
    ------
    TypeError, ValueError
        ``family`` 不认识，``n`` 越界，``seed`` 不对。

    Examples
    --------
    >>> X, y = glm_data("poisson", 5)
    Traceback (most recent call last):
    ...
    ValueError: n 必须在 [10, 100000] 内，收到 5
    >>> X, y = glm_data("bernoulli", 10)
    >>> tuple(X.shape), sorted(set(y.tolist())) <= [0.0, 1.0]
    ((10, 3), True)
    """
    check_choice(family, "family", FAMILIES)
    n = check_int(n, "n", low=10, high=100_000)
    g = torch.Generator().manual_seed(resolve_seed(seed))
    X = torch.randn(n, 3, generator=g)
    # η = wᵀx + b
    eta = X @ torch.tensor(TRUE_WEIGHT) + TRUE_BIAS
    if family == "gaussian":
        return X, eta + torch.randn(n, generator=g)
    if family == "bernoulli":
        return X, (torch.rand(n, generator=g) < torch.sigmoid(eta)).float()
    if family == "poisson":
        return X, torch.poisson(torch.exp(0.5 * eta), generator=g)
    # η_k = 1.5·x_k，y ~ Categorical(softmax(η))
    probs = torch.softmax(1.5 * X, dim=1)
    return X, torch.multinomial(probs, 1, generator=g).squeeze(1)


def fit_glm(
    X: torch.Tensor, y: torch.Tensor, family: str = "gaussian", *, epochs: int = 500, lr: float = 0.5, seed: int | None = 0
) -> GeneralizedLinearModel:
    """用全书的训练循环 [`fit`][dlguide.training.fit]（全批量梯度下降）最小化平均负对数似然 [`glm_nll`][dlguide.glm.glm_nll]。

    Parameters
    ----------
    X : torch.Tensor
        ``(n, d)`` 浮点特征。
    y : torch.Tensor
        观测（取值要求见 [`glm_nll`][dlguide.glm.glm_nll]）。
    family : str
        [`FAMILIES`][dlguide.glm.FAMILIES] 之一；``"categorical"`` 的类别数取 ``y.max() + 1``（至少 2）。
    epochs : int
        全批量梯度下降的步数，在 [1, 100000] 内。
    lr : float
        学习率，> 0。
    seed : int or None
        初始化参数的种子。

    Returns
    -------
    GeneralizedLinearModel
        训练好的模型（在 [`get_device`][dlguide.device.get_device] 的设备上）。

    Raises
    ------
    TypeError, ValueError
        参数不对。

    Examples
    --------
    >>> X, y = glm_data("gaussian", 200)
    >>> model = fit_glm(X, y, "gaussian", epochs=200, lr=0.5)
    >>> [round(v, 1) for v in model.linear.weight[0].tolist()]      # 真实权重 (1, −2, 0.5)，200 个样本的估计
    [0.9, -2.0, 0.5]
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_choice(family, "family", FAMILIES)
    check_tensor(y, "y", kind="int" if family == "categorical" else "float", ndim=1)
    epochs = check_int(epochs, "epochs", low=1, high=100_000)
    lr = check_positive(lr, "lr")
    classes = max(2, int(y.max()) + 1) if family == "categorical" and y.numel() else 2
    model = GeneralizedLinearModel(X.shape[1], family, num_classes=classes, seed=resolve_seed(seed))
    fit(model, X, y, loss_fn=lambda eta, target: glm_nll(eta, target, family), epochs=epochs, lr=lr,
        batch_size=None, seed=seed)
    return model


@figure
def mean_functions() -> Figure:
    """三个 GLM 的数据和拟合出的均值函数 μ = g⁻¹(η)：恒等、sigmoid、exp。"""
    g = torch.Generator().manual_seed(0)
    x = torch.linspace(-3, 3, 120)
    settings = [
        ("gaussian", "高斯：μ = η（恒等，线性回归）", lambda eta: eta + 0.5 * torch.randn(120, generator=g)),
        ("bernoulli", "伯努利：μ = σ(η)（逻辑回归）", lambda eta: (torch.rand(120, generator=g) < torch.sigmoid(eta)).float()),
        ("poisson", "泊松：μ = exp(η)（泊松回归）", lambda eta: torch.poisson(torch.exp(eta), generator=g)),
    ]
    fig, axes = new_figure(3, width=11, height=3.4)
    for ax, (family, title, sample) in zip(axes, settings):
        # 真实的 η = 0.8x + 0.2
        y = sample(0.8 * x + 0.2)
        model = fit_glm(x[:, None], y, family, epochs=300, lr=0.3 if family == "poisson" else 0.5)
        with torch.no_grad():
            mu = inverse_link(model(x[:, None].to(model.linear.weight.device)), family).cpu()
        ax.scatter(x, y, s=8, alpha=0.5, color="tab:gray", label="样本 y")
        ax.plot(x, mu, color="tab:blue", label="拟合的均值 μ(x)")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x")
    axes[0].set_ylabel("y")
    axes[0].legend(fontsize=8)
    return fig
