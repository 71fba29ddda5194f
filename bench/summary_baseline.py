"""The summary benchmark's baseline: the same figures as `summarise`, in hand-written SQL on
one asyncpg connection, as a developer who skipped the core would write them for PostgreSQL.

Everything that counts rows is done by the database: people, entries and participants per
department (or school) and in all in one scan with GROUPING SETS, the previous period's count,
daily distinct loggers per group, streaks (logged days since each person's last school day
neither logged nor excused), the themes with regexp_split_to_table, each word once per entry,
stop words left out, and the newest entries for the quotes. The only
Python is the school calendar (public holidays come from the `holidays` library, which SQL
does not have) and turning per-day counts into the chart's percentages. The connection is
opened with SETTINGS.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

# Before bot.leaders.summary, which can't be imported first (a cycle through bot.conversation).
import bot.conversation  # noqa: F401
from bot.calendar.periods import Period
from bot.calendar.schoolcal import TermCalendar
from bot.leaders.summary import (
    _STREAK_WINDOW,
    MAX_QUOTES,
    MAX_THEMES,
    STOP_WORDS,
    STREAK_DAYS,
    DepartmentFigures,
    Summary,
    Theme,
)
from bot.people.roster import NOT_TAKING_PART
from bot.ports import CalendarRules, Closure, Term

# Plan every run for its own parameters: after five runs of a prepared statement PostgreSQL
# may switch to a generic plan, three times slower here for the daily and themes queries.
SETTINGS = {"plan_cache_mode": "force_custom_plan"}

_STOP = sorted(STOP_WORDS)
_LEFT_OUT = sorted(str(s) for s in NOT_TAKING_PART)

# People taking part: not stopped, invited or gone, and not a guest where guests are left out.
_TAKES_PART = "p.status <> ALL($2::text[]) AND (s.guests OR NOT p.guest)"

_PEOPLE = f"""
SELECT p.school_id, p.department_id, count(*)::int
FROM person p JOIN school s ON s.id = p.school_id
WHERE p.school_id = ANY($1::int[]) AND {_TAKES_PART}
GROUP BY p.school_id, p.department_id
"""

# One scan: per group (department or school) and in all. {group} is one of two column names.
# Participants are people taking part who logged: in a group, its own members who logged there.
_ENTRIES = f"""
SELECT e.{{group}}, count(*)::int,
  count(DISTINCT e.person_id) FILTER (
    WHERE {_TAKES_PART.replace("$2", "$4")} AND p.{{group}} IS NOT DISTINCT FROM e.{{group}}
  )::int,
  count(DISTINCT e.person_id) FILTER (WHERE {_TAKES_PART.replace("$2", "$4")})::int,
  GROUPING(e.{{group}})
FROM improvement e
JOIN person p ON p.id = e.person_id
JOIN school s ON s.id = p.school_id
WHERE e.school_id = ANY($1::int[]) AND e.local_date BETWEEN $2 AND $3 AND e.removed_at IS NULL
GROUP BY GROUPING SETS ((e.{{group}}), ())
"""

_COUNT = """
SELECT count(*)::int FROM improvement
WHERE school_id = ANY($1::int[]) AND local_date BETWEEN $2 AND $3 AND removed_at IS NULL
"""

# People who logged each day, by the group they are in now (department, or school).
_DAILY = f"""
SELECT p.{{group}}, e.local_date, count(DISTINCT e.person_id)::int
FROM improvement e
JOIN person p ON p.id = e.person_id AND p.school_id = e.school_id
JOIN school s ON s.id = p.school_id
WHERE e.school_id = ANY($1::int[]) AND e.local_date BETWEEN $3 AND $4
  AND e.removed_at IS NULL AND {_TAKES_PART}
