"""dlguide.pages.text.feature_extraction（页面：docs/text/feature-extraction.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import jieba.analyse
import pytest

from dlguide.pages.text.feature_extraction import jieba_idf_table, jieba_keywords


@pytest.mark.parametrize(
    "text",
    [
        "自然语言处理是人工智能的一个重要方向，机器翻译和问答系统都属于自然语言处理。",
        "The quick brown fox 和 the lazy dog 一起学习 Python 与 PyTorch。",
        "北京市朝阳区今天下雨，北京市气象台发布了暴雨预警。",
    ],
)
def test_keywords_equal_jieba_analyse(text: str) -> None:
    expected = [(w, round(v, 4)) for w, v in jieba.analyse.extract_tags(text, topK=8, withWeight=True)]
    assert jieba_keywords(text, k=8) == expected


def test_idf_table_median_is_jiebas() -> None:
    table, median = jieba_idf_table()
    assert median == jieba.analyse.default_tfidf.median_idf
    assert table["深度"] == jieba.analyse.default_tfidf.idf_freq["深度"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: jieba_keywords(None), TypeError, "text 必须是字符串"),
        (lambda: jieba_keywords("文本", k=0), ValueError, "k 必须在"),
    ],
)
def test_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()
