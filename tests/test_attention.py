"""dlguide.attention：与 F.scaled_dot_product_attention、nn.MultiheadAttention、nn.TransformerEncoderLayer 对照。"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.attention import (
    AdditiveAttention,
    MultiHeadAttention,
    TransformerBlock,
    causal_mask,
    masked_softmax,
    padding_mask,
    scaled_dot_product_attention,
    sinusoidal_positions,
)


def _qkv(*shape_q: int, s: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    *batch, length, d = shape_q
    q = torch.randn(*batch, length, d, generator=g, dtype=dtype)
    k = torch.randn(*batch, s, d, generator=g, dtype=dtype)
    v = torch.randn(*batch, s, d + 3, generator=g, dtype=dtype)
    return q, k, v


@pytest.mark.parametrize("shape", [(4, 6), (3, 4, 6), (2, 3, 4, 6)])
@pytest.mark.parametrize("kind", ["none", "bool", "float", "causal", "scale"])
def test_sdpa_matches_pytorch(shape: tuple[int, ...], kind: str) -> None:
    q, k, v = _qkv(*shape, s=5, seed=len(shape))
    g = torch.Generator().manual_seed(7)
    kwargs: dict = {}
    if kind == "bool":
        kwargs["attn_mask"] = torch.rand(shape[-2], 5, generator=g) > 0.3
        kwargs["attn_mask"][:, 0] = True  # 每行至少留一个
    elif kind == "float":
        kwargs["attn_mask"] = torch.randn(shape[-2], 5, generator=g, dtype=torch.float64)
    elif kind == "causal":
        k, v = k[..., :4, :], v[..., :4, :]
        kwargs["is_causal"] = True
    elif kind == "scale":
        kwargs["scale"] = 0.37
    ours, weights = scaled_dot_product_attention(q, k, v, **kwargs)
    theirs = F.scaled_dot_product_attention(q, k, v, **kwargs)
    torch.testing.assert_close(ours, theirs)
    torch.testing.assert_close(weights.sum(-1), torch.ones(weights.shape[:-1], dtype=weights.dtype))


def test_sdpa_gradients_match_pytorch() -> None:
    q, k, v = _qkv(2, 4, 6, s=5, seed=3)
    mask = causal_mask(4, 5)
    grads = []
    for fn in (lambda *a: scaled_dot_product_attention(*a, mask)[0], lambda *a: F.scaled_dot_product_attention(*a, attn_mask=mask)):
        inputs = [t.clone().requires_grad_() for t in (q, k, v)]
        (fn(*inputs) ** 2).sum().backward()
        grads.append([t.grad for t in inputs])
    for ours, theirs in zip(*grads):
        torch.testing.assert_close(ours, theirs)


def test_fully_masked_rows_give_zero_like_sdpa() -> None:
    q, k, v = _qkv(3, 4, s=5, seed=1)
    mask = torch.ones(3, 5, dtype=torch.bool)
    mask[1] = False
    ours, weights = scaled_dot_product_attention(q, k, v, mask)
    torch.testing.assert_close(ours, F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    assert weights[1].abs().sum() == 0 and not ours.isnan().any()
    # 梯度也没有 nan
    q = q.clone().requires_grad_()
    scaled_dot_product_attention(q, k, v, mask)[0].sum().backward()
    assert torch.isfinite(q.grad).all()


def test_masked_softmax_float_mask_and_rows() -> None:
    scores = torch.tensor([[1.0, 2.0, 3.0]])
    additive = torch.tensor([[0.0, float("-inf"), 0.0]])
    expected = torch.softmax(torch.tensor([[1.0, 3.0]]), -1)
    out = masked_softmax(scores, additive)
    torch.testing.assert_close(out[:, [0, 2]], expected)
    assert out[0, 1] == 0


def test_causal_and_padding_masks() -> None:
    assert torch.equal(causal_mask(3, 5), torch.ones(3, 5).tril().bool())
    assert torch.equal(padding_mask(torch.tensor([0, 2])), torch.tensor([[False, False], [True, True]]))


def test_additive_attention_matches_formula() -> None:
    torch.manual_seed(0)
    attn = AdditiveAttention(3, 4, 5).double()
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(2, n, d, generator=g, dtype=torch.float64) for n, d in ((2, 3), (6, 4), (6, 2)))
    mask = padding_mask(torch.tensor([6, 4]), 6)[:, None, :]
    context, weights = attn(q, k, v, mask)
    W_q, W_k, b_k, w = attn.query_proj.weight, attn.key_proj.weight, attn.key_proj.bias, attn.score.weight[0]
    for b in range(2):
        for i in range(2):
            e = torch.stack([w @ torch.tanh(W_q @ q[b, i] + W_k @ k[b, j] + b_k) for j in range(6)])
            e = e.masked_fill(~mask[b, 0], float("-inf"))
            alpha = torch.softmax(e, 0)
            torch.testing.assert_close(weights[b, i], alpha)
            torch.testing.assert_close(context[b, i], alpha @ v[b])
    assert weights[1, :, 4:].abs().sum() == 0


@pytest.mark.parametrize("case", ["self", "cross", "key_mask", "bool_mask", "float_mask", "both"])
def test_multihead_matches_pytorch(case: str) -> None:
    torch.manual_seed(0)
    theirs = nn.MultiheadAttention(12, 3, batch_first=True).double()
    ours = MultiHeadAttention(12, 3).double()
    ours.load_state_dict(theirs.state_dict())
    g = torch.Generator().manual_seed(2)
    x = torch.randn(2, 5, 12, generator=g, dtype=torch.float64)
    mem = torch.randn(2, 7, 12, generator=g, dtype=torch.float64) if case == "cross" else x
    S = mem.shape[1]
    keep = padding_mask(torch.tensor([S, S - 2]), S)
    allowed = torch.rand(5, S, generator=g) > 0.3
    allowed[:, 0] = True
    additive = torch.randn(5, S, generator=g, dtype=torch.float64)
    ours_kw: dict = {}
    theirs_kw: dict = {}
    if case in ("key_mask", "both"):
        ours_kw["key_mask"], theirs_kw["key_padding_mask"] = keep, ~keep
    if case in ("bool_mask", "both"):
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = allowed, ~allowed
    if case == "float_mask":
        ours_kw["attn_mask"], theirs_kw["attn_mask"] = additive, additive
    q = x.clone().requires_grad_()
    out, weights = ours(q, mem, mem, **ours_kw)
    q_ref = x.clone().requires_grad_()
    ref, ref_weights = theirs(q_ref, mem, mem, **theirs_kw)
    torch.testing.assert_close(out, ref)
    torch.testing.assert_close(weights.mean(1), ref_weights)
    out.sum().backward()
    ref.sum().backward()
    torch.testing.assert_close(q.grad, q_ref.grad)


@pytest.mark.parametrize("norm_first", [False, True])
def test_transformer_block_matches_pytorch(norm_first: bool) -> None:
    torch.manual_seed(0)
    theirs = nn.TransformerEncoderLayer(16, 4, 40, dropout=0.0, batch_first=True, norm_first=norm_first).double()
    ours = TransformerBlock(16, 4, 40, norm_first=norm_first).double()
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(3, 6, 16, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    keep = padding_mask(torch.tensor([6, 5, 3]), 6)
    torch.testing.assert_close(ours(x), theirs(x))
    torch.testing.assert_close(ours(x, key_mask=keep), theirs(x, src_key_padding_mask=~keep))
    causal = causal_mask(6)
    torch.testing.assert_close(ours(x, attn_mask=causal), theirs(x, src_mask=~causal))


def test_sinusoidal_positions_match_formula() -> None:
    pe = sinusoidal_positions(7, 8)
    for p in range(7):
        for i in range(4):
            angle = p / 10000 ** (2 * i / 8)
            assert pe[p, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
            assert pe[p, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)


def test_dot_product_variance_is_d() -> None:
    # 页面“为什么除以 √d”的前提：分量独立、方差 1 时 q·k 的方差是 d
    g = torch.Generator().manual_seed(0)
    for d in (8, 128):
        q, k = torch.randn(50_000, d, generator=g, dtype=torch.float64), torch.randn(50_000, d, generator=g, dtype=torch.float64)
        assert (q * k).sum(1).var().item() == pytest.approx(d, rel=0.03)


Z23 = torch.zeros(2, 3)
sdpa = scaled_dot_product_attention


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: scaled_dot_product_attention([1.0], torch.zeros(2, 3), torch.zeros(2, 3)), TypeError, "query 必须是 torch.Tensor"),
        (lambda: sdpa(Z23, torch.zeros(2, 4), Z23), ValueError, "最后一维必须相同"),
        (lambda: sdpa(Z23, Z23, torch.zeros(4, 3)), ValueError, "序列长度"),
        (lambda: sdpa(Z23, Z23, Z23, torch.ones(2, 2, dtype=torch.bool), is_causal=True), ValueError, "只能给一个"),
        (lambda: sdpa(Z23, Z23, Z23, torch.ones(2, 2, dtype=torch.long)), TypeError, "attn_mask 必须是布尔张量"),
        (lambda: sdpa(Z23, Z23, Z23, scale=float("nan")), ValueError, "scale 必须在"),
        (lambda: sdpa(Z23, Z23, Z23, is_causal="yes"), TypeError, "is_causal 必须是 True 或 False"),
        (lambda: causal_mask(0), ValueError, "length 必须在"),
        (lambda: causal_mask(10**9), ValueError, "length 必须在"),
        (lambda: padding_mask(torch.tensor([1.0])), TypeError, "lengths 必须是整数张量"),
        (lambda: padding_mask(torch.tensor([5]), 3), ValueError, "lengths 的每个值必须在"),
        (lambda: MultiHeadAttention(10, 3), ValueError, "num_heads 必须整除 embed_dim"),
        (lambda: MultiHeadAttention(10**9, 1), ValueError, "embed_dim 必须在"),
        (lambda: MultiHeadAttention(8, 2)(*[torch.zeros(1, 2, 6)] * 3), ValueError, "embed_dim=8"),
        (lambda: MultiHeadAttention(8, 2)(*[torch.zeros(1, 2, 8)] * 3, key_mask=torch.ones(1, 3) > 0), ValueError, "key_mask 必须是形状"),
        (lambda: AdditiveAttention(0, 2, 2), ValueError, "query_dim 必须在"),
        (lambda: TransformerBlock(8, 2, 16, norm_first=1), TypeError, "norm_first 必须是 True 或 False"),
        (lambda: sinusoidal_positions(4, 5), ValueError, "d_model 必须是偶数"),
        (lambda: sinusoidal_positions(4, 4, base=1.0), ValueError, "base 必须在"),
        (lambda: masked_softmax(None), TypeError, "scores 必须是 torch.Tensor"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_transformer_block_rejects_an_empty_batch() -> None:
    from dlguide.attention import TransformerBlock  # noqa: PLC0415

    block = TransformerBlock(8, 2, 16)
    with pytest.raises(ValueError, match="x"):
        block(torch.zeros(0, 3, 8))
