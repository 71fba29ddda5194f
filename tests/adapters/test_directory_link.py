"""Operators map a Teams tenant or Slack team onto an existing school before it installs."""

from __future__ import annotations

import pytest

from adapters.directory import Directory, DirectoryError
from bot.clock import FixedClock
from bot.people.roster import Member, Roster
from bot.ports import Role, Store


@pytest.fixture
def directory(store: Store, clock: FixedClock) -> Directory:
    return Directory(store, clock, default_timezone="Europe/London")


async def test_a_linked_tenant_joins_the_existing_school_on_install(
    directory: Directory, store: Store, clock: FixedClock
) -> None:
    school = await directory.create_school("Riverside Primary")

    await directory.link_workspace(school.id, "teams", "tenant-1")
    installed = await Roster(store, clock, default_timezone="Europe/London").installed(
        "teams", "tenant-1", "Some team name", Member("u1", "Priya")
    )

    assert installed.id == school.id
    async with store.transaction() as tx:
        person = await tx.people.by_identity("teams", "tenant-1", "u1")
    assert person is not None
    assert person.role is Role.ADMIN


async def test_a_workspace_already_linked_is_never_moved(directory: Directory) -> None:
    first = await directory.create_school("Riverside Primary")
    second = await directory.create_school("Hillside Academy")
    await directory.link_workspace(first.id, "slack", "T1")

    with pytest.raises(DirectoryError, match="already belongs to Riverside Primary"):
        await directory.link_workspace(second.id, "slack", "T1")


async def test_linking_to_a_missing_school_is_refused(directory: Directory) -> None:
    with pytest.raises(DirectoryError):
        await directory.link_workspace(999, "teams", "tenant-1")


async def test_an_empty_workspace_id_is_refused(directory: Directory) -> None:
    school = await directory.create_school("Riverside Primary")

    with pytest.raises(DirectoryError, match="team id or Teams tenant id"):
        await directory.link_workspace(school.id, "teams", "  ")
