"""A school's summary for a period: who takes part, who logged, how it compares, by department,
and the words that keep coming up. The numbers of `tinysteps summary` (and of the leaders'
chat command, which builds on this)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from bot import texts
from bot.calendar.periods import Period, parse_period
from bot.calendar.schoolcal import TermCalendar
from bot.calendar.streaks import streak
from bot.calendar.zones import local_date_at
from bot.leaders.access import Scope
from bot.people.roster import takes_part
from bot.ports import Clock, Improvement, Person, Store, Transaction
from bot.refusals import Refusal

MAX_THEMES = 10
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words too common to say what a school is working on.
STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "all",
        "also",
        "and",
        "any",
        "are",
        "back",
        "been",
        "before",
        "being",
        "but",
        "can",
        "could",
        "did",
        "does",
        "doing",
        "down",
        "each",
        "every",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "her",
        "here",
        "him",
        "his",
        "how",
        "into",
        "its",
        "just",
        "less",
        "made",
        "make",
        "more",
        "most",
        "much",
        "now",
        "off",
        "once",
        "one",
        "only",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "very",
        "was",
        "way",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "today",
        "class",
        "lesson",
        "lessons",
        "tried",
        "used",
        "using",
        "did",
        "got",
        "put",
        "get",
    ]
)


class SummaryRefused(Refusal):
    """A summary that can't be made (no such school, an unclear period)."""


MAX_QUOTES = 5
STREAK_DAYS = 5  # "on a streak": this many school days running, or more
_STREAK_WINDOW = timedelta(days=42)  # enough to see a 5-school-day run across a half term


@dataclass(frozen=True, slots=True)
class DepartmentFigures:
    name: str
    people: int
    participants: int
    entries: int


