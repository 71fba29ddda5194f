"""The summary benchmark's data: a trust's schools, staff and three school years of entries.

Schools, departments, terms and half terms are made through the core's own repositories; the
bulk (people, improvements, nudges) is generated here, deterministically from a seed, and
loaded with PostgreSQL's COPY (or big executemany batches on SQLite).

Entries fall on school days only (weekdays in term, not a half term or an English bank
holiday). Each school day gets its share of the total, about a third of the staff take part
on a day (from ~27 % to ~45 %, a little more in later years), some people far more often than others,
a few log twice, and 0.5 % of rows are undone (`removed_at` set) so they must not count.
People who opted out or left logged until they did; guests never do; the paused are paused
since a week or so. Every person taking part has a nudge row per school day (answered, sent,
or now and then skipped, which excuses the day in a streak), as the scheduler would write.
Texts come from a small vocabulary of teaching phrases, with department-specific words, so
the themes mean something.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.calendar.schoolcal import TermCalendar
from bot.ports import CalendarRules, Closure, NudgeStatus, Role, Status, Term
from storage.models import ImprovementRow, NudgeRow, PersonRow, RoleAssignmentRow
from storage.store import SqlStore

TODAY = date(2026, 7, 15)  # a Wednesday near the end of the third school year's summer term
NOW = datetime(2026, 7, 15, 16, 0, tzinfo=UTC)
TRUST = "Northern Lights Trust"
DEPARTMENTS = ("English", "Maths", "Science", "Humanities", "Languages", "Arts")
_DEPARTMENT_SHARE = (0.22, 0.22, 0.2, 0.14, 0.12, 0.1)
NO_DEPARTMENT = 0.02  # share of staff in no department

TERMS = (
    Term(date(2023, 9, 4), date(2023, 12, 20), "Autumn 2023"),
    Term(date(2024, 1, 4), date(2024, 3, 28), "Spring 2024"),
    Term(date(2024, 4, 15), date(2024, 7, 23), "Summer 2024"),
    Term(date(2024, 9, 3), date(2024, 12, 20), "Autumn 2024"),
    Term(date(2025, 1, 6), date(2025, 4, 4), "Spring 2025"),
    Term(date(2025, 4, 22), date(2025, 7, 22), "Summer 2025"),
    Term(date(2025, 9, 3), date(2025, 12, 19), "Autumn 2025"),
    Term(date(2026, 1, 5), date(2026, 3, 27), "Spring 2026"),
    Term(date(2026, 4, 13), date(2026, 7, 21), "Summer 2026"),
)
HALF_TERMS = tuple(
    Closure(date.fromisoformat(start), date.fromisoformat(end), "Half term")
    for start, end in (
        ("2023-10-23", "2023-10-27"),
        ("2024-02-12", "2024-02-16"),
        ("2024-05-27", "2024-05-31"),
        ("2024-10-28", "2024-11-01"),
        ("2025-02-17", "2025-02-21"),
        ("2025-05-26", "2025-05-30"),
        ("2025-10-27", "2025-10-31"),
        ("2026-02-16", "2026-02-20"),
        ("2026-05-25", "2026-05-29"),
    )
)
RULES = CalendarRules(terms=TERMS, closures=HALF_TERMS)  # England's bank holidays by default


@dataclass(frozen=True, slots=True)
class Shape:
    schools: int
    staff: int  # per school
    departments: int  # per school, at most len(DEPARTMENTS)
    entries: int  # improvement rows in all, undone ones included
    seed: int = 20260715


TRUST_SHAPE = Shape(schools=50, staff=100, departments=6, entries=1_000_000)
SQLITE_SHAPE = Shape(schools=1, staff=200, departments=6, entries=50_000)

# --- the words ----------------------------------------------------------------------------

_OPENERS = (
    "Tried",
    "Used",
    "Started",
    "Introduced",
    "Kept up",
    "Modelled",
    "Experimented with",
    "Did more",
    "Went back to",
    "Planned around",
)
# Strategies, most popular first (picked with Zipf-like weights, so themes have a clear order).
_STRATEGIES = (
    "cold calling",
    "mini whiteboards",
    "retrieval practice",
    "exit tickets",
    "worked examples",
    "think pair share",
    "targeted questioning",
    "live modelling",
    "peer feedback",
    "low stakes quizzes",
    "wait time",
    "hinge questions",
    "success criteria",
    "verbal feedback",
    "dual coding",
    "knowledge organisers",
    "seating plans",
    "vocabulary starters",
    "scaffolded writing",
    "silent reading",
    "group roles",
    "choral response",
    "spaced homework",
    "misconception checks",
)
_SUBJECT_WORDS = (
    (
        "with the poetry anthology",
        "for essay planning",
        "in the Macbeth unit",
        "on persuasive writing",
    ),
    ("in the fractions topic", "for algebra revision", "with simultaneous equations", "on ratio"),
    ("in the chemistry practical", "on forces", "for the photosynthesis unit", "with circuits"),
    ("in the Tudors topic", "for map skills", "on the Cold War", "in the ethics unit"),
    ("for French vocabulary", "in Spanish listening", "on German grammar", "for oral practice"),
    (
        "in the ceramics project",
        "for the drama rehearsal",
        "in music composition",
        "on sketchbooks",
    ),
)
_GROUPS = (
    "with Year 7",
    "with Year 8",
    "with Year 9",
    "with Year 10",
    "with Year 11",
    "with the sixth form",
    "with my tutor group",
    "with the intervention group",
)
_OUTCOMES = (
    "",
    "",
    "",
    " and the students engaged more",
    " which helped the quieter pupils",
    " so everyone had a go",
    " and behaviour was calmer",
    " and it really worked",
    " which saved marking time",
    " and the pace felt better",
)


def _texts(rng: random.Random, department: int, size: int) -> list[str]:
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(_STRATEGIES))]
    pool = []
    for _ in range(size):
        strategy = rng.choices(_STRATEGIES, weights)[0]
        where = rng.choice(_SUBJECT_WORDS[department] + _GROUPS)
        pool.append(f"{rng.choice(_OPENERS)} {strategy} {where}{rng.choice(_OUTCOMES)}")
    return pool


_FIRST = ("Sam", "Alex", "Priya", "Tom", "Aisha", "Jo", "Chris", "Nia", "Ben", "Maya", "Luke")
_LAST = ("Patel", "Smith", "Jones", "Khan", "Evans", "Brown", "Taylor", "Ahmed", "Walsh", "Reid")

# --- people -------------------------------------------------------------------------------


@dataclass(slots=True)
class Teacher:
    id: int
    school: int  # index into the schools
    department: int | None  # index into the school's departments
    status: Status
    guest: bool
    weight: float  # how keen: 0 never logs
    until: date  # nudged and logging until this day (opted out or left after it)
    paused_from: date | None = None
    earlier_department: int | None = None  # before MOVED, their entries carried this one

    def nudged_on(self, day: date) -> bool:
        if self.guest or day > self.until:
            return False
        return self.paused_from is None or day < self.paused_from


MOVED = date(2025, 9, 1)  # a few people changed department at the start of the third year
SECOND_ENTRIES = 1.02  # entries per person-day logged: now and then someone logs twice


def teachers(shape: Shape, rng: random.Random, first_day: date) -> list[Teacher]:
    """Everyone, their keenness and status; ids from 1, school by school."""
    staff: list[Teacher] = []
    span = (TODAY - first_day).days
    culture = [rng.uniform(0.7, 1.3) for _ in range(shape.schools)]  # schools differ
    shares = _DEPARTMENT_SHARE[: shape.departments]
    for school in range(shape.schools):
        for _ in range(shape.staff):
            roll = rng.random()
            status, until, paused = Status.ACTIVE, TODAY, None
            if roll < 0.02:
                status, until = Status.OPTED_OUT, first_day + timedelta(days=rng.randrange(span))
            elif roll < 0.04:
                status, until = Status.LEFT, first_day + timedelta(days=rng.randrange(span))
            elif roll < 0.07:
                status, paused = Status.PAUSED, TODAY - timedelta(days=rng.randrange(5, 12))
            guest = rng.random() < 0.01
            department = None
            if rng.random() >= NO_DEPARTMENT:
                department = rng.choices(range(shape.departments), shares)[0]
            earlier = None
            if department is not None and rng.random() < 0.03:
                earlier = rng.randrange(shape.departments)
            keen = 0.0 if guest else culture[school] * rng.betavariate(1.4, 1.6)
            staff.append(
                Teacher(
                    len(staff) + 1, school, department, status, guest, keen, until, paused, earlier
                )
            )
    return staff


def school_days(first: date, last: date) -> list[date]:
    calendar = TermCalendar(RULES)
    days, day = [], first
    while day <= last:
        if calendar.is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


# --- rows ---------------------------------------------------------------------------------

PERSON_COLUMNS = (
    "id",
    "school_id",
    "department_id",
    "platform",
    "workspace_id",
    "user_id",
    "display_name",
    "timezone",
    "status",
    "paused_until",
    "nudge_time",
    "welcomed_at",
    "created_at",
    "weekly_note",
    "guest",
)
ROLE_COLUMNS = ("person_id", "school_id", "role")
IMPROVEMENT_COLUMNS = (
    "id",
    "person_id",
    "school_id",
    "department_id",
    "text",
    "local_date",
    "created_at",
    "updated_at",
    "removed_at",
    "source_message_id",
)
NUDGE_COLUMNS = ("id", "person_id", "school_id", "local_date", "due_at", "status", "message_id")


@dataclass(frozen=True, slots=True)
class Ids:
    """The database ids of what the core created: the trust, its schools, their departments."""

    organisation: int | None
    schools: Sequence[int]
    departments: Sequence[Sequence[int]]


def person_rows(staff: Sequence[Teacher], ids: Ids) -> list[tuple[Any, ...]]:
    joined = datetime(2023, 9, 1, 8, 0, tzinfo=UTC)
    rows = []
    for t in staff:
        school = ids.schools[t.school]
        department = None if t.department is None else ids.departments[t.school][t.department]
        name = f"{_FIRST[t.id % len(_FIRST)]} {_LAST[t.id // len(_FIRST) % len(_LAST)]} {t.id}"
        paused_until = TODAY + timedelta(days=20) if t.paused_from else None
        rows.append(
            (
                t.id,
                school,
                department,
                "slack",
                f"T{school:05d}",
                f"U{t.id:07d}",
                name,
                None,
                str(t.status),
                paused_until,
                None,
                joined,
                joined,
                True,
                t.guest,
            )
        )
    return rows


def role_rows(staff: Sequence[Teacher], ids: Ids) -> list[tuple[Any, ...]]:
    """An admin and three leaders in each school (the first four people)."""
    rows, seen = [], dict[int, int]()
    for t in staff:
        n = seen.get(t.school, 0)
        if n < 4:
            role = Role.ADMIN if n == 0 else Role.LEADER
            rows.append((t.id, ids.schools[t.school], str(role)))
        seen[t.school] = n + 1
    return rows


@dataclass(slots=True)
class Batch:
    improvements: list[tuple[Any, ...]] = field(default_factory=list)
    nudges: list[tuple[Any, ...]] = field(default_factory=list)


def activity(
    shape: Shape, staff: Sequence[Teacher], days: Sequence[date], ids: Ids, rng: random.Random
) -> Iterator[tuple[date, Batch]]:
    """Each school day's improvements and nudges, oldest day first; exactly `shape.entries`
    improvement rows in all."""
    pools = [_texts(rng, d, 400) for d in range(shape.departments)]
    minutes = [timedelta(minutes=m, seconds=m % 59) for m in range(360)]
    first_year_end = days[0].replace(year=days[0].year + 1)
    weights = []
    for day in days:
        growth = 0.95 if day < first_year_end else 1.0 if day < MOVED else 1.05
        friday = 0.92 if day.weekday() == 4 else 1.0
        weights.append(rng.uniform(0.88, 1.12) * growth * friday)
    total = sum(weights)
    entry_id, nudge_id, made, running = 0, 0, 0, 0.0
    inverse = [1 / t.weight if t.weight > 0 else 0.0 for t in staff]
    for day, weight in zip(days, weights, strict=True):
        running += weight
        budget = round(shape.entries * running / total) - made
        made += budget
        batch = Batch()
        nudged = [n for n, t in enumerate(staff) if t.nudged_on(day)]
        keen = [n for n in nudged if inverse[n]]
        picks = min(len(keen), round(budget / SECOND_ENTRIES))
        # Weighted sampling without replacement (Efraimidis-Spirakis): keys u ** (1 / w).
        chosen = heapq.nlargest(picks, keen, key=lambda n: rng.random() ** inverse[n])
        authors = chosen + (rng.choices(chosen, k=budget - picks) if chosen else [])
        authors.sort()
        base = datetime.combine(day, clock_time(14, 0), UTC)
        for n in authors:
            t = staff[n]
            entry_id += 1
            department = t.department
            if t.earlier_department is not None and day < MOVED:
                department = t.earlier_department
            at = base + minutes[rng.randrange(360)]
            removed = at + timedelta(minutes=2) if rng.random() < 0.005 else None
            pool = pools[department if department is not None else rng.randrange(len(pools))]
            batch.improvements.append(
                (
                    entry_id,
                    t.id,
                    ids.schools[t.school],
                    None if department is None else ids.departments[t.school][department],
                    pool[rng.randrange(len(pool))],
                    day,
                    at,
                    at,
                    removed,
                    None,
                )
            )
        answered = set(chosen)
        due = datetime.combine(day, clock_time(14, 30), UTC)
        for n in nudged:
            if n in answered:
                status = NudgeStatus.ANSWERED
            else:
                roll = rng.random()
                status = (
                    NudgeStatus.SKIPPED
                    if roll < 0.05
                    else NudgeStatus.FAILED
                    if roll < 0.055
                    else NudgeStatus.SENT
                )
            nudge_id += 1
            batch.nudges.append(
                (nudge_id, staff[n].id, ids.schools[staff[n].school], day, due, str(status), None)
            )
        yield day, batch


# --- building a database ------------------------------------------------------------------


async def create_schools(store: SqlStore, shape: Shape) -> Ids:
    """The trust, its schools, departments, terms and half terms, through the core."""
    schools: list[int] = []
    departments: list[list[int]] = []
    async with store.transaction() as tx:
        trust = await tx.schools.add_organisation(TRUST) if shape.schools > 1 else None
        for n in range(shape.schools):
            school = await tx.schools.create(
                f"School {n + 1:02d}", timezone="Europe/London", organisation_id=trust
            )
            schools.append(school.id)
            departments.append(
                [
                    (await tx.schools.add_department(school.id, name)).id
                    for name in DEPARTMENTS[: shape.departments]
                ]
            )
            await tx.calendars.add_terms(school.id, TERMS)
            await tx.calendars.add_closures(school.id, HALF_TERMS)
    return Ids(trust, schools, departments)


Progress = Callable[[int, int, float], None]


def _print_progress(entries: int, nudges: int, seconds: float) -> None:
    print(f"  … {entries:>9,} entries, {nudges:>9,} nudges  ({seconds:5.1f} s)", flush=True)


async def fill_postgres(
    connection: Any, shape: Shape, ids: Ids, progress: Progress = _print_progress
) -> tuple[int, int]:
    """People, roles, improvements and nudges by COPY on an asyncpg connection; returns
    (improvement rows, nudge rows). Foreign-key triggers are off during the load (the rows
    are consistent by construction), as for any bulk load; the tables are analysed after."""
    started = time.perf_counter()
    rng = random.Random(shape.seed)
    days = school_days(TERMS[0].start, TODAY)
    staff = teachers(shape, rng, days[0])
    try:
        await connection.execute("SET session_replication_role = replica")
    except asyncpg.InsufficientPrivilegeError:
        print("  (not a superuser: loading with foreign-key checks on, which is slower)")
    await connection.execute("SET synchronous_commit = off")
    await connection.copy_records_to_table(
        "person", records=person_rows(staff, ids), columns=PERSON_COLUMNS
    )
    await connection.copy_records_to_table(
        "role_assignment", records=role_rows(staff, ids), columns=ROLE_COLUMNS
    )
    entries, nudges = 0, 0
    pending = Batch()
    shown = 0
    for day, batch in activity(shape, staff, days, ids, rng):
        last = day == days[-1]
        pending.improvements += batch.improvements
        pending.nudges += batch.nudges
        if len(pending.improvements) >= 50_000 or len(pending.nudges) >= 150_000 or last:
            await connection.copy_records_to_table(
                "improvement", records=pending.improvements, columns=IMPROVEMENT_COLUMNS
            )
            await connection.copy_records_to_table(
                "nudge", records=pending.nudges, columns=NUDGE_COLUMNS
            )
            entries += len(pending.improvements)
            nudges += len(pending.nudges)
            pending = Batch()
            if entries - shown >= 100_000 or last:
                progress(entries, nudges, time.perf_counter() - started)
                shown = entries
    await connection.execute("RESET session_replication_role")
    for table in ("person", "improvement", "nudge"):
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
        )
    await connection.execute("VACUUM ANALYZE")
    return entries, nudges


async def fill_sqlite(engine: AsyncEngine, shape: Shape, ids: Ids) -> tuple[int, int]:
    """The same rows on SQLite, in batches of executemany."""
    rng = random.Random(shape.seed)
    days = school_days(TERMS[0].start, TODAY)
    staff = teachers(shape, rng, days[0])

    def dicts(columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        return [dict(zip(columns, row, strict=True)) for row in rows]

    entries, nudges = 0, 0
    async with engine.begin() as connection:
        await connection.execute(insert(PersonRow), dicts(PERSON_COLUMNS, person_rows(staff, ids)))
        await connection.execute(
            insert(RoleAssignmentRow), dicts(ROLE_COLUMNS, role_rows(staff, ids))
        )
        pending = Batch()
        for day, batch in activity(shape, staff, days, ids, rng):
            pending.improvements += batch.improvements
            pending.nudges += batch.nudges
            if len(pending.nudges) >= 20_000 or day == days[-1]:
                if pending.improvements:
                    await connection.execute(
                        insert(ImprovementRow),
                        dicts(IMPROVEMENT_COLUMNS, pending.improvements),
                    )
                if pending.nudges:
                    await connection.execute(insert(NudgeRow), dicts(NUDGE_COLUMNS, pending.nudges))
                entries += len(pending.improvements)
                nudges += len(pending.nudges)
                pending = Batch()
        await connection.exec_driver_sql("ANALYZE")
    return entries, nudges
