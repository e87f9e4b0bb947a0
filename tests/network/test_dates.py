"""Tests for moikg.network_facts: dates and spans.

Reading the facts from the dataset and from a real endpoint is tested through the projections,
in tests/test_network.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from moikg.network.dates import Span, parse_day


@pytest.mark.parametrize(
    ("starts", "ends", "day", "valid"),
    [
        (["2018"], [], dt.date(2018, 1, 1), True),
        (["2018"], [], dt.date(2017, 12, 31), False),
        (["2021-03"], [], dt.date(2021, 3, 31), True),
        ([], ["2020"], dt.date(2020, 12, 31), True),
        ([], ["2020-02"], dt.date(2020, 3, 1), False),
        (["2019-02-10T10:00:00Z"], [], dt.date(2019, 2, 10), True),
        ([], [], dt.date(1900, 1, 1), True),
    ],
    ids=["year-start", "before-year", "month", "year-end", "after-month", "datetime", "undated"],
)
def test_span_reads_partial_dates_leniently(
    starts: list[str], ends: list[str], day: dt.date, valid: bool
) -> None:
    assert Span.of(starts, ends).valid_at(day) is valid


def test_parse_day() -> None:
    assert parse_day("2019-12-31") == dt.date(2019, 12, 31)
    assert parse_day(None) is None
