"""Leaders' summaries over a trust's three school years, against hand-written SQL.

PostgreSQL, in a database of its own (created, migrated, dropped): a trust of 50 schools,
5,000 staff in 6 departments per school, 1,000,000 improvement rows and ~2.8 million nudges
over three school years (bench/summary_data.py says how they are made). Timed through the
core, each run in a fresh transaction, best of 3 after a warm-up:

  (a) `school_summary(…, "this term")`: one school, the term on its calendar (real terms
      added with `tx.calendars.add_terms`), department by department;
  (b) `summarise` for the trust (every school) over the 12 months to today, given as an
      explicit `YYYY-MM-DD to YYYY-MM-DD` range, school by school.

The baseline (bench/summary_baseline.py) computes the same figures in SQL on one asyncpg
connection, best of 3 too. Its headline numbers must equal the core's, or the run fails; the
rest (departments, daily chart, streaks, themes, quotes) is compared and reported. Target:
Tiny Steps / baseline <= 1.5. Then SQLite: one school of 200 staff and 50,000 entries, the
"this term" summary through the core in under a second.

`python -m bench --only summary` (`--entries N` for a smaller, quicker trial). It is not part
of the default `python -m bench`: about four minutes here, it would take that past ten.
"""

from __future__ import annotations

import asyncio
import resource
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

# Before bot.leaders.summary, which can't be imported first (a cycle through bot.conversation).
import bot.conversation  # noqa: F401
from bench import summary_baseline
from bench.summary_data import (
    NOW,
    RULES,
    SQLITE_SHAPE,
    TODAY,
    TRUST,
    TRUST_SHAPE,
    Shape,
    create_schools,
    fill_postgres,
    fill_sqlite,
)
from bot.calendar.periods import Period, parse_period
from bot.clock import FixedClock
from bot.leaders.access import Scope
from bot.leaders.summary import Summary, Theme, school_summary, summarise
from bot.ports import CalendarRules
from storage import migrate
from storage.engine import create_engine
from storage.store import SqlStore

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
RUNS = 3
TARGET = 1.5
SQLITE_TARGET = 1.0  # seconds
THIS_TERM = "this term"
LAST_YEAR = f"{TODAY.replace(year=TODAY.year - 1) + timedelta(days=1)} to {TODAY}"


class FiguresDiffer(AssertionError):
    """The baseline and the core disagree on a headline number: the timing means nothing."""


async def best_of[T](job: Callable[[], Awaitable[T]], runs: int = RUNS) -> tuple[float, T]:
    """One warm-up, then the best of `runs` timed runs, and the last run's result."""
    result = await job()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = await job()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    baseline: float
    tinysteps: float
    agreement: list[str]

    @property
    def ratio(self) -> float:
        return self.tinysteps / self.baseline


def compare(ours: Summary, theirs: Summary) -> list[str]:
    """What else agrees; raises FiguresDiffer when a headline number does not."""
    headline = ("people", "participants", "entries", "previous_entries")
    wrong = [
        f"{name}: Tiny Steps {getattr(ours, name):,}, baseline {getattr(theirs, name):,}"
        for name in headline
        if getattr(ours, name) != getattr(theirs, name)
    ]
    if wrong:
        raise FiguresDiffer("headline figures differ: " + "; ".join(wrong))
    notes = []
    for name in ("departments", "days", "daily", "on_streak", "themes", "quotes"):
        same = getattr(ours, name) == getattr(theirs, name)
        if name == "themes" and not same and _same_themes(ours.themes, theirs.themes):
            notes.append("themes agree (equal counts in another order)")
            continue
        notes.append(f"{name} {'agree' if same else 'DIFFER'}")
        if not same:
            print(f"    {name}: Tiny Steps {getattr(ours, name)!r}")
            print(f"    {name}: baseline   {getattr(theirs, name)!r}")
    return notes


def _same_themes(ours: Sequence[Theme], theirs: Sequence[Theme]) -> bool:
    """The same words and counts, but for the order of equal counts and which of the words
    tied for the last place made the cut (both sort ties by name, but collations differ)."""
    if [t.count for t in ours] != [t.count for t in theirs]:
        return False
    cut = min((t.count for t in ours), default=0)
    above = [{(t.term, t.count) for t in themes if t.count > cut} for themes in (ours, theirs)]
    return above[0] == above[1]


def describe(summary: Summary) -> str:
    themes = ", ".join(f"{t.term} {t.count:,}" for t in summary.themes[:5])
    return (
        f"{summary.people:,} people, {summary.participants:,} took part, "
        f"{summary.entries:,} entries (before: {summary.previous_entries:,}), "
        f"{summary.on_streak:,} on a streak; themes: {themes} …"
    )


