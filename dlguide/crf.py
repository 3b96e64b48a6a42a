r"""线性链条件随机场（CRF）：序列打分、前向算法求配分函数、维特比解码，以及用来核对它们的穷举法。

给定发射分数 $E\in\mathbb R^{L\times T}$（每个位置每个标签一个分数，通常来自 BiLSTM 或 BERT）和可学习的转移分数
$A\in\mathbb R^{T\times T}$、起始分数 $\boldsymbol s$、结束分数 $\boldsymbol e$，标签序列 $\boldsymbol y$ 的分数和概率是

$$
\operatorname{score}(\boldsymbol y) = s_{y_1} + \sum_{i=1}^{L} E_{i,y_i} + \sum_{i=2}^{L} A_{y_{i-1},y_i} + e_{y_L},
\qquad
p(\boldsymbol y\mid\boldsymbol x) = \frac{\exp\operatorname{score}(\boldsymbol y)}{Z},\quad
Z = \sum_{\boldsymbol y'}\exp\operatorname{score}(\boldsymbol y') .
$$

$Z$ 对 $T^L$ 条路径求和，前向算法用 $O(LT^2)$ 算出它；维特比算法把求和换成取最大，得到最优路径。
[`brute_force_log_partition`][dlguide.crf.brute_force_log_partition] 和 [`brute_force_decode`][dlguide.crf.brute_force_decode]
逐条枚举 $T^L$ 条路径，只用来在短序列上核对。
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_choice, check_int, check_module, check_seed, check_tensor

__all__ = [
    "LinearChainCRF",
    "bio_constraints",
    "brute_force_decode",
    "brute_force_log_partition",
]

PAD_TAG = -100
"""损失里表示“这个位置是填充、不计入”的标签值，与 ``nn.CrossEntropyLoss`` 的默认 ``ignore_index`` 相同。"""


class LinearChainCRF(nn.Module):
    r"""线性链 CRF 层：参数是转移分数 ``transitions[i, j]``（从标签 i 到标签 j）、``start`` 和 ``end``。

    张量布局是 batch 在前：发射分数 ``(B, L, T)``，标签 ``(B, L)``，掩码 ``(B, L)``。
    掩码为 ``True`` 的位置是真实的字，必须靠左连续（右侧填充）；不给掩码时，标签里等于 -100 的位置被当作填充。

    Parameters
    ----------
    num_tags : int
        标签数 $T$，在 [1, 1000] 内。
    seed : int, optional
        参数初始化（$U(-0.1, 0.1)$）的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> crf = LinearChainCRF(3)
    >>> emissions = torch.randn(2, 4, 3, generator=torch.Generator().manual_seed(0))
    >>> tags = torch.tensor([[0, 1, 1, 2], [2, 0, -100, -100]])
    >>> nll = crf.nll(emissions, tags)
    >>> round(nll.item(), 4)
    5.2497
    >>> crf.decode(emissions, tags != -100)
    [[2, 1, 2, 1], [1, 2]]
    """

    def __init__(self, num_tags: int, seed: int | None = 0) -> None:
        super().__init__()
        check_int(num_tags, "num_tags", low=1, high=1000)
        check_seed(seed)
        g = None if seed is None else torch.Generator().manual_seed(seed)
        self.num_tags = num_tags
        self.transitions = nn.Parameter(torch.rand(num_tags, num_tags, generator=g) * 0.2 - 0.1)  # (T, T)
        self.start = nn.Parameter(torch.rand(num_tags, generator=g) * 0.2 - 0.1)  # (T,)
        self.end = nn.Parameter(torch.rand(num_tags, generator=g) * 0.2 - 0.1)  # (T,)

    def _check(
        self, emissions: torch.Tensor, tags: torch.Tensor | None, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
        check_tensor(emissions, "emissions", ndim=3, nonempty=True)
        B, L, T = emissions.shape
        if T != self.num_tags:
            raise ValueError(f"emissions 的最后一维必须是 num_tags = {self.num_tags}，收到 {T}")
        if tags is not None:
            check_tensor(tags, "tags", kind="int", ndim=2)
            if tuple(tags.shape) != (B, L):
                raise ValueError(f"tags 的形状必须是 {(B, L)}，收到 {tuple(tags.shape)}")
        if mask is None:
            mask = tags != PAD_TAG if tags is not None else torch.ones(B, L, dtype=torch.bool, device=emissions.device)
        else:
            check_tensor(mask, "mask", kind="any", ndim=2)
            if tuple(mask.shape) != (B, L):
                raise ValueError(f"mask 的形状必须是 {(B, L)}，收到 {tuple(mask.shape)}")
            mask = mask.bool()
        if not mask[:, 0].all():
            raise ValueError("mask 的第 0 列必须全为 True：每个序列至少一个位置，且填充只能在右侧")
        if (mask[:, 1:] & ~mask[:, :-1]).any():
            raise ValueError("mask 必须靠左连续（右侧填充）：不能在 False 之后又出现 True")
        if tags is not None:
            real = tags[mask]
            if ((real < 0) | (real >= T)).any():
                raise ValueError(f"tags 在掩码内的值必须在 [0, {T - 1}] 内")
            tags = tags.masked_fill(~mask, 0)  # 填充位置换成任意合法标签，分数里会被掩掉
        return emissions, tags, mask

    def score(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        r"""每个序列给定标签路径的分数 $\operatorname{score}(\boldsymbol y)$，形状 ``(B,)``。"""
        check_tensor(tags, "tags", kind="int", ndim=2)
        emissions, tags, mask = self._check(emissions, tags, mask)
        m = mask.to(emissions.dtype)  # (B, L)
        # s_{y_1} + Σ_i E_{i, y_i}（只算掩码内）
        emit = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)  # (B, L)
        total = self.start[tags[:, 0]] + (emit * m).sum(1)
        # + Σ_{i≥2} A_{y_{i−1}, y_i}
        total = total + (self.transitions[tags[:, :-1], tags[:, 1:]] * m[:, 1:]).sum(1)
        # + e_{y_L}：y_L 是每个序列最后一个真实位置的标签
        last = tags.gather(1, (mask.sum(1, keepdim=True) - 1)).squeeze(1)  # (B,)
        return total + self.end[last]

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        r"""前向算法求 $\log Z$，形状 ``(B,)``。

        $\alpha_1(j) = s_j + E_{1,j}$，$\alpha_i(j) = E_{i,j} + \log\sum_k \exp\bigl(\alpha_{i-1}(k) + A_{k,j}\bigr)$，
        $\log Z = \log\sum_j\exp\bigl(\alpha_L(j) + e_j\bigr)$。全程在对数域里用 ``logsumexp``，不会上溢。
        """
        emissions, _, mask = self._check(emissions, None, mask)
        alpha = self.start + emissions[:, 0]  # (B, T)
        for i in range(1, emissions.shape[1]):
            # α_i(j) = E_{i,j} + logsumexp_k(α_{i−1}(k) + A_{k,j})
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.transitions, dim=1) + emissions[:, i]  # (B, T)
            alpha = torch.where(mask[:, i : i + 1], nxt, alpha)  # 填充位置保持不变
        # log Z = logsumexp_j(α_L(j) + e_j)
        return torch.logsumexp(alpha + self.end, dim=1)

    def nll(
        self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor | None = None, reduction: str = "mean"
    ) -> torch.Tensor:
        r"""负对数似然 $-\log p(\boldsymbol y\mid\boldsymbol x) = \log Z - \operatorname{score}(\boldsymbol y)$，训练时的损失。

        Parameters
        ----------
        emissions : torch.Tensor
            ``(B, L, T)``。
        tags : torch.Tensor
            ``(B, L)`` 整数标签；不给 ``mask`` 时，值为 -100 的位置是填充。
        mask : torch.Tensor, optional
            ``(B, L)`` 布尔掩码。
        reduction : str
            ``"mean"``（对序列平均，默认）、``"sum"`` 或 ``"none"``。
        """
        check_choice(reduction, "reduction", ("mean", "sum", "none"))
        check_tensor(tags, "tags", kind="int", ndim=2)
        emissions, tags, mask = self._check(emissions, tags, mask)
        # −log p(y | x) = log Z − score(y)
        nll = self.log_partition(emissions, mask) - self.score(emissions, tags, mask)  # (B,)
        return nll.mean() if reduction == "mean" else nll.sum() if reduction == "sum" else nll

    def forward(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """等于 ``self.nll(emissions, tags, mask)``：可以直接当作 [`fit`][dlguide.training.fit] 的 ``loss_fn``。

        Examples
        --------
        >>> crf = LinearChainCRF(3)
        >>> emissions = torch.randn(2, 4, 3, generator=torch.Generator().manual_seed(0))
        >>> tags = torch.tensor([[0, 1, 1, 2], [2, 0, -100, -100]])
        >>> bool(crf(emissions, tags) == crf.nll(emissions, tags))
        True
        """
        return self.nll(emissions, tags, mask)

    @torch.no_grad()
    def decode(
        self,
        emissions: torch.Tensor,
        mask: torch.Tensor | None = None,
        constraints: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> list[list[int]]:
        r"""维特比解码：每个序列分数最高的标签路径（长度等于掩码内的位置数）。

        $\delta_i(j) = E_{i,j} + \max_k\bigl(\delta_{i-1}(k) + A_{k,j}\bigr)$，记下取到最大的 $k$，最后从
        $\arg\max_j(\delta_L(j) + e_j)$ 倒着回溯。

        ``constraints = (allowed, allowed_start)``（见 [`bio_constraints`][dlguide.crf.bio_constraints]）时，
        不允许的转移和起始标签的分数当作 $-\infty$：解出的路径一定合法。
        """
        emissions, _, mask = self._check(emissions, None, mask)
        transitions, start = self.transitions, self.start
        if constraints is not None:
            if not (isinstance(constraints, tuple) and len(constraints) == 2):
                raise TypeError("constraints 必须是 (allowed, allowed_start) 两个张量组成的元组（见 bio_constraints）")
            allowed, allowed_start = constraints
            check_tensor(allowed, "allowed", kind="any", ndim=2)
            check_tensor(allowed_start, "allowed_start", kind="any", ndim=1)
            T = self.num_tags
            if tuple(allowed.shape) != (T, T) or tuple(allowed_start.shape) != (T,):
                raise ValueError(f"constraints 的形状必须是 ({T}, {T}) 和 ({T},)")
            transitions = transitions.masked_fill(~allowed.bool().to(transitions.device), float("-inf"))
            start = start.masked_fill(~allowed_start.bool().to(start.device), float("-inf"))
        delta = start + emissions[:, 0]  # (B, T)
        back = []
        for i in range(1, emissions.shape[1]):
            # δ_i(j) = E_{i,j} + max_k(δ_{i−1}(k) + A_{k,j})
            best, arg = (delta.unsqueeze(2) + transitions).max(dim=1)  # (B, T), (B, T)
            delta = torch.where(mask[:, i : i + 1], best + emissions[:, i], delta)
            back.append(arg)
        last = (delta + self.end).argmax(dim=1).tolist()  # (B,)
        lengths = mask.sum(1).tolist()
        back_cpu = [b.tolist() for b in back]
        paths = []
        for b, (tag, length) in enumerate(zip(last, lengths)):
            path = [tag]
            for i in range(length - 1, 0, -1):  # 位置 i 的回溯指针存在 back[i − 1]
                tag = back_cpu[i - 1][b][tag]
                path.append(tag)
            paths.append(path[::-1])
        return paths



def bio_constraints(tags: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """BIO 方案的合法转移：``I-X`` 只能跟在 ``B-X`` 或 ``I-X`` 后面，句子也不能以 ``I-X`` 开头。

    Parameters
    ----------
    tags : Sequence[str]
        标签名，下标就是标签号，例如 ``("O", "B-PER", "I-PER")``。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``allowed`` ``(T, T)`` 布尔矩阵（``allowed[i, j]``：标签 i 后面能否接标签 j）和 ``allowed_start`` ``(T,)``。

    Examples
    --------
    >>> allowed, allowed_start = bio_constraints(["O", "B-PER", "I-PER"])
    >>> allowed.int().tolist(), allowed_start.int().tolist()
    ([[1, 1, 0], [1, 1, 1], [1, 1, 1]], [1, 1, 0])
    """
    if isinstance(tags, str) or not isinstance(tags, Sequence) or not tags or not all(isinstance(t, str) for t in tags):
        raise TypeError("tags 必须是非空的标签名列表，例如 ('O', 'B-PER', 'I-PER')")
    T = len(tags)
    allowed = torch.ones(T, T, dtype=torch.bool)
    allowed_start = torch.ones(T, dtype=torch.bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            allowed_start[j] = False
            for i, prev in enumerate(tags):
                allowed[i, j] = prev in (f"B-{tag[2:]}", tag)
    return allowed, allowed_start

def _brute_force_scores(crf: LinearChainCRF, emissions: torch.Tensor) -> tuple[list[tuple[int, ...]], torch.Tensor]:
    check_module(crf, "crf", LinearChainCRF)
    check_tensor(emissions, "emissions", ndim=2, nonempty=True)
    L, T = emissions.shape
    if T != crf.num_tags:
        raise ValueError(f"emissions 的最后一维必须是 num_tags = {crf.num_tags}，收到 {T}")
    if T**L > 200_000:
        raise ValueError(f"要枚举 T^L = {T}^{L} 条路径，超过上限 200000；请用更短的序列")
    paths = list(itertools.product(range(T), repeat=L))
    tags = torch.tensor(paths, device=emissions.device)  # (T^L, L)
    scores = crf.score(emissions.expand(len(paths), L, T), tags)  # (T^L,)
    return paths, scores


def brute_force_log_partition(crf: LinearChainCRF, emissions: torch.Tensor) -> torch.Tensor:
    r"""逐条枚举全部 $T^L$ 条路径求 $\log Z = \log\sum_{\boldsymbol y}\exp\operatorname{score}(\boldsymbol y)$（只用于核对）。

    Parameters
    ----------
    crf : LinearChainCRF
    emissions : torch.Tensor
        **一个**序列的发射分数 ``(L, T)``，$T^L \le 200000$。

    Returns
    -------
    torch.Tensor
        标量。

    Examples
    --------
    >>> crf = LinearChainCRF(3)
    >>> e = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
    >>> torch.allclose(brute_force_log_partition(crf, e), crf.log_partition(e[None])[0])
    True
    """
    _, scores = _brute_force_scores(crf, emissions)
    return torch.logsumexp(scores, dim=0)


def brute_force_decode(crf: LinearChainCRF, emissions: torch.Tensor) -> list[int]:
    """逐条枚举全部路径，返回分数最高的一条（只用于核对维特比解码）。

    Examples
    --------
    >>> crf = LinearChainCRF(3)
    >>> e = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
    >>> brute_force_decode(crf, e) == crf.decode(e[None])[0]
    True
    """
    paths, scores = _brute_force_scores(crf, emissions)
    return list(paths[int(scores.argmax())])
