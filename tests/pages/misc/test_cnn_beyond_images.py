"""dlguide.pages.misc.cnn_beyond_images（页面：docs/misc/cnn-beyond-images.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.conv import receptive_field
from dlguide.pages.misc.cnn_beyond_images import (
    VOCAB,
    BagOfWords,
    TextCNN,
    alphago_policy_net,
    go_planes,
    make_negation_corpus,
)
from dlguide.training import accuracy, fit


def test_corpus_labels_follow_the_bigram() -> None:
    tokens, labels = make_negation_corpus(200, 8, seed=4)
    for row, label in zip(tokens.tolist(), labels.tolist()):
        assert row.count(1) == 1 and row.count(2) == 1   # 每句恰有一个 not、一个 good
        bigram = any(a == 1 and b == 2 for a, b in zip(row, row[1:]))
        assert bigram == bool(label)


def test_bag_of_words_cannot_see_order() -> None:
    model = BagOfWords(len(VOCAB))
    x = torch.tensor([[1, 2, 3, 4]])
    assert torch.allclose(model(x), model(x.flip(1)), atol=1e-6)


def test_policy_net_parameter_count_matches_the_paper_layout() -> None:
    net = alphago_policy_net()
    expected = (48 * 25 * 192 + 192) + 11 * (192 * 9 * 192 + 192) + 192 + 361
    assert sum(p.numel() for p in net.parameters()) == expected


def test_bad_input() -> None:
    board = torch.zeros(19, 19, dtype=torch.long)
    for call, error, message in [
        (lambda: make_negation_corpus(1), ValueError, "n"),
        (lambda: make_negation_corpus(10, 2), ValueError, "length"),
        (lambda: make_negation_corpus(10, seed=-1), ValueError, "seed"),
        (lambda: TextCNN(1), ValueError, "vocab_size"),
        (lambda: TextCNN(10)(torch.zeros(2, 5)), TypeError, "tokens"),
        (lambda: TextCNN(10, width=3)(torch.zeros(2, 2, dtype=torch.long)), ValueError, "tokens"),
        (lambda: go_planes(board.float()), TypeError, "board"),
        (lambda: go_planes(board + 2), ValueError, "board"),
        (lambda: go_planes(torch.zeros(3, 4, dtype=torch.long)), ValueError, "board"),
        (lambda: go_planes(board, to_play=0), ValueError, "to_play"),
        (lambda: alphago_policy_net(layers=1), ValueError, "layers"),
    ]:
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize("seed", [1, 3])
def test_textcnn_result_is_not_one_lucky_seed(seed: int) -> None:
    X_train, y_train = make_negation_corpus(600, 10, seed=0)
    X_test, y_test = make_negation_corpus(400, 10, seed=1)
    torch.manual_seed(seed)
    cnn = TextCNN(len(VOCAB), embed_dim=8, filters=8, width=2)
    fit(cnn, X_train, y_train, epochs=15, lr=0.02, batch_size=50, optimizer="adam")
    assert accuracy(cnn, X_test, y_test) > 0.95


def test_policy_net_corner_does_not_see_the_whole_board() -> None:
    body = alphago_policy_net()[:-2]
    assert receptive_field(body, (48, 19, 19), position=(9, 9)) == (19, 19)
    assert receptive_field(body, (48, 19, 19), position=(0, 0)) == (14, 14)
