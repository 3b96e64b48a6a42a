r"""自回归解码：贪心搜索、束搜索和长度归一化。

解码器按 $P(\boldsymbol y\mid\boldsymbol x) = \prod_{t} P(y_t\mid\boldsymbol x, y_{<t})$ 一次生成一个词。
我们想要的是 $\arg\max_{\boldsymbol y} \log P(\boldsymbol y\mid\boldsymbol x)$，但候选序列有 $V^{T}$ 条：
**贪心搜索**每步取当前最可能的词；**束搜索**每步保留得分最高的 $B$ 个前缀。两者都是近似。

本模块只和一个“单步函数”打交道，不关心模型的结构：

``step(tokens, state) -> (log_probs, new_state)``

``tokens`` 是 ``(K,)`` 的整数张量（$K$ 个假设各自的上一个词），``log_probs`` 是 ``(K, V)`` 的对数概率，
``state`` 是张量、张量的元组或 ``None``，其中每个张量的第 0 维对应 $K$ 个假设。束搜索在每步按选中的假设
重排 ``state`` 的第 0 维（``index_select``），所以模型不需要知道束的存在。
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from dlguide._checks import check_callable, check_in_range, check_int

__all__ = [
    "beam_search",
    "decode_batch",
    "greedy_search",
    "length_normalized_score",
]

State = torch.Tensor | tuple | None
Step = Callable[[torch.Tensor, State], tuple[torch.Tensor, State]]

MAX_VOCAB = 1_000_000
"""词表大小与最大解码长度的上限。"""
MAX_LEN = 1000


def _select(state: State, index: torch.Tensor) -> State:
    """按假设的下标重排（可以重复）``state`` 里每个张量的第 0 维。"""
    if state is None:
        return None
    if isinstance(state, torch.Tensor):
        return state.index_select(0, index.to(state.device))
    return tuple(_select(s, index) for s in state)


def _batch_size(state: State) -> int:
    if isinstance(state, torch.Tensor):
        return state.shape[0] if state.ndim else 1
    if isinstance(state, tuple):
        for s in state:
            if isinstance(s, (torch.Tensor, tuple)):
                return _batch_size(s)
    return 1


def _check_state(state: object) -> None:
    if state is None or isinstance(state, torch.Tensor):
        return
    if isinstance(state, tuple):
        for s in state:
            _check_state(s)
        return
    raise TypeError(f"state 必须是张量、张量的元组或 None，收到的是 {type(state).__name__}")


def _log_probs(step: Step, tokens: torch.Tensor, state: State, k: int) -> tuple[torch.Tensor, State]:
    out = step(tokens, state)
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], torch.Tensor)):
        raise TypeError("step 必须返回 (log_probs, state)，log_probs 是 (K, V) 的张量")
    log_probs, new_state = out
    if log_probs.ndim != 2 or log_probs.shape[0] != k:
        raise ValueError(f"step 返回的 log_probs 必须是形状 ({k}, V)，收到 {tuple(log_probs.shape)}")
    return log_probs, new_state


def length_normalized_score(log_prob: float, length: int, alpha: float) -> float:
    r"""长度归一化的得分 $\frac{1}{T_y^{\alpha}}\sum_{t=1}^{T_y}\log P(y_t\mid\boldsymbol x, y_{<t})$（吴恩达课程的写法）。

    $\alpha=0$ 是原始的对数概率，偏爱短句（每多一个词就多乘一个小于 1 的概率）；$\alpha=1$ 是每个词的平均对数概率；
    课程建议取中间，例如 $0.7$。

    Parameters
    ----------
    log_prob : float
        $\log P(\boldsymbol y\mid\boldsymbol x)$，≤ 0 的有限数。
    length : int
        $T_y$：生成的词数（含结束符），≥ 1。
    alpha : float
        在 $[0, 1]$ 内。

    Returns
    -------
    float

    Examples
    --------
    >>> round(length_normalized_score(-6.0, 4, 1.0), 4), round(length_normalized_score(-6.0, 4, 0.0), 4)
    (-1.5, -6.0)
    """
    check_in_range(log_prob, "log_prob", float("-inf"), 0.0, low_open=True)
    check_int(length, "length", low=1, high=MAX_LEN + 1)
    check_in_range(alpha, "alpha", 0.0, 1.0)
    # score = log P(y|x) / T_y^α
    return log_prob / length**alpha


def greedy_search(
    step: Step, state: State = None, *, bos: int, eos: int, max_len: int
) -> list[tuple[list[int], float]]:
    r"""贪心搜索：每一步取 $\hat y_t = \arg\max_v \log P(v\mid\boldsymbol x, \hat y_{<t})$，直到生成结束符或到 ``max_len``。

    一批里的每条输入独立解码（``state`` 的第 0 维是批）。

    Parameters
    ----------
    step : callable
        ``step(tokens, state) -> (log_probs, state)``，见模块说明。
    state : torch.Tensor or tuple or None
        初始状态（例如编码器的输出），第 0 维是批大小 $B$；``None`` 时 $B=1$。
    bos, eos : int
        开始符和结束符的编号。
    max_len : int
        最多生成的词数（含结束符），在 ``[1, 1000]`` 内。

    Returns
    -------
    list[tuple[list[int], float]]
        每条输入一个 ``(词序列（不含结束符）, log P)``，``log P`` 含结束符那一步。

    Raises
    ------
    TypeError, ValueError
        参数不合法，或 ``step`` 的返回值形状不对。

    Examples
    --------
    一个二元语言模型（下一个词只取决于上一个词）：0 = 开始，1 = 结束，2 = a，3 = b。
    a 后面最可能的是 a（0.4），所以贪心一直生成 a，直到 ``max_len``：

    >>> table = torch.tensor([[0.0, 0.1, 0.5, 0.4], [0.0, 1.0, 0.0, 0.0], [0.0, 0.3, 0.4, 0.3], [0.0, 0.9, 0.05, 0.05]])
    >>> step = lambda tokens, state: (table[tokens].log(), state)
    >>> [(tokens, round(lp, 4)) for tokens, lp in greedy_search(step, bos=0, eos=1, max_len=5)]
    [([2, 2, 2, 2, 2], -4.3583)]
    """
    check_callable(step, "step")
    _check_state(state)
    check_int(bos, "bos", low=0, high=MAX_VOCAB)
    check_int(eos, "eos", low=0, high=MAX_VOCAB)
    check_int(max_len, "max_len", low=1, high=MAX_LEN)
    B = _batch_size(state)
    tokens = torch.full((B,), bos, dtype=torch.long)
    scores = [0.0] * B
    outputs: list[list[int]] = [[] for _ in range(B)]
    done = [False] * B
    for _ in range(max_len):
        log_probs, state = _log_probs(step, tokens, state, B)
        # ŷ_t = argmax_v log P(v | x, ŷ_<t)
        best = log_probs.argmax(dim=1)
        picked = log_probs.gather(1, best[:, None]).squeeze(1).tolist()
        for i, (token, lp) in enumerate(zip(best.tolist(), picked)):
            if done[i]:
                continue
            scores[i] += lp
            if token == eos:
                done[i] = True
            else:
                outputs[i].append(token)
        if all(done):
            break
        tokens = best.cpu()
    return list(zip(outputs, scores))


def beam_search(
    step: Step,
    state: State = None,
    *,
    bos: int,
    eos: int,
    beam_width: int,
    max_len: int,
    alpha: float = 0.0,
) -> list[tuple[list[int], float]]:
    r"""束搜索：每步把所有活着的假设各扩展一个词，按累计对数概率 $\sum_t\log P(y_t\mid\boldsymbol x,y_{<t})$ 只留最好的 ``beam_width`` 个。

    生成了结束符的假设移出束、放进候选；束空了或到 ``max_len`` 时停止，未结束的假设也作为候选。
    最后按 [`length_normalized_score`][dlguide.decoding.length_normalized_score] 给候选排序。
    同一步里活着的假设一样长，所以剪枝只需比较对数概率；长度归一化只在比较**不同长度**的完成句子时起作用。
    ``beam_width=1`` 就是贪心搜索。只解码一条输入（``state`` 的第 0 维是 1）。

    Parameters
    ----------
    step : callable
        ``step(tokens, state) -> (log_probs, state)``，见模块说明。
    state : torch.Tensor or tuple or None
        一条输入的初始状态，第 0 维是 1。
    bos, eos : int
        开始符和结束符的编号。
    beam_width : int
        束宽 $B$，在 ``[1, 1000]`` 内。
    max_len : int
        最多生成的词数（含结束符），在 ``[1, 1000]`` 内。
    alpha : float
        长度归一化的指数，在 $[0, 1]$ 内；0 表示不归一化。

    Returns
    -------
    list[tuple[list[int], float]]
        候选 ``(词序列（不含结束符）, log P)``，按归一化得分从高到低；第一个就是解码结果。

    Raises
    ------
    TypeError, ValueError
        参数不合法，或 ``state`` 的第 0 维不是 1。

    Examples
    --------
    同一个二元语言模型：贪心第一步取 a（0.5）后就回不了头；束宽 2 时 b（0.4）留在束里，
    下一步“b 结束”的概率 $0.4\times0.9=0.36$ 胜过任何以 a 开头的句子：

    >>> table = torch.tensor([[0.0, 0.1, 0.5, 0.4], [0.0, 1.0, 0.0, 0.0], [0.0, 0.3, 0.4, 0.3], [0.0, 0.9, 0.05, 0.05]])
    >>> step = lambda tokens, state: (table[tokens].log(), state)
    >>> import math
    >>> best = beam_search(step, bos=0, eos=1, beam_width=2, max_len=5)[0]
    >>> best[0], round(best[1], 4), round(math.log(0.36), 4)
    ([3], -1.0217, -1.0217)
    """
    check_callable(step, "step")
    _check_state(state)
    check_int(bos, "bos", low=0, high=MAX_VOCAB)
    check_int(eos, "eos", low=0, high=MAX_VOCAB)
    check_int(beam_width, "beam_width", low=1, high=1000)
    check_int(max_len, "max_len", low=1, high=MAX_LEN)
    check_in_range(alpha, "alpha", 0.0, 1.0)
    if _batch_size(state) != 1:
        raise ValueError(f"beam_search 一次只解码一条输入：state 的第 0 维必须是 1，收到 {_batch_size(state)}")
    live: list[tuple[list[int], float]] = [([], 0.0)]
    tokens = torch.tensor([bos])
    finished: list[tuple[list[int], float, int]] = []  # (词序列, log P, 含结束符的长度)
    for t in range(max_len):
        log_probs, state = _log_probs(step, tokens, state, len(live))
        V = log_probs.shape[1]
        # 每个扩展的累计得分：log P(y_<t) + log P(v | x, y_<t)     (K, V)
        totals = torch.tensor([score for _, score in live], dtype=torch.float64)[:, None] + log_probs.double().cpu()
        top = totals.flatten().topk(min(beam_width, totals.numel()))
        keep, new_live = [], []
        for total, index in zip(top.values.tolist(), top.indices.tolist()):
            if total == float("-inf"):
                continue
            parent, token = divmod(index, V)
            words = live[parent][0]
            if token == eos:
                finished.append((words, total, t + 1))
            else:
                keep.append(parent)
                new_live.append(([*words, token], total))
        if not new_live:
            break
        live = new_live
        state = _select(state, torch.tensor(keep))
        tokens = torch.tensor([words[-1] for words, _ in live])
    else:
        finished.extend((words, score, max_len) for words, score in live)
    ranked = sorted(finished, key=lambda c: -length_normalized_score(min(c[1], 0.0), c[2], alpha))
    return [(words, score) for words, score, _ in ranked]


def decode_batch(
    model: torch.nn.Module,
    src: torch.Tensor,
    *,
    bos: int,
    eos: int,
    max_len: int,
    beam_width: int = 1,
    alpha: float = 0.0,
) -> list[list[int]]:
    """用模型的 ``encode(src) -> state`` 和 ``step(tokens, state)`` 解码一批源序列（例如 [`Seq2Seq`][dlguide.models.Seq2Seq]）。

    ``beam_width=1`` 时整批一起做贪心搜索；否则逐条做 [`beam_search`][dlguide.decoding.beam_search]。
    在 ``torch.no_grad()`` 和 ``model.eval()`` 下运行，结束后恢复训练模式。

    Parameters
    ----------
    model : torch.nn.Module
        有 ``encode`` 和 ``step`` 两个方法的模型。
    src : torch.Tensor
        ``(B, S)`` 整数张量。
    bos, eos : int
        开始符和结束符。
    max_len : int
        最多生成的词数（含结束符）。
    beam_width : int
        束宽，1 表示贪心。
    alpha : float
        长度归一化指数，见 [`length_normalized_score`][dlguide.decoding.length_normalized_score]。

    Returns
    -------
    list[list[int]]
        每条源序列的输出（不含结束符）。

    Examples
    --------
    >>> from dlguide.models import Seq2Seq
    >>> net = Seq2Seq(13, 13, embed=8, hidden=16, seed=0)
    >>> outputs = decode_batch(net, torch.tensor([[4, 5, 6], [7, 8, 0]]), bos=1, eos=2, max_len=5, beam_width=2)
    >>> len(outputs), all(len(o) <= 5 for o in outputs)
    (2, True)
    """
    if not (isinstance(model, torch.nn.Module) and callable(getattr(model, "encode", None)) and callable(getattr(model, "step", None))):
        raise TypeError(f"model 必须是有 encode 和 step 方法的 torch.nn.Module，收到的是 {type(model).__name__}")
    if not isinstance(src, torch.Tensor):
        raise TypeError(f"src 必须是 torch.Tensor，收到的是 {type(src).__name__}")
    check_int(beam_width, "beam_width", low=1, high=1000)
    check_int(max_len, "max_len", low=1, high=MAX_LEN)
    check_in_range(alpha, "alpha", 0.0, 1.0)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            state = model.encode(src.to(device))
            if beam_width == 1:
                return [tokens for tokens, _ in greedy_search(model.step, state, bos=bos, eos=eos, max_len=max_len)]
            outputs = []
            for i in range(src.shape[0]):
                one = _select(state, torch.tensor([i]))
                hyps = beam_search(model.step, one, bos=bos, eos=eos, beam_width=beam_width, max_len=max_len, alpha=alpha)
                outputs.append(hyps[0][0])
            return outputs
    finally:
        model.train(was_training)
