r"""CTC（联结主义时间分类，Graves 等 2006）：损失的前向递推、空白与折叠规则、贪心解码和前缀束搜索。

网络在每一帧 $t$ 输出 $C$ 个类别（含空白 $\varnothing$）的概率 $y^t_k$。一条**路径** $\pi$ 给每一帧选一个类别，
映射 $\mathcal B$ 先合并相邻的重复、再删去空白，把路径变成标签序列：$\mathcal B(\texttt{aa}\varnothing\texttt{ab}\varnothing) = \texttt{aab}$。
标签 $\boldsymbol l$ 的概率是所有折叠成它的路径的概率之和

$$
p(\boldsymbol l\mid\boldsymbol x) = \sum_{\pi \in \mathcal B^{-1}(\boldsymbol l)} \prod_{t=1}^{T} y^t_{\pi_t},
$$

CTC 损失是 $-\log p(\boldsymbol l\mid\boldsymbol x)$。路径有指数多条，前向递推（动态规划）在 $O(T\cdot|\boldsymbol l|)$ 内求和。

本模块的输入布局与 ``nn.CTCLoss`` 相同：``log_probs`` 形状 ``(T, N, C)``，是**对数**概率（``log_softmax`` 的输出）。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch.nn.functional import pad as nn_pad

from dlguide._checks import check_bool, check_choice, check_int, check_tensor

__all__ = [
    "ctc_collapse",
    "ctc_greedy_decode",
    "ctc_loss",
    "ctc_min_frames",
    "ctc_prefix_beam_search",
]

_NEG = -1e30
r"""对数域里代替 $-\infty$ 的“不可能”：有限值，logsumexp 的梯度不会出现 ``nan``。"""
MAX_SIZE = 100_000
"""类别数、帧数等尺寸的上限：再大在读者的 CPU 上跑不完。"""


def _labels(sequence: object, name: str) -> list[int]:
    """把 1 维整数张量或整数序列转成 ``list[int]``。"""
    if isinstance(sequence, torch.Tensor):
        check_tensor(sequence, name, kind="int", ndim=1)
        return [int(v) for v in sequence.tolist()]
    if isinstance(sequence, (str, bytes)) or not isinstance(sequence, Sequence):
        raise TypeError(f"{name} 必须是整数序列或 1 维整数张量，收到的是 {type(sequence).__name__}")
    for v in sequence:
        check_int(v, f"{name} 的元素", low=0, high=MAX_SIZE)
    return [int(v) for v in sequence]


def ctc_collapse(path: Sequence[int] | torch.Tensor, blank: int = 0) -> list[int]:
    r"""CTC 的映射 $\mathcal B$：先合并相邻的重复类别，再删去空白。

    顺序不能颠倒：空白把两个相同的标签隔开，它们才会被保留成两个。

    Parameters
    ----------
    path : Sequence[int] or torch.Tensor
        每帧的类别（整数序列或 1 维整数张量）。
    blank : int
        空白的类别号，≥ 0。

    Returns
    -------
    list[int]
        折叠后的标签序列。

    Raises
    ------
    TypeError, ValueError
        ``path`` 不是整数序列，或 ``blank`` 越界。

    Examples
    --------
    >>> ctc_collapse([1, 1, 0, 1, 2, 2, 0, 0, 3])  # a a ∅ a b b ∅ ∅ c → a a b c
    [1, 1, 2, 3]
    >>> ctc_collapse([1, 1, 1, 2])  # 没有空白隔开，重复的 a 被合并
    [1, 2]
    """
    check_int(blank, "blank", low=0, high=MAX_SIZE)
    frames = _labels(path, "path")
    # 第一步：合并相邻的重复（aa∅abb → a∅ab）
    merged = [k for i, k in enumerate(frames) if i == 0 or k != frames[i - 1]]
    # 第二步：删去空白（a∅ab → aab）
    return [k for k in merged if k != blank]


def ctc_min_frames(labels: Sequence[int] | torch.Tensor) -> int:
    r"""输出 ``labels`` 至少需要的帧数：标签个数加上相邻重复的对数（两个相同的标签之间必须插一个空白）。

    帧数 $T$ 少于它时没有任何路径能折叠成 ``labels``，$p(\boldsymbol l\mid\boldsymbol x)=0$，CTC 损失是 $+\infty$。

    Examples
    --------
    >>> ctc_min_frames([1, 2, 3]), ctc_min_frames([1, 1, 2, 2])
    (3, 6)
    """
    seq = _labels(labels, "labels")
    return len(seq) + sum(a == b for a, b in zip(seq[:-1], seq[1:]))


def _padded_targets(targets: torch.Tensor, target_lengths: torch.Tensor, n: int) -> torch.Tensor:
    """二维 ``(N, S)`` 原样返回；一维（所有标签首尾相接，``nn.CTCLoss`` 的另一种格式）按长度切开后补齐。"""
    if targets.ndim == 2:
        if targets.shape[0] != n:
            raise ValueError(f"targets 的第 0 维必须是批大小 N={n}，收到 {targets.shape[0]}")
        return targets
    total = int(target_lengths.sum().item())
    if targets.numel() != total:
        raise ValueError(f"一维 targets 的长度必须等于 target_lengths 之和 {total}，收到 {targets.numel()}")
    width = max(1, int(target_lengths.max().item()))
    padded = targets.new_zeros(n, width)
    for i, chunk in enumerate(targets.split(target_lengths.tolist())):
        padded[i, : len(chunk)] = chunk
    return padded


def ctc_loss(
    log_probs: torch.Tensor,
    targets: torch.Tensor,
    input_lengths: torch.Tensor,
    target_lengths: torch.Tensor,
    *,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> torch.Tensor:
    r"""CTC 损失 $-\log p(\boldsymbol l\mid\boldsymbol x)$，由前向变量 $\alpha_t(s)$ 的递推算出，与 ``nn.CTCLoss`` 相同。

    在标签的首尾和每两个标签之间插入空白，得到长 $2|\boldsymbol l|+1$ 的扩展序列 $\boldsymbol l'$。
    $\alpha_t(s)$ 是前 $t$ 帧的路径恰好走到 $l'_s$ 的概率之和：

    $$
    \alpha_t(s) = \bigl(\alpha_{t-1}(s) + \alpha_{t-1}(s-1)
        + [\,l'_s \ne \varnothing \wedge l'_s \ne l'_{s-2}\,]\,\alpha_{t-1}(s-2)\bigr)\, y^t_{l'_s},
    $$

    起点只能是开头的空白或第一个标签，终点只能是最后一个标签或末尾的空白：
    $p(\boldsymbol l\mid\boldsymbol x) = \alpha_T(|\boldsymbol l'|) + \alpha_T(|\boldsymbol l'|-1)$。计算在对数域进行。

    Parameters
    ----------
    log_probs : torch.Tensor
        ``(T, N, C)`` 的对数概率（``log_softmax`` 的输出），与 ``nn.CTCLoss`` 相同的布局。
    targets : torch.Tensor
        ``(N, S)`` 补齐的标签（超出长度的部分被忽略），或把所有标签首尾相接的一维张量。不能含空白。
    input_lengths : torch.Tensor
        ``(N,)``，每条输入的帧数，在 ``[1, T]`` 内。
    target_lengths : torch.Tensor
        ``(N,)``，每条标签的长度，在 ``[0, S]`` 内。
    blank : int
        空白的类别号，在 ``[0, C)`` 内。
    reduction : str
        ``"none"``：每条一个损失；``"sum"``：求和；``"mean"``（默认）：每条先除以各自的标签长度（至少 1）再对批平均。
    zero_infinity : bool
        为 ``True`` 时把不可能的样本（帧数不够，损失为 $+\infty$）的损失和梯度置 0。
        为 ``False`` 时这样的样本损失是 $+\infty$（与 ``nn.CTCLoss`` 相同），但它的梯度是 0，
        而 ``nn.CTCLoss`` 给出 ``nan``：这是唯一与 PyTorch 不同的地方。

    Returns
    -------
    torch.Tensor
        ``reduction="none"`` 时形状 ``(N,)``，否则是标量。

    Raises
    ------
    TypeError, ValueError
        张量类型、形状或取值不合法。

    Examples
    --------
    两帧、两类（空白 0 和标签 1），每帧 $P(\varnothing)=0.6$、$P(1)=0.4$。折叠成 ``[1]`` 的路径是
    ``1∅``、``∅1``、``11``，概率之和 $0.24+0.24+0.16=0.64$：

    >>> log_probs = torch.tensor([[0.6, 0.4], [0.6, 0.4]]).log().reshape(2, 1, 2)
    >>> loss = ctc_loss(log_probs, torch.tensor([[1]]), torch.tensor([2]), torch.tensor([1]), reduction="sum")
    >>> round(loss.item(), 4), round(-math.log(0.64), 4)
    (0.4463, 0.4463)
    """
    check_tensor(log_probs, "log_probs", ndim=3, nonempty=True)
    check_tensor(targets, "targets", kind="int", ndim=(1, 2))
    check_tensor(input_lengths, "input_lengths", kind="int", ndim=1)
    check_tensor(target_lengths, "target_lengths", kind="int", ndim=1)
    check_choice(reduction, "reduction", ("none", "mean", "sum"))
    check_bool(zero_infinity, "zero_infinity")
    T, N, C = log_probs.shape
    check_int(blank, "blank", low=0, high=C - 1)
    for lengths, name in ((input_lengths, "input_lengths"), (target_lengths, "target_lengths")):
        if len(lengths) != N:
            raise ValueError(f"{name} 的长度必须是批大小 N={N}，收到 {len(lengths)}")
    if bool((input_lengths < 1).any()) or bool((input_lengths > T).any()):
        raise ValueError(f"input_lengths 的每个值必须在 [1, {T}] 内，收到 {input_lengths.tolist()}")
    padded = _padded_targets(targets, target_lengths, N)
    S = padded.shape[1]
    if S == 0:  # 全是空标签：补一列，让扩展序列至少有 3 个位置
        padded = padded.new_zeros(N, 1)
    if bool((target_lengths < 0).any()) or bool((target_lengths > S).any()):
        raise ValueError(f"target_lengths 的每个值必须在 [0, {S}] 内，收到 {target_lengths.tolist()}")
    device = log_probs.device
    S = padded.shape[1]
    padded = padded.to(device)
    input_lengths, target_lengths = input_lengths.to(device), target_lengths.to(device)
    valid = torch.arange(S, device=device)[None, :] < target_lengths[:, None]  # (N, S)
    real = padded[valid]
    if bool(((real < 0) | (real >= C) | (real == blank)).any()):
        raise ValueError(f"targets 里的标签必须在 [0, {C}) 内且不等于 blank={blank}")
    labels = torch.where(valid, padded, blank)

    # 扩展序列 l' = ∅ l₁ ∅ l₂ … ∅ l_S ∅               (N, 2S+1)
    ext = torch.full((N, 2 * S + 1), blank, dtype=torch.long, device=device)
    ext[:, 1::2] = labels
    # 能否从 s−2 跳到 s：l'_s 不是空白，且与 l'_{s−2} 不同    (N, 2S+1)
    skip = torch.zeros_like(ext, dtype=torch.bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    # 每帧在扩展序列各位置上的发射对数概率 log y^t_{l'_s}  (T, N, 2S+1)
    emit = log_probs.gather(2, ext[None].expand(T, N, 2 * S + 1))

    # 不能从 s−2 跳过来的位置加上“不可能”（对数域里的 0 概率）
    no_skip = torch.where(skip, 0.0, _NEG).to(log_probs.dtype)
    # 初始化：只能从 l'_1 = ∅ 或 l'_2 = l₁ 出发
    alpha = torch.cat([emit[0, :, :2], log_probs.new_full((N, 2 * S - 1), _NEG)], dim=1)
    last = alpha  # 每条样本在自己的最后一帧 t = T_n 时的 α
    for t in range(1, T):
        step = nn_pad(alpha[:, :-1], (1, 0), value=_NEG)  # α_{t−1}(s−1)
        jump = nn_pad(alpha[:, :-2], (2, 0), value=_NEG) + no_skip  # α_{t−1}(s−2)，只在可跳处
        # α_t(s) = (α_{t−1}(s) + α_{t−1}(s−1) + [可跳]·α_{t−1}(s−2)) · y^t_{l'_s}，在对数域里是 logaddexp 加 log y
        alpha = torch.logaddexp(torch.logaddexp(alpha, step), jump) + emit[t]
        last = torch.where((input_lengths == t + 1)[:, None], alpha, last)
    end = 2 * target_lengths  # 末尾空白的下标
    final_blank = last.gather(1, end[:, None]).squeeze(1)
    final_label = last.gather(1, (end - 1).clamp(min=0)[:, None]).squeeze(1)
    final_label = torch.where(target_lengths > 0, final_label, _NEG)
    # p(l|x) = α_T(|l'|) + α_T(|l'| − 1)，损失 = −log p(l|x)
    loss = -torch.logaddexp(final_blank, final_label)

    # 帧数不够（T_n < |l| + 相邻重复数）时没有任何路径：p = 0，损失 = +∞
    repeats = ((labels[:, 1:] == labels[:, :-1]) & valid[:, 1:]).sum(1)
    feasible = input_lengths >= target_lengths + repeats
    loss = torch.where(feasible, loss, 0.0 if zero_infinity else float("inf"))
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    # "mean"：先除以各自的标签长度（至少 1），再对批平均
    return (loss / target_lengths.clamp(min=1).to(loss.dtype)).mean()


def ctc_greedy_decode(log_probs: torch.Tensor, input_lengths: torch.Tensor | None = None, *, blank: int = 0) -> list[list[int]]:
    """最佳路径解码：每帧取概率最大的类别，再用 [`ctc_collapse`][dlguide.ctc.ctc_collapse] 折叠。

    它找的是概率最大的**路径**，不一定是概率最大的**标签序列**（后者要把所有路径加起来，见
    [`ctc_prefix_beam_search`][dlguide.ctc.ctc_prefix_beam_search]）。

    Parameters
    ----------
    log_probs : torch.Tensor
        ``(T, N, C)``。
    input_lengths : torch.Tensor, optional
        ``(N,)``，每条的有效帧数；默认都是 ``T``。
    blank : int
        空白的类别号。

    Returns
    -------
    list[list[int]]
        每条输入的标签序列。

    Examples
    --------
    >>> probs = torch.tensor([[0.6, 0.4], [0.6, 0.4]]).reshape(2, 1, 2)
    >>> ctc_greedy_decode(probs.log())  # 最佳路径 ∅∅（0.36）折叠成空序列，尽管 p([1]) = 0.64
    [[]]
    """
    check_tensor(log_probs, "log_probs", ndim=3, nonempty=True)
    T, N, C = log_probs.shape
    check_int(blank, "blank", low=0, high=C - 1)
    if input_lengths is None:
        input_lengths = torch.full((N,), T, dtype=torch.long)
    check_tensor(input_lengths, "input_lengths", kind="int", ndim=1)
    if len(input_lengths) != N or bool((input_lengths < 1).any()) or bool((input_lengths > T).any()):
        raise ValueError(f"input_lengths 必须有 N={N} 个值，每个在 [1, {T}] 内，收到 {input_lengths.tolist()}")
    best = log_probs.argmax(dim=2).T.tolist()  # (N, T)
    return [ctc_collapse(path[: int(n)], blank) for path, n in zip(best, input_lengths.tolist())]


def _logaddexp(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    # log(eᵃ + eᵇ) = a + log(1 + e^{b−a})，a ≥ b，不会上溢
    return a + math.log1p(math.exp(b - a)) if b > _NEG else a


def ctc_prefix_beam_search(log_probs: torch.Tensor, beam_width: int = 8, *, blank: int = 0) -> list[tuple[list[int], float]]:
    r"""CTC 前缀束搜索：在**标签前缀**上做束搜索，把折叠成同一前缀的路径的概率合并起来。

    每个前缀 $\boldsymbol p$ 记两个数：以空白结尾的路径概率 $P_b$ 和以非空白结尾的 $P_{nb}$。
    读入第 $t$ 帧时：接空白，前缀不变，进 $P_b$；接与末尾相同的标签 $c$，若上一帧是 $c$ 则并入原前缀（重复被合并），
    若上一帧是空白则得到新前缀 $\boldsymbol p c$；接其他标签得到 $\boldsymbol p c$。每帧只保留 $P_b+P_{nb}$ 最大的 ``beam_width`` 个前缀。
    不带语言模型；束足够宽时得到的就是精确的 $p(\boldsymbol l\mid\boldsymbol x)$。

    Parameters
    ----------
    log_probs : torch.Tensor
        一条输入的对数概率，``(T, C)``。
    beam_width : int
        束宽，在 ``[1, 1000]`` 内。
    blank : int
        空白的类别号。

    Returns
    -------
    list[tuple[list[int], float]]
        至多 ``beam_width`` 个 ``(标签序列, log p)``，按概率从大到小。

    Examples
    --------
    >>> probs = torch.tensor([[0.6, 0.4], [0.6, 0.4]])
    >>> [(labels, round(math.exp(lp), 4)) for labels, lp in ctc_prefix_beam_search(probs.log(), 2)]
    [([1], 0.64), ([], 0.36)]
    """
    check_tensor(log_probs, "log_probs", ndim=2, nonempty=True)
    check_int(beam_width, "beam_width", low=1, high=1000)
    T, C = log_probs.shape
    check_int(blank, "blank", low=0, high=C - 1)
    y = log_probs.detach().double().cpu().tolist()
    # 前缀 → [log P_b, log P_nb]；开始时只有空前缀，P_b = 1
    beams: dict[tuple[int, ...], list[float]] = {(): [0.0, _NEG]}
    for t in range(T):
        nxt: dict[tuple[int, ...], list[float]] = {}

        def add(prefix: tuple[int, ...], which: int, value: float, table: dict = nxt) -> None:
            entry = table.setdefault(prefix, [_NEG, _NEG])
            entry[which] = _logaddexp(entry[which], value)

        for prefix, (p_b, p_nb) in beams.items():
            total = _logaddexp(p_b, p_nb)
            # 接空白：前缀不变，P_b(p) += (P_b + P_nb) · y_∅
            add(prefix, 0, total + y[t][blank])
            for c in range(C):
                if c == blank:
                    continue
                extended = (*prefix, c)
                if prefix and c == prefix[-1]:
                    # 重复的标签：上一帧是 c 时并入原前缀；上一帧是空白时才开始一个新的 c
                    add(prefix, 1, p_nb + y[t][c])
                    add(extended, 1, p_b + y[t][c])
                else:
                    # P_nb(p c) += (P_b + P_nb) · y_c
                    add(extended, 1, total + y[t][c])
        # 按 P_b + P_nb 排序，去掉不可能的前缀（概率为 0，例如帧数不够输出的重复标签）
        ranked = sorted(((p, v) for p, v in nxt.items() if _logaddexp(*v) > _NEG / 2), key=lambda item: -_logaddexp(*item[1]))
        beams = dict(ranked[:beam_width])
    result = [(list(prefix), _logaddexp(p_b, p_nb)) for prefix, (p_b, p_nb) in beams.items()]
    return sorted(result, key=lambda item: -item[1])
