"""Past records imported from CSV: people and departments by name, all or nothing, every
problem named by its line number."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.directory import Directory
from adapters.importing import ImportRefused, import_entries
from bot.clock import FixedClock
from storage.store import SqlStore
from tests.bot.chat import TUESDAY

GOOD = """date,person,department,text
2025-09-08,Priya Shah,Maths,Exit tickets on fractions
08/09/2025,Tom Reed,,Tidied the reading corner
2025-09-09,priya  shah,maths,Mini whiteboards for every pair
"""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY)


@pytest.fixture
async def school(store: SqlStore, clock: FixedClock) -> int:
    directory = Directory(store, clock, default_timezone="Europe/London")
    return (await directory.create_school("Hill Top")).id


async def entries(store: SqlStore, school: int) -> list[tuple[date, str, str, str]]:
    async with store.transaction() as tx:
        people = {p.id: p.display_name for p in await tx.people.in_school(school)}
        departments = {d.id: d.name for d in await tx.schools.departments(school)}
        rows = await tx.improvements.export(school, date(2025, 1, 1), date(2026, 12, 31))
        assert {r.person for r in rows} <= set(people.values())
        assert {r.department for r in rows} - {""} <= set(departments.values())
    return [(r.day, r.person, r.department, r.text) for r in rows]


async def test_a_file_is_imported_with_people_and_departments_by_name(
    store: SqlStore, clock: FixedClock, school: int
) -> None:
    done = await import_entries(store, clock, school, GOOD)

    assert (done.entries, done.people, done.departments) == (3, 2, 1)
    assert await entries(store, school) == [
        (date(2025, 9, 8), "Priya Shah", "Maths", "Exit tickets on fractions"),
        (date(2025, 9, 8), "Tom Reed", "", "Tidied the reading corner"),
        (date(2025, 9, 9), "Priya Shah", "Maths", "Mini whiteboards for every pair"),
    ]


async def test_importing_again_finds_the_same_people_and_departments(
    store: SqlStore, clock: FixedClock, school: int
) -> None:
    await import_entries(store, clock, school, GOOD)

    again = await import_entries(store, clock, school, GOOD)

    assert (again.people, again.departments) == (0, 0)


async def test_one_bad_line_imports_nothing_and_names_every_bad_line(
    store: SqlStore, clock: FixedClock, school: int
) -> None:
    bad = GOOD + "yesterday,Tom Reed,,Seating plan\n2025-09-10,,,Lab rota\n"

    with pytest.raises(ImportRefused) as refused:
        await import_entries(store, clock, school, bad)

    assert "line 5: “yesterday” isn't a date" in refused.value.reply
    assert "line 6: the person's name is missing" in refused.value.reply
    assert await entries(store, school) == []


async def test_a_future_date_is_refused(store: SqlStore, clock: FixedClock, school: int) -> None:
    with pytest.raises(ImportRefused, match="line 2: the date is in the future"):
        await import_entries(store, clock, school, "date,person,department,text\n2030-01-01,A,,B\n")


async def test_missing_columns_are_named(store: SqlStore, clock: FixedClock, school: int) -> None:
    with pytest.raises(ImportRefused, match="missing: department, text"):
        await import_entries(store, clock, school, "date,person\n2025-09-08,Priya\n")


async def test_an_unknown_school_is_refused(store: SqlStore, clock: FixedClock) -> None:
    with pytest.raises(ImportRefused, match="can't find that school"):
        await import_entries(store, clock, 999, GOOD)
