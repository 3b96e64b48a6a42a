"""dlguide.pages.text.word2vec（页面：docs/text/word2vec.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

from dlguide.corpora import word2vec_corpus
from dlguide.pages.text.word2vec import SIMILARITY_WORDS


def test_similarity_words_are_in_the_corpus() -> None:
    words = {w for s in word2vec_corpus(10_000) for w in s}
    assert set(SIMILARITY_WORDS) <= words
