r"""注意力：加性（Bahdanau）注意力、缩放点积注意力、多头注意力和一个 Transformer 编码器块。

注意力把一个查询 $\boldsymbol q$ 与 $S$ 个键 $\boldsymbol k_j$ 逐一打分，用 softmax 把分数变成权重，
再对值 $\boldsymbol v_j$ 加权平均：

$$
\alpha_j = \frac{\exp e(\boldsymbol q, \boldsymbol k_j)}{\sum_{j'} \exp e(\boldsymbol q, \boldsymbol k_{j'})}, \qquad
\boldsymbol c = \sum_j \alpha_j \boldsymbol v_j .
$$

打分函数 $e$ 有两种经典写法：加性 $e = \boldsymbol w^\top\tanh(W_q\boldsymbol q + W_k\boldsymbol k)$（Bahdanau 等 2015）
和缩放点积 $e = \boldsymbol q^\top\boldsymbol k/\sqrt d$（Vaswani 等 2017）。

本模块的**掩码约定与 ``F.scaled_dot_product_attention`` 相同**：布尔掩码里 ``True`` 表示“可以注意”，
浮点掩码直接加到分数上（``-inf`` 表示屏蔽）。``nn.MultiheadAttention`` 的布尔掩码恰好相反（``True`` 表示屏蔽），
对照测试里要取反。
"""

from __future__ import annotations

import math

import torch
from torch import nn

from dlguide._checks import check_bool, check_in_range, check_int, check_positive, check_tensor

__all__ = [
    "AdditiveAttention",
    "MultiHeadAttention",
    "TransformerBlock",
    "causal_mask",
    "masked_softmax",
    "padding_mask",
    "scaled_dot_product_attention",
    "sinusoidal_positions",
]

MAX_DIM = 4096
"""维度参数（序列长度、宽度、头数）的上限：再大在读者的 CPU 上既算不完也放不下。"""


def _check_mask(mask: object, name: str) -> torch.Tensor | None:
    if mask is None:
        return None
    mask = check_tensor(mask, name, kind="any")
    if not (mask.dtype == torch.bool or mask.is_floating_point()):
        raise TypeError(f"{name} 必须是布尔张量（True 表示可以注意）或浮点张量（加到分数上），收到的是 {mask.dtype}")
    return mask


def _check_broadcast(mask: torch.Tensor | None, shape: torch.Size, name: str) -> None:
    if mask is None:
        return
    try:
        if torch.broadcast_shapes(mask.shape, shape) != shape:
            raise RuntimeError
    except RuntimeError:
        raise ValueError(f"{name} 的形状 {tuple(mask.shape)} 不能广播到分数的形状 {tuple(shape)}") from None


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    r"""沿最后一维的 softmax，先按掩码屏蔽；整行都被屏蔽时该行权重全为 0（而不是 ``nan``）。

    布尔掩码 ``True`` 表示保留、``False`` 表示屏蔽（分数换成 $-\infty$）；浮点掩码直接加到分数上。
    整行屏蔽时普通 softmax 是 $0/0$，得到 ``nan``；这里与 ``F.scaled_dot_product_attention``
    （PyTorch 2.13 实测，数学后端的 ``_safe_softmax``）一样把这一行置 0。

    Parameters
    ----------
    scores : torch.Tensor
        形状 ``(..., L, S)`` 的分数。
    mask : torch.Tensor, optional
        能广播到 ``scores`` 的布尔或浮点掩码。

    Returns
    -------
    torch.Tensor
        与 ``scores`` 同形状的权重，每行之和为 1（整行屏蔽的行为 0）。

    Raises
    ------
    TypeError
        ``scores`` 不是浮点张量，或 ``mask`` 的类型不对。

    Examples
    --------
    >>> scores = torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    >>> keep = torch.tensor([[True, True, False], [False, False, False]])
    >>> [[round(w, 4) for w in row] for row in masked_softmax(scores, keep).tolist()]
    [[0.2689, 0.7311, 0.0], [0.0, 0.0, 0.0]]
    """
    check_tensor(scores, "scores")
    mask = _check_mask(mask, "mask")
    _check_broadcast(mask, scores.shape, "mask")
    if mask is not None:
        if mask.dtype == torch.bool:
            # 屏蔽：e_ij ← −∞，exp(−∞) = 0
            scores = scores.masked_fill(~mask, float("-inf"))
        else:
            scores = scores + mask
    weights = torch.softmax(scores, dim=-1)
    # 整行都是 −∞ 时 softmax 是 0/0 = nan：把这样的行置 0
    dead = torch.isneginf(scores).all(dim=-1, keepdim=True)
    return weights.masked_fill(dead, 0.0)


