"""dlguide.word2vec：下采样、噪声分布、窗口、损失与 PyTorch 内置的二分类交叉熵，以及训练出的向量的结构。"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from dlguide.corpora import word2vec_analogies, word2vec_corpus
from dlguide.word2vec import (
    CBOW,
    SkipGram,
    Vocabulary,
    analogy,
    analogy_accuracy,
    build_vocab,
    cbow_training_set,
    keep_probabilities,
    most_similar,
    negative_sampling_loss,
    noise_distribution,
    sgns_training_set,
    skipgram_pairs,
    subsample,
    train_word2vec,
)


def test_keep_probability_formula_and_empirical_rate() -> None:
    counts = torch.tensor([5000, 500, 50, 5])
    f = counts / counts.sum()
    t = 1e-2
    expected = torch.clamp(torch.sqrt(t / f) + t / f, max=1).double()
    torch.testing.assert_close(keep_probabilities(counts, t), expected)
    sentences = [[0] * 20000]
    kept = subsample(sentences, keep_probabilities(counts, t), torch.Generator().manual_seed(0))
    assert len(kept[0]) / 20000 == pytest.approx(expected[0].item(), abs=0.01)


def test_noise_distribution_matches_sampling_frequencies() -> None:
    noise = noise_distribution([1000, 100, 10, 1])
    torch.testing.assert_close(noise, torch.tensor([1000, 100, 10, 1]).double() ** 0.75 / (torch.tensor([1000, 100, 10, 1]).double() ** 0.75).sum())
    draws = torch.multinomial(noise, 200_000, replacement=True, generator=torch.Generator().manual_seed(0))
    freq = torch.bincount(draws, minlength=4).double() / 200_000
    torch.testing.assert_close(freq, noise, atol=5e-3, rtol=0)


def test_dynamic_window_uses_near_words_more_often() -> None:
    sentence = list(range(2001))
    pairs = skipgram_pairs([sentence], window=4, generator=torch.Generator().manual_seed(0))
    distance = (pairs[:, 0] - pairs[:, 1]).abs()
    counts = torch.bincount(distance, minlength=5)[1:].double()
    ratios = counts / counts[0]
    # 距离 d 的词被用到的概率 (window − d + 1) / window
    torch.testing.assert_close(ratios, torch.tensor([1.0, 0.75, 0.5, 0.25], dtype=torch.float64), atol=0.03, rtol=0)


def test_pairs_never_cross_sentences() -> None:
    pairs = skipgram_pairs([[0, 1], [2, 3]], window=5, generator=torch.Generator().manual_seed(0))
    assert sorted(map(tuple, pairs.tolist())) == [(0, 1), (1, 0), (2, 3), (3, 2)]


def test_negative_sampling_loss_is_summed_bce_and_ignores_collisions() -> None:
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(8, 6, generator=g)
    targets = torch.zeros(8, 6)
    targets[:, 0] = 1
    expected = F.binary_cross_entropy_with_logits(logits, targets, reduction="none").sum(1).mean()
    torch.testing.assert_close(negative_sampling_loss(logits, targets), expected)
    targets[0, 3] = -1
    weight = (targets >= 0).float()
    expected = (F.binary_cross_entropy_with_logits(logits, targets.clamp(min=0), reduction="none") * weight).sum(1).mean()
    torch.testing.assert_close(negative_sampling_loss(logits, targets), expected)


def test_sgns_gradient_matches_closed_form() -> None:
    # ∂ℓ/∂v_c = (σ(u_o·v_c) − 1) u_o + Σ_k σ(u_k·v_c) u_k
    model = SkipGram(6, 4, seed=0)
    with torch.no_grad():
        model.out.weight.normal_(generator=torch.Generator().manual_seed(1))
    X = torch.tensor([[0, 1, 2, 3]])
    negative_sampling_loss(model(X), torch.tensor([[1.0, 0.0, 0.0]])).backward()
    v, u = model.inp.weight[0].detach(), model.out.weight.detach()
    s = u[[1, 2, 3]] @ v
    expected = (torch.sigmoid(s[0]) - 1) * u[1] + torch.sigmoid(s[1]) * u[2] + torch.sigmoid(s[2]) * u[3]
    torch.testing.assert_close(model.inp.weight.grad[0], expected)


def test_training_sets_and_cbow_average() -> None:
    X, y = sgns_training_set([[0, 1, 2, 3]], [1, 1, 1, 1], window=1, negatives=2, t=1.0)
    assert X[:, :2].tolist() == [[0, 1], [1, 0], [1, 2], [2, 1], [2, 3], [3, 2]]
    assert ((y[:, 1:] == -1) == (X[:, 2:] == X[:, 1:2])).all()
    Xc, _ = cbow_training_set([[0, 1, 2]], [1, 1, 1], window=2, negatives=1, t=1.0, seed=3)
    model = CBOW(3, 2, context_size=4)
    row = Xc[1:2]
    ctx = [i for i in row[0, :4].tolist() if i >= 0]
    v = model.inp.weight[ctx].mean(0)
    torch.testing.assert_close(model(row), (model.out.weight[row[0, 4:]] @ v)[None])


def test_trained_vectors_solve_the_designed_analogies() -> None:
    E, vocab, _ = train_word2vec(word2vec_corpus(10_000), seed=1)
    correct = sum(analogy(E, vocab, a, b, c)[0][0] == d for a, b, c, d in word2vec_analogies())
    assert correct >= 100
    assert most_similar(E, vocab, "热", 1)[0][0] == "冷"


def test_nearest_c_baseline_ignores_the_offset() -> None:
    # d 是 b − a + c 的答案，但 c 自己最近的词是 e：3CosAdd 答对、只看 c 的基线答错
    vocab = Vocabulary(["a", "b", "c", "d", "e"], [1] * 5)
    E = torch.tensor([[1.0, 0, 0], [1.0, 0, 1.0], [0, 1.0, 0], [0, 1.0, 1.0], [0, 1.0, -0.2]])
    question = [("a", "b", "c", "d")]
    assert analogy_accuracy(E, vocab, question) == 1.0
    assert analogy_accuracy(E, vocab, question, method="nearest_c") == 0.0
    # 基线的排除规则与 analogy 相同：a、b、c 都不能当答案
    vocab2 = Vocabulary(["a", "b", "c", "d"], [1] * 4)
    E2 = torch.tensor([[0.0, 1.0], [0.1, 1.0], [1.0, 0.0], [-1.0, 0.0]])
    assert analogy_accuracy(E2, vocab2, [("a", "b", "c", "d")], method="nearest_c") == 1.0


def test_vocabulary_and_similarity_helpers() -> None:
    vocab = build_vocab([["b", "a", "a"]])
    assert vocab.words == ["a", "b"] and vocab.counts == [2, 1] and len(vocab) == 2
    E = torch.tensor([[1.0, 0.0], [math.sqrt(0.5), math.sqrt(0.5)]])
    assert most_similar(E, vocab, "a", 1) == [("b", 0.707)]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: build_vocab("我爱猫"), TypeError, "sentences 必须是句子的列表"),
        (lambda: build_vocab(["我爱猫"]), TypeError, "已经分好词"),
        (lambda: build_vocab([[]]), ValueError, "不能为空"),
        (lambda: build_vocab([["a"]], min_count=2), ValueError, "没有词留下"),
        (lambda: keep_probabilities([1, 0]), ValueError, "counts 必须全是有限的正数"),
        (lambda: keep_probabilities([1, 2], t=0.0), ValueError, "t 必须在"),
        (lambda: noise_distribution([1, 2], power=2.0), ValueError, "power 必须在"),
        (lambda: skipgram_pairs([[0, 1]], window=0), ValueError, "window 必须在"),
        (lambda: skipgram_pairs([[0, -1]]), TypeError, "非负整数"),
        (lambda: subsample([[0, 5]], torch.ones(2)), ValueError, "词号必须 < len"),
        (lambda: sgns_training_set([[0, 1]], [1, 1], negatives=0), ValueError, "negatives 必须在"),
        (lambda: sgns_training_set([[0, 1]], [1, 1], passes=10**9), ValueError, "passes 必须在"),
        (lambda: SkipGram(10**9, 2), ValueError, "vocab_size 必须在"),
        (lambda: SkipGram(3, 2)(torch.zeros(2, 3)), TypeError, "X 必须是整数张量"),
        (lambda: CBOW(3, 2, context_size=4)(torch.zeros(2, 3, dtype=torch.long)), ValueError, "context_size"),
        (lambda: negative_sampling_loss(torch.zeros(2, 3), torch.zeros(2, 2)), ValueError, "形状必须相同"),
        (lambda: most_similar(torch.eye(2), Vocabulary(["a", "b"], [1, 1]), "c"), ValueError, "不在词表里"),
        (lambda: most_similar(torch.eye(2), ["a", "b"], "a"), TypeError, "vocab 必须是 Vocabulary"),
        (lambda: analogy(torch.eye(3), Vocabulary(["a", "b", "c"], [1] * 3), "a", "b", None), TypeError, "c 必须是字符串"),
        (lambda: train_word2vec([["a", "b"]], model="glove"), ValueError, "model 必须是"),
        (
            lambda: analogy_accuracy(torch.eye(4), Vocabulary(list("abcd"), [1] * 4), [tuple("abcd")], method="only_b"),
            ValueError,
            "method 必须是",
        ),
        (
            lambda: analogy_accuracy(torch.eye(3), Vocabulary(list("abcd"), [1] * 4), [tuple("abcd")], method="nearest_c"),
            ValueError,
            "行数 3 与词表大小 4 不同",
        ),
        (
            lambda: analogy_accuracy(torch.eye(4), Vocabulary(list("abcd"), [1] * 4), [tuple("abxd")], method="nearest_c"),
            ValueError,
            "c = 'x' 不在词表里",
        ),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_no_training_pairs_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="没有得到任何训练样本"):
        sgns_training_set([[0], [1]], [1, 1])
    with pytest.raises(ValueError, match="没有得到任何训练样本"):
        cbow_training_set([[0], [1]], [1, 1])


def test_generator_must_be_a_generator() -> None:
    with pytest.raises(TypeError, match="generator 必须是 torch.Generator"):
        skipgram_pairs([[0, 1]], generator="abc")
    with pytest.raises(TypeError, match="generator 必须是 torch.Generator"):
        subsample([[0, 1]], torch.ones(2), generator=0)


def test_vocabulary_checks_words_and_counts() -> None:
    from dlguide.word2vec import Vocabulary  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    for words, counts, error, message in (
        (None, [1], TypeError, "words 必须是词"),
        ("ab", [1, 1], TypeError, "words 必须是词"),
        ([None, "b"], [1, 1], TypeError, "words 必须是词"),
        (["a", "a"], [1, 1], ValueError, "words 里的词必须互不相同"),
        (["a", "b"], None, TypeError, "counts 必须是数的序列"),
        (["a", "b"], [2.5, 1], TypeError, "counts 的元素必须是整数"),
        (["a", "b"], [1], ValueError, "counts 必须是与 words 等长"),
        (["a", "b"], [1, -1], ValueError, "counts 必须是与 words 等长（2）的非负整数列表"),
    ):
        with pytest.raises(error, match=message):
            Vocabulary(words, counts)
