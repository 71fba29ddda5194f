"""Creating schools and web-chat people, with clear refusals."""

from __future__ import annotations

import pytest

from adapters.directory import Directory, DirectoryError
from bot.clock import FixedClock
from bot.ports import Role, Store


@pytest.fixture
def directory(store: Store, clock: FixedClock) -> Directory:
    return Directory(store, clock, default_timezone="Europe/London")


async def test_a_new_school_gets_the_default_time_zone(directory: Directory) -> None:
    school = await directory.create_school("  Hill  Top   Primary ")

    assert (school.name, school.timezone) == ("Hill Top Primary", "Europe/London")
    assert [s.name for s in await directory.schools()] == ["Hill Top Primary"]


async def test_a_person_is_added_with_their_role(directory: Directory) -> None:
    school = await directory.create_school("Hill Top")

    person = await directory.add_person(
        school.id, "Ms Ames", role=Role.LEADER, timezone="Asia/Dubai"
    )

    assert (person.display_name, person.role, person.timezone) == (
        "Ms Ames",
        Role.LEADER,
        "Asia/Dubai",
    )
    assert [p.id for p in await directory.people(school.id)] == [person.id]


@pytest.mark.parametrize(
    ("name", "timezone", "message"),
    [
        ("", None, "give a name"),
        ("   ", None, "give a name"),
        ("x" * 81, None, "80 characters"),
        ("Hill Top", "Mars/Olympus", "isn't a time zone"),
    ],
)
async def test_bad_school_details_are_refused(
    directory: Directory, name: str, timezone: str | None, message: str
) -> None:
    with pytest.raises(DirectoryError, match=message):
        await directory.create_school(name, timezone)


async def test_a_person_cannot_join_a_school_that_does_not_exist(directory: Directory) -> None:
    with pytest.raises(DirectoryError, match="can't find that school"):
        await directory.add_person(999, "Nobody")