@dataclass(frozen=True, slots=True)
class Theme:
    term: str
    count: int


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period
    people: int
    participants: int
    entries: int
    previous_entries: int
    departments: tuple[DepartmentFigures, ...]
    themes: tuple[Theme, ...]
    scope: str = ""  # what the figures cover: a department, school or trust's name
    on_streak: int = 0  # people on a run of STREAK_DAYS school days or more
    quotes: tuple[str, ...] = ()  # a few people's own words, newest first
    days: tuple[date, ...] = ()  # the period's school days, for the chart
    daily: dict[str, tuple[float, ...]] = field(default_factory=dict)  # name → % each day

    @property
    def participation_rate(self) -> float:
        return round(self.participants / self.people, 3) if self.people else 0.0

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON: `period.start`/`end` as ISO dates, and the figures."""
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "scope": self.scope,
            "people": self.people,
            "participants": self.participants,
            "participation_rate": self.participation_rate,
            "entries": self.entries,
            "previous_entries": self.previous_entries,
            "on_streak": self.on_streak,
            "departments": [asdict(d) for d in self.departments],
            "themes": [asdict(t) for t in self.themes],
        }


def themes(entries: Sequence[Improvement]) -> tuple[Theme, ...]:
    """The meaningful words used most, each counted once per entry."""
    counts: Counter[str] = Counter()
    for entry in entries:
        counts.update({w.lower() for w in _WORD.findall(entry.text)} - STOP_WORDS)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties: a to z
    return tuple(Theme(term, n) for term, n in ranked[:MAX_THEMES] if n > 1)


async def school_summary(
    store: Store, clock: Clock, school_id: int, words: str, *, department: str | None = None
) -> Summary:
    """The school's figures for the period `words` names, or one department's (the CLI's)."""
    async with store.transaction() as tx:
        school = await tx.schools.get(school_id)
        if school is None:
            raise SummaryRefused(texts.NO_SUCH_SCHOOL)
        scope = Scope("school", school.name, (school,))
        if department is not None:
            chosen = await tx.schools.department_named(school_id, department)
            if chosen is None:
                known = [d.name for d in await tx.schools.departments(school_id)]
                raise SummaryRefused(texts.unknown_department(department[:60], known))
            scope = Scope("department", chosen.name, (school,), (chosen,))
        today = local_date_at(clock.now(), school.timezone)
        rules = await tx.calendars.rules(school_id)
        return await summarise(tx, scope, parse_period(words, today, rules), today)


async def summarise(tx: Transaction, scope: Scope, period: Period, today: date) -> Summary:
    """The figures of a scope (departments, a school, a trust's schools) over a period."""
    before = period.previous()
    wanted = scope.department_ids
    people: list[Person] = []
    entries: list[Improvement] = []
    previous = 0
    groups: list[DepartmentFigures] = []
    on_streak = 0
    days: list[date] = []
    daily: dict[str, list[float]] = {}
    for school in scope.schools:
        here = [p for p in await tx.people.in_school(school.id) if takes_part(p, school)]
        logged = list(await tx.improvements.between(school.id, period.start, period.end))
        previous += await tx.improvements.count_between(school.id, before.start, before.end, wanted)
        if wanted is not None:
            here = [p for p in here if p.department_id in wanted]
            logged = [e for e in logged if e.department_id in wanted]
        calendar = TermCalendar(await tx.calendars.rules(school.id))
        on_streak += await _on_streak(tx, school.id, here, today, calendar)
        school_days = _school_days(period, min(today, period.end), calendar)
        days = days or school_days
        if scope.level == "trust":
            groups.append(_figures(school.name, here, logged))
            daily[school.name] = _daily(school_days, here, logged)
        else:
            departments = scope.departments or tuple(await tx.schools.departments(school.id))
            for d in departments:
                members = [p for p in here if p.department_id == d.id]
                groups.append(
                    _figures(d.name, members, [e for e in logged if e.department_id == d.id])
                )
                if len(departments) > 1:
                    daily[d.name] = _daily(school_days, members, logged)
            if len(departments) <= 1:
                daily[scope.label] = _daily(school_days, here, logged)
        people += here
        entries += logged
    entries.sort(key=lambda e: (e.local_date, e.id), reverse=True)
    return Summary(
        period=period,
        people=len(people),
        participants=_participants(people, entries),
        entries=len(entries),
        previous_entries=previous,
        departments=tuple(groups),
        themes=themes(entries),
        scope=scope.label,
        on_streak=on_streak,
        quotes=_quotes(entries),
        days=tuple(days),
        daily={name: tuple(values) for name, values in daily.items()},
    )


def _daily(
    days: Sequence[date], people: Sequence[Person], entries: Sequence[Improvement]
) -> list[float]:
    """Per school day, the share (0-100) of these people who logged that day."""
    ids = {p.id for p in people}
    by_day: dict[date, set[int]] = {}
    for entry in entries:
        if entry.person_id in ids:
            by_day.setdefault(entry.local_date, set()).add(entry.person_id)
    return [round(100 * len(by_day.get(d, ())) / len(ids), 1) if ids else 0.0 for d in days]


def _school_days(period: Period, last: date, calendar: TermCalendar) -> list[date]:
    days, day = [], period.start
    while day <= last:
        if calendar.is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def _on_streak(
    tx: Transaction, school_id: int, people: Sequence[Person], today: date, calendar: TermCalendar
) -> int:
    """How many of these people are on a run of STREAK_DAYS school days or more today."""
    since = today - _STREAK_WINDOW
    logged = await tx.improvements.days_logged(school_id, since, today)
    skipped = await tx.nudges.skipped_days(school_id, since, today)
    return sum(
        1
        for p in people
        if p.id in logged
        and streak(logged[p.id], today, calendar, excused=skipped.get(p.id, set())) >= STREAK_DAYS
    )


def _quotes(entries: Sequence[Improvement]) -> tuple[str, ...]:
    """Up to MAX_QUOTES people's newest words, one each: a taste, not a league table."""
    quoted: dict[int, str] = {}
    for entry in entries:
        if entry.person_id not in quoted:
            quoted[entry.person_id] = entry.text
        if len(quoted) == MAX_QUOTES:
            break
    return tuple(quoted.values())


def _participants(people: Sequence[Person], entries: Sequence[Improvement]) -> int:
    """Of the people asked, how many logged: someone who has since stopped or left still
    adds their entries, but not to the rate, which so never passes 100%."""
    asked = {p.id for p in people}
    return len({e.person_id for e in entries} & asked)


def _figures(
    name: str, people: Sequence[Person], entries: Sequence[Improvement]
) -> DepartmentFigures:
    return DepartmentFigures(name, len(people), _participants(people, entries), len(entries))
