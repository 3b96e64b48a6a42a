"""dlguide.pages.cnn.classic_networks（页面：docs/cnn/classic-networks.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import re

import pytest

from dlguide.pages.cnn.classic_networks import block_gradient_norms, digits_images, inception_macs, train_on_digits


def test_inception_3a_matches_table_1() -> None:
    assert round(inception_macs(True) / 1e6) == 128  # GoogLeNet 论文表 1：128M
    assert inception_macs(True, size=14) * 4 == inception_macs(True, size=28)


def test_residual_connections_flatten_gradient_norms() -> None:
    plain = block_gradient_norms(4, skip=False)
    res = block_gradient_norms(4, skip=True)
    assert max(plain) / min(plain) > 3 * max(res) / min(res)  # 26 层：约 15 倍对 3 倍


def test_images_have_the_requested_size() -> None:
    X_train, _, X_val, _ = digits_images(8)
    assert X_train.shape[1:] == (1, 8, 8) and len(X_train) + len(X_val) == 1797


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: digits_images(4), ValueError, "size"),
        (lambda: train_on_digits("vgg16"), ValueError, "name"),
        (lambda: train_on_digits("lenet5", epochs=0), ValueError, "epochs"),
        (lambda: train_on_digits("lenet5", progress="yes"), TypeError, "progress"),
        (lambda: inception_macs(1), TypeError, "reduce"),
        (lambda: block_gradient_norms(10**9, skip=True), ValueError, "n"),
        (lambda: block_gradient_norms(2, skip=None), TypeError, "skip"),
    ],
)
def test_bad_input(call, error, name) -> None:
    with pytest.raises(error, match=rf"^{re.escape(name)} "):
        call()
