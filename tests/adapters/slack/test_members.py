"""A single workspace becomes a school at start-up; its members follow Slack's directory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app
from bot.ports import Person, Role, Status
from tests.adapters.slack.helpers import Client, event, post_event


@pytest.fixture
async def directory(fake: FakeSlack) -> FakeSlack:
    """A workspace of 450 people (three pages of users.list), its owner, a bot and a leaver."""
    for n in range(450):
        fake.add_user(f"U{n:04d}", f"Teacher {n}", tz="Europe/London")
    fake.add_user("UOWNER", "Head Teacher", is_owner=True)
    fake.add_user("UBOT2", "Some bot", is_bot=True)
    fake.add_user("UGONE", "Former colleague", deleted=True)
    return fake


@pytest.fixture
async def started(directory: FakeSlack, services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(services))) as client:
        assert services.slack is not None
        await services.slack.wait_idle()
        yield client


async def people(services: Services) -> dict[str, Person]:
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("slack", "T1")
        assert school is not None
        return {p.user_id: p for p in await tx.people.in_school(school.id)}


async def test_the_workspace_becomes_a_school_named_after_it(
    started: Client, services: Services
) -> None:
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("slack", "T1")

    assert school is not None
    assert school.name == "Hillside Academy"


async def test_every_member_on_every_page_becomes_staff(
    started: Client, services: Services, fake: FakeSlack
) -> None:
    found = await people(services)

    assert len(fake.called("users.list")) == 3
    assert {f"U{n:04d}" for n in range(450)} <= set(found)
    assert found["U0001"].role is Role.STAFF


async def test_bots_and_deactivated_accounts_are_left_out(
    started: Client, services: Services
) -> None:
    found = await people(services)

    assert "UBOT2" not in found
    assert "UGONE" not in found


async def test_the_workspace_owner_is_an_admin(started: Client, services: Services) -> None:
    assert (await people(services))["UOWNER"].role is Role.ADMIN


async def test_someone_joining_the_workspace_becomes_staff(
    started: Client, services: Services
) -> None:
    newcomer = {"id": "UNEW", "name": "nia", "real_name": "Nia Obi", "tz": "Europe/London"}

    await post_event(started, event({"type": "team_join", "user": newcomer}, event_id="EvJ"))

    assert (await people(services))["UNEW"].status is Status.ACTIVE


async def test_a_deactivated_member_stops_being_asked(started: Client, services: Services) -> None:
    gone = {"id": "U0007", "name": "t7", "real_name": "Teacher 7", "deleted": True}

    await post_event(started, event({"type": "user_change", "user": gone}, event_id="EvD"))

    assert (await people(services))["U0007"].status is Status.LEFT


async def test_a_profile_change_is_picked_up(started: Client, services: Services) -> None:
    changed = {"id": "U0008", "name": "t8", "real_name": "Dr Eight", "tz": "Asia/Dubai"}

    await post_event(started, event({"type": "user_change", "user": changed}, event_id="EvC"))

    person = (await people(services))["U0008"]
    assert (person.display_name, person.timezone) == ("Dr Eight", "Asia/Dubai")


async def test_members_of_an_unknown_workspace_are_ignored(
    started: Client, services: Services
) -> None:
    stranger = {"id": "UX", "name": "x", "real_name": "Stranger"}

    status = await post_event(
        started, event({"type": "team_join", "user": stranger}, team="T9", event_id="EvX")
    )

    assert status == 200
    assert "UX" not in await people(services)
