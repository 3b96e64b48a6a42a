"""“Seq2Seq 序列模型”一页：玩具语言模型上的贪心与束搜索、长度归一化，以及束搜索的搜索树图。"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_in_range, check_int, check_tensor
from dlguide.figures import figure, new_figure

__all__ = [
    "GREEDY_TRAP",
    "LENGTH_TRAP",
    "TOY_VOCAB",
    "beam_tree",
    "prefix_language_model",
    "spell",
]

TOY_VOCAB = "^#abcdxyzw"
"""玩具语言模型的词表：``^`` 是开始符（编号 0），``#`` 是结束符（编号 1），其余是普通的词。"""

GREEDY_TRAP: dict[str, dict[str, float]] = {
    "": {"a": 0.5, "b": 0.4, "#": 0.1},
    "a": {"a": 0.4, "b": 0.3, "#": 0.3},
    "b": {"#": 0.9, "a": 0.05, "b": 0.05},
    "aa": {"#": 0.5, "a": 0.5},
    "ab": {"#": 1.0},
}
"""贪心的陷阱：第一步 a（0.5）比 b（0.4）可能，但 “b#” 的概率 0.4×0.9 = 0.36 最高。"""

LENGTH_TRAP: dict[str, dict[str, float]] = {
    "": {"x": 0.5, "y": 0.5},
    "x": {"#": 0.6, "x": 0.2, "y": 0.2},
    "y": {"z": 0.8, "#": 0.2},
    "yz": {"w": 0.8, "#": 0.2},
    "yzw": {"#": 0.625, "w": 0.375},
}
"""长度的陷阱：短句 “x#” 的概率 0.5×0.6 = 0.3 高于长句 “yzw#” 的 0.5×0.8×0.8×0.625 = 0.2，但长句每个词的平均概率更高。"""


def _check_spec(spec: object) -> dict[str, dict[str, float]]:
    if not isinstance(spec, dict):
        raise TypeError(f"spec 必须是 {{前缀: {{下一个词: 概率}}}} 的字典，收到的是 {type(spec).__name__}")
    for prefix, dist in spec.items():
        if not isinstance(prefix, str) or not isinstance(dist, dict) or not dist:
            raise TypeError(f"spec 的键必须是字符串、值必须是非空字典，收到 {prefix!r}: {dist!r}")
        if any(ch not in TOY_VOCAB[2:] for ch in prefix):
            raise ValueError(f"spec 的前缀只能由 {TOY_VOCAB[2:]!r} 里的字符组成，收到 {prefix!r}")
        for token, p in dist.items():
            if not isinstance(token, str) or token not in TOY_VOCAB[1:] or len(token) != 1:
                raise ValueError(f"spec[{prefix!r}] 的词必须是 {TOY_VOCAB[1:]!r} 里的一个字符，收到 {token!r}")
            check_in_range(p, f"spec[{prefix!r}][{token!r}]", 0.0, 1.0)
        if abs(sum(dist.values()) - 1) > 1e-6:
            raise ValueError(f"spec[{prefix!r}] 的概率之和必须是 1，收到 {sum(dist.values())}")
    return spec


