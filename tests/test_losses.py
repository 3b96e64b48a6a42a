"""dlguide.losses：dlguide.losses 与 torch.nn.functional 对照。"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from dlguide.activations import sigmoid
from dlguide.losses import (
    binary_cross_entropy_with_logits,
    contrastive_loss,
    cost,
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    logistic_grad,
    logistic_loss,
    mine_triplets,
    mse_grad,
    mse_loss,
    triplet_loss,
)


def _data(n: int = 257) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    z = torch.randn(n, generator=g, dtype=torch.float64) * 8
    y = torch.rand(n, generator=g, dtype=torch.float64)
    return z, y


def _logits(n: int = 64, k: int = 5) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(2)
    return torch.randn(n, k, generator=g, dtype=torch.float64) * 6, torch.randint(0, k, (n,), generator=g)


def test_bce_matches_torch_value_and_grad() -> None:
    z, y = _data()
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours = binary_cross_entropy_with_logits(z1, y)
    ref = F.binary_cross_entropy_with_logits(z2, y)
    torch.testing.assert_close(ours, ref)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(z1.grad, z2.grad)
    # ∂ℓ/∂z = (σ(z) − y) / n
    torch.testing.assert_close(z1.grad, (sigmoid(z) - y) / len(z))


def test_bce_is_stable_for_huge_logits() -> None:
    z = torch.tensor([1e4, -1e4])
    y = torch.tensor([0.0, 1.0])
    assert binary_cross_entropy_with_logits(z, y).item() == pytest.approx(1e4)


def test_mse_matches_torch() -> None:
    z, y = _data()
    p1, p2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours, ref = mse_loss(p1, y), F.mse_loss(p2, y)
    torch.testing.assert_close(ours, ref)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(p1.grad, p2.grad)


def test_errors_name_the_parameter() -> None:
    z = torch.zeros(3)
    with pytest.raises(TypeError, match="y 必须是 torch.Tensor"):
        binary_cross_entropy_with_logits(z, [0, 1, 1])
    with pytest.raises(ValueError, match=r"z 与 y 的形状必须相同.*\(3,\).*\(2,\)"):
        binary_cross_entropy_with_logits(z, torch.zeros(2))
    with pytest.raises(ValueError, match=r"y 的取值必须在 \[0, 1\] 内"):
        binary_cross_entropy_with_logits(z, torch.tensor([0.0, 2.0, 1.0]))
    with pytest.raises(TypeError, match="prediction 必须是浮点张量"):
        mse_loss(torch.tensor([1, 2]), torch.zeros(2))
    with pytest.raises(ValueError, match="prediction 与 target 的形状必须相同"):
        mse_loss(z, torch.zeros(4))


def test_log_softmax_matches_torch_and_is_stable() -> None:
    z, _ = _logits()
    torch.testing.assert_close(log_softmax(z), F.log_softmax(z, dim=1))
    big = torch.tensor([[1e4, 0.0, -1e4]])
    assert torch.isfinite(log_softmax(big)).all()
    torch.testing.assert_close(log_softmax(big), F.log_softmax(big, dim=1))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch(reduction: str) -> None:
    z, y = _logits()
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours, ref = cross_entropy(z1, y, reduction), F.cross_entropy(z2, y, reduction=reduction)
    torch.testing.assert_close(ours, ref)
    ours.sum().backward()
    ref.sum().backward()
    torch.testing.assert_close(z1.grad, z2.grad)
    if reduction != "none":
        torch.testing.assert_close(cross_entropy_grad(z, y, reduction), z2.grad)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_grad_matches_autograd(reduction: str) -> None:
    p, t = _data()
    p = p.clone().requires_grad_()
    F.mse_loss(p, t, reduction=reduction).backward()
    torch.testing.assert_close(mse_grad(p.detach(), t, reduction), p.grad)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_logistic_loss_equals_bce_with_01_labels(reduction: str) -> None:
    z, y01 = _data()
    y01 = (y01 > 0.5).double()
    ypm = 2 * y01 - 1
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    ours = logistic_loss(z1, ypm, reduction)
    ref = F.binary_cross_entropy_with_logits(z2, y01, reduction=reduction)
    torch.testing.assert_close(ours, ref)
    ours.sum().backward()
    ref.sum().backward()
    torch.testing.assert_close(z1.grad, z2.grad)
    if reduction != "none":
        torch.testing.assert_close(logistic_grad(z, ypm, reduction), z2.grad)
    assert torch.isfinite(logistic_loss(torch.tensor([1e4, -1e4]), torch.tensor([-1.0, 1.0]))).all()


def test_cost_matches_weight_decay_gradient() -> None:
    # λ/(2m)‖W‖² 的梯度是 (λ/m)·W，与 SGD(weight_decay=λ/m) 加到梯度上的一项相同
    w = torch.randn(3, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64, requires_grad=True)
    m, lam = 10, 0.3
    cost(torch.zeros(m, dtype=torch.float64), [w], l2=lam).backward()
    torch.testing.assert_close(w.grad, lam / m * w.detach())


def test_new_loss_errors_name_the_parameter() -> None:
    z, y = _logits(4, 3)
    with pytest.raises(ValueError, match="reduction 必须是"):
        cross_entropy(z, y, "avg")
    with pytest.raises(ValueError, match=r"logits 的形状必须是 \(n, K\)"):
        cross_entropy(z[0], y)
    with pytest.raises(TypeError, match="target 必须是 int64"):
        cross_entropy(z, y.double())
    with pytest.raises(ValueError, match=r"target 的取值必须在 \[0, 2\] 内"):
        cross_entropy(z, torch.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r"target 的形状必须是 \(4,\)"):
        cross_entropy(z, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="y 的取值只能是 -1 或 \\+1"):
        logistic_loss(torch.zeros(2), torch.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="reduction 必须是"):
        mse_grad(torch.zeros(2), torch.zeros(2), "avg")
    with pytest.raises(ValueError, match="per_example_loss 必须是一维"):
        cost(torch.zeros(2, 2))
    with pytest.raises(ValueError, match=r"l2 必须在 \[0, inf\) 内"):
        cost(torch.zeros(2), l2=-1.0)



def _triplets(n: int = 50, d: int = 8) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(4)
    return tuple(torch.randn(n, d, generator=g, dtype=torch.float64) for _ in range(3))


@pytest.mark.parametrize("margin", [0.2, 0.5, 1.0, 3.0])
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_triplet_loss_equals_torch(margin: float, p: float, swap: bool, reduction: str) -> None:
    a, pos, neg = _triplets()
    ours = [t.clone().requires_grad_() for t in (a, pos, neg)]
    ref = [t.clone().requires_grad_() for t in (a, pos, neg)]
    lo = triplet_loss(*ours, margin=margin, p=p, swap=swap, reduction=reduction)
    lr = torch.nn.TripletMarginLoss(margin=margin, p=p, swap=swap, reduction=reduction)(*ref)
    torch.testing.assert_close(lo, lr)
    lo.sum().backward()
    lr.sum().backward()
    for x, y in zip(ours, ref):
        torch.testing.assert_close(x.grad, y.grad)


def test_contrastive_loss_matches_scalar_formula() -> None:
    a, b, _ = _triplets(40, 3)
    same = torch.randint(0, 2, (40,), generator=torch.Generator().manual_seed(5))
    ours = contrastive_loss(a, b, same, margin=2.0, reduction="none")
    for i in range(40):
        d = math.dist(a[i].tolist(), b[i].tolist())
        ref = 0.5 * d**2 if same[i] else 0.5 * max(0.0, 2.0 - d) ** 2
        assert ours[i].item() == pytest.approx(ref, rel=1e-12, abs=1e-12)
    assert contrastive_loss(a, b, same.bool(), margin=2.0).item() == pytest.approx(ours.mean().item())


def _mined_by_definition(emb: torch.Tensor, labels: torch.Tensor, strategy: str) -> list[tuple[int, int]]:
    """暴力：对每个锚点，按定义找最远正例 / 最近负例（hard），或半难负例（semihard，给定正例）。"""
    dist = torch.cdist(emb, emb)
    out = []
    for i in range(len(labels)):
        pos = [j for j in range(len(labels)) if j != i and labels[j] == labels[i]]
        neg = [j for j in range(len(labels)) if labels[j] != labels[i]]
        if not pos or not neg:
            continue
        if strategy == "hard":
            out.append((max(pos, key=lambda j: dist[i, j]), min(neg, key=lambda j: dist[i, j])))
    return out


def test_mining_strategies_follow_their_definitions() -> None:
    g = torch.Generator().manual_seed(6)
    emb = torch.randn(30, 4, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 5, (30,), generator=g)
    a, p, n = mine_triplets(emb, labels, "hard")
    assert list(zip(p.tolist(), n.tolist())) == _mined_by_definition(emb, labels, "hard")
    dist = torch.cdist(emb, emb)
    for strategy in ("random", "semihard"):
        a, p, n = mine_triplets(emb, labels, strategy, seed=1)
        assert bool((labels[a] == labels[p]).all()) and bool((a != p).all()) and bool((labels[a] != labels[n]).all())
    a, p, n = mine_triplets(emb, labels, "semihard", seed=1)
    for i, j, k in zip(a.tolist(), p.tolist(), n.tolist()):
        farther = [m for m in range(30) if labels[m] != labels[i] and dist[i, m] > dist[i, j]]
        if farther:
            assert dist[i, k] == min(dist[i, m] for m in farther)
        else:
            assert dist[i, k] == max(dist[i, m] for m in range(30) if labels[m] != labels[i])
    # 只出现一次的身份没有正例，被跳过
    a, _, _ = mine_triplets(torch.zeros(3, 2), torch.tensor([0, 0, 1]), "hard")
    assert a.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: triplet_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(3, 3)), ValueError, "形状必须相同"),
        (lambda: triplet_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 3), margin=0.0), ValueError, "margin"),
        (lambda: triplet_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 3), swap=1), TypeError, "swap"),
        (lambda: triplet_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.zeros(2, 3), reduction="avg"), ValueError, "reduction"),
        (lambda: contrastive_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.tensor([0, 2])), ValueError, "0 或 1"),
        (lambda: contrastive_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.tensor([0])), ValueError, "same 的长度"),
        (lambda: contrastive_loss(torch.zeros(2, 3), torch.zeros(2, 3), torch.tensor([0, 1]), margin=0.0), ValueError, "margin"),
        (lambda: mine_triplets(torch.zeros(2, 3), torch.tensor([0, 1]), "easy"), ValueError, "strategy"),
        (lambda: mine_triplets(torch.zeros(2, 3), torch.tensor([0.0, 1.0])), TypeError, "labels 必须是整数张量"),
    ],
)
def test_metric_losses_reject_bad_input(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_cost_checks_weights_and_refuses_empty_or_infinite() -> None:
    from dlguide.losses import cost  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    with pytest.raises(ValueError, match="per_example_loss 不能是空张量"):
        cost(torch.zeros(0))  # 以前是 ZeroDivisionError
    for bad in (None, "w", 3, torch.ones(2)):
        with pytest.raises(TypeError, match="weights 必须是张量的列表或元组"):
            cost(torch.ones(2), bad)
    with pytest.raises(TypeError, match=r"weights\[1\] 必须是 torch.Tensor"):
        cost(torch.ones(2), [torch.ones(2), [1.0]])
    with pytest.raises(ValueError, match=r"l2 必须在 \[0, inf\) 内"):
        cost(torch.ones(2), [torch.ones(2)], l2=float("inf"))
    assert cost(torch.ones(2)).item() == 1.0
