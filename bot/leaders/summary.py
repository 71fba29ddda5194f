"""A school's summary for a period: who takes part, who logged, how it compares, by department,
and the words that keep coming up. The numbers of `tinysteps summary` (and of the leaders'
chat command, which builds on this)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot import texts
from bot.calendar.periods import Period, parse_period
from bot.calendar.zones import local_date_at
from bot.people.roster import takes_part
from bot.ports import Clock, Improvement, Person, Store
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

    @property
    def participation_rate(self) -> float:
        return round(self.participants / self.people, 3) if self.people else 0.0

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON: `period.start`/`end` as ISO dates, and the figures."""
        return {
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "people": self.people,
            "participants": self.participants,
            "participation_rate": self.participation_rate,
            "entries": self.entries,
            "previous_entries": self.previous_entries,
            "departments": [asdict(d) for d in self.departments],
            "themes": [asdict(t) for t in self.themes],
        }


def themes(entries: Sequence[Improvement]) -> tuple[Theme, ...]:
    """The meaningful words used most, each counted once per entry."""
    counts: Counter[str] = Counter()
    for entry in entries:
        words = {w.lower() for w in _WORD.findall(entry.text)}
        counts.update(w for w in words if w not in STOP_WORDS)
    return tuple(Theme(term, n) for term, n in counts.most_common(MAX_THEMES) if n > 1)


async def school_summary(
    store: Store, clock: Clock, school_id: int, words: str, *, department: str | None = None
) -> Summary:
    """The school's figures for the period `words` names, or one department's."""
    async with store.transaction() as tx:
        school = await tx.schools.get(school_id)
        if school is None:
            raise SummaryRefused(texts.NO_SUCH_SCHOOL)
        rules = await tx.calendars.rules(school_id)
        period = parse_period(words, local_date_at(clock.now(), school.timezone), rules)
        before = period.previous()
        people = [p for p in await tx.people.in_school(school_id) if takes_part(p, school)]
        entries = await tx.improvements.between(school_id, period.start, period.end)
        previous = await tx.improvements.between(school_id, before.start, before.end)
        departments = list(await tx.schools.departments(school_id))
        if department is not None:
            chosen = await tx.schools.department_named(school_id, department)
            if chosen is None:
                known = [d.name for d in departments]
                raise SummaryRefused(texts.unknown_department(department[:60], known))
            departments = [chosen]
            people = [p for p in people if p.department_id == chosen.id]
            entries = [e for e in entries if e.department_id == chosen.id]
            previous = [e for e in previous if e.department_id == chosen.id]
    return Summary(
        period=period,
        people=len(people),
        participants=len({e.person_id for e in entries}),
        entries=len(entries),
        previous_entries=len(previous),
        departments=tuple(_department(d.id, d.name, people, entries) for d in departments),
        themes=themes(entries),
    )


def _department(
    department_id: int, name: str, people: Sequence[Person], entries: Sequence[Improvement]
) -> DepartmentFigures:
    members = [p for p in people if p.department_id == department_id]
    logged = [e for e in entries if e.department_id == department_id]
    return DepartmentFigures(name, len(members), len({e.person_id for e in logged}), len(logged))
