"""dlguide.crf：前向算法与维特比解码在短序列上与逐条枚举全部路径的结果相同。"""

from __future__ import annotations

import pytest
import torch

from dlguide.crf import LinearChainCRF, bio_constraints, brute_force_decode, brute_force_log_partition


def _random_crf(num_tags: int, seed: int, scale: float = 3.0) -> LinearChainCRF:
    crf = LinearChainCRF(num_tags, seed=seed).double()
    with torch.no_grad():  # 放大参数，让转移分数真正影响结果
        for p in crf.parameters():
            p.mul_(scale / 0.1)
    return crf


@pytest.mark.parametrize("seed", range(30))
def test_forward_and_viterbi_match_brute_force_with_padding(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    T = int(torch.randint(1, 5, (1,), generator=g))
    L = int(torch.randint(1, 6, (1,), generator=g))
    crf = _random_crf(T, seed)
    emissions = 2 * torch.randn(4, L, T, generator=g, dtype=torch.float64)
    lengths = torch.randint(1, L + 1, (4,), generator=g)
    mask = torch.arange(L) < lengths[:, None]
    log_z = crf.log_partition(emissions, mask)
    paths = crf.decode(emissions, mask)
    for b in range(4):
        n = int(lengths[b])
        torch.testing.assert_close(log_z[b], brute_force_log_partition(crf, emissions[b, :n]))
        assert paths[b] == brute_force_decode(crf, emissions[b, :n])


def test_probabilities_sum_to_one() -> None:
    crf = _random_crf(3, 0)
    e = torch.randn(4, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    tags = torch.cartesian_prod(*[torch.arange(3)] * 4)  # 全部 81 条路径
    nll = crf.nll(e.expand(len(tags), 4, 3), tags, reduction="none")
    assert torch.exp(-nll).sum().item() == pytest.approx(1.0)


def test_nll_gradient_is_expected_minus_observed_emission_counts() -> None:
    # ∂(−log p)/∂E_{i,j} = P(y_i = j) − [y_i = j]：边缘概率由穷举得到
    crf = _random_crf(3, 1)
    e = torch.randn(1, 3, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64, requires_grad=True)
    tags = torch.tensor([[0, 2, 1]])
    crf.nll(e, tags).backward()
    paths = torch.cartesian_prod(*[torch.arange(3)] * 3)
    with torch.no_grad():
        p = torch.softmax(crf.score(e.detach().expand(len(paths), 3, 3), paths), 0)
    marginals = torch.zeros(3, 3, dtype=torch.float64)
    for path, prob in zip(paths, p):
        marginals[torch.arange(3), path] += prob
    observed = torch.nn.functional.one_hot(tags[0], 3).double()
    torch.testing.assert_close(e.grad[0], marginals - observed)


def test_padding_tag_and_mask_agree() -> None:
    crf = LinearChainCRF(4)
    e = torch.randn(2, 5, 4, generator=torch.Generator().manual_seed(2))
    tags = torch.tensor([[0, 1, 2, 3, 0], [1, 1, -100, -100, -100]])
    mask = tags != -100
    torch.testing.assert_close(crf.nll(e, tags), crf.nll(e, tags.clamp(min=0), mask))
    torch.testing.assert_close(crf(e, tags), crf.nll(e, tags))


def test_long_sequences_do_not_overflow() -> None:
    crf = LinearChainCRF(5)
    e = 50 * torch.randn(2, 200, 5, generator=torch.Generator().manual_seed(3))
    assert torch.isfinite(crf.log_partition(e)).all()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: LinearChainCRF(0), ValueError, "num_tags 必须在"),
        (lambda: LinearChainCRF(10**9), ValueError, "num_tags 必须在"),
        (lambda: LinearChainCRF(3).log_partition(torch.zeros(2, 4)), ValueError, "emissions 必须是 3 维张量"),
        (lambda: LinearChainCRF(3).log_partition(torch.zeros(1, 4, 2)), ValueError, "num_tags = 3"),
        (lambda: LinearChainCRF(3).nll(torch.zeros(1, 2, 3), torch.tensor([[0, 3]])), ValueError, r"tags 在掩码内的值必须在 \[0, 2\]"),
        (lambda: LinearChainCRF(3).nll(torch.zeros(1, 2, 3), torch.tensor([[0.0, 1.0]])), TypeError, "tags 必须是整数张量"),
        (lambda: LinearChainCRF(3).decode(torch.zeros(1, 2, 3), torch.tensor([[False, True]])), ValueError, "mask 的第 0 列"),
        (lambda: LinearChainCRF(3).decode(torch.zeros(1, 3, 3), torch.tensor([[True, False, True]])), ValueError, "靠左连续"),
        (lambda: LinearChainCRF(3).nll(torch.zeros(1, 2, 3), torch.tensor([[0, 1]]), reduction="max"), ValueError, "reduction 必须是"),
        (lambda: brute_force_log_partition(LinearChainCRF(5), torch.zeros(20, 5)), ValueError, "超过上限"),
        (lambda: brute_force_decode("crf", torch.zeros(2, 5)), TypeError, "crf 必须是"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("seed", range(10))
def test_constrained_viterbi_is_best_allowed_path(seed: int) -> None:
    tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    allowed, allowed_start = bio_constraints(tags)
    crf = _random_crf(5, seed)
    e = 3 * torch.randn(1, 4, 5, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    paths = torch.cartesian_prod(*[torch.arange(5)] * 4)
    legal = allowed_start[paths[:, 0]] & allowed[paths[:, :-1], paths[:, 1:]].all(1)
    scores = crf.score(e.expand(len(paths), 4, 5), paths).masked_fill(~legal, float("-inf"))
    assert crf.decode(e, constraints=(allowed, allowed_start))[0] == paths[scores.argmax()].tolist()


def test_bio_constraints_errors() -> None:
    with pytest.raises(TypeError, match="tags 必须是非空的标签名列表"):
        bio_constraints("O")
    with pytest.raises(ValueError, match="constraints 的形状"):
        LinearChainCRF(3).decode(torch.zeros(1, 2, 3), constraints=(torch.ones(2, 2, dtype=torch.bool), torch.ones(2, dtype=torch.bool)))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: LinearChainCRF(3).nll(torch.zeros(1, 2, 3), None), TypeError, "tags 必须是 torch.Tensor"),
        (lambda: LinearChainCRF(3).decode(torch.zeros(1, 2, 3), constraints=1), TypeError, "constraints 必须是"),
    ],
)
def test_more_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
