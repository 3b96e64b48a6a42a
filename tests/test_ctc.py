"""dlguide.ctc：与 nn.CTCLoss 对照，与穷举全部路径对照，解码与折叠规则。"""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from dlguide.ctc import ctc_collapse, ctc_greedy_decode, ctc_loss, ctc_min_frames, ctc_prefix_beam_search


def _batch(seed: int, T: int = 10, N: int = 4, C: int = 5, S: int = 4, dtype: torch.dtype = torch.float64):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(T, N, C, generator=g, dtype=dtype)
    targets = torch.randint(1, C, (N, S), generator=g)
    input_lengths = torch.randint(max(1, T - 4), T + 1, (N,), generator=g)
    target_lengths = torch.randint(0, S + 1, (N,), generator=g)
    return logits, targets, input_lengths, target_lengths


def _brute_force_log_prob(log_probs: torch.Tensor, labels: list[int], blank: int = 0) -> float:
    """log p(l|x)：穷举全部 C^T 条路径。"""
    T, C = log_probs.shape
    total = 0.0
    for path in itertools.product(range(C), repeat=T):
        if ctc_collapse(list(path), blank) == labels:
            total += math.exp(sum(log_probs[t, k].item() for t, k in enumerate(path)))
    return math.log(total) if total > 0 else float("-inf")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_loss_and_logit_gradients_match_pytorch(seed: int, reduction: str) -> None:
    logits, targets, input_lengths, target_lengths = _batch(seed)
    targets[0, :2] = 2  # 相邻重复
    z1, z2 = logits.clone().requires_grad_(), logits.clone().requires_grad_()
    ours = ctc_loss(z1.log_softmax(2), targets, input_lengths, target_lengths, reduction=reduction, zero_infinity=True)
    theirs = F.ctc_loss(z2.log_softmax(2), targets, input_lengths, target_lengths, reduction=reduction, zero_infinity=True)
    torch.testing.assert_close(ours, theirs)
    ours.sum().backward()
    theirs.sum().backward()
    torch.testing.assert_close(z1.grad, z2.grad)


def test_without_zero_infinity_only_the_infeasible_gradient_differs() -> None:
    """帧数不够、zero_infinity=False：损失两边都是 inf；nn.CTCLoss 给这一条 nan 梯度，本实现给 0，其余各条相同。"""
    logits, targets, _, _ = _batch(3, T=6, N=3, C=5, S=3)
    targets[1] = torch.tensor([2, 2, 3])  # 需要 4 帧
    input_lengths, target_lengths = torch.tensor([6, 3, 5]), torch.tensor([3, 3, 2])
    z1, z2 = logits.clone().requires_grad_(), logits.clone().requires_grad_()
    ours = ctc_loss(z1.log_softmax(2), targets, input_lengths, target_lengths, reduction="none")
    theirs = F.ctc_loss(z2.log_softmax(2), targets, input_lengths, target_lengths, reduction="none")
    torch.testing.assert_close(ours, theirs)
    assert math.isinf(ours[1].item())
    ours.sum().backward()
    theirs.sum().backward()
    assert torch.equal(z1.grad[:, 1], torch.zeros_like(z1.grad[:, 1]))
    assert z2.grad[:3, 1].isnan().all()  # 它的 3 帧
    torch.testing.assert_close(z1.grad[:, [0, 2]], z2.grad[:, [0, 2]])


def test_float32_concatenated_targets_and_other_blank() -> None:
    logits, targets, input_lengths, target_lengths = _batch(11, dtype=torch.float32)
    log_probs = logits.log_softmax(2)
    flat = torch.cat([targets[i, : target_lengths[i]] for i in range(len(targets))])
    torch.testing.assert_close(
        ctc_loss(log_probs, flat, input_lengths, target_lengths, reduction="none"),
        F.ctc_loss(log_probs, flat, input_lengths, target_lengths, reduction="none"),
        rtol=1e-5, atol=1e-4,
    )
    # 空白放在最后一类：标签取 0..C-2
    blank = logits.shape[2] - 1
    shifted = targets - 1
    torch.testing.assert_close(
        ctc_loss(log_probs, shifted, input_lengths, target_lengths, blank=blank, reduction="none"),
        F.ctc_loss(log_probs, shifted, input_lengths, target_lengths, blank=blank, reduction="none"),
        rtol=1e-5, atol=1e-4,
    )


def test_infeasible_sample_is_inf_or_zero() -> None:
    log_probs = torch.randn(3, 1, 4, dtype=torch.float64).log_softmax(2)
    targets, lengths = torch.tensor([[1, 1, 2]]), (torch.tensor([3]), torch.tensor([3]))
    assert ctc_min_frames([1, 1, 2]) == 4
    assert ctc_loss(log_probs, targets, *lengths, reduction="none").item() == float("inf")
    assert F.ctc_loss(log_probs, targets, *lengths, reduction="none").item() == float("inf")
    z = log_probs.clone().requires_grad_()
    loss = ctc_loss(z, targets, *lengths, reduction="sum", zero_infinity=True)
    loss.backward()
    assert loss.item() == 0 and z.grad.abs().sum() == 0


@pytest.mark.parametrize("labels", [[1], [1, 1], [1, 2], [2, 1, 2], []])
def test_loss_equals_sum_over_all_paths(labels: list[int]) -> None:
    g = torch.Generator().manual_seed(len(labels))
    log_probs = torch.randn(5, 3, generator=g, dtype=torch.float64).log_softmax(1)
    target = torch.tensor([labels + [1] * (3 - len(labels))])
    loss = ctc_loss(log_probs[:, None], target, torch.tensor([5]), torch.tensor([len(labels)]), reduction="sum")
    assert -loss.item() == pytest.approx(_brute_force_log_prob(log_probs, labels), rel=1e-10)