GROUP BY p.{{group}}, e.local_date
"""

# A streak: logged days since the last school day that was neither logged nor excused (a
# skipped nudge), counting from today, or from yesterday while today is still open.
_STREAK = f"""
WITH logged AS (
    SELECT DISTINCT person_id, local_date FROM improvement
    WHERE school_id = ANY($1::int[]) AND local_date BETWEEN $3 AND $4 AND removed_at IS NULL
), excused AS (
    SELECT person_id, local_date FROM nudge
    WHERE school_id = ANY($1::int[]) AND local_date BETWEEN $3 AND $4 AND status = 'skipped'
), school_days AS (
    SELECT * FROM unnest($5::int[], $6::date[]) AS d(school_id, day)
), people AS (
    SELECT p.id, p.school_id, CASE WHEN l.person_id IS NULL THEN $4 - 1 ELSE $4 END AS start
    FROM person p JOIN school s ON s.id = p.school_id
    LEFT JOIN logged l ON l.person_id = p.id AND l.local_date = $4
    WHERE p.school_id = ANY($1::int[]) AND {_TAKES_PART}
), breaks AS (
    SELECT p.id, max(d.day) AS day
    FROM people p
    JOIN school_days d ON d.school_id = p.school_id AND d.day <= p.start
    LEFT JOIN logged l ON l.person_id = p.id AND l.local_date = d.day
    LEFT JOIN excused x ON x.person_id = p.id AND x.local_date = d.day
    WHERE l.person_id IS NULL AND x.person_id IS NULL
    GROUP BY p.id
)
SELECT count(*)::int FROM (
    SELECT p.id
    FROM people p
    LEFT JOIN breaks b ON b.id = p.id
    JOIN logged l ON l.person_id = p.id
        AND l.local_date > coalesce(b.day, $3 - 1) AND l.local_date <= p.start
    GROUP BY p.id
    HAVING count(*) >= {STREAK_DAYS}
) AS on_streak
"""

# Words of three letters or more, lower-cased, once per entry, without the stop words.
_THEMES = f"""
SELECT w, count(*)::int AS n
FROM improvement e
CROSS JOIN LATERAL (
    SELECT DISTINCT w FROM regexp_split_to_table(lower(e.text), '[^[:alpha:]]+') AS w
) AS words
WHERE e.school_id = ANY($1::int[]) AND e.local_date BETWEEN $2 AND $3
  AND e.removed_at IS NULL AND length(w) >= 3 AND w <> ALL($4::text[])
GROUP BY w
ORDER BY n DESC, w
LIMIT {MAX_THEMES}
"""

# The newest entries: each school's newest by its (school_id, local_date) index, then merged.
_NEWEST = """
SELECT q.person_id, q.text
FROM unnest($1::int[]) AS s(id)
CROSS JOIN LATERAL (
    SELECT person_id, text, local_date, id FROM improvement
    WHERE school_id = s.id AND local_date BETWEEN $2 AND $3 AND removed_at IS NULL
    ORDER BY local_date DESC, id DESC
    LIMIT $4
) AS q
ORDER BY q.local_date DESC, q.id DESC
LIMIT $4
"""

_CALENDARS = """
SELECT s.id, s.nudge_days, s.country, s.subdivision,
       coalesce((SELECT array_agg(ARRAY[t.start_date, t.end_date] ORDER BY t.start_date)
                 FROM school_term t WHERE t.school_id = s.id), '{}'),
       coalesce((SELECT array_agg(ARRAY[c.start_date, c.end_date] ORDER BY c.start_date)
                 FROM school_closure c WHERE c.school_id = s.id), '{}')
FROM school s WHERE s.id = ANY($1::int[])
"""


async def _calendars(connection: Any, school_ids: list[int]) -> dict[int, TermCalendar]:
    found: dict[int, TermCalendar] = {}
    shared: dict[CalendarRules, TermCalendar] = {}  # schools with the same rules share one
    for school_id, days, country, subdivision, terms, closures in await connection.fetch(
        _CALENDARS, school_ids
    ):
        rules = CalendarRules(
            weekdays=frozenset(int(d) for d in days),
            country=country,
            subdivision=subdivision,
            terms=tuple(Term(start, end) for start, end in terms),
            closures=tuple(Closure(start, end) for start, end in closures),
        )
        found[school_id] = shared.setdefault(rules, TermCalendar(rules))
    return found


def _school_days(calendar: TermCalendar, first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if calendar.is_school_day(first + timedelta(days=n))
    ]


async def school(connection: Any, school_id: int, period: Period, today: date) -> Summary:
    """A school's summary, department by department."""
    name = await connection.fetchval("SELECT name FROM school WHERE id = $1", school_id)
    departments = await connection.fetch(
        "SELECT id, name FROM department WHERE school_id = $1 AND removed_at IS NULL ORDER BY name",
        school_id,
    )
    groups = [(row["id"], row["name"]) for row in departments]
    return await _summary(connection, name, [school_id], groups, period, today, by_school=False)


