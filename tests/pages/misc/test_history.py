"""dlguide.pages.misc.history（页面：docs/misc/history.md）：页面 doctest 之外的测试。"""

from __future__ import annotations

import pytest

from dlguide.pages.misc.history import ERAS, TIMELINE, milestones


def test_timeline_is_sorted_and_referenced() -> None:
    years = [m.year for m in TIMELINE]
    assert years == sorted(years)
    for m in TIMELINE:
        assert str(m.year) in m.reference, m.short   # 每条的年份写在它的原始文献里
        assert m.event and m.short


def test_eras_cover_the_timeline() -> None:
    assert ERAS[0][0] <= TIMELINE[0].year
    assert all(a[1] == b[0] for a, b in zip(ERAS, ERAS[1:]))


def test_bad_input() -> None:
    for call, error, message in [
        (lambda: milestones(2000, 1990), ValueError, "start"),
        (lambda: milestones("1990"), TypeError, "start"),
        (lambda: milestones(1990, 10**9), ValueError, "end"),
    ]:
        with pytest.raises(error, match=message):
            call()
