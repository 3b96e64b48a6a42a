"""dlguide.pages.misc.cnn_beyond_images（页面：docs/misc/cnn-beyond-images.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest
import torch

from dlguide.pages.misc.cnn_beyond_images import (
    VOCAB,
    BagOfWords,
    TextCNN,
    alphago_policy_net,
    go_planes,
    make_negation_corpus,
)


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
