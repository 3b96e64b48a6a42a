"""dlguide.pages.basics.unsuitable_datasets（页面：docs/basics/unsuitable-datasets.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.models import digits_cnn, mlp
from dlguide.pages.basics.unsuitable_datasets import fixed_permutation, permute_features


def test_permutation_is_fixed_and_invertible() -> None:
    X = torch.randn(7, 64, generator=torch.Generator().manual_seed(0))
    P = permute_features(X, seed=3)
    assert torch.equal(P, permute_features(X, seed=3))
    assert torch.equal(P[:, torch.argsort(fixed_permutation(64, seed=3))], X)
    assert torch.equal(P.sort(dim=1).values, X.sort(dim=1).values)


def test_mlp_on_permuted_inputs_is_the_same_function_with_permuted_columns() -> None:
    # MLP 对特征顺序没有先验：把第一层权重的列按同一置换重排，输出逐位相同
    X = torch.randn(10, 64, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    net = mlp([64, 16, 10], seed=0).double()
    twin = mlp([64, 16, 10], seed=0).double()
    perm = fixed_permutation(64)
    with torch.no_grad():
        twin[0].weight.copy_(net[0].weight[:, perm])
    torch.testing.assert_close(twin(permute_features(X)), net(X))


def test_errors() -> None:
    with pytest.raises(ValueError, match=r"n_features 必须在 \[1, 100000000\] 内"):
        fixed_permutation(0)
    with pytest.raises(ValueError, match=r"X 必须是形状为 \(n, d\) 的二维张量"):
        permute_features(torch.zeros(3))
    with pytest.raises(ValueError, match=r"channels 必须在 \[1, 1024\] 内"):
        digits_cnn(0)


def test_permutation_bounds_and_seed() -> None:
    with pytest.raises(ValueError, match=r"n_features 必须在 \[1, 100000000\] 内"):
        fixed_permutation(10**9)
    for bad, error in ((-1, ValueError), (1.5, TypeError)):
        with pytest.raises(error, match="seed 必须"):
            fixed_permutation(4, bad)
        with pytest.raises(error, match="seed 必须"):
            permute_features(torch.zeros(2, 4), bad)
    torch.manual_seed(0)
    a = fixed_permutation(10, None)
    torch.manual_seed(0)
    assert torch.equal(a, fixed_permutation(10, None))
