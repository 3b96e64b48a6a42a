"""“迁移学习”一页的实验：在 digits 的 0～4 上预训练，迁移到只有少量标签的 5～9。

没有可下载的预训练权重，所以“大数据上的预训练”在这里就是在源任务（0～4，约 900 张图）上训练一个小 CNN；
目标任务（5～9）每类只给 ``n`` 个标签，比较三种做法：冻结特征只训练新的输出层、整个网络微调（主干学习率更小）、从零训练。
"""

from __future__ import annotations

import copy
from functools import lru_cache

import torch
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_choice,
    check_int,
    check_module,
    check_same_length,
    check_tensor,
    resolve_seed,
)
from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.training import accuracy, fit

__all__ = [
    "STRATEGIES",
    "accuracy_vs_labels",
    "digit_tasks",
    "few_labels",
    "pretrain",
    "replace_head",
    "small_convnet",
    "transfer",
    "transfer_curves",
]

STRATEGIES = ("frozen", "finetune", "scratch")
"""迁移到目标任务的三种做法。"""
CHANNELS = 8
"""主干卷积的通道数（第二层加倍）；特征维数是 2·C·2·2。"""
TARGET_EPOCHS, TARGET_LR, BODY_LR_SCALE = 60, 1e-2, 0.1
"""目标任务的训练设置：全批量 Adam，学习率 1e-2，微调时主干用它的 1/10。"""


def digit_tasks(seed: int | None = 0) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """把 digits 切成源任务和目标任务。

    源任务是数字 0～4 的全部图；目标任务是 5～9（标签改成 0～4），打乱后前 400 张是可以取标签的“标注池”，
    其余约 500 张只用来测试。

    Returns
    -------
    dict
        ``{"source": (X, y), "pool": (X, y), "test": (X, y)}``，``X`` 形状 ``(n, 64)``。

    Examples
    --------
    >>> tasks = digit_tasks()
    >>> {k: len(v[0]) for k, v in tasks.items()}
    {'source': 901, 'pool': 400, 'test': 496}
    >>> sorted(set(tasks["test"][1].tolist()))
    [0, 1, 2, 3, 4]
    """
    seed = resolve_seed(seed)
    return {name: (X.clone(), y.clone()) for name, (X, y) in _tasks(seed).items()}


@lru_cache(maxsize=4)
def _tasks(seed: int) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    X, y = load_digits()
    source = y < 5
    Xt, yt = X[~source], y[~source] - 5
    order = torch.randperm(len(Xt), generator=torch.Generator().manual_seed(seed))
    Xt, yt = Xt[order], yt[order]
    return {"source": (X[source], y[source]), "pool": (Xt[:400], yt[:400]), "test": (Xt[400:], yt[400:])}


def few_labels(X: torch.Tensor, y: torch.Tensor, n_per_class: int, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """从标注池里每类随机取 ``n_per_class`` 个样本。

    Examples
    --------
    >>> tasks = digit_tasks()
    >>> Xl, yl = few_labels(*tasks["pool"], n_per_class=2)
    >>> yl.tolist()
    [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    """
    check_tensor(X, "X", ndim=2, nonempty=True)
    check_tensor(y, "y", kind="int", ndim=1)
    check_same_length(X, y, "X", "y")
    check_int(n_per_class, "n_per_class", low=1, high=60)
    seed = resolve_seed(seed)
    picked = []
    for c in range(int(y.max()) + 1):
        where = (y == c).nonzero().flatten()
        order = torch.randperm(len(where), generator=torch.Generator().manual_seed(seed * 100 + c))
        picked.append(where[order[:n_per_class]])
    idx = torch.cat(picked)
    return X[idx], y[idx]


def small_convnet(num_classes: int = 5, seed: int | None = 0) -> nn.Sequential:
    """主干（两层 3×3 卷积 + 池化，展平成 64 维特征）加一个线性输出层：``net[0]`` 是主干，``net[1]`` 是头。

    Examples
    --------
    >>> net = small_convnet()
    >>> tuple(net(torch.zeros(3, 64)).shape), net[1]
    ((3, 5), Linear(in_features=64, out_features=5, bias=True))
    """
    check_int(num_classes, "num_classes", low=1, high=100)
    seed = resolve_seed(seed)
    torch.manual_seed(seed)
    c = CHANNELS
    body = nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8×8 → 4×4
        nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 4×4 → 2×2
        nn.Flatten(),  # (n, 2c·2·2)
    )
    return nn.Sequential(body, nn.Linear(2 * c * 4, num_classes))


def pretrain(shuffle_labels: bool = False, epochs: int = 10, seed: int | None = 0) -> nn.Sequential:
    """在源任务（数字 0～4）上训练 [`small_convnet`][dlguide.pages.applications.transfer_learning.small_convnet]。

    ``shuffle_labels=True`` 时把源任务的标签随机打乱：输入、数据量都不变，但网络学不到对分类有用的特征
    （用来检验“A 学到的特征对 B 有用”这个条件）。

    Examples
    --------
    >>> net = pretrain(epochs=1)
    >>> X, y = digit_tasks()["source"]
    >>> accuracy(net, X, y) > 0.8
    True
    """
    if not isinstance(shuffle_labels, bool):
        raise TypeError(f"shuffle_labels 必须是 True 或 False，收到的是 {type(shuffle_labels).__name__}")
    check_int(epochs, "epochs", low=1, high=200)
    seed = resolve_seed(seed)
    X, y = digit_tasks()["source"]
    if shuffle_labels:
        y = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(seed + 1))]
    net = small_convnet(5, seed=seed)
    fit(net, X, y, epochs=epochs, lr=1e-2, batch_size=64, optimizer="adam", seed=seed)
    return net


