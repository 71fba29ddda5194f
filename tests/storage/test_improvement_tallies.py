"""What summaries ask the database to count, on SQLite and PostgreSQL alike: entries by person
and department, loggers per day, the most used words, and each person's newest words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.ports import NewPerson, WordRule
from storage.store import SqlStore

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)
RULE = WordRule(min_length=3, stop_words=frozenset({"the", "with"}))


@dataclass(frozen=True)
class School:
    id: int
    maths: int
    science: int
    ana: int  # in Maths
    ben: int  # in Science
    cat: int  # in Maths


@pytest.fixture
async def school(store: SqlStore) -> School:
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        maths = await tx.schools.add_department(school.id, "Maths")
        science = await tx.schools.add_department(school.id, "Science")
        ids = []
        for name, department in (("Ana", maths), ("Ben", science), ("Cat", maths)):
            new = NewPerson(school.id, "web", "local", name, name, department_id=department.id)
            ids.append((await tx.people.create(new, at=AT)).id)
    return School(school.id, maths.id, science.id, *ids)


async def log(
    store: SqlStore, school: School, person: int, text: str, day: date, department: int
) -> int:
    async with store.transaction() as tx:
        entry = await tx.improvements.add(
            person_id=person,
            school_id=school.id,
            text=text,
            local_date=day,
            at=AT,
            department_id=department,
        )
    return entry.id


async def test_entries_are_counted_by_person_and_the_department_they_were_logged_in(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    await log(store, school, school.ana, "Seating plan", MONDAY, school.maths)
    await log(store, school, school.ana, "Lab rota", MONDAY, school.science)
    await log(store, school, school.ben, "Lab rota", MONDAY - timedelta(days=7), school.science)

    async with store.transaction() as tx:
        tally = await tx.improvements.tally(
            [school.id], MONDAY, MONDAY + timedelta(days=4), people=[school.ana, school.ben]
        )

    assert tally.entries == {
        (school.id, school.ana, school.maths): 2,
        (school.id, school.ana, school.science): 1,
    }


async def test_loggers_are_counted_once_a_day_by_the_department_they_are_in_now(
    store: SqlStore, school: School
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    await log(store, school, school.ana, "Seating plan", MONDAY, school.science)
    await log(store, school, school.cat, "Mini whiteboards", MONDAY, school.maths)
    await log(store, school, school.ben, "Lab rota", tuesday, school.science)

    async with store.transaction() as tx:
        tally = await tx.improvements.tally(
            [school.id], MONDAY, tuesday, people=[school.ana, school.ben, school.cat]
        )

    assert tally.loggers == {
        (MONDAY, school.id, school.maths): 2,
        (tuesday, school.id, school.science): 1,
    }


async def test_only_the_people_asked_are_counted_as_loggers(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    await log(store, school, school.cat, "Mini whiteboards", MONDAY, school.maths)

    async with store.transaction() as tx:
        tally = await tx.improvements.tally([school.id], MONDAY, MONDAY, people=[school.cat])

    assert tally.loggers == {(MONDAY, school.id, school.maths): 1}
    assert sum(tally.entries.values()) == 2  # entries still count, whoever logged them


async def test_a_tally_of_some_departments_leaves_the_others_entries_out(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    await log(store, school, school.ben, "Lab rota", MONDAY, school.science)

    async with store.transaction() as tx:
        tally = await tx.improvements.tally(
            [school.id], MONDAY, MONDAY, people=[school.ana], department_ids=[school.science]
        )

    assert tally.entries == {(school.id, school.ben, school.science): 1}


async def test_undone_entries_are_not_counted(store: SqlStore, school: School) -> None:
    entry = await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    async with store.transaction() as tx:
        await tx.improvements.remove(entry, at=AT)

    async with store.transaction() as tx:
        tally = await tx.improvements.tally([school.id], MONDAY, MONDAY, people=[school.ana])

    assert (tally.entries, tally.loggers) == ({}, {})


async def frequent(
    store: SqlStore, school: School, department_ids: list[int] | None = None
) -> list[tuple[str, int]]:
    async with store.transaction() as tx:
        found = await tx.improvements.frequent_words(
            [school.id], MONDAY, MONDAY, RULE, department_ids=department_ids, limit=10
        )
    return list(found)


async def test_a_word_counts_once_per_entry(store: SqlStore, school: School) -> None:
    await log(store, school, school.ana, "Fractions, fractions", MONDAY, school.maths)
    await log(store, school, school.ben, "fractions", MONDAY, school.science)

    assert await frequent(store, school) == [("fractions", 2)]


async def test_words_are_letters_only_lower_cased_long_enough_and_not_stop_words(
    store: SqlStore, school: School
) -> None:
    await log(
        store, school, school.ana, "The Y7 quiz_night WITH año2 éclairs!", MONDAY, school.maths
    )

    assert sorted(await frequent(store, school)) == [
        ("año", 1),
        ("night", 1),
        ("quiz", 1),
        ("éclairs", 1),
    ]


async def test_the_most_used_words_come_first_and_ties_a_to_z(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ana, "zebra crossing", MONDAY, school.maths)
    await log(store, school, school.ben, "zebra apple", MONDAY, school.science)

    assert await frequent(store, school) == [("zebra", 2), ("apple", 1), ("crossing", 1)]


async def test_frequent_words_of_some_departments_leave_the_others_out(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ana, "fractions", MONDAY, school.maths)
    await log(store, school, school.ben, "titration", MONDAY, school.science)

    assert await frequent(store, school, [school.science]) == [("titration", 1)]


async def test_the_newest_entry_of_each_person_comes_newest_first(
    store: SqlStore, school: School
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    await log(store, school, school.ana, "Exit tickets", MONDAY, school.maths)
    await log(store, school, school.ben, "Lab rota", MONDAY, school.science)
    await log(store, school, school.ana, "Seating plan", tuesday, school.maths)

    async with store.transaction() as tx:
        newest = await tx.improvements.newest_per_person([school.id], MONDAY, tuesday, limit=5)

    assert [e.text for e in newest] == ["Seating plan", "Lab rota"]


async def test_the_newest_entries_stop_at_the_limit_of_people(
    store: SqlStore, school: School
) -> None:
    for n, person in enumerate((school.ana, school.ben, school.cat)):
        await log(store, school, person, f"Step {n}", MONDAY, school.maths)

    async with store.transaction() as tx:
        newest = await tx.improvements.newest_per_person([school.id], MONDAY, MONDAY, limit=2)

    assert [e.text for e in newest] == ["Step 2", "Step 1"]


async def test_the_newest_entries_look_past_one_persons_many_entries(
    store: SqlStore, school: School
) -> None:
    await log(store, school, school.ben, "Lab rota", MONDAY, school.science)
    async with store.transaction() as tx:
        for n in range(60):  # more than the first batch read
            await tx.improvements.add(
                person_id=school.ana,
                school_id=school.id,
                text=f"Step {n}",
                local_date=MONDAY + timedelta(days=1),
                at=AT,
            )

    async with store.transaction() as tx:
        newest = await tx.improvements.newest_per_person(
            [school.id], MONDAY, MONDAY + timedelta(days=1), limit=2
        )

    assert [e.text for e in newest] == ["Step 59", "Lab rota"]
