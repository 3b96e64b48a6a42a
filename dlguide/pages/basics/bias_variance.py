"""“偏差方差及其应对方法”一页：已知真函数上的蒙特卡洛偏差-方差分解，随机特征上的双下降。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int, check_nonnegative, check_seed, check_tensor
from dlguide.data import polynomial_features
from dlguide.figures import figure, new_figure

__all__ = [
    "DOUBLE_DESCENT_FEATURES",
    "bias_variance_curves",
    "bias_variance_decomposition",
    "double_descent",
    "double_descent_curve",
    "true_function",
]


def true_function(x: torch.Tensor) -> torch.Tensor:
    r"""实验用的真函数 $f(x) = \sin(2\pi x)$，$x\in[0,1]$；``x`` 是任意形状的浮点张量。

    Raises
    ------
    TypeError
        ``x`` 不是浮点张量。

    Examples
    --------
    >>> import torch
    >>> true_function(torch.tensor([0.0, 0.25])).round(decimals=4).tolist()
    [0.0, 1.0]
    """
    check_tensor(x, "x")
    return torch.sin(2 * math.pi * x)


def bias_variance_decomposition(
    degree: int,
    n_train: int = 15,
    noise: float = 0.3,
    n_trials: int = 200,
    n_test: int = 200,
    seed: int | None = 0,
) -> dict[str, float]:
    r"""对多项式回归做偏差-方差分解的蒙特卡洛实验。

    训练输入固定为 $[0, 1]$ 上等距的 ``n_train`` 个点。重复 ``n_trials`` 次：按
    $y = \sin(2\pi x) + \varepsilon$（$\varepsilon\sim\mathcal N(0, \sigma^2)$）重新抽训练标签，
    用最小二乘拟合 ``degree`` 次多项式；在固定的 ``n_test`` 个测试点上
    记录预测。再按定义计算偏差²、方差，并用**另抽的带噪标签**直接测出期望测试误差，用来核对分解。

    Parameters
    ----------
    degree : int
        多项式次数，在 [0, 100] 内。
    n_train : int
        每个训练集的样本数，在 [1, 10000] 内。
    noise : float
        噪声标准差 $\sigma$，在 [0, 10] 内。
    n_trials : int
        训练集的个数，在 [2, 100000] 内。
    n_test : int
        测试点个数，在 [1, 100000] 内；``n_trials·(n_train + n_test)·(degree + 1)`` 不超过 $10^7$。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, float]
        ``bias2``、``variance``、``noise``（$\sigma^2$）、``sum``（三者之和）、
        ``test_error``（直接测得的期望测试误差）、``train_error``（平均训练误差）。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> r = bias_variance_decomposition(degree=3, seed=0)
    >>> abs(r["sum"] - r["test_error"]) < 0.01
    True
    """
    check_int(degree, "degree", low=0, high=100)
    check_int(n_train, "n_train", low=1, high=10_000)
    check_int(n_trials, "n_trials", low=2, high=100_000)
    check_int(n_test, "n_test", low=1, high=100_000)
    if n_trials * (n_train + n_test) * (degree + 1) > 10**7:
        raise ValueError(
            f"n_trials·(n_train + n_test)·(degree + 1) = {n_trials * (n_train + n_test) * (degree + 1)} 太大（上限 10**7）"
        )
    check_in_range(noise, "noise", 0.0, 10.0)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    dt = torch.float64
    x_test = torch.linspace(0, 1, n_test, dtype=dt)
    f_test = true_function(x_test)
    # 每次试验一个训练集：x 固定等距，y = f(x) + σε 每次重抽
    x = torch.linspace(0, 1, n_train, dtype=dt).expand(n_trials, n_train)
    y = true_function(x) + noise * torch.randn(n_trials, n_train, generator=g, dtype=dt)
    # 最小二乘拟合 degree 次多项式（一次解 n_trials 个问题）
    # 把 x 从 [0, 1] 映射到 [-1, 1] 再取幂，条件数小得多
    design = polynomial_features(2 * x - 1, degree, include_bias=True)
    coef = torch.linalg.lstsq(design, y[..., None], driver="gelsd").solution
    pred = (polynomial_features(2 * x_test - 1, degree, include_bias=True) @ coef).squeeze(-1)  # (n_trials, n_test)
    fit_train = (design @ coef).squeeze(-1)
    mean_pred = pred.mean(dim=0)
    # 偏差² = E_x[(E_D f̂(x) − f(x))²]；方差 = E_x E_D[(f̂(x) − E_D f̂(x))²]
    bias2 = ((mean_pred - f_test) ** 2).mean()
    variance = ((pred - mean_pred) ** 2).mean()
    # 直接测：对每个训练集另抽一组带噪测试标签
    y_test = f_test + noise * torch.randn(n_trials, n_test, generator=g, dtype=dt)
    test_error = ((y_test - pred) ** 2).mean()
    train_error = ((y - fit_train) ** 2).mean()
    return {
        "bias2": bias2.item(),
        "variance": variance.item(),
        "noise": noise**2,
        "sum": (bias2 + variance).item() + noise**2,
        "test_error": test_error.item(),
        "train_error": train_error.item(),
    }


@figure
def bias_variance_curves() -> Figure:
    """多项式次数从 0 到 12：左图是偏差²、方差、噪声及其和，右图是训练误差与测试误差（欠拟合 → 过拟合）。"""
    degrees = list(range(13))
    runs = [bias_variance_decomposition(d) for d in degrees]
    fig, (left, right) = new_figure(2, width=8.0, height=3.4)
    for key, label in (("bias2", "偏差²"), ("variance", "方差"), ("noise", "噪声 σ²"), ("sum", "三者之和")):
        left.plot(degrees, [r[key] for r in runs], marker="o", ms=3, label=label)
    left.plot(degrees, [r["test_error"] for r in runs], "k--", lw=1, label="实测测试误差")
    left.set_yscale("log")
    left.set_xlabel("多项式次数")
    left.set_title("分解：偏差² + 方差 + 噪声")
    left.legend(fontsize=7)
    right.plot(degrees, [r["train_error"] for r in runs], marker="o", ms=3, label="训练误差")
    right.plot(degrees, [r["test_error"] for r in runs], marker="o", ms=3, label="测试误差")
    right.axvspan(-0.5, 2.5, color="tab:blue", alpha=0.08)
    right.axvspan(9.5, 12.5, color="tab:red", alpha=0.08)
    right.text(0, 0.62, "欠拟合\n高偏差", fontsize=8)
    right.text(9.7, 0.62, "过拟合\n高方差", fontsize=8)
    right.set_ylim(0, 0.75)
    right.set_xlabel("多项式次数")
    right.set_title("训练误差与测试误差")
    right.legend(fontsize=7, loc="upper center")
    return fig


def double_descent(
    n_features: int, *, n_train: int = 100, ridge: float = 0.0, draws: int = 5, seed: int | None = 0
) -> dict[str, float]:
    r"""随机特征上的最小范数最小二乘：特征数 ``n_features`` 越过样本数 ``n_train`` 时的测试误差（双下降）。

    数据是 digits（8×8 手写数字）：前 ``n_train`` 张训练，第 1000～1499 张测试。特征是随机的 ReLU 特征
    $\phi(\boldsymbol x) = \mathrm{relu}(W^\top\boldsymbol x)/\sqrt p$，$W\in\mathbb R^{64\times p}$ 的元素取 $\mathcal N(0, 1/64)$，
    只训练输出层：把 one-hot 标签 $Y$ 拟合成 $\Phi B$，取最小范数的最小二乘解 $B=\Phi^+ Y$
    （$p$ 大到能插值时，它是训练误差为 0 的解里范数最小的一个）。
    ``ridge`` $=\lambda>0$ 时改用岭回归 $\min_B \frac1n\lVert\Phi B-Y\rVert^2+\lambda\lVert B\rVert^2$，
    解写成 $B=\Phi^\top(\Phi\Phi^\top+\lambda n I)^{-1}Y$（只解 $n\times n$ 的方程）。
    对 ``draws`` 组随机特征取平均。全部在 CPU 上用 float64 计算。

    Parameters
    ----------
    n_features : int
        随机特征数 $p$，1～20000。
    n_train : int
        训练样本数 $n$，1～1000。
    ridge : float
        L2 正则系数 $\lambda\ge 0$；0 表示最小范数解。
    draws : int
        随机特征的组数，1～100。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, float]
        ``"test_error"``（测试集分类错误率）、``"test_mse"``（对 one-hot 标签的平方误差，按样本平均）、
        ``"train_mse"``、``"norm"``（$\lVert B\rVert_F$），都是 ``draws`` 组的平均。

    Raises
    ------
    TypeError, ValueError
        参数类型或范围不对。

    Examples
    --------
    >>> r = double_descent(1000, draws=2)
    >>> r["train_mse"] < 1e-20, r["test_error"] < 0.2
    (True, True)
    """
    from dlguide.data import load_digits  # noqa: PLC0415

    check_int(n_features, "n_features", low=1, high=20_000)
    check_int(n_train, "n_train", low=1, high=1000)
    check_int(draws, "draws", low=1, high=100)
    check_nonnegative(ridge, "ridge")
    check_seed(seed)
    X, y = load_digits()
    X = X.double()
    X_train, X_test, y_test = X[:n_train], X[1000:1500], y[1000:1500]
    Y_train = torch.nn.functional.one_hot(y[:n_train], 10).double()
    Y_test = torch.nn.functional.one_hot(y_test, 10).double()
    g = None if seed is None else torch.Generator().manual_seed(seed)
    totals = dict.fromkeys(("test_error", "test_mse", "train_mse", "norm"), 0.0)
    for _ in range(draws):
        W = torch.randn(64, n_features, generator=g, dtype=torch.float64) / 8

        def features(A: torch.Tensor, W: torch.Tensor = W) -> torch.Tensor:
            # φ(x) = relu(Wᵀx) / √p
            return torch.relu(A @ W) / math.sqrt(n_features)

        Phi = features(X_train)  # (n, p)
        if ridge == 0:
            # B = Φ⁺ Y：最小二乘解里范数最小的那个
            B = torch.linalg.pinv(Phi) @ Y_train
        else:
            # 岭回归的对偶形式：B = Φᵀ (ΦΦᵀ + λ n I)⁻¹ Y
            gram = Phi @ Phi.T + ridge * n_train * torch.eye(n_train, dtype=torch.float64)
            B = Phi.T @ torch.linalg.solve(gram, Y_train)
        pred = features(X_test) @ B
        totals["test_error"] += (pred.argmax(dim=1) != y_test).double().mean().item()
        totals["test_mse"] += ((pred - Y_test) ** 2).sum(dim=1).mean().item()
        totals["train_mse"] += ((features(X_train) @ B - Y_train) ** 2).sum(dim=1).mean().item()
        totals["norm"] += B.norm().item()
    return {k: v / draws for k, v in totals.items()}


DOUBLE_DESCENT_FEATURES = (10, 25, 50, 75, 90, 100, 110, 125, 150, 200, 300, 500, 1000, 2000)
"""[`double_descent_curve`][dlguide.pages.basics.bias_variance.double_descent_curve] 扫描的特征数。"""


@figure
def double_descent_curve() -> Figure:
    """digits 上随机 ReLU 特征 + 最小范数最小二乘：测试错误率和训练误差随特征数的变化（n = 100）。"""
    rows = [double_descent(p) for p in DOUBLE_DESCENT_FEATURES]
    fig, (left, right) = new_figure(2, width=8.8, height=3.6)
    left.semilogx(DOUBLE_DESCENT_FEATURES, [r["test_error"] for r in rows], marker="o", ms=3, label="测试错误率")
    left.axvline(100, color="gray", ls="--", lw=0.8)
    left.text(130, 0.62, "← p = n = 100（插值阈值）", fontsize=8)
    left.set_xlabel("随机特征数 p")
    left.set_ylabel("测试错误率")
    left.set_title("双下降：测试误差先降、再升、再降", fontsize=10)
    train = [max(r["train_mse"], 1e-30) for r in rows]
    right.loglog(DOUBLE_DESCENT_FEATURES, train, marker="s", ms=3, color="tab:green", label="训练误差（0 画在 1e-30）")
    right.set_ylabel("训练误差", color="tab:green")
    norm_axis = right.twinx()
    norm_axis.loglog(DOUBLE_DESCENT_FEATURES, [r["norm"] for r in rows], marker="o", ms=3, color="tab:purple", label="解的范数 ‖B‖")
    norm_axis.set_ylabel("解的范数 ‖B‖", color="tab:purple")
    right.axvline(100, color="gray", ls="--", lw=0.8)
    right.set_xlabel("随机特征数 p")
    right.set_title("p 略大于 n 后训练误差为 0；范数在阈值处最大", fontsize=10)
    return fig
