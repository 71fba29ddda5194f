"""A school's summary for a period: who takes part, who logged, how it compares, by department,
and the words that keep coming up. The numbers of `tinysteps summary` (and of the leaders'
chat command, which builds on this)."""

from __future__ import annotations

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
from bot.evidence.taxonomy import taxonomy
from bot.leaders.access import Scope
from bot.people.roster import takes_part
from bot.ports import Clock, Person, Store, Tally, Transaction, WordRule
from bot.refusals import Refusal
from bot.sharing.report import StandoutFigures, standouts

MAX_THEMES = 10
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


# A theme's word: letters only, three or more of them, not a stop word.
WORDS = WordRule(min_length=3, stop_words=STOP_WORDS)


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
    quoted: tuple[int, ...] = ()  # their entries' ids, in the same order (to spotlight one)
    standouts: tuple[StandoutFigures, ...] = ()  # chosen in the period, and how far they went
    outcomes: dict[str, int] = field(default_factory=dict)  # "did it work?": keeping → 12
    taxonomy: tuple[Theme, ...] = ()  # entries per theme of the school's taxonomy, by name
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
            "standouts": [s.as_json() for s in self.standouts],
            "outcomes": self.outcomes,
            "taxonomy": [asdict(t) for t in self.taxonomy],
        }


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
    """The figures of a scope (departments, a school, a trust's schools) over a period.

    The database counts, for all the scope's schools at once: a trust's year of entries is
    never read row by row."""
    wanted = scope.department_ids
    school_ids = [school.id for school in scope.schools]
    asked: dict[int, list[Person]] = {}  # school → the people asked there
    for school in scope.schools:
        here = [p for p in await tx.people.in_school(school.id) if takes_part(p, school)]
        asked[school.id] = [p for p in here if wanted is None or p.department_id in wanted]
    people = [p for here in asked.values() for p in here]
    tally = await tx.improvements.tally(
        school_ids, period.start, period.end, people=[p.id for p in people], department_ids=wanted
    )
    counts = _by_school(tally)
    before = period.previous()
    on_streak = 0
    groups: list[DepartmentFigures] = []
    days: list[date] = []
    daily: dict[str, list[float]] = {}
    for school in scope.schools:
        here, tallied = asked[school.id], counts.get(school.id, _Counts())
        calendar = TermCalendar(await tx.calendars.rules(school.id))
        on_streak += await _on_streak(tx, school.id, here, today, calendar)
        school_days = _school_days(period, min(today, period.end), calendar)
        days = days or school_days
        if scope.level == "trust":
            groups.append(_figures(school.name, here, tallied))
            daily[school.name] = _daily(school_days, len(here), tallied)
            continue
        departments = scope.departments or tuple(await tx.schools.departments(school.id))
        for d in departments:
            members = [p for p in here if p.department_id == d.id]
            groups.append(_figures(d.name, members, tallied, d.id))
            if len(departments) > 1:
                daily[d.name] = _daily(school_days, len(members), tallied, d.id)
        if len(departments) <= 1:
            daily[scope.label] = _daily(school_days, len(here), tallied)
    words = await tx.improvements.frequent_words(
        school_ids, period.start, period.end, WORDS, department_ids=wanted, limit=MAX_THEMES
    )
    newest = await tx.improvements.newest_per_person(
        school_ids, period.start, period.end, department_ids=wanted, limit=MAX_QUOTES
    )
    logged = {person for _, person, _ in tally.entries}
    return Summary(
        period=period,
        people=len(people),
        # Of the people asked, how many logged: someone who has since stopped or left still
        # adds their entries, but not to the rate, which so never passes 100%.
        participants=len(logged & {p.id for p in people}),
        entries=sum(tally.entries.values()),
        previous_entries=await tx.improvements.count_between(
            school_ids, before.start, before.end, wanted
        ),
        departments=tuple(groups),
        themes=tuple(Theme(term, n) for term, n in words if n > 1),
        scope=scope.label,
        on_streak=on_streak,
        quotes=tuple(entry.text for entry in newest),
        quoted=tuple(entry.id for entry in newest),
        standouts=await standouts(tx, school_ids, period.start, period.end, wanted),
        taxonomy=await _taxonomy(tx, school_ids, period, wanted),
        outcomes={
            str(o): n
            for o, n in (
                await tx.improvements.outcomes(school_ids, period.start, period.end, wanted)
            ).items()
        },
        days=tuple(days),
        daily={name: tuple(values) for name, values in daily.items()},
    )


@dataclass(slots=True)
class _Counts:
    """One school's share of a tally."""

    entries: dict[tuple[int, int | None], int] = field(default_factory=dict)  # (person, dept)
    loggers: dict[tuple[date, int | None], int] = field(default_factory=dict)  # (day, dept)


def _by_school(tally: Tally) -> dict[int, _Counts]:
    counts: dict[int, _Counts] = {}
    for (school, person, department), n in tally.entries.items():
        counts.setdefault(school, _Counts()).entries[person, department] = n
    for (day, school, department), n in tally.loggers.items():
        counts.setdefault(school, _Counts()).loggers[day, department] = n
    return counts


async def _taxonomy(
    tx: Transaction, school_ids: list[int], period: Period, wanted: frozenset[int] | None
) -> tuple[Theme, ...]:
    """Entries per theme, named as the (first) school names them, most first."""
    counts = await tx.improvements.theme_counts(school_ids, period.start, period.end, wanted)
    names = {t.id: t.name for t in await taxonomy(tx, school_ids[0])} if school_ids else {}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Theme(names.get(key, key), n) for key, n in ranked)


def _daily(
    days: Sequence[date], people: int, counts: _Counts, department_id: int | None = None
) -> list[float]:
    """Per school day, the share (0-100) of a school's people (or one department's) who
    logged that day."""
    by_day: Counter[date] = Counter()
    for (day, department), n in counts.loggers.items():
        if department_id in (None, department):
            by_day[day] += n
    return [round(100 * by_day[d] / people, 1) if people else 0.0 for d in days]


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


def _figures(
    name: str, people: Sequence[Person], counts: _Counts, department_id: int | None = None
) -> DepartmentFigures:
    """A group's figures: its people, those of them who logged, and its entries (in one
    department, only those logged there)."""
    counted = [
        (person, n)
        for (person, department), n in counts.entries.items()
        if department_id in (None, department)
    ]
    took_part = {person for person, _ in counted} & {p.id for p in people}
    return DepartmentFigures(name, len(people), len(took_part), sum(n for _, n in counted))
