"""Workspaces become schools, members become staff, leavers stop being asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import Actor, Message, Place
from bot.people.roster import Member, Roster
from bot.ports import Person, Role, Status, Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import handled, said

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY_1530)


@pytest.fixture
def roster(store: Store, clock: FixedClock) -> Roster:
    return Roster(store, clock, default_timezone="Europe/London")


async def people(store: Store) -> dict[str, Person]:
    async with store.transaction() as tx:
        schools = await tx.schools.all()
        return {p.user_id: p for s in schools for p in await tx.people.in_school(s.id)}


async def test_a_new_workspace_becomes_a_school_named_after_it(roster: Roster) -> None:
    school = await roster.workspace("slack", "T1", "  Hillside   Academy ")

    assert school.name == "Hillside Academy"
    assert (await roster.workspace("slack", "T1", "Renamed")).id == school.id


async def test_the_installer_becomes_the_first_admin(roster: Roster, store: Store) -> None:
    await roster.installed("slack", "T1", "Hillside", Member("U1", "Ana"))

    assert (await people(store))["U1"].role is Role.ADMIN


async def test_an_existing_member_who_installs_is_promoted_to_admin(
    roster: Roster, store: Store
) -> None:
    await roster.workspace("slack", "T1", "Hillside")
    await roster.sync("slack", "T1", [Member("U1", "Ana")])

    await roster.installed("slack", "T1", "Hillside", Member("U1", "Ana"))

    assert (await people(store))["U1"].role is Role.ADMIN


async def test_a_later_teams_installer_stays_staff_when_the_school_has_an_admin(
    roster: Roster, store: Store
) -> None:
    await roster.installed("teams", "T1", "Hillside", Member("U1", "Ana"), first_admin_only=True)

    await roster.installed("teams", "T1", "Hillside", Member("U2", "Ben"), first_admin_only=True)

    found = await people(store)
    assert (found["U1"].role, found["U2"].role) == (Role.ADMIN, Role.STAFF)


async def test_syncing_members_adds_each_as_active_staff(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")

    report = await roster.sync(
        "slack", "T1", [Member("U1", "Ana", "Europe/Paris"), Member("U2", "Ben")]
    )

    found = await people(store)
    assert report.added == 2
    assert found["U1"].timezone == "Europe/Paris"
    assert {p.status for p in found.values()} == {Status.ACTIVE}
    assert {p.role for p in found.values()} == {Role.STAFF}


async def test_workspace_admins_arrive_as_tiny_steps_admins(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")

    await roster.sync("slack", "T1", [Member("U1", "Ana", admin=True), Member("U2", "Ben")])

    found = await people(store)
    assert (found["U1"].role, found["U2"].role) == (Role.ADMIN, Role.STAFF)


async def test_syncing_twice_adds_nobody_twice(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")
    await roster.sync("slack", "T1", [Member("U1", "Ana")])

    report = await roster.sync("slack", "T1", [Member("U1", "Ana")])

    assert (report.added, report.updated) == (0, 0)
    assert len(await people(store)) == 1


async def test_a_changed_profile_is_updated(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")
    await roster.sync("slack", "T1", [Member("U1", "Ana")])

    await roster.member("slack", "T1", Member("U1", "Ana Lopez", "America/New_York"))

    person = (await people(store))["U1"]
    assert (person.display_name, person.timezone) == ("Ana Lopez", "America/New_York")


async def test_an_unknown_time_zone_is_ignored(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")

    await roster.sync("slack", "T1", [Member("U1", "Ana", "Mars/Olympus")])

    assert (await people(store))["U1"].timezone is None


async def test_a_deactivated_member_leaves_and_is_no_longer_nudged(
    roster: Roster, store: Store, clock: FixedClock
) -> None:
    await roster.workspace("slack", "T1", "Hillside")
    await roster.sync("slack", "T1", [Member("U1", "Ana"), Member("U2", "Ben")])

    report = await roster.member("slack", "T1", Member("U1", "Ana", active=False))
    messenger = InMemoryMessenger()
    await Scheduler(store, messenger, clock, worker="w").tick(clock.now())

    assert report.left == 1
    assert (await people(store))["U1"].status is Status.LEFT
    assert [m.recipient.user_id for m in messenger.direct_messages()] == ["U2"]


async def test_a_reactivated_member_is_active_again(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")
    await roster.sync("slack", "T1", [Member("U1", "Ana")])
    await roster.member("slack", "T1", Member("U1", "Ana", active=False))

    await roster.member("slack", "T1", Member("U1", "Ana"))

    assert (await people(store))["U1"].status is Status.ACTIVE


async def test_a_deactivated_stranger_is_not_added(roster: Roster, store: Store) -> None:
    await roster.workspace("slack", "T1", "Hillside")

    await roster.sync("slack", "T1", [Member("U9", "Gone", active=False)])

    assert await people(store) == {}


async def test_members_of_a_workspace_we_do_not_serve_are_ignored(
    roster: Roster, store: Store
) -> None:
    report = await roster.member("slack", "T-unknown", Member("U1", "Ana"))

    assert report.added == 0
    assert await people(store) == {}


async def test_in_an_opt_in_school_new_members_wait_for_start(
    roster: Roster, store: Store, clock: FixedClock
) -> None:
    school = await roster.workspace("slack", "T1", "Hillside")
    async with store.transaction() as tx:
        await tx.schools.set_opt_in(school.id, True)

    await roster.sync("slack", "T1", [Member("U1", "Ana")])
    messenger = InMemoryMessenger()
    await Scheduler(store, messenger, clock, worker="w").tick(clock.now())

    assert (await people(store))["U1"].status is Status.INVITED
    assert messenger.direct_messages() == []


async def test_an_invited_member_who_says_start_is_nudged(
    roster: Roster, store: Store, clock: FixedClock
) -> None:
    school = await roster.workspace("slack", "T1", "Hillside")
    async with store.transaction() as tx:
        await tx.schools.set_opt_in(school.id, True)
    await roster.sync("slack", "T1", [Member("U1", "Ana")])
    ana = Actor("slack", "T1", "U1", "Ana")

    out = await handled(Conversation(store, clock), Message(ana, Place("D1"), "start"))
    messenger = InMemoryMessenger()
    await Scheduler(store, messenger, clock, worker="w").tick(clock.now())

    assert "you're in" in said(out)
    assert [m.recipient.user_id for m in messenger.direct_messages()] == ["U1"]
