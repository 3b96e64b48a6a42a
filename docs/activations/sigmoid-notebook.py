# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # sigmoid 实验笔记本
#
# 这个笔记本在构建站点时执行，下面的输出就是执行结果。下载它，在 Jupyter 里打开、改参数重跑：
# [sigmoid-notebook.ipynb](sigmoid-notebook.ipynb)（Jupyter 笔记本）或
# [sigmoid-notebook.py](sigmoid-notebook.py)（jupytext 的 percent 格式，装了 jupytext 的 Jupyter 也能直接打开）。
# 运行它只需要安装 `dlguide`。
#
# 我们验证两件事：
#
# 1. 导数的最大值 $\max_z \sigma'(z) = \frac14$；
# 2. 经过 $L$ 层 sigmoid 后，梯度的上界 $\left(\frac14\right)^L$ 随深度指数下降。

# %%
import torch

from dlguide import get_device
from dlguide.activations import sigmoid, sigmoid_grad
from dlguide.figures import new_figure, show

device = get_device()
z = torch.linspace(-8, 8, 1601, device=device)
print("max σ'(z) =", round(sigmoid_grad(z).max().item(), 4))

# %% [markdown]
# 把一条链 $a_{l} = \sigma(w\,a_{l-1})$ 堆到 $L$ 层（$w=1$），用 autograd 量出 $\partial a_L / \partial a_0$，
# 和上界 $4^{-L}$ 对比。（一般的 $w$ 下每层的因子是 $w\,\sigma'$，上界是 $(w/4)^L$：0.25 只限制激活函数那一项，
# 权重够大就能抵消，见 [ReLU 为什么好过 sigmoid](../relu-vs-sigmoid/#权重尺度能抵消-025)。）

# %%
depths = list(range(1, 11))
measured = []
for depth in depths:
    a0 = torch.tensor(0.0, device=device, requires_grad=True)
    a = a0
    for _ in range(depth):
        a = sigmoid(a)
    a.backward()
    measured.append(a0.grad.item())
for depth, grad in zip(depths, measured):
    print(f"L={depth:2d}  ∂a_L/∂a_0 = {grad:.2e}   上界 4^-L = {0.25 ** depth:.2e}")

# %%
fig, (ax,) = new_figure(height=3.2)
ax.semilogy(depths, measured, "o-", label="autograd 实测")
ax.semilogy(depths, [0.25**d for d in depths], "--", label="上界 4⁻ᴸ")
ax.set_xlabel("层数 L")
ax.set_ylabel("梯度")
ax.legend()
show(fig, alt="对数坐标下梯度随层数 L 的变化：autograd 实测值始终在上界 4 的负 L 次方之下，两条线都是直线，说明梯度按层数指数衰减")
