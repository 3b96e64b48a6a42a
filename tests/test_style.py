"""dlguide.style：Gram 矩阵、内容损失、风格损失、全变差与 torch.bmm、F.mse_loss 写出的同一公式对照。"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlguide.style import content_loss, gram_matrix, style_loss, total_variation


def _features(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def test_gram_matches_bmm_and_is_symmetric_psd() -> None:
    f = _features(3, 5, 4, 6)
    flat = f.reshape(3, 5, 24)
    G = gram_matrix(f)
    torch.testing.assert_close(G, torch.bmm(flat, flat.transpose(1, 2)))
    torch.testing.assert_close(G, G.transpose(1, 2))
    assert bool((torch.linalg.eigvalsh(G) > -1e-9).all())


def test_gram_ignores_where_features_are() -> None:
    f = _features(1, 4, 5, 5)
    perm = torch.randperm(25, generator=torch.Generator().manual_seed(1))
    shuffled = f.reshape(1, 4, 25)[:, :, perm].reshape(1, 4, 5, 5)
    torch.testing.assert_close(gram_matrix(shuffled), gram_matrix(f))
    assert content_loss(shuffled, f).item() > 1.0


def test_style_and_content_losses_match_mse_formulas() -> None:
    g1, g2 = _features(2, 3, 4, 4, seed=2), _features(2, 6, 2, 2, seed=3)
    s1, s2 = _features(2, 3, 4, 4, seed=4), _features(2, 6, 2, 2, seed=5)
    ref = 0.0
    for g, s, w in ((g1, s1, 0.3), (g2, s2, 0.7)):
        N, M = g.shape[1], g.shape[2] * g.shape[3]
        ref += w * F.mse_loss(gram_matrix(g), gram_matrix(s), reduction="sum") / (4 * N**2 * M**2)
    torch.testing.assert_close(style_loss([g1, g2], [s1, s2], [0.3, 0.7]), ref)
    torch.testing.assert_close(content_loss(g1, s1), 0.5 * F.mse_loss(g1, s1, reduction="sum"))


def test_style_loss_with_different_sizes_compares_per_position_grams() -> None:
    g, s = _features(1, 3, 4, 4, seed=6), _features(1, 3, 8, 2, seed=7)
    expected = ((gram_matrix(g) / 16 - gram_matrix(s) / 16) ** 2).sum() / (4 * 9)
    torch.testing.assert_close(style_loss([g], [s]), expected)
    # 一张图和它自己平铺两遍的风格完全相同
    torch.testing.assert_close(style_loss([g], [torch.cat([g, g], dim=3)]), torch.tensor(0.0, dtype=torch.float64))


def test_total_variation_matches_definition() -> None:
    x = _features(2, 3, 5, 4, seed=8)
    ref = sum(
        (x[b, c, i + 1, j] - x[b, c, i, j]) ** 2 for b in range(2) for c in range(3) for i in range(4) for j in range(4)
    ) + sum((x[b, c, i, j + 1] - x[b, c, i, j]) ** 2 for b in range(2) for c in range(3) for i in range(5) for j in range(3))
    torch.testing.assert_close(total_variation(x), ref)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: gram_matrix(torch.zeros(3, 4)), ValueError, "features 必须是 4 维"),
        (lambda: content_loss(torch.zeros(2), torch.zeros(3)), ValueError, "形状必须相同"),
        (lambda: style_loss(torch.zeros(1, 2, 2, 2), [torch.zeros(1, 2, 2, 2)]), TypeError, "generated 必须是"),
        (lambda: style_loss([], []), ValueError, "至少一层"),
        (lambda: style_loss([torch.zeros(1, 2, 2, 2)], [torch.zeros(1, 3, 2, 2)]), ValueError, "形状不符"),
        (lambda: style_loss([torch.zeros(1, 2, 2, 2)], [torch.zeros(1, 2, 2, 2)], [-1.0]), ValueError, "weights"),
        (lambda: total_variation(torch.zeros(2, 2, dtype=torch.int64)), TypeError, "image 必须是浮点张量"),
    ],
)
def test_bad_input_is_rejected(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
