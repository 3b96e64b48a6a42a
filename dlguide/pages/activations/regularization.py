"""“正则化为什么能防止过拟合”一页的图：岭回归在不同 λ 下的拟合。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide.data import make_sine, polynomial_features
from dlguide.figures import figure, new_figure
from dlguide.regularization import lasso_ista, ridge_regression

__all__ = ["DEGREE", "LAMBDAS", "ridge_sweep"]

DEGREE = 12
"""图和页面共用的设置：20 个训练点、12 次多项式。"""


LAMBDAS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]


@figure
def ridge_sweep() -> Figure:
    """12 次多项式拟合 20 个带噪声的点：随 λ 增大，训练误差单调上升，验证误差先降后升，权重范数单调下降。"""
    x_train, y_train = make_sine(20, seed=0)
    x_val, y_val = make_sine(200, seed=1)
    P_train, P_val = polynomial_features(x_train, DEGREE), polynomial_features(x_val, DEGREE)
    train, val, l2_norm, lasso_zeros = [], [], [], []
    for lam in LAMBDAS:
        w, b = ridge_regression(P_train, y_train, lam)
        train.append(((P_train @ w + b - y_train) ** 2).mean().item())
        val.append(((P_val @ w + b - y_val) ** 2).mean().item())
        l2_norm.append(w.norm().item())
        lasso_zeros.append(int((lasso_ista(P_train, y_train, lam, steps=300)[0] == 0).sum()))
    fig, (ax_err, ax_w, ax_fit) = new_figure(3, width=11.0, height=3.4)
    ax_err.loglog(LAMBDAS, train, marker="o", ms=3, label="训练 MSE")
    ax_err.loglog(LAMBDAS, val, marker="o", ms=3, label="验证 MSE")
    ax_err.set_xlabel("λ")
    ax_err.set_title("误差", fontsize=10)
    ax_err.legend()
    ax_w.loglog(LAMBDAS, l2_norm, marker="o", ms=3, color="tab:green", label="岭回归 ‖w‖₂")
    ax_w.set_xlabel("λ")
    ax_w.set_title("权重大小 / lasso 的零个数", fontsize=10)
    twin = ax_w.twinx()
    twin.semilogx(LAMBDAS, lasso_zeros, marker="s", ms=3, color="tab:red", label=f"lasso 恰为 0 的系数（共 {DEGREE}）")
    twin.set_ylim(0, DEGREE + 0.5)
    handles = ax_w.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax_w.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="center left")
    grid = torch.linspace(-1, 1, 200, dtype=torch.float64)
    ax_fit.scatter(x_train, y_train, s=12, color="black", zorder=3, label="训练点")
    for lam in (1e-8, 1e-3, 1.0):
        w, b = ridge_regression(P_train, y_train, lam)
        ax_fit.plot(grid, polynomial_features(grid, DEGREE) @ w + b, label=f"λ = {lam:g}")
    ax_fit.plot(grid, torch.sin(torch.pi * grid), color="gray", ls="--", lw=1, label="真实 sin(πx)")
    ax_fit.set_ylim(-2, 2)
    ax_fit.set_title("拟合的曲线", fontsize=10)
    ax_fit.legend(fontsize=7)
    return fig
