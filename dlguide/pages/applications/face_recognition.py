"""“人脸识别”一页的实验：用 digits 模拟人脸验证，在训练时从没见过的“身份”上测 ROC。

没有人脸数据集可下载，这里用一个类比：**每一张手写数字图是一个“人”**，它轻微平移（±1 像素）并加噪声的副本是
这个人的不同“照片”。训练用数字 0～4 的 901 张图（901 个身份），测试用 5～9 的 896 张图——测试身份一个也没在训练中出现过。
同一个数字的另一张图就是“长得像的另一个人”，也就是难负例。
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlguide._checks import (
    check_choice,
    check_in_range,
    check_int,
    check_module,
    check_tensor,
    resolve_seed,
)
from dlguide.data import load_digits
from dlguide.figures import figure, new_figure
from dlguide.losses import contrastive_loss, mine_triplets, triplet_loss
from dlguide.metrics import roc_auc, roc_curve
from dlguide.training import fit

__all__ = [
    "OBJECTIVES",
    "PhotoViews",
    "best_threshold",
    "embedding_net",
    "embedding_spread",
    "jitter",
    "roc_figure",
    "train_embedding",
    "verification_pairs",
    "verification_scores",
]

OBJECTIVES = ("contrastive", "random", "semihard", "hard")
"""训练目标：对比损失，或三元组损失配三种挖掘策略。"""
MARGIN = 0.5
"""三元组损失和对比损失的间隔（嵌入在单位球面上，距离在 [0, 2] 内）。"""


def jitter(X: torch.Tensor, rng: torch.Generator, shift: int = 1, noise: float = 0.1) -> torch.Tensor:
    """给每张 8×8 图拍一张新“照片”：随机平移至多 ``shift`` 像素（补 0），再加标准差 ``noise`` 的高斯噪声。

    Examples
    --------
    >>> X, _ = load_digits()
    >>> g = torch.Generator().manual_seed(0)
    >>> a, b = jitter(X[:3], g), jitter(X[:3], g)
    >>> tuple(a.shape), bool((a - b).abs().max() > 0)
    ((3, 64), True)
    """
    check_tensor(X, "X", ndim=2)
    if X.shape[1] != 64:
        raise ValueError(f"X 的形状必须是 (n, 64)，收到 {tuple(X.shape)}")
    if not isinstance(rng, torch.Generator):
        raise TypeError(f"rng 必须是 torch.Generator，收到的是 {type(rng).__name__}")
    check_int(shift, "shift", low=0, high=4)
    check_in_range(noise, "noise", 0.0, 1.0)
    n = len(X)
    padded = F.pad(X.reshape(n, 8, 8), (shift,) * 4)  # (n, 8 + 2s, 8 + 2s)
    dy = torch.randint(0, 2 * shift + 1, (n,), generator=rng).to(X.device)
    dx = torch.randint(0, 2 * shift + 1, (n,), generator=rng).to(X.device)
    rows = (dy[:, None] + torch.arange(8, device=X.device))[:, :, None]  # (n, 8, 1)
    cols = (dx[:, None] + torch.arange(8, device=X.device))[:, None, :]  # (n, 1, 8)
    crops = padded[torch.arange(n, device=X.device)[:, None, None], rows, cols]  # (n, 8, 8)
    return crops.reshape(n, 64) + noise * torch.randn(n, 64, generator=rng).to(X.device)


class PhotoViews(nn.Module):
    """训练时把一批 ``B`` 张图变成 ``2B`` 张“照片”（每张图两张）；评估时原样返回。

    照片由 [`jitter`][dlguide.pages.applications.face_recognition.jitter] 生成。

    这样 [`fit`][dlguide.training.fit] 的每个小批量里每个身份都恰好有两张照片：每个锚点都有一个正例，
    其余 ``2B - 2`` 张都是负例。随机数来自自己的生成器，同样的种子得到同样的照片序列。

    Examples
    --------
    >>> views = PhotoViews()
    >>> tuple(views(torch.zeros(4, 64)).shape), tuple(views.eval()(torch.zeros(4, 64)).shape)
    ((8, 64), (4, 64))
    """

    def __init__(self, seed: int | None = 0) -> None:
        super().__init__()
        self.generator = torch.Generator().manual_seed(resolve_seed(seed))

    def forward(self, photos: torch.Tensor) -> torch.Tensor:
        check_tensor(photos, "photos", ndim=2)
        if photos.shape[1] != 64:
            raise ValueError(f"photos 的形状必须是 (n, 64)，收到 {tuple(photos.shape)}")
        if not self.training:
            return photos
        return torch.cat([jitter(photos, self.generator), jitter(photos, self.generator)])


class _Normalize(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(x, dim=1)


def embedding_net(dim: int = 32, seed: int | None = 0) -> nn.Sequential:
    """嵌入网络：``64 → 128 → dim`` 的多层感知机，输出归一化到单位球面（FaceNet 的做法）。

    Examples
    --------
    >>> net = embedding_net()
    >>> round(net(torch.rand(5, 64)).norm(dim=1).min().item(), 4)
    1.0
    """
    check_int(dim, "dim", low=1, high=1024)
    seed = resolve_seed(seed)
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, dim), _Normalize())


def _objective(kind: str, record: list[float]) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """给 [`fit`][dlguide.training.fit] 的 ``loss_fn``：嵌入 ``(2B, d)``、身份 ``(B,)``。``record`` 收集每步“仍有损失的三元组”的比例。"""
    step = [0]

    def loss_fn(emb: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        ids = ids.repeat(2)  # 两张照片，同一个身份
        a, p, n = mine_triplets(emb, ids, "random" if kind == "contrastive" else kind, seed=step[0])
        step[0] += 1
        if kind == "contrastive":
            # 每个锚点组成两对：与正例一对（同一人），与一个随机负例一对（不同的人）
            same = torch.cat([torch.ones_like(a), torch.zeros_like(a)])
            return contrastive_loss(emb[torch.cat([a, a])], emb[torch.cat([p, n])], same, margin=MARGIN)
        per = triplet_loss(emb[a], emb[p], emb[n], margin=MARGIN, reduction="none")
        record.append(round((per > 0).float().mean().item(), 4))
        return per.mean()

    return loss_fn


def train_embedding(objective: str = "semihard", epochs: int = 20, seed: int | None = 0) -> tuple[nn.Sequential, list[float]]:
    """在训练身份（数字 0～4 的每一张图）上训练 [`embedding_net`][dlguide.pages.applications.face_recognition.embedding_net]。

    Returns
    -------
    tuple
        ``(net, active)``：评估模式的嵌入网络（不含 ``PhotoViews``），以及每步“损失不为 0 的三元组比例”
        （对比损失时为空列表）。

    Examples
    --------
    >>> net, active = train_embedding("random", epochs=1)
    >>> len(active), 0.0 <= min(active) <= max(active) <= 1.0
    (15, True)
    """
    check_choice(objective, "objective", OBJECTIVES)
    check_int(epochs, "epochs", low=1, high=500)
    seed = resolve_seed(seed)
    X, digit = load_digits()
    X = X[digit < 5]
    embed = embedding_net(seed=seed)
    active: list[float] = []
    model = nn.Sequential(PhotoViews(seed), embed)
    ids = torch.arange(len(X))  # 每张图是一个身份
    fit(model, X, ids, loss_fn=_objective(objective, active), epochs=epochs, lr=3e-3, batch_size=64,
        optimizer="adam", seed=seed)
    return embed.eval(), active


def verification_pairs(half: str = "test", seed: int | None = 123) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """测试身份（数字 5～9）的两组照片：``A[i]`` 和 ``B[i]`` 是同一个身份的两张照片。

    ``half="val"`` 取前一半身份（用来选阈值），``"test"`` 取后一半（用来报告结果），两半不重叠。

    Returns
    -------
    tuple
        ``(A, B, digit)``：两组照片 ``(n, 64)`` 和每个身份的数字。

    Examples
    --------
    >>> A, B, digit = verification_pairs("val")
    >>> len(A), sorted(set(digit.tolist()))
    (448, [5, 6, 7, 8, 9])
    """
    check_choice(half, "half", ("val", "test"))
    seed = resolve_seed(seed)
    X, digit = load_digits()
    X, digit = X[digit >= 5], digit[digit >= 5]
    mid = len(X) // 2
    part = slice(0, mid) if half == "val" else slice(mid, None)
    g = torch.Generator().manual_seed(seed)
    A, B = jitter(X, g), jitter(X, g)
    return A[part], B[part], digit[part]


def verification_scores(
    net: nn.Module | None, half: str = "test", hard_only: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    """所有 ``(A[i], B[j])`` 照片对的相似度（嵌入距离取负）和标签（``i == j`` 为同一人）。

    ``net=None`` 时直接用像素的欧氏距离。``hard_only=True`` 时负例只留“同一个数字的另一张图”（长得像的人）。

    Examples
    --------
    >>> scores, same = verification_scores(None, "val")
    >>> len(scores), int(same.sum())
    (200704, 448)
    """
    if net is not None:
        check_module(net, "net")
    if not isinstance(hard_only, bool):
        raise TypeError(f"hard_only 必须是 True 或 False，收到的是 {type(hard_only).__name__}")
    A, B, digit = verification_pairs(half)
    if net is not None:
        device = next(net.parameters()).device
        with torch.no_grad():
            A, B = net.eval()(A.to(device)).cpu(), net(B.to(device)).cpu()
    dist = torch.cdist(A, B)  # (n, n)
    same = torch.eye(len(A), dtype=torch.bool)
    keep = torch.ones_like(same) if not hard_only else same | (digit[:, None] == digit[None, :])
    return -dist[keep], same[keep].long()


def embedding_spread(net: nn.Module) -> float:
    """测试照片的嵌入两两之间的平均距离（单位球面上最大为 2）：接近 0 说明网络把所有人都映射到了同一点（坍塌）。

    Examples
    --------
    >>> embedding_spread(embedding_net()) > 0.1
    True
    """
    check_module(net, "net")
    A, _, _ = verification_pairs("test")
    device = next(net.parameters()).device
    with torch.no_grad():
        emb = net.eval()(A.to(device)).cpu()
    return round(torch.cdist(emb, emb).mean().item(), 4)


def best_threshold(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """在验证集上选阈值：取使“判定正确的比例”最高的那个 ROC 阈值（判定规则：分数 ≥ 阈值为同一人）。

    正负例严重不平衡时（这里约 1:450），准确率几乎只看负例；这里对两类分别求准确率再平均（balanced accuracy）。

    Examples
    --------
    >>> best_threshold(torch.tensor([0.9, 0.8, 0.3, 0.1]), torch.tensor([1, 1, 0, 0]))
    0.8
    """
    fpr, tpr, thresholds = roc_curve(scores, labels)
    # balanced accuracy = (TPR + (1 − FPR)) / 2
    best = int(((tpr + 1 - fpr) / 2).argmax())
    return round(float(thresholds[best]), 4)


def _thin(fpr: torch.Tensor, tpr: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """ROC 曲线有约 20 万个点：在对数间隔的 400 个 FPR 上取阶梯函数的值，画出来一样，文件小得多。"""
    grid = torch.logspace(-4, 0, 400, dtype=torch.float64)
    idx = torch.searchsorted(fpr, grid, right=True) - 1  # 最后一个 FPR ≤ 网格点的位置
    return grid, tpr[idx.clamp(min=0)]


@figure
def roc_figure() -> Figure:
    """测试身份上的 ROC 曲线（像素距离、对比损失、三元组损失配三种挖掘）；右图是训练中仍有损失的三元组比例。"""
    fig, (left, right) = new_figure(2, width=8.0, height=3.6)
    scores, same = verification_scores(None)
    fpr, tpr, _ = roc_curve(scores, same)
    left.plot(*_thin(fpr, tpr), color="gray", ls="--", label=f"像素距离 AUC={roc_auc(scores, same):.2f}")
    names = {"contrastive": "对比损失", "random": "三元组·随机", "semihard": "三元组·半难", "hard": "三元组·最难"}
    for objective in OBJECTIVES:
        net, active = train_embedding(objective)
        scores, same = verification_scores(net)
        fpr, tpr, _ = roc_curve(scores, same)
        left.plot(*_thin(fpr, tpr), label=f"{names[objective]} AUC={roc_auc(scores, same):.2f}")
        if active:
            right.plot(active, label=names[objective])
    left.set_xscale("log")
    left.set_xlim(1e-4, 1)
    left.set_xlabel("误识率 FPR（把不同的人认成同一人）")
    left.set_ylabel("通过率 TPR")
    left.legend(fontsize=8, loc="lower right")
    right.set_xlabel("训练步数")
    right.set_ylabel("损失 > 0 的三元组比例")
    right.legend(fontsize=8)
    return fig
