"""A school's calendar: which days are school days, and why a day is not one.

Streaks, prompts and the schedule ask a `SchoolCalendar`; `TermCalendar` answers from a
school's rules, `WeekdayCalendar` (Monday to Friday) where no rules apply, as in the demo.

A school day is a configured nudge weekday, inside a term (when terms are set), not a public
holiday for the school's region (the `holidays` library), and not a closure day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cached_property
from typing import Protocol

import holidays

from bot import texts
from bot.ports import CalendarRules, Term
from bot.refusals import Refusal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_TERM_DAYS = 200


class SchoolCalendar(Protocol):
    def is_school_day(self, day: date) -> bool: ...


class WeekdayCalendar:
    """Monday to Friday, nothing else."""

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5


class CalendarInputError(Refusal):
    """Calendar settings that can't be used; `reply` says why in plain words."""


class TermCalendar:
    """A `SchoolCalendar` from a school's rules."""

    def __init__(self, rules: CalendarRules) -> None:
        self.rules = rules

    @cached_property
    def _public(self) -> holidays.HolidayBase:
        return holidays.country_holidays(self.rules.country, subdiv=self.rules.subdivision)

    def is_school_day(self, day: date) -> bool:
        return self.why_not(day) is None

    def why_not(self, day: date) -> str | None:
        if day.weekday() not in self.rules.weekdays:
            return texts.why_not_a_nudge_day(WEEKDAYS[day.weekday()])
        if self.rules.terms and not any(t.start <= day <= t.end for t in self.rules.terms):
            return texts.WHY_OUT_OF_TERM
        holiday = self._public.get(day)
        if holiday:
            return texts.why_holiday(str(holiday))
        for closure in self.rules.closures:
            if closure.start <= day <= closure.end:
                return texts.why_closed(closure.reason)
        return None

    def last_school_day_of_week(self, day: date) -> bool:
        if not self.is_school_day(day):
            return False
        later = (day + timedelta(days=n) for n in range(1, 7 - day.weekday()))
        return not any(self.is_school_day(other) for other in later)


def school_days_later(calendar: SchoolCalendar, day: date, count: int) -> date:
    """The `count`-th school day after `day`: when five school days' silence is up. A
    calendar with no school days ahead (out of term for good) counts plain days instead."""
    found, later = 0, day
    for _ in range(366):
        later += timedelta(days=1)
        if calendar.is_school_day(later):
            found += 1
            if found == count:
                return later
    return day + timedelta(days=count)


def school_days_earlier(calendar: SchoolCalendar, day: date, count: int) -> date:
    """The school day `count` school days before `day`: what "ten school days ago" means.
    A calendar with no school days behind counts plain days instead."""
    found, earlier = 0, day
    for _ in range(366):
        earlier -= timedelta(days=1)
        if calendar.is_school_day(earlier):
            found += 1
            if found == count:
                return earlier
    return day - timedelta(days=count)


def parse_region(text: str) -> tuple[str, str | None]:
    """ "GB-ENG", "gb-sct", "US-NY", "FR" → (country, subdivision)."""
    country, _, subdivision = text.strip().upper().partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise CalendarInputError(texts.unknown_region(text.strip()[:20]))
    if subdivision and subdivision not in supported[country]:
        raise CalendarInputError(texts.unknown_region(text.strip()[:20]))
    return country, subdivision or None


def check_new_term(term: Term, existing: Sequence[Term]) -> None:
    if term.end < term.start:
        raise CalendarInputError(texts.term_reversed(term.start, term.end))
    if (term.end - term.start).days > MAX_TERM_DAYS:
        raise CalendarInputError(texts.TERM_TOO_LONG)
    for other in existing:
        if term.start <= other.end and other.start <= term.end:
            raise CalendarInputError(texts.term_overlaps(other.name, other.start, other.end))


def parse_weekdays(text: str) -> frozenset[int]:
    """ "mon-fri", "Mon,Tue,Thu", "monday to thursday", "weekdays"."""
    words = text.strip().lower().replace(" to ", "-").replace(" ", "")
    if words in {"weekdays", "schooldays"}:
        return frozenset(range(5))
    days: set[int] = set()
    for part in filter(None, words.split(",")):
        first, _, last = part.partition("-")
        start, end = _weekday(first, text), _weekday(last or first, text)
        if end < start:
            raise CalendarInputError(texts.days_unclear(text.strip()[:40]))
        days.update(range(start, end + 1))
    if not days:
        raise CalendarInputError(texts.days_unclear(text.strip()[:40]))
    return frozenset(days)


def _weekday(word: str, original: str) -> int:
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 2 and name.startswith(word):
            return index
    raise CalendarInputError(texts.days_unclear(original.strip()[:40]))