def test_our_gradient_passes_gradcheck() -> None:
    logits, targets, input_lengths, target_lengths = _batch(3, T=6, N=2, C=4, S=3)
    target_lengths = target_lengths.clamp(min=1)
    log_probs = logits.log_softmax(2).requires_grad_()
    assert torch.autograd.gradcheck(lambda x: ctc_loss(x, targets, input_lengths, target_lengths, reduction="sum"), (log_probs,))


def test_collapse_rules() -> None:
    assert ctc_collapse([]) == []
    assert ctc_collapse([0, 0, 0]) == []
    assert ctc_collapse([1, 0, 1]) == [1, 1]
    assert ctc_collapse([1, 1, 0, 0, 1]) == [1, 1]
    assert ctc_collapse(torch.tensor([2, 2, 3, 3, 2])) == [2, 3, 2]
    assert ctc_collapse([3, 3, 1, 3], blank=3) == [1]


def test_greedy_decode_uses_lengths() -> None:
    probs = torch.tensor([[[0.1, 0.9]], [[0.9, 0.1]], [[0.1, 0.9]]]).expand(3, 2, 2).clone()
    assert ctc_greedy_decode(probs.log(), torch.tensor([3, 1])) == [[1, 1], [1]]


@pytest.mark.parametrize("seed", range(4))
def test_prefix_beam_search_is_exact_with_a_wide_beam(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    T, C = 5, 3
    log_probs = (2 * torch.randn(T, C, generator=g, dtype=torch.float64)).log_softmax(1)
    # 穷举所有可能的标签序列（长度 ≤ T）和它们的概率
    exact: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(C), repeat=T):
        key = tuple(ctc_collapse(list(path)))
        exact[key] = exact.get(key, 0.0) + math.exp(sum(log_probs[t, k].item() for t, k in enumerate(path)))
    beams = ctc_prefix_beam_search(log_probs, beam_width=1000)
    best_labels, best_log_p = beams[0]
    assert tuple(best_labels) == max(exact, key=exact.get)
    for labels, log_p in beams:
        assert math.exp(log_p) == pytest.approx(exact[tuple(labels)], rel=1e-9)
    # 与 ctc_loss 一致
    target = torch.tensor([best_labels or [1]])
    loss = ctc_loss(log_probs[:, None], target, torch.tensor([T]), torch.tensor([len(best_labels)]), reduction="sum")
    assert -loss.item() == pytest.approx(best_log_p, rel=1e-9)


def test_prefix_beam_beats_greedy_on_the_textbook_example() -> None:
    log_probs = torch.tensor([[0.6, 0.4], [0.6, 0.4]]).log()
    assert ctc_greedy_decode(log_probs[:, None]) == [[]]
    assert ctc_prefix_beam_search(log_probs, 1)[0][0] == []  # 束宽 1 在第 1 帧就剪掉了 “1”
    assert ctc_prefix_beam_search(log_probs, 2)[0][0] == [1]


LP, T3, ONE = torch.zeros(3, 1, 4), torch.tensor([3]), torch.tensor([1])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: ctc_collapse("abc"), TypeError, "path 必须是整数序列"),
        (lambda: ctc_collapse([1, -1]), ValueError, "path 的元素 必须在"),
        (lambda: ctc_collapse([1.5]), TypeError, "path 的元素 必须是整数"),
        (lambda: ctc_collapse([1], blank=-1), ValueError, "blank 必须在"),
        (lambda: ctc_loss(LP, torch.tensor([[1]]), T3, ONE, reduction="avg"), ValueError, "reduction 必须是"),
        (lambda: ctc_loss(LP, torch.tensor([[1]]), torch.tensor([4]), ONE), ValueError, "input_lengths 的每个值必须在"),
        (lambda: ctc_loss(LP, torch.tensor([[0]]), T3, ONE), ValueError, "不等于 blank"),
        (lambda: ctc_loss(LP, torch.tensor([[5]]), T3, ONE), ValueError, "必须在 \\[0, 4\\)"),
        (lambda: ctc_loss(LP, torch.tensor([[1]]), T3, torch.tensor([2])), ValueError, "target_lengths 的每个值必须在"),
        (lambda: ctc_loss(LP, torch.tensor([[1]]), torch.tensor([3, 3]), ONE), ValueError, "input_lengths 的长度必须是批大小"),
        (lambda: ctc_loss(torch.zeros(3, 4), torch.tensor([[1]]), T3, ONE), ValueError, "log_probs 必须是 3 维张量"),
        (lambda: ctc_loss(LP, torch.tensor([[1.0]]), T3, ONE), TypeError, "targets 必须是整数张量"),
        (lambda: ctc_loss(torch.zeros(3, 1, 4), torch.tensor([1, 2]), T3, ONE), ValueError, "一维 targets 的长度"),
        (lambda: ctc_loss(LP, torch.tensor([[1]]), torch.tensor([3]), torch.tensor([1]), blank=4), ValueError, "blank 必须在"),
        (lambda: ctc_greedy_decode(torch.zeros(3, 1, 4), torch.tensor([0])), ValueError, "input_lengths 必须有"),
        (lambda: ctc_prefix_beam_search(torch.zeros(3, 4), beam_width=0), ValueError, "beam_width 必须在"),
        (lambda: ctc_prefix_beam_search(torch.zeros(3, 1, 4)), ValueError, "log_probs 必须是 2 维张量"),
        (lambda: ctc_min_frames("aab"), TypeError, "labels 必须是整数序列"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
