"""School days: nudge weekdays, terms, public holidays by region, closures."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.schoolcal import (
    CalendarInputError,
    TermCalendar,
    check_new_term,
    parse_region,
    parse_weekdays,
)
from bot.ports import CalendarRules, Closure, Term

AUTUMN = Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn")
ENGLAND = CalendarRules(terms=(AUTUMN,))
SCOTLAND = CalendarRules(subdivision="SCT")


@pytest.mark.parametrize(
    ("rules", "day", "school_day"),
    [
        (CalendarRules(), date(2026, 11, 24), True),  # a Tuesday
        (CalendarRules(), date(2026, 11, 28), False),  # Saturday
        (CalendarRules(weekdays=frozenset({0, 1, 2, 3})), date(2026, 11, 27), False),  # Friday off
        (ENGLAND, date(2026, 9, 2), False),  # the day before term
        (ENGLAND, date(2026, 9, 3), True),  # first day of term
        (ENGLAND, date(2026, 12, 18), True),  # last day of term
        (ENGLAND, date(2026, 12, 21), False),  # Christmas holidays
        (CalendarRules(), date(2026, 12, 25), False),  # Christmas Day
        (CalendarRules(), date(2026, 8, 31), False),  # England's late summer bank holiday
        (SCOTLAND, date(2026, 8, 31), True),  # ... is a normal day in Scotland
        (SCOTLAND, date(2026, 8, 3), False),  # Scotland's summer bank holiday
        (CalendarRules(), date(2026, 8, 3), True),  # ... is a normal day in England
        (SCOTLAND, date(2026, 11, 30), False),  # St Andrew's Day
        (CalendarRules(country="US", subdivision="NY"), date(2026, 11, 26), False),  # Thanksgiving
        (
            CalendarRules(closures=(Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET"),)),
            date(2026, 11, 27),
            False,
        ),
    ],
)
def test_school_days(rules: CalendarRules, day: date, school_day: bool) -> None:
    assert TermCalendar(rules).is_school_day(day) is school_day


@pytest.mark.parametrize(
    ("rules", "day", "reason"),
    [
        (CalendarRules(), date(2026, 11, 28), "Saturday is not a nudge day"),
        (ENGLAND, date(2026, 12, 21), "outside term"),
        (CalendarRules(), date(2026, 12, 25), "public holiday: Christmas Day"),
        (
            CalendarRules(closures=(Closure(date(2026, 11, 27), date(2026, 11, 27), "snow day"),)),
            date(2026, 11, 27),
            "school closed: snow day",
        ),
        (CalendarRules(), date(2026, 11, 24), None),
    ],
)
def test_the_reason_a_day_is_not_a_school_day_is_named(
    rules: CalendarRules, day: date, reason: str | None
) -> None:
    assert TermCalendar(rules).why_not(day) == reason


def test_friday_is_the_last_school_day_of_an_ordinary_week() -> None:
    calendar = TermCalendar(CalendarRules())

    assert calendar.last_school_day_of_week(date(2026, 11, 27))
    assert not calendar.last_school_day_of_week(date(2026, 11, 26))


def test_thursday_is_the_last_school_day_when_friday_is_closed() -> None:
    friday = Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET")
    calendar = TermCalendar(CalendarRules(closures=(friday,)))

    assert calendar.last_school_day_of_week(date(2026, 11, 26))


def test_thursday_is_the_last_school_day_before_good_friday() -> None:
    assert TermCalendar(CalendarRules()).last_school_day_of_week(date(2026, 4, 2))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("GB-ENG", ("GB", "ENG")),
        ("gb-sct", ("GB", "SCT")),
        ("US-NY", ("US", "NY")),
        ("FR", ("FR", None)),
    ],
)
def test_regions_are_read(words: str, expected: tuple[str, str | None]) -> None:
    assert parse_region(words) == expected


@pytest.mark.parametrize("words", ["XX", "GB-XYZ", "", "England"])
def test_unknown_regions_are_refused(words: str) -> None:
    with pytest.raises(CalendarInputError, match="GB-SCT"):
        parse_region(words)


@pytest.mark.parametrize(
    ("words", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon,Tue,Thu", {0, 1, 3}),
        ("monday to thursday", {0, 1, 2, 3}),
        ("weekdays", {0, 1, 2, 3, 4}),
    ],
)
def test_nudge_days_are_read(words: str, days: set[int]) -> None:
    assert parse_weekdays(words) == frozenset(days)


@pytest.mark.parametrize("words", ["fri-mon", "someday", "", "m"])
def test_unclear_days_are_refused(words: str) -> None:
    with pytest.raises(CalendarInputError, match="mon-fri"):
        parse_weekdays(words)


def test_a_reversed_term_is_refused_naming_both_dates() -> None:
    with pytest.raises(
        CalendarInputError, match=r"18 December.*3 September|3 September.*18 December"
    ):
        check_new_term(Term(date(2026, 12, 18), date(2026, 9, 3)), [])


def test_an_overlapping_term_is_refused_naming_the_other() -> None:
    with pytest.raises(CalendarInputError, match="Autumn"):
        check_new_term(Term(date(2026, 12, 1), date(2027, 1, 20), "Spring"), [AUTUMN])


def test_a_term_longer_than_200_days_is_refused() -> None:
    with pytest.raises(CalendarInputError, match="200 days"):
        check_new_term(Term(date(2026, 1, 1), date(2026, 12, 31)), [])