def scaled_dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attn_mask: torch.Tensor | None = None,
    *,
    is_causal: bool = False,
    scale: float | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""缩放点积注意力 $\operatorname{softmax}\bigl(QK^\top/\sqrt{d}+M\bigr)V$，同时返回注意力权重。

    输出与 ``torch.nn.functional.scaled_dot_product_attention`` 相同（掩码约定也相同），
    多返回一个权重矩阵，方便画对齐图。

    Parameters
    ----------
    query : torch.Tensor
        ``(..., L, d)``。
    key : torch.Tensor
        ``(..., S, d)``。
    value : torch.Tensor
        ``(..., S, d_v)``。
    attn_mask : torch.Tensor, optional
        能广播到 ``(..., L, S)``：布尔（``True`` = 可以注意）或浮点（加到分数上）。
    is_causal : bool
        为 ``True`` 时只允许位置 $i$ 注意 $j\le i$（与 ``attn_mask`` 不能同时给出）。
    scale : float, optional
        分数的缩放，默认 $1/\sqrt d$。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        输出 ``(..., L, d_v)`` 和权重 ``(..., L, S)``。

    Raises
    ------
    TypeError, ValueError
        张量类型、维数或最后一维不匹配，或同时给出 ``attn_mask`` 与 ``is_causal=True``。

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> g = torch.Generator().manual_seed(0)
    >>> q, k, v = (torch.randn(2, 3, 4, generator=g) for _ in range(3))
    >>> out, w = scaled_dot_product_attention(q, k, v, is_causal=True)
    >>> torch.allclose(out, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6)
    True
    >>> [round(x, 4) for x in w[0, 0].tolist()]  # 第 1 个位置只能看自己
    [1.0, 0.0, 0.0]
    """
    check_tensor(query, "query", ndim=(2, 3, 4))
    check_tensor(key, "key", ndim=(2, 3, 4))
    check_tensor(value, "value", ndim=(2, 3, 4))
    check_bool(is_causal, "is_causal")
    attn_mask = _check_mask(attn_mask, "attn_mask")
    if query.shape[-1] != key.shape[-1]:
        raise ValueError(f"query 与 key 的最后一维必须相同，收到 {query.shape[-1]} 和 {key.shape[-1]}")
    if key.shape[-2] != value.shape[-2]:
        raise ValueError(f"key 与 value 的序列长度（倒数第 2 维）必须相同，收到 {key.shape[-2]} 和 {value.shape[-2]}")
    if is_causal and attn_mask is not None:
        raise ValueError("attn_mask 与 is_causal=True 只能给一个")
    try:
        batch = torch.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except RuntimeError:
        raise ValueError(
            f"query、key、value 的批维度必须能广播，收到 {tuple(query.shape)}、{tuple(key.shape)}、{tuple(value.shape)}"
        ) from None
    _check_broadcast(attn_mask, torch.Size((*batch, query.shape[-2], key.shape[-2])), "attn_mask")
    d = query.shape[-1]
    scale = 1 / math.sqrt(d) if scale is None else check_positive(scale, "scale")
    # e_ij = q_i · k_j / √d        (..., L, S)
    scores = query @ key.transpose(-2, -1) * scale
    if is_causal:
        attn_mask = causal_mask(query.shape[-2], key.shape[-2]).to(query.device)
    # α_ij = softmax_j(e_ij + m_ij)  (..., L, S)
    weights = masked_softmax(scores, attn_mask)
    # c_i = Σ_j α_ij v_j             (..., L, d_v)
    return weights @ value, weights


def causal_mask(length: int, source_length: int | None = None) -> torch.Tensor:
    r"""因果（下三角）布尔掩码：位置 $i$ 只能注意 $j \le i$。``True`` 表示可以注意。

    Parameters
    ----------
    length : int
        查询序列长度 $L$。
    source_length : int, optional
        键序列长度 $S$，默认等于 $L$。

    Returns
    -------
    torch.Tensor
        ``(L, S)`` 的布尔张量。

    Examples
    --------
    >>> causal_mask(3).int().tolist()
    [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    check_int(length, "length", low=1, high=MAX_DIM)
    source_length = length if source_length is None else check_int(source_length, "source_length", low=1, high=MAX_DIM)
    return torch.ones(length, source_length, dtype=torch.bool).tril()


def padding_mask(lengths: torch.Tensor, max_length: int | None = None) -> torch.Tensor:
    """由每条序列的真实长度得到 ``(B, S)`` 的键掩码：``True`` 是真实的词，``False`` 是填充。

    Parameters
    ----------
    lengths : torch.Tensor
        形状 ``(B,)`` 的整数张量，每个值在 ``[0, max_length]`` 内。
    max_length : int, optional
        填充后的长度 $S$，默认 ``lengths.max()``。

    Returns
    -------
    torch.Tensor
        ``(B, S)`` 布尔张量；要用于 ``(B, L, S)`` 的分数时写成 ``mask[:, None, :]``。

    Raises
    ------
    TypeError, ValueError
        ``lengths`` 不是 1 维整数张量，或有长度越界。

    Examples
    --------
    >>> padding_mask(torch.tensor([2, 3]), 4).int().tolist()
    [[1, 1, 0, 0], [1, 1, 1, 0]]
    """
    check_tensor(lengths, "lengths", kind="int", ndim=1, nonempty=True)
    if max_length is None:
        max_length = int(lengths.max().item())
    check_int(max_length, "max_length", low=1, high=MAX_DIM)
    if bool((lengths < 0).any()) or bool((lengths > max_length).any()):
        raise ValueError(f"lengths 的每个值必须在 [0, {max_length}] 内，收到 {lengths.tolist()}")
    positions = torch.arange(max_length, device=lengths.device)
    return positions[None, :] < lengths[:, None]


class AdditiveAttention(nn.Module):
    r"""加性注意力（Bahdanau 等 2015）：$e_{ij} = \boldsymbol w^\top \tanh(W_q \boldsymbol q_i + W_k \boldsymbol k_j)$。

    Bahdanau 的原文用解码器的上一个状态 $\boldsymbol s_{i-1}$ 作查询、编码器的各个隐状态 $\boldsymbol h_j$ 作键和值。
    $W_k\boldsymbol k_j$ 与查询无关，每条源序列只需算一次。

    Parameters
    ----------
    query_dim, key_dim : int
        查询和键的维数。
    hidden : int
        打分网络的隐藏宽度（$W_q$、$W_k$ 的输出维数）。

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> attn = AdditiveAttention(query_dim=3, key_dim=4, hidden=5)
    >>> context, weights = attn(torch.randn(2, 1, 3), torch.randn(2, 6, 4), torch.randn(2, 6, 7))
    >>> tuple(context.shape), tuple(weights.shape), [round(s, 4) for s in weights.sum(-1).flatten().tolist()]
    ((2, 1, 7), (2, 1, 6), [1.0, 1.0])
    """

    def __init__(self, query_dim: int, key_dim: int, hidden: int) -> None:
        super().__init__()
        check_int(query_dim, "query_dim", low=1, high=MAX_DIM)
        check_int(key_dim, "key_dim", low=1, high=MAX_DIM)
        check_int(hidden, "hidden", low=1, high=MAX_DIM)
        self.query_proj = nn.Linear(query_dim, hidden, bias=False)
        self.key_proj = nn.Linear(key_dim, hidden)
        self.score = nn.Linear(hidden, 1, bias=False)

    def forward(
        self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``query (B, L, d_q)``、``key (B, S, d_k)``、``value (B, S, d_v)`` → 上下文 ``(B, L, d_v)`` 和权重 ``(B, L, S)``。

        ``mask`` 能广播到 ``(B, L, S)``，布尔 ``True`` 表示可以注意（例如 ``padding_mask(...)[:, None, :]``）。
        """
        check_tensor(query, "query", ndim=3)
        check_tensor(key, "key", ndim=3)
        check_tensor(value, "value", ndim=3)
        mask = _check_mask(mask, "mask")
        if query.shape[-1] != self.query_proj.in_features or key.shape[-1] != self.key_proj.in_features:
            raise ValueError(
                f"query、key 的最后一维必须是 query_dim={self.query_proj.in_features}、key_dim={self.key_proj.in_features}，"
                f"收到 {query.shape[-1]} 和 {key.shape[-1]}"
            )
        if not query.shape[0] == key.shape[0] == value.shape[0] or key.shape[1] != value.shape[1]:
            shapes = f"{tuple(query.shape)}、{tuple(key.shape)}、{tuple(value.shape)}"
            raise ValueError(f"query、key、value 的批大小必须相同、key 与 value 的长度必须相同，收到 {shapes}")
        _check_broadcast(mask, torch.Size((query.shape[0], query.shape[1], key.shape[1])), "mask")
        # W_q q_i + W_k k_j：广播成 (B, L, S, hidden)
        hidden = self.query_proj(query)[:, :, None, :] + self.key_proj(key)[:, None, :, :]
        # e_ij = wᵀ tanh(W_q q_i + W_k k_j)      (B, L, S)
        scores = self.score(torch.tanh(hidden)).squeeze(-1)
        # α_ij = softmax_j(e_ij)                  (B, L, S)
        weights = masked_softmax(scores, mask)
        # c_i = Σ_j α_ij v_j                      (B, L, d_v)
        return weights @ value, weights


class MultiHeadAttention(nn.Module):
    r"""多头注意力：$\operatorname{MultiHead}(Q,K,V) = \operatorname{Concat}(\text{head}_1,\dots,\text{head}_h)W^O$，
    $\text{head}_i = \operatorname{Attention}(QW_i^Q, KW_i^K, VW_i^V)$。

    参数的名字和形状与 ``nn.MultiheadAttention`` 相同（``in_proj_weight``、``in_proj_bias``、``out_proj``），
    所以 ``load_state_dict(torch_mha.state_dict())`` 之后两者输出相同。输入按 ``batch_first=True`` 的布局 ``(B, L, E)``；
    掩码约定与本模块其余部分一致：``True`` 表示可以注意（与 ``nn.MultiheadAttention`` 相反）。

    Parameters
    ----------
    embed_dim : int
        模型宽度 $E$。
    num_heads : int
        头数 $h$，须整除 $E$；每个头的宽度是 $E/h$。

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> ours, theirs = MultiHeadAttention(8, 2), nn.MultiheadAttention(8, 2, batch_first=True)
    >>> _ = ours.load_state_dict(theirs.state_dict())
    >>> x = torch.randn(3, 5, 8)
    >>> out, weights = ours(x, x, x)
    >>> ref, ref_weights = theirs(x, x, x)
    >>> torch.allclose(out, ref, atol=1e-6), torch.allclose(weights.mean(1), ref_weights, atol=1e-6)
    (True, True)
    """

    def __init__(self, embed_dim: int, num_heads: int) -> None:
        super().__init__()
        check_int(embed_dim, "embed_dim", low=1, high=MAX_DIM)
        check_int(num_heads, "num_heads", low=1, high=embed_dim)
        if embed_dim % num_heads:
            raise ValueError(f"num_heads 必须整除 embed_dim，收到 embed_dim={embed_dim}、num_heads={num_heads}")
        self.embed_dim, self.num_heads = embed_dim, num_heads
        # W^Q、W^K、W^V 按行叠在一起：(3E, E)，与 nn.MultiheadAttention 相同
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        *,
        key_mask: torch.Tensor | None = None,
        attn_mask: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(B, L, E)``、``(B, S, E)``、``(B, S, E)`` → 输出 ``(B, L, E)`` 和每个头的权重 ``(B, h, L, S)``。

        ``key_mask``：``(B, S)`` 布尔，``False`` 是填充；``attn_mask``：布尔或浮点，能广播到 ``(B, h, L, S)``。
        ``nn.MultiheadAttention`` 默认返回的是各头权重的平均，即这里的 ``weights.mean(1)``。
        """
        check_tensor(query, "query", ndim=3)
        check_tensor(key, "key", ndim=3)
        check_tensor(value, "value", ndim=3)
        for tensor, name in ((query, "query"), (key, "key"), (value, "value")):
            if tensor.shape[-1] != self.embed_dim:
                raise ValueError(f"{name} 的最后一维必须是 embed_dim={self.embed_dim}，收到 {tensor.shape[-1]}")
        key_mask, attn_mask = _check_mask(key_mask, "key_mask"), _check_mask(attn_mask, "attn_mask")
        if not query.shape[0] == key.shape[0] == value.shape[0] or key.shape[1] != value.shape[1]:
            shapes = f"{tuple(query.shape)}、{tuple(key.shape)}、{tuple(value.shape)}"
            raise ValueError(f"query、key、value 的批大小必须相同、key 与 value 的长度必须相同，收到 {shapes}")
        B, L, E = query.shape
        S, h = key.shape[1], self.num_heads
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        b_q, b_k, b_v = self.in_proj_bias.chunk(3)

        def heads(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
            # x W^T + b，再把 E 拆成 h 个头：(B, T, E) → (B, h, T, E/h)
            return (x @ w.T + b).view(B, -1, h, E // h).transpose(1, 2)

        q, k, v = heads(query, w_q, b_q), heads(key, w_k, b_k), heads(value, w_v, b_v)
        mask = attn_mask
        if key_mask is not None:
            if key_mask.dtype != torch.bool or tuple(key_mask.shape) != (B, S):
                raise ValueError(f"key_mask 必须是形状 ({B}, {S}) 的布尔张量，收到 {key_mask.dtype} {tuple(key_mask.shape)}")
            padding = key_mask[:, None, None, :]  # (B, 1, 1, S)
            if mask is None:
                mask = padding
            elif mask.dtype == torch.bool:
                mask = mask & padding
            else:
                mask = torch.where(padding, mask, float("-inf"))
        # head_i = softmax(Q_i K_iᵀ/√(E/h)) V_i    (B, h, L, E/h)
        out, weights = scaled_dot_product_attention(q, k, v, mask)
        # Concat(head_1, …, head_h) W^O           (B, L, E)
        out = self.out_proj(out.transpose(1, 2).reshape(B, L, E))
        return out, weights


class TransformerBlock(nn.Module):
    r"""Transformer 编码器块：自注意力子层 + 逐位置前馈子层，每个子层外面包残差连接和层标准化。

    ``norm_first=False``（原论文，Post-LN）：$\boldsymbol x \leftarrow \operatorname{LN}(\boldsymbol x + \operatorname{Sublayer}(\boldsymbol x))$；
    ``norm_first=True``（Pre-LN，今天的大模型大多用它）：
    $\boldsymbol x \leftarrow \boldsymbol x + \operatorname{Sublayer}(\operatorname{LN}(\boldsymbol x))$。
    参数名与 ``nn.TransformerEncoderLayer`` 相同，加载它的 ``state_dict`` 后输出相同（``dropout=0``、ReLU、``batch_first=True``）。

    Parameters
    ----------
    d_model : int
        模型宽度。
    num_heads : int
        头数，须整除 ``d_model``。
    d_ff : int
        前馈子层的隐藏宽度（原论文是 $4\times$ ``d_model``）。
    norm_first : bool
        Pre-LN（``True``）还是 Post-LN（``False``，默认，与原论文和 PyTorch 的默认相同）。

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> block = TransformerBlock(8, 2, 16)
    >>> x = torch.randn(2, 5, 8)
    >>> y = block(x)
    >>> tuple(y.shape), round(y.mean(-1).abs().max().item(), 4)  # Post-LN：每个位置的输出均值为 0
    ((2, 5, 8), 0.0)
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, *, norm_first: bool = False) -> None:
        super().__init__()
        check_int(d_model, "d_model", low=1, high=MAX_DIM)
        check_int(num_heads, "num_heads", low=1, high=d_model)
        check_int(d_ff, "d_ff", low=1, high=4 * MAX_DIM)
        self.norm_first = check_bool(norm_first, "norm_first")
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def _attend(self, x: torch.Tensor, key_mask: torch.Tensor | None, attn_mask: torch.Tensor | None) -> torch.Tensor:
        # 自注意力：Q、K、V 都来自同一个序列
        return self.self_attn(x, x, x, key_mask=key_mask, attn_mask=attn_mask)[0]

    def _feed_forward(self, x: torch.Tensor) -> torch.Tensor:
        # FFN(x) = W₂ ReLU(W₁x + b₁) + b₂，对每个位置独立作用
        return self.linear2(torch.relu(self.linear1(x)))

    def forward(
        self, x: torch.Tensor, *, key_mask: torch.Tensor | None = None, attn_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """``x (B, L, d_model)`` → ``(B, L, d_model)``；掩码同 [`MultiHeadAttention`][dlguide.attention.MultiHeadAttention]。"""
        check_tensor(x, "x", ndim=3, nonempty=True)
        if x.shape[-1] != self.self_attn.embed_dim:
            raise ValueError(f"x 的最后一维必须是 d_model={self.self_attn.embed_dim}，收到 {x.shape[-1]}")
        if self.norm_first:
            # Pre-LN：x + Sublayer(LN(x))
            x = x + self._attend(self.norm1(x), key_mask, attn_mask)
            return x + self._feed_forward(self.norm2(x))
        # Post-LN：LN(x + Sublayer(x))
        x = self.norm1(x + self._attend(x, key_mask, attn_mask))
        return self.norm2(x + self._feed_forward(x))


def sinusoidal_positions(length: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    r"""正弦位置编码（Vaswani 等 2017）：$PE_{(p, 2i)} = \sin(p/\text{base}^{2i/d})$，$PE_{(p, 2i+1)} = \cos(p/\text{base}^{2i/d})$。

    自注意力对输入的排列是等变的（打乱输入的顺序，输出只是跟着打乱），本身不知道词序；
    把位置编码加到词向量上，模型才能区分“猫咬狗”和“狗咬猫”。

    Parameters
    ----------
    length : int
        序列长度。
    d_model : int
        宽度，须为偶数。
    base : float
        波长的几何级数的底，> 1。

    Returns
    -------
    torch.Tensor
        ``(length, d_model)``。

    Examples
    --------
    >>> pe = sinusoidal_positions(4, 6)
    >>> [round(v, 4) for v in pe[1].tolist()]
    [0.8415, 0.5403, 0.0464, 0.9989, 0.0022, 1.0]
    """
    check_int(length, "length", low=1, high=MAX_DIM * 16)
    check_int(d_model, "d_model", low=2, high=MAX_DIM)
    if d_model % 2:
        raise ValueError(f"d_model 必须是偶数，收到 {d_model}")
    check_in_range(base, "base", 1.0, 1e12, low_open=True)
    position = torch.arange(length, dtype=torch.float32)[:, None]
    # 1 / base^(2i/d)，i = 0, 1, …, d/2 − 1
    inv_freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)
    pe = torch.empty(length, d_model)
    # PE(p, 2i) = sin(p / base^(2i/d))，PE(p, 2i+1) = cos(p / base^(2i/d))
    pe[:, 0::2] = torch.sin(position * inv_freq)
    pe[:, 1::2] = torch.cos(position * inv_freq)
    return pe
