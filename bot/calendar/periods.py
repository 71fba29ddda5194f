"""Periods leaders and operators ask about, in the same words in chat and on the command line:
`this week`, `last week`, `this month`, `last month`, `this term`, `last term`, or
`YYYY-MM-DD to YYYY-MM-DD`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts
from bot.ports import CalendarRules
from bot.refusals import Refusal

MAX_PERIOD_DAYS = 5 * 366
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})$")


class PeriodUnclear(Refusal):
    """Words that aren't a period we know, or a range that can't be used."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    def previous(self) -> Period:
        """The period of the same length just before, for trends."""
        length = self.end - self.start
        return Period(self.start - length - timedelta(days=1), self.start - timedelta(days=1))


def parse_period(words: str, today: date, rules: CalendarRules) -> Period:
    phrase = " ".join(words.lower().split()) or "this week"
    monday = today - timedelta(days=today.weekday())
    match phrase:
        case "this week":
            return Period(monday, monday + timedelta(days=6))
        case "last week":
            return Period(monday - timedelta(days=7), monday - timedelta(days=1))
        case "this month":
            return Period(today.replace(day=1), _month_end(today))
        case "last month":
            end = today.replace(day=1) - timedelta(days=1)
            return Period(end.replace(day=1), end)
        case "this term" | "last term":
            return _term(phrase, today, rules)
    found = _RANGE.match(phrase)
    if found is None:
        raise PeriodUnclear(texts.period_unclear(words.strip()[:60]))
    try:
        start, end = date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))
    except ValueError as error:
        raise PeriodUnclear(texts.period_unclear(words.strip()[:60])) from error
    if end < start:
        raise PeriodUnclear(texts.PERIOD_REVERSED)
    if (end - start).days > MAX_PERIOD_DAYS:
        raise PeriodUnclear(texts.PERIOD_TOO_LONG)
    return Period(start, end)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _term(phrase: str, today: date, rules: CalendarRules) -> Period:
    terms = sorted(rules.terms, key=lambda t: t.start)
    started = [t for t in terms if t.start <= today]
    if phrase == "this term":
        current = next((t for t in reversed(started) if today <= t.end), None)
        if current is None:
            raise PeriodUnclear(texts.NOT_IN_TERM)
        return Period(current.start, current.end)
    finished = [t for t in started if t.end < today]
    if not finished:
        raise PeriodUnclear(texts.NO_LAST_TERM)
    return Period(finished[-1].start, finished[-1].end)