def replace_head(net: nn.Sequential, num_classes: int, seed: int | None = 0) -> nn.Sequential:
    """复制一个预训练网络，把最后的输出层换成新的、随机初始化的 ``nn.Linear``（原网络不变）。

    Examples
    --------
    >>> old = small_convnet(5, seed=0)
    >>> new = replace_head(old, 3)
    >>> new[1].out_features, old[1].out_features, torch.equal(new[0][1].weight, old[0][1].weight)
    (3, 5, True)
    """
    check_module(net, "net", nn.Sequential)
    check_int(num_classes, "num_classes", low=1, high=1000)
    seed = resolve_seed(seed)
    new = copy.deepcopy(net)
    torch.manual_seed(seed)
    new[-1] = nn.Linear(new[-1].in_features, num_classes)
    return new


def transfer(source: nn.Sequential, strategy: str, n_per_class: int, seed: int | None = 0) -> float:
    """用一种做法在目标任务（5～9，每类 ``n_per_class`` 个标签）上训练，返回测试准确率。

    - ``"frozen"``：换头，主干 ``requires_grad_(False)``，只训练新的输出层（线性探测）；
    - ``"finetune"``：换头，整个网络都训练，主干的学习率是头的 1/10（两个参数组）；
    - ``"scratch"``：同样结构、随机初始化，从零训练（不用 ``source``）。

    三种做法都用 [`fit`][dlguide.training.fit] 全批量 Adam 训练 60 步。

    Examples
    --------
    >>> source = pretrain(epochs=1)
    >>> 0.2 < transfer(source, "frozen", 1) < 1.0
    True
    """
    check_module(source, "source", nn.Sequential)
    check_choice(strategy, "strategy", STRATEGIES)
    check_int(n_per_class, "n_per_class", low=1, high=60)
    seed = resolve_seed(seed)
    tasks = digit_tasks()
    Xl, yl = few_labels(*tasks["pool"], n_per_class=n_per_class, seed=seed)
    if strategy == "scratch":
        net = small_convnet(5, seed=1000 + seed)
        fit(net, Xl, yl, epochs=TARGET_EPOCHS, lr=TARGET_LR, optimizer="adam")
    elif strategy == "frozen":
        net = replace_head(source, 5, seed=seed)
        net[0].requires_grad_(False)  # 冻结主干：它的参数不再有梯度，优化器跳过它们
        fit(net, Xl, yl, epochs=TARGET_EPOCHS, lr=TARGET_LR, optimizer="adam")
    else:
        net = replace_head(source, 5, seed=seed)
        groups = [
            {"params": net[0].parameters(), "lr": TARGET_LR * BODY_LR_SCALE},  # 主干：小学习率，别冲掉预训练的特征
            {"params": net[1].parameters()},  # 新的头：用默认学习率
        ]
        fit(net, Xl, yl, epochs=TARGET_EPOCHS, lr=TARGET_LR, optimizer="adam", param_groups=groups)
    return accuracy(net, *tasks["test"])


def accuracy_vs_labels(
    label_counts: tuple[int, ...] = (1, 2, 5, 10, 20), seeds: int = 3
) -> dict[str, list[tuple[float, float]]]:
    """每种做法、每个标签数，在 ``seeds`` 组不同的标签上重复，返回 ``{做法: [(平均准确率, 标准差), ...]}``。"""
    check_int(seeds, "seeds", low=1, high=20)
    if not isinstance(label_counts, (tuple, list)) or not label_counts:
        raise TypeError(f"label_counts 必须是非空的整数元组，收到的是 {type(label_counts).__name__}")
    for n in label_counts:
        check_int(n, "label_counts 的元素", low=1, high=60)
    source = pretrain()
    out: dict[str, list[tuple[float, float]]] = {}
    for strategy in STRATEGIES:
        rows = []
        for n in label_counts:
            accs = torch.tensor([transfer(source, strategy, n, seed=s) for s in range(seeds)])
            rows.append((round(accs.mean().item(), 4), round(accs.std().item(), 4) if seeds > 1 else 0.0))
        out[strategy] = rows
    return out


@figure
def transfer_curves() -> Figure:
    """目标任务的测试准确率随每类标签数的变化：冻结特征、微调、从零训练（3 组标签的平均 ± 标准差）。"""
    counts = (1, 2, 5, 10, 20)
    results = accuracy_vs_labels(counts, seeds=3)
    names = {"frozen": "冻结主干，只训练新输出层", "finetune": "整体微调（主干学习率 ×0.1）", "scratch": "从零训练"}
    fig, (ax,) = new_figure(width=6.4, height=3.8)
    for strategy, rows in results.items():
        mean = torch.tensor([m for m, _ in rows])
        std = torch.tensor([s for _, s in rows])
        ax.errorbar(counts, mean, yerr=std, marker="o", capsize=3, label=names[strategy])
    ax.set_xscale("log")
    ax.set_xticks(counts, [str(c) for c in counts])
    ax.set_xlabel("目标任务（数字 5～9）每类的标签数")
    ax.set_ylabel("测试准确率")
    ax.legend(loc="lower right")
    return fig
