"""Dates as the data gives them, and the spans during which a fact held.

xsd:date, xsd:dateTime, xsd:gYearMonth and xsd:gYear values are read as the
earliest and latest day they can mean (XML Schema 1.1 Part 2, §3.3.9-§3.3.14),
so ``as_of`` keeps what the data does not say had ended or not yet begun.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from moikg.errors import InputError

__all__ = ["Span", "bounds", "parse_day"]

_DATE: Final = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_day(value: str | dt.date | None) -> dt.date | None:
    """Read a day given as ``YYYY-MM-DD`` (or a date); None stays None.

    Raises:
        InputError: The text is not a calendar date.
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"as_of={value!r}: not a date; give it as YYYY-MM-DD", parameter="as_of"
        ) from None


@lru_cache(maxsize=65536)
def bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest day an xsd:date, dateTime, gYearMonth or gYear can mean (memoised)."""
    match = _DATE.match(text.strip())
    if not match or match[1].startswith("-"):
        return None
    year = int(match[1])
    try:
        if match[3]:
            day = dt.date(year, int(match[2]), int(match[3]))
            return day, day
        if match[2]:
            month = int(match[2])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    """When something held, as far as the data says.

    Attributes:
        start: The earliest day it can have begun (None: undated).
        end: The latest day it can have ended (None: not known to have ended).
    """

    start: dt.date | None = None
    end: dt.date | None = None

    def valid_at(self, day: dt.date) -> bool:
        """Return True unless the data says it began after ``day`` or ended before it."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    @staticmethod
    def of(starts: Iterable[str], ends: Iterable[str] = ()) -> Span:
        """Build a span from date texts: the earliest start and the latest end."""
        lows = [b[0] for b in map(bounds, starts) if b]
        highs = [b[1] for b in map(bounds, ends) if b]
        return Span(min(lows) if lows else None, max(highs) if highs else None)

    def meet(self, other: Span) -> Span:
        """The span during which both held."""
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        return Span(max(starts) if starts else None, min(ends) if ends else None)
