"""The periods leaders and operators name, read the same in chat and on the command line."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.periods import Period, PeriodUnclear, parse_period
from bot.ports import CalendarRules, Term

TUESDAY = date(2026, 11, 24)
AUTUMN = Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn")
SUMMER = Term(date(2026, 4, 15), date(2026, 7, 22), "Summer")
RULES = CalendarRules(terms=(SUMMER, AUTUMN))


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("", date(2026, 11, 23), date(2026, 11, 29)),
        ("this week", date(2026, 11, 23), date(2026, 11, 29)),
        ("Last  Week", date(2026, 11, 16), date(2026, 11, 22)),
        ("this month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this term", AUTUMN.start, AUTUMN.end),
        ("last term", SUMMER.start, SUMMER.end),
        ("2026-09-01 to 2026-10-01", date(2026, 9, 1), date(2026, 10, 1)),
    ],
)
def test_a_period_is_read(words: str, start: date, end: date) -> None:
    assert parse_period(words, TUESDAY, RULES) == Period(start, end)


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("next year", "couldn't read"),
        ("2026-10-01 to 2026-09-01", "ends before it starts"),
        ("2020-01-01 to 2026-01-02", "five years"),
        ("2026-02-30 to 2026-03-01", "couldn't read"),
    ],
)
def test_a_period_that_cannot_be_used_is_refused_with_the_reason(words: str, why: str) -> None:
    with pytest.raises(PeriodUnclear, match=why):
        parse_period(words, TUESDAY, RULES)


def test_this_term_outside_any_term_says_so() -> None:
    with pytest.raises(PeriodUnclear, match="isn't in a term"):
        parse_period("this term", date(2026, 12, 25), RULES)


def test_the_previous_period_has_the_same_length() -> None:
    week = Period(date(2026, 11, 23), date(2026, 11, 29))

    assert week.previous() == Period(date(2026, 11, 16), date(2026, 11, 22))