def prefix_language_model(spec: dict[str, dict[str, float]]) -> tuple:
    r"""把 ``{前缀: {下一个词: 概率}}`` 变成 [`beam_search`][dlguide.decoding.beam_search] 能用的单步函数。

    $P(y_t\mid y_{<t})$ 直接查表；表里没有的前缀只能以结束符 ``#`` 结束。状态是每个假设当前前缀的编号，
    形状 ``(K,)``，所以束搜索重排状态时模型不需要知道束的存在。词的编号是它在 [`TOY_VOCAB`][dlguide.pages.sequence.seq2seq.TOY_VOCAB] 里的位置。

    Parameters
    ----------
    spec : dict
        例如 [`GREEDY_TRAP`][dlguide.pages.sequence.seq2seq.GREEDY_TRAP]。每个分布的概率之和为 1。

    Returns
    -------
    tuple
        ``(step, state)``：单步函数和初始状态（一个假设，位于空前缀）。

    Examples
    --------
    >>> step, state = prefix_language_model({"": {"a": 0.7, "#": 0.3}})
    >>> log_probs, state = step(torch.tensor([0]), state)
    >>> [round(p, 2) for p in log_probs.exp()[0].tolist()]
    [0.0, 0.3, 0.7, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    spec = _check_spec(spec)
    prefixes = [""]  # 编号 → 前缀；状态里存的是编号
    index = {"": 0}

    def node(prefix: str) -> int:
        if prefix not in index:
            index[prefix] = len(prefixes)
            prefixes.append(prefix)
        return index[prefix]

    def step(tokens: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        check_tensor(tokens, "tokens", kind="int", ndim=1)
        check_tensor(state, "state", kind="int", ndim=1)
        if bool((tokens < 0).any()) or bool((tokens >= len(TOY_VOCAB)).any()):
            raise ValueError(f"tokens 必须在 [0, {len(TOY_VOCAB)}) 内，收到 {tokens.tolist()}")
        if len(tokens) != len(state) or bool((state < 0).any()) or bool((state >= len(prefixes)).any()):
            raise ValueError(f"state 必须是与 tokens 等长、取值在 [0, {len(prefixes)}) 内的前缀编号，收到 {state.tolist()}")
        rows, nodes = [], []
        for token, parent in zip(tokens.tolist(), state.tolist()):
            # 新前缀 = 父前缀 + 上一个词（开始符不算词）
            prefix = prefixes[parent] + ("" if token == 0 else TOY_VOCAB[token])
            nodes.append(node(prefix))
            # P(y_t | y_<t)：查表；没有的前缀只能结束
            dist = spec.get(prefix, {"#": 1.0})
            rows.append([dist.get(ch, 0.0) for ch in TOY_VOCAB])
        return torch.tensor(rows).log(), torch.tensor(nodes)

    return step, torch.tensor([0])


def spell(tokens: list[int]) -> str:
    """把玩具语言模型的词编号写成字符串（不含开始符和结束符）。

    Examples
    --------
    >>> spell([3, 3])
    'bb'
    """
    if not isinstance(tokens, list):
        raise TypeError(f"tokens 必须是整数列表，收到的是 {type(tokens).__name__}")
    for t in tokens:
        check_int(t, "tokens 的元素", low=2, high=len(TOY_VOCAB) - 1)
    return "".join(TOY_VOCAB[t] for t in tokens)


def _prob(spec: dict[str, dict[str, float]], prefix: str, token: str) -> float:
    return spec.get(prefix, {"#": 1.0}).get(token, 0.0)


@figure
def beam_tree() -> Figure:
    """GREEDY_TRAP 上的搜索树：每层的候选前缀与累计概率，束宽 2 保留的前缀、贪心路径分别标出。"""
    spec = GREEDY_TRAP
    fig, (ax,) = new_figure(1, width=9.0, height=4.6)
    beam = [("", 1.0)]
    greedy = ""
    levels: list[list[tuple[str, float, str, bool]]] = []  # (前缀, 累计概率, 父前缀, 是否保留)
    for _ in range(3):
        candidates = []
        for prefix, p in beam:
            if prefix.endswith("#"):
                continue
            for token in "ab#":
                q = p * _prob(spec, prefix, token)
                if q > 0:
                    candidates.append((prefix + token, q, prefix))
        candidates.sort(key=lambda c: -c[1])
        kept = {c[0] for c in candidates[:2]}
        levels.append([(c[0], c[1], c[2], c[0] in kept) for c in candidates])
        beam = [(c[0], c[1]) for c in candidates[:2] if not c[0].endswith("#")]
        if not greedy.endswith("#"):
            dist = spec.get(greedy, {"#": 1.0})
            greedy += max(dist, key=lambda t: (dist[t], -TOY_VOCAB.index(t)))
    positions = {"": (0.0, 0.5)}
    for depth, level in enumerate(levels, start=1):
        for i, (prefix, _, _, _) in enumerate(level):
            positions[prefix] = (depth, 1 - (i + 0.5) / len(level))
    ax.text(0, 0.5, "^", ha="center", va="center", fontsize=12, bbox={"boxstyle": "round", "fc": "white"})
    for level in levels:
        for prefix, q, parent, kept in level:
            (x0, y0), (x1, y1) = positions[parent], positions[prefix]
            ax.plot([x0, x1], [y0, y1], color="tab:blue" if kept else "0.75", lw=2.4 if kept else 1, zorder=1)
            if greedy.startswith(prefix):
                ax.plot([x0, x1], [y0, y1], color="tab:red", lw=1.6, ls="--", zorder=2)
            ax.text(x1, y1, f"{prefix}  {q:.3g}", ha="center", va="center", fontsize=9, zorder=3,
                    bbox={"boxstyle": "round", "fc": "#dbe9f6" if kept else "white", "ec": "tab:blue" if kept else "0.6"})
    ax.plot([], [], color="tab:blue", lw=2.4, label="束宽 2 每步保留的前缀（以 # 结尾的成为候选）")
    ax.plot([], [], color="0.75", lw=1, label="被剪掉的前缀")
    ax.plot([], [], color="tab:red", lw=1.6, ls="--", label="贪心路径：得到 aa#，概率 0.1")
    ax.set_xlim(-0.3, 3.4)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xticks([0, 1, 2, 3], ["开始", "第 1 步", "第 2 步", "第 3 步"])
    ax.set_yticks([])
    ax.grid(False)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8)
    ax.set_title("束搜索（B=2）找到 b#（0.36），贪心错过了它；# 表示结束符")
    return fig