async def trust(connection: Any, organisation_id: int, period: Period, today: date) -> Summary:
    """A trust's summary, school by school."""
    name = await connection.fetchval("SELECT name FROM organisation WHERE id = $1", organisation_id)
    schools = await connection.fetch(
        "SELECT id, name FROM school WHERE organisation_id = $1 ORDER BY name", organisation_id
    )
    groups = [(row["id"], row["name"]) for row in schools]
    school_ids = [row["id"] for row in schools]
    return await _summary(connection, name, school_ids, groups, period, today, by_school=True)


async def _summary(
    connection: Any,
    label: str,
    school_ids: list[int],
    groups: list[tuple[int, str]],
    period: Period,
    today: date,
    *,
    by_school: bool,
) -> Summary:
    before = period.previous()
    calendars = await _calendars(connection, school_ids)
    last = min(today, period.end)
    days = {s: _school_days(calendars[s], period.start, last) for s in school_ids}

    size: dict[int, int] = defaultdict(int)  # group id → people taking part
    people = 0
    for school_id, department_id, n in await connection.fetch(_PEOPLE, school_ids, _LEFT_OUT):
        people += n
        size[school_id if by_school else department_id] += n

    group = "school_id" if by_school else "department_id"
    entries = participants = 0
    figures: dict[int, tuple[int, int]] = {}  # group id → (participants, entries)
    for group_id, n, members, everyone, total in await connection.fetch(
        _ENTRIES.format(group=group), school_ids, period.start, period.end, _LEFT_OUT
    ):
        if total:
            entries, participants = n, everyone
        else:
            figures[group_id] = (members, n)
    previous = await connection.fetchval(_COUNT, school_ids, before.start, before.end)

    loggers: dict[int, dict[date, int]] = defaultdict(dict)
    for group_id, day, n in await connection.fetch(
        _DAILY.format(group=group), school_ids, _LEFT_OUT, period.start, period.end
    ):
        loggers[group_id][day] = n

    since = today - _STREAK_WINDOW
    window = [(s, d) for s in school_ids for d in _school_days(calendars[s], since, today)]
    on_streak = await connection.fetchval(
        _STREAK,
        school_ids,
        _LEFT_OUT,
        since,
        today,
        [s for s, _ in window],
        [d for _, d in window],
    )
    themes = await connection.fetch(_THEMES, school_ids, period.start, period.end, _STOP)
    quotes = await _quotes(connection, school_ids, period)

    daily: dict[str, tuple[float, ...]] = {}
    departments = []
    for group_id, name in groups:
        participants_here, entries_here = figures.get(group_id, (0, 0))
        departments.append(DepartmentFigures(name, size[group_id], participants_here, entries_here))
        if by_school or len(groups) > 1:
            chart_days = days[group_id if by_school else school_ids[0]]
            n = size[group_id]
            daily[name] = tuple(
                round(100 * loggers[group_id].get(d, 0) / n, 1) if n else 0.0 for d in chart_days
            )
    return Summary(
        period=period,
        people=people,
        participants=participants,
        entries=entries,
        previous_entries=previous,
        departments=tuple(departments),
        themes=tuple(Theme(w, n) for w, n in themes if n > 1),
        scope=label,
        on_streak=on_streak,
        quotes=quotes,
        days=tuple(days[school_ids[0]]),
        daily=daily,
    )


async def _quotes(connection: Any, school_ids: list[int], period: Period) -> tuple[str, ...]:
    """The newest entries' words, one per person, up to MAX_QUOTES."""
    limit = 50
    while True:
        rows = await connection.fetch(_NEWEST, school_ids, period.start, period.end, limit)
        quoted: dict[int, str] = {}
        for person_id, text in rows:
            quoted.setdefault(person_id, text)
            if len(quoted) == MAX_QUOTES:
                return tuple(quoted.values())
        if len(rows) < limit:
            return tuple(quoted.values())
        limit *= 10