async def postgres(url: str, shape: Shape) -> list[Scenario] | None:
    """The two scenarios, or None when PostgreSQL can't be reached."""
    server = url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"tinysteps_bench_{uuid.uuid4().hex[:10]}"
    database = url.rsplit("/", 1)[0] + f"/{name}"
    dsn = database.replace("postgresql+asyncpg://", "postgresql://")
    try:
        admin = await asyncpg.connect(server, timeout=10)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        print(f"PostgreSQL at {url} could not be reached ({error}): summary NOT measured there")
        return None
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    engine = create_engine(database)
    try:
        return await _postgres(engine, dsn, shape, name)
    finally:
        await engine.dispose()
        admin = await asyncpg.connect(server)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _postgres(engine: AsyncEngine, dsn: str, shape: Shape, name: str) -> list[Scenario]:
    print(
        f"Leaders' summary on PostgreSQL (database {name}): {shape.schools} schools, "
        f"{shape.schools * shape.staff:,} staff, {shape.entries:,} entries over three school years"
    )
    started = time.perf_counter()
    await migrate.upgrade(engine)
    store = SqlStore(engine)
    ids = await create_schools(store, shape)
    loader = await asyncpg.connect(dsn)
    try:
        entries, nudges = await fill_postgres(loader, shape, ids)
    finally:
        await loader.close()
    print(
        f"  made {entries:,} entries and {nudges:,} nudges in {time.perf_counter() - started:.0f} s"
        f" (peak RSS so far {peak_rss_mb():,.0f} MB)"
    )
    assert ids.organisation is not None
    organisation, school_id = ids.organisation, ids.schools[0]
    clock = FixedClock(NOW)
    term = parse_period(THIS_TERM, TODAY, RULES)
    year = parse_period(LAST_YEAR, TODAY, CalendarRules())

    async def ours_school() -> Summary:
        return await school_summary(store, clock, school_id, THIS_TERM)

    async def ours_trust() -> Summary:
        async with store.transaction() as tx:
            schools = tuple(await tx.schools.in_organisation(organisation))
            period = parse_period(LAST_YEAR, TODAY, CalendarRules())
            return await summarise(tx, Scope("trust", TRUST, schools), period, TODAY)

    connection = await asyncpg.connect(dsn, server_settings=summary_baseline.SETTINGS)
    try:

        async def theirs_school() -> Summary:
            async with connection.transaction():
                return await summary_baseline.school(connection, school_id, term, TODAY)

        async def theirs_trust() -> Summary:
            async with connection.transaction():
                return await summary_baseline.trust(connection, organisation, year, TODAY)

        scenarios = []
        for label, period, theirs, ours in (
            ("school, this term", term, theirs_school, ours_school),
            ("trust, last 12 months", year, theirs_trust, ours_trust),
        ):
            baseline, expected = await best_of(theirs)
            after_baseline = peak_rss_mb()
            tinysteps, got = await best_of(ours)
            print(f"  {label} ({_span(period)}): {describe(got)}")
            print(
                f"    peak RSS: {after_baseline:,.0f} MB after the baseline, "
                f"{peak_rss_mb():,.0f} MB after Tiny Steps"
            )
            scenarios.append(Scenario(label, baseline, tinysteps, compare(got, expected)))
    finally:
        await connection.close()
    return scenarios


def _span(period: Period) -> str:
    return f"{period.start} to {period.end}"


async def sqlite(shape: Shape) -> float:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/summary.db")
        try:
            await migrate.upgrade(engine)
            store = SqlStore(engine)
            ids = await create_schools(store, shape)
            entries, _ = await fill_sqlite(engine, shape, ids)
            clock = FixedClock(NOW)

            async def ours() -> Summary:
                return await school_summary(store, clock, ids.schools[0], THIS_TERM)

            seconds, got = await best_of(ours)
        finally:
            await engine.dispose()
    print(f"SQLite: one school of {shape.staff} staff, {entries:,} entries over three school years")
    print(f"  school, this term: {describe(got)}")
    return seconds


async def run(postgres_url: str = POSTGRES_URL, entries: int | None = None) -> bool:
    shape = TRUST_SHAPE if entries is None else _scaled(TRUST_SHAPE, entries)
    started = time.perf_counter()
    scenarios = await postgres(postgres_url, shape)
    ok = scenarios is not None
    small = SQLITE_SHAPE if entries is None else _scaled(SQLITE_SHAPE, entries // 20)
    local = await sqlite(small)
    if scenarios:
        print(f"  {'scenario':<24}{'baseline SQL':>14}{'Tiny Steps':>12}{'ratio':>8}  target")
        for s in scenarios:
            met = s.ratio <= TARGET
            ok &= met
            print(
                f"  {s.name:<24}{s.baseline:>12.3f} s{s.tinysteps:>10.3f} s{s.ratio:>8.2f}"
                f"  <= {TARGET} -> {'met' if met else 'MISSED'}"
            )
        for s in scenarios:
            print(f"  {s.name}: {', '.join(s.agreement)} (headline figures equal)")
    met = local < SQLITE_TARGET
    ok &= met
    print(
        f"  SQLite, school, this term: {local:.3f} s (target < {SQLITE_TARGET:g} s) -> "
        f"{'met' if met else 'MISSED'}"
    )
    print(
        f"  peak RSS of the process: {peak_rss_mb():,.0f} MB; "
        f"summary benchmark took {time.perf_counter() - started:.0f} s"
    )
    return ok


def _scaled(shape: Shape, entries: int) -> Shape:
    return Shape(shape.schools, shape.staff, shape.departments, entries, shape.seed)


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(run()) else 1)
