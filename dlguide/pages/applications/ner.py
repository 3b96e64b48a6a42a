"""“命名实体识别”一页的实验：字表与编码、BiLSTM(-CRF) 的训练与预测、词典匹配基线、BIOES 转换、学到的转移分数图。"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.figure import Figure

from dlguide._checks import check_bool, check_int, resolve_seed
from dlguide.corpora import NER_TAGS, ner_dataset
from dlguide.crf import bio_constraints
from dlguide.figures import figure, new_figure
from dlguide.metrics import entity_spans
from dlguide.models import BiLSTMTagger
from dlguide.training import fit

__all__ = [
    "char_index",
    "dictionary_tags",
    "encode",
    "illegal_transitions",
    "predict",
    "to_bioes",
    "train_tagger",
    "transition_scores",
]

Data = Sequence[tuple[str, Sequence[str]]]


def _check_data(data: object, name: str = "data") -> list[tuple[str, list[str]]]:
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence) or not data:
        raise TypeError(f"{name} 必须是非空的 (句子, 标签列表) 列表，例如 ner_dataset() 的结果")
    out = []
    for item in data:
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)):
            raise TypeError(f"{name} 的每个元素必须是 (句子, 标签列表)")
        sentence, tags = item
        if isinstance(tags, str) or len(tags) != len(sentence) or not sentence:
            raise ValueError(f"{name} 里每个句子非空，且标签数必须等于字数")
        out.append((sentence, list(tags)))
    return out


def char_index(data: Data) -> dict[str, int]:
    """训练集的字表：0 号留给填充，1 号留给没见过的字，其余按字的 Unicode 顺序从 2 开始编号。

    Examples
    --------
    >>> char_index([("北京", ["B-LOC", "I-LOC"])])
    {'京': 2, '北': 3}
    """
    data = _check_data(data)
    return {ch: i + 2 for i, ch in enumerate(sorted({ch for sentence, _ in data for ch in sentence}))}


def encode(data: Data, index: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """把句子编码成字号矩阵 ``X``（右侧用 0 填充，没见过的字记 1），标签编码成 ``y``（填充处为 -100）。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        都是形状 ``(句子数, 最长句长)`` 的 int64。

    Examples
    --------
    >>> X, y = encode([("北京", ["B-LOC", "I-LOC"]), ("东", ["O"])], {"北": 2, "京": 3})
    >>> X.tolist(), y.tolist()
    ([[2, 3], [1, 0]], [[3, 4], [0, -100]])
    """
    data = _check_data(data)
    if not isinstance(index, dict):
        raise TypeError(f"index 必须是字到编号的 dict（见 char_index），收到的是 {type(index).__name__}")
    for ch, i in index.items():
        if not isinstance(ch, str) or isinstance(i, bool) or not isinstance(i, int) or i < 0:
            raise TypeError(f"index 必须把字（str）映射到非负整数编号，收到 {ch!r}: {i!r}")
    tag_id = {t: i for i, t in enumerate(NER_TAGS)}
    length = max(len(s) for s, _ in data)
    X = torch.zeros(len(data), length, dtype=torch.long)  # (N, L)
    y = torch.full((len(data), length), -100, dtype=torch.long)  # (N, L)
    for i, (sentence, tags) in enumerate(data):
        X[i, : len(sentence)] = torch.tensor([index.get(ch, 1) for ch in sentence])
        if any(t not in tag_id for t in tags):
            raise ValueError(f"标签必须取自 {NER_TAGS}")
        y[i, : len(tags)] = torch.tensor([tag_id[t] for t in tags])
    return X, y


def train_tagger(
    crf: bool = True, n_train: int = 600, epochs: int = 5, seed: int | None = 0
) -> tuple[BiLSTMTagger, dict[str, int]]:
    """在生成的训练集上训练一个字级 BiLSTM（``crf=True`` 时加 CRF 层），用全书共用的 [`fit`][dlguide.training.fit]。

    嵌入 32 维、每个方向 32 个隐藏单元，Adam（学习率 0.03），小批量 32；损失是模型的
    [`loss`][dlguide.models.BiLSTMTagger.loss]（CRF 的负对数似然或逐字交叉熵）。

    Parameters
    ----------
    crf : bool
        是否加 CRF 层。
    n_train : int
        训练句数，在 [10, 5000] 内。
    epochs : int
        训练轮数，在 [1, 50] 内。
    seed : int, optional
        初始化和打乱顺序的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[BiLSTMTagger, dict[str, int]]
        训练好的模型和字表。

    Examples
    --------
    >>> model, index = train_tagger(n_train=20, epochs=1)
    >>> type(model).__name__, model.crf is not None
    ('BiLSTMTagger', True)
    """
    check_bool(crf, "crf")
    check_int(n_train, "n_train", low=10, high=5000)
    check_int(epochs, "epochs", low=1, high=50)
    seed = resolve_seed(seed)
    train = ner_dataset(n_train, "train")
    index = char_index(train)
    X, y = encode(train, index)
    model = BiLSTMTagger(len(index) + 2, len(NER_TAGS), embedding_dim=32, hidden=32, crf=crf, seed=seed)
    fit(model, X, y, loss_fn=model.loss, epochs=epochs, lr=0.03, batch_size=32, optimizer="adam", seed=seed)
    return model, index


def predict(
    model: BiLSTMTagger, index: dict[str, int], sentences: Sequence[str], constrained: bool = False
) -> list[list[str]]:
    """用训练好的模型给句子打标签（CRF 用维特比解码，否则逐字取最大）。

    ``constrained=True`` 时维特比解码只走 BIO 合法的转移（[`bio_constraints`][dlguide.crf.bio_constraints]）。

    Examples
    --------
    >>> model, index = train_tagger(n_train=20, epochs=1)
    >>> tags = predict(model, index, ["张伟在北京。"])
    >>> len(tags[0])
    6
    """
    if not isinstance(model, BiLSTMTagger):
        raise TypeError(f"model 必须是 BiLSTMTagger，收到的是 {type(model).__name__}")
    if isinstance(sentences, str) or not isinstance(sentences, Sequence) or not sentences:
        raise TypeError("sentences 必须是非空字符串的非空列表")
    if not all(isinstance(s, str) and s for s in sentences):
        raise TypeError("sentences 必须是非空字符串的非空列表")
    check_bool(constrained, "constrained")
    X, _ = encode([(s, ["O"] * len(s)) for s in sentences], index)
    device = next(model.parameters()).device
    constraints = bio_constraints(NER_TAGS) if constrained else None
    return [[NER_TAGS[i] for i in path] for path in model.decode(X.to(device), constraints)]


def dictionary_tags(sentences: Sequence[str], lexicon: dict[str, str]) -> list[list[str]]:
    """词典方法：从左到右做最长匹配，命中词典里的名字就标成对应类型（BIO），否则标 O。

    Parameters
    ----------
    sentences : Sequence[str]
    lexicon : dict[str, str]
        名字 → 类型，例如从训练集收集的全部实体。

    Examples
    --------
    >>> dictionary_tags(["张伟在北京市"], {"张伟": "PER", "北京": "LOC", "北京市": "LOC"})
    [['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC', 'I-LOC']]
    """
    if isinstance(sentences, str) or not isinstance(sentences, Sequence) or not all(isinstance(s, str) for s in sentences):
        raise TypeError("sentences 必须是字符串的列表")
    if not isinstance(lexicon, dict) or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in lexicon.items()):
        raise TypeError("lexicon 必须是 名字 → 类型 的 dict")
    longest = max((len(k) for k in lexicon), default=0)
    out = []
    for sentence in sentences:
        tags, i = [], 0
        while i < len(sentence):
            for n in range(min(longest, len(sentence) - i), 0, -1):
                kind = lexicon.get(sentence[i : i + n])
                if kind is not None:
                    tags += [f"B-{kind}"] + [f"I-{kind}"] * (n - 1)
                    i += n
                    break
            else:
                tags.append("O")
                i += 1
        out.append(tags)
    return out


def to_bioes(tags: Sequence[str]) -> list[str]:
    """把合法的 BIO 标签改写成 BIOES：单字实体 ``S-X``，多字实体的最后一个字 ``E-X``。

    Examples
    --------
    >>> to_bioes(["B-PER", "I-PER", "I-PER", "O", "B-LOC"])
    ['B-PER', 'I-PER', 'E-PER', 'O', 'S-LOC']
    """
    spans = entity_spans(tags, "BIO", strict=True)  # 同时检查 tags 的类型和标签格式
    out = ["O"] * len(tags)
    for kind, start, end in spans:
        if end - start == 1:
            out[start] = f"S-{kind}"
        else:
            out[start : end] = [f"B-{kind}"] + [f"I-{kind}"] * (end - start - 2) + [f"E-{kind}"]
    return out


def illegal_transitions(sequences: Sequence[Sequence[str]]) -> int:
    """BIO 标签序列里不合法的 ``I-X`` 个数：它前面既不是 ``B-X`` 也不是 ``I-X``（包括句首）。

    Examples
    --------
    >>> illegal_transitions([["O", "I-PER", "I-PER"], ["B-LOC", "I-ORG"]])
    2
    """
    if (
        isinstance(sequences, str)
        or not isinstance(sequences, Sequence)
        or not all(not isinstance(s, str) and isinstance(s, Sequence) and all(isinstance(t, str) for t in s) for s in sequences)
    ):
        raise TypeError("sequences 必须是标签序列（字符串列表）的列表")
    count = 0
    for seq in sequences:
        prev = "O"
        for tag in seq:
            if tag.startswith("I-") and prev[2:] != tag[2:]:
                count += 1
            prev = tag
    return count


@figure
def transition_scores() -> Figure:
    """训练好的 BiLSTM-CRF 的转移分数矩阵：从 O 或别的类型转到 I-X 的分数很低（不合法的转移被学会禁止）。"""
    model, _ = train_tagger()
    A = model.crf.transitions.detach().cpu()
    fig, (ax,) = new_figure(width=6.4, height=5.0)
    limit = float(A.abs().max())
    image = ax.imshow(A.numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks(range(len(NER_TAGS)), list(NER_TAGS), rotation=45)
    ax.set_yticks(range(len(NER_TAGS)), list(NER_TAGS))
    ax.set_xlabel("后一个字的标签")
    ax.set_ylabel("前一个字的标签")
    ax.grid(False)
    for i in range(len(NER_TAGS)):
        for j in range(len(NER_TAGS)):
            ax.text(j, i, f"{A[i, j]:.1f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="转移分数 A[前, 后]")
    return fig
