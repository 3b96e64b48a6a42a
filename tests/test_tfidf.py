"""dlguide.tfidf：词袋和 TF-IDF 与 scikit-learn 的 CountVectorizer/TfidfVectorizer 逐项相等。"""

from __future__ import annotations

import itertools

import pytest
import torch
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from dlguide.corpora import tfidf_documents
from dlguide.tfidf import count_matrix, idf, jieba_tokenize, tfidf

DOCS = tfidf_documents()


def _sklearn_kwargs() -> dict:
    return {"tokenizer": jieba_tokenize, "lowercase": False, "token_pattern": None}


@pytest.mark.parametrize("binary", [False, True])
def test_count_matrix_matches_count_vectorizer(binary: bool) -> None:
    cv = CountVectorizer(binary=binary, **_sklearn_kwargs())
    expected = torch.tensor(cv.fit_transform(DOCS).toarray(), dtype=torch.float64)
    counts, vocab = count_matrix([jieba_tokenize(d) for d in DOCS], binary=binary)
    assert vocab == list(cv.get_feature_names_out())
    assert torch.equal(counts, expected)


@pytest.mark.parametrize(("smooth", "sublinear", "norm"), list(itertools.product([True, False], [True, False], ["l2", "l1", None])))
def test_tfidf_matches_tfidf_vectorizer(smooth: bool, sublinear: bool, norm: str | None) -> None:
    tv = TfidfVectorizer(smooth_idf=smooth, sublinear_tf=sublinear, norm=norm, **_sklearn_kwargs())
    expected = torch.tensor(tv.fit_transform(DOCS).toarray(), dtype=torch.float64)
    counts, _ = count_matrix([jieba_tokenize(d) for d in DOCS])
    torch.testing.assert_close(tfidf(counts, smooth_idf=smooth, sublinear_tf=sublinear, norm=norm), expected)
    torch.testing.assert_close(idf(counts, smooth=smooth), torch.tensor(tv.idf_, dtype=torch.float64))


def test_new_documents_use_training_vocabulary_and_idf() -> None:
    train = [jieba_tokenize(d) for d in DOCS]
    counts, vocab = count_matrix(train)
    weights = idf(counts)
    new = [jieba_tokenize("神经网络处理图像和语音数据，还能做红烧肉吗")]
    new_counts, _ = count_matrix(new, vocab)
    ours = tfidf(new_counts, idf_weights=weights)
    cv = CountVectorizer(**_sklearn_kwargs()).fit(DOCS)
    transformer = TfidfTransformer().fit(cv.transform(DOCS))
    expected = transformer.transform(cv.transform(["神经网络处理图像和语音数据，还能做红烧肉吗"])).toarray()
    torch.testing.assert_close(ours, torch.tensor(expected, dtype=torch.float64))


def test_idf_counts_documents_not_occurrences() -> None:
    # 词 0 在一篇文档里出现 10 次，词 1 在三篇文档里各出现 1 次
    counts = torch.tensor([[10.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    textbook = idf(counts, smooth=False, add_one=False)
    assert textbook.tolist() == pytest.approx([torch.log(torch.tensor(4.0)).item(), torch.log(torch.tensor(4 / 3)).item()])


def test_textbook_idf_is_infinite_for_unseen_words() -> None:
    counts = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    assert idf(counts, smooth=False)[1].item() == float("inf")
    assert torch.isfinite(idf(counts)).all()


def test_tokenizer_drops_punctuation_and_stopwords() -> None:
    assert jieba_tokenize("，。！ ？") == []
    assert jieba_tokenize("我爱北京天安门。", stopwords=["我"]) == ["爱", "北京", "天安门"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: jieba_tokenize(None), TypeError, "text 必须是字符串"),
        (lambda: jieba_tokenize("猫", stopwords="猫"), TypeError, "stopwords 必须是字符串的集合"),
        (lambda: count_matrix("我爱猫"), TypeError, "documents 必须是分好词的文档列表"),
        (lambda: count_matrix(["我爱猫"]), TypeError, "每篇文档必须是词"),
        (lambda: count_matrix([]), ValueError, "documents 不能为空"),
        (lambda: count_matrix([[]]), ValueError, "词表为空"),
        (lambda: count_matrix([["a"]], ["a", "a"]), ValueError, "vocabulary 里有重复"),
        (lambda: count_matrix([["a"]], binary="yes"), TypeError, "binary 必须是 True 或 False"),
        (lambda: idf([[1.0]]), TypeError, "counts 必须是 torch.Tensor"),
        (lambda: idf(torch.zeros(3)), ValueError, "counts 必须是 2 维张量"),
        (lambda: tfidf(torch.ones(2, 2), norm="l3"), ValueError, "norm 必须是"),
        (lambda: tfidf(-torch.ones(2, 2)), ValueError, "counts 必须是有限的非负计数"),
        (lambda: tfidf(torch.ones(2, 2), idf_weights=torch.ones(3)), ValueError, "idf_weights 的长度"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_tensor_stopwords_are_refused() -> None:
    with pytest.raises(TypeError, match="stopwords 必须是字符串的集合"):
        jieba_tokenize("我爱猫", stopwords=torch.zeros(0))


def test_empty_vocabulary_is_named() -> None:
    with pytest.raises(ValueError, match="vocabulary"):
        count_matrix([["a", "b"]], vocabulary=[])
