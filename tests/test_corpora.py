"""dlguide.corpora：生成的语料可复现，NER 数据的训练集和测试集名字不重叠、标签与实体对得上。"""

from __future__ import annotations

import pytest

from dlguide.corpora import (
    NER_TAGS,
    ner_dataset,
    ner_entity_names,
    tfidf_documents,
    word2vec_analogies,
    word2vec_corpus,
)
from dlguide.metrics import entity_spans


def test_corpora_are_deterministic() -> None:
    assert word2vec_corpus(50, seed=3) == word2vec_corpus(50, seed=3)
    assert word2vec_corpus(50, seed=3) != word2vec_corpus(50, seed=4)
    assert ner_dataset(20, "test", seed=1) == ner_dataset(20, "test", seed=1)
    assert len(tfidf_documents()) == 8


def test_analogy_words_are_in_the_corpus() -> None:
    words = {w for s in word2vec_corpus(5000) for w in s}
    assert {w for q in word2vec_analogies() for w in q} <= words


def test_ner_tags_mark_exactly_the_inserted_names() -> None:
    names = ner_entity_names()
    for sentence, tags in ner_dataset(300) + ner_dataset(300, "test"):
        assert len(sentence) == len(tags) and set(tags) <= set(NER_TAGS)
        for kind, start, end in entity_spans(tags, strict=True):
            assert sentence[start:end] in names[kind]
        assert entity_spans(tags) == entity_spans(tags, strict=True)  # 生成的标签都合法


def test_train_and_test_names_are_disjoint() -> None:
    def names(split: str) -> set[tuple[str, str]]:
        out = set()
        for sentence, tags in ner_dataset(2000, split):
            out |= {(kind, sentence[s:e]) for kind, s, e in entity_spans(tags)}
        return out

    assert not names("train") & names("test")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: word2vec_corpus(0), ValueError, "n_sentences 必须在"),
        (lambda: word2vec_corpus(10**9), ValueError, "n_sentences 必须在"),
        (lambda: word2vec_analogies("plural"), ValueError, "kind 必须是"),
        (lambda: ner_dataset(10, split="dev"), ValueError, "split 必须是"),
        (lambda: ner_dataset(10, seed=-1), ValueError, "seed 必须在"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
