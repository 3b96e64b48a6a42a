"""“偏差方差及其应对方法”一页：已知真函数上的蒙特卡洛偏差-方差分解。"""

from __future__ import annotations

import math

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int, check_seed, check_tensor
from dlguide.data import polynomial_features
from dlguide.figures import figure, new_figure

__all__ = ["bias_variance_curves", "bias_variance_decomposition", "true_function"]


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
