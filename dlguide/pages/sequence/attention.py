"""“Attention 注意力模型”一页：有无注意力的 Seq2Seq 在倒序任务上随长度的变化，中文日期规范化和它学到的对齐。"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from dlguide._checks import check_int, check_seed
from dlguide.data import (
    BOS,
    DATE_SOURCE_VOCAB,
    DATE_TARGET_VOCAB,
    DIGIT_VOCAB,
    EOS,
    PAD,
    decode_tokens,
    encode_tokens,
    make_dates,
    make_digit_task,
    teacher_forcing_pairs,
)
from dlguide.decoding import decode_batch
from dlguide.figures import figure, new_figure
from dlguide.metrics import accuracy_by_length
from dlguide.models import Seq2Seq
from dlguide.training import fit

__all__ = [
    "LENGTH_EDGES",
    "alignment_heatmap",
    "normalize_dates",
    "reversal_accuracy",
    "reversal_vs_length",
    "train_dates",
    "train_reversal",
]

LENGTH_EDGES = (3, 6, 9, 13)
"""倒序任务的长度分组：3–5、6–8、9–12 位。"""


def _loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    # 交叉熵要求类别在第 1 维：(B, L, V) → (B, V, L)；填充位置不计损失
    return F.cross_entropy(logits.transpose(1, 2), target, ignore_index=PAD)


def train_reversal(
    attention: str | None = "dot", *, steps: int = 100, hidden: int = 64, seed: int | None = 0
) -> Seq2Seq:
    """在 3–12 位数字串的倒序任务上训练 [`Seq2Seq`][dlguide.models.Seq2Seq]：每批 64、Adam、学习率 0.01，共 ``steps`` 步。

    与 “Seq2Seq 序列到序列模型”一页的实验设置相同；``attention=None`` 得到那里的模型。

    Parameters
    ----------
    attention : str or None
        ``None``、``"dot"`` 或 ``"additive"``。
    steps : int
        更新步数，在 ``[1, 2000]`` 内（每步 64 个新样本）。
    hidden : int
        隐状态维数（偶数），在 ``[2, 512]`` 内；默认 64。比较参数量相同的模型时才需要改它。
    seed : int, optional
        数据和初始化的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    Seq2Seq

    Examples
    --------
    >>> net = train_reversal("dot", steps=2)
    >>> net.attention
    'dot'
    """
    check_int(steps, "steps", low=1, high=2000)
    check_int(hidden, "hidden", low=2, high=512)
    check_seed(seed)
    src, tgt = make_digit_task("reverse", 64 * steps, min_len=3, max_len=12, seed=seed)
    pair, target = teacher_forcing_pairs(src, tgt)
    net = Seq2Seq(len(DIGIT_VOCAB), len(DIGIT_VOCAB), embed=32, hidden=hidden, attention=attention, seed=seed)
    fit(net, pair, target, loss_fn=_loss, epochs=1, lr=0.01, batch_size=64, optimizer="adam", seed=seed)
    return net


def reversal_accuracy(model: Seq2Seq, n: int = 500, seed: int | None = 1) -> dict[str, float]:
    """倒序任务上贪心解码的整句正确率，按输入长度分组（见 [`LENGTH_EDGES`][dlguide.pages.sequence.attention.LENGTH_EDGES]）。

    Parameters
    ----------
    model : Seq2Seq
        训练好的模型。
    n : int
        测试样本数，在 ``[1, 10000]`` 内。
    seed : int, optional
        测试数据的随机种子（与训练数据不同）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, float]

    Examples
    --------
    >>> sorted(reversal_accuracy(train_reversal(None, steps=1), n=50))
    ['3–5', '6–8', '9–12']
    """
    if not isinstance(model, Seq2Seq):
        raise TypeError(f"model 必须是 dlguide.models.Seq2Seq，收到的是 {type(model).__name__}")
    check_int(n, "n", low=1, high=10_000)
    check_seed(seed)
    src, tgt = make_digit_task("reverse", n, min_len=3, max_len=12, seed=seed)
    outputs = decode_batch(model, src, bos=BOS, eos=EOS, max_len=14)
    correct = [decode_tokens(o, DIGIT_VOCAB) == decode_tokens(t, DIGIT_VOCAB) for o, t in zip(outputs, tgt)]
    return accuracy_by_length(correct, (src != PAD).sum(1).tolist(), LENGTH_EDGES)


def train_dates(attention: str | None = "dot", *, n: int = 3000, epochs: int = 2, seed: int | None = 0) -> Seq2Seq:
    """在中文日期 → ISO 日期的任务（[`make_dates`][dlguide.data.make_dates]）上训练 [`Seq2Seq`][dlguide.models.Seq2Seq]。

    每批 100、Adam、学习率 0.01；默认 3000 个样本训练 2 轮，即 60 步。

    Parameters
    ----------
    attention : str or None
        ``None``、``"dot"`` 或 ``"additive"``。
    n : int
        训练样本数，在 ``[100, 100000]`` 内。
    epochs : int
        轮数，在 ``[1, 100]`` 内。
    seed : int, optional
        数据和初始化的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    Seq2Seq

    Examples
    --------
    >>> train_dates(n=100, epochs=1).attention
    'dot'
    """
    check_int(n, "n", low=100, high=100_000)
    check_int(epochs, "epochs", low=1, high=100)
    check_seed(seed)
    src, tgt = make_dates(n, seed=seed)
    pair, target = teacher_forcing_pairs(src, tgt)
    net = Seq2Seq(len(DATE_SOURCE_VOCAB), len(DATE_TARGET_VOCAB), embed=32, hidden=64, attention=attention, seed=seed)
    fit(net, pair, target, loss_fn=_loss, epochs=epochs, lr=0.01, batch_size=100, optimizer="adam", seed=seed)
    return net


def normalize_dates(model: Seq2Seq, texts: list[str]) -> list[str]:
    """用训练好的日期模型把中文日期写成 ISO 格式（贪心解码）。

    Examples
    --------
    >>> outputs = normalize_dates(train_dates(n=100, epochs=1), ["二〇一九年三月五日", "2019年3月5日"])
    >>> len(outputs), all(isinstance(o, str) for o in outputs)
    (2, True)
    """
    if not isinstance(model, Seq2Seq):
        raise TypeError(f"model 必须是 dlguide.models.Seq2Seq，收到的是 {type(model).__name__}")
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and 1 <= len(t) <= 12 for t in texts):
        raise TypeError("texts 必须是非空的字符串列表，每个 1–12 个字符")
    rows = [encode_tokens(t, DATE_SOURCE_VOCAB) for t in texts]
    src = torch.tensor([row + [PAD] * (12 - len(row)) for row in rows])
    outputs = decode_batch(model, src, bos=BOS, eos=EOS, max_len=12)
    return [decode_tokens(o, DATE_TARGET_VOCAB) for o in outputs]


@figure
def reversal_vs_length() -> Figure:
    """倒序任务：同样训练 100 步，有无注意力的整句正确率随输入长度的变化。"""
    fig, (ax,) = new_figure(1, width=6.4, height=3.4)
    groups = [f"{a}–{b - 1} 位" for a, b in zip(LENGTH_EDGES[:-1], LENGTH_EDGES[1:])]
    width = 0.38
    for k, (attention, label, color) in enumerate(((None, "无注意力", "tab:gray"), ("dot", "点积注意力", "tab:blue"))):
        acc = list(reversal_accuracy(train_reversal(attention)).values())
        xs = [i + (k - 0.5) * width for i in range(len(groups))]
        bars = ax.bar(xs, acc, width, label=label, color=color)
        ax.bar_label(bars, labels=[f"{a:.2f}" for a in acc], fontsize=8)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("整句正确率（贪心解码）")
    ax.set_title("数字串倒序：各训练 100 步，输入越长差距越大")
    ax.legend(fontsize=8)
    return fig


@figure
def alignment_heatmap() -> Figure:
    """日期模型的注意力权重：每个输出字符（行）对输入各字符（列）的 α。"""
    model = train_dates("dot")
    texts = ["二〇一九年十二月二十五日", "1998年3月7日"]
    fig, axes = new_figure(2, width=9.6, height=4.2)
    for ax, text in zip(axes, texts):
        iso = normalize_dates(model, [text])[0]
        src = torch.tensor([encode_tokens(text, DATE_SOURCE_VOCAB)])
        tgt = torch.tensor([encode_tokens(iso, DATE_TARGET_VOCAB) + [EOS]])
        pair, _ = teacher_forcing_pairs(src, tgt)
        weights = model.attention_weights(pair.to(next(model.parameters()).device))[0, : tgt.shape[1], : src.shape[1]].cpu()
        image = ax.imshow(weights.detach().numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(text)), list(text))
        ax.set_yticks(range(len(iso) + 1), [*iso, "</s>"])
        ax.tick_params(labelsize=9)
        ax.grid(False)
        ax.set_xlabel("输入（源序列）")
        ax.set_title(f"{text} → {iso}", fontsize=10)
    axes[0].set_ylabel("输出（每行是生成这个字符时的注意力）")
    fig.colorbar(image, ax=axes, shrink=0.8, label="注意力权重 α")
    return fig
