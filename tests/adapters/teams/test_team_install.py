"""Added to a team, Tiny Steps makes everyone staff, opens a 1:1 chat with each member Teams
allows (after answering the install: a big team takes minutes), tells the admins privately who
it cannot reach yet, and nudges the rest proactively."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector, Sent
from adapters.server import Services
from bot.ports import Role
from tests.adapters.teams.conftest import Client

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
PRIYA_CHAT = "a:1on1-29:00000000-0000-0000-0000-0000000000a1"  # the installer, an admin


def member(user: str, name: str) -> dict[str, Any]:
    return {"id": f"29:{user}", "name": name, "aadObjectId": user, "userPrincipalName": f"{user}@x"}


@pytest.fixture
async def team(bot: Client, services: Services, fake: FakeConnector, captured: Any) -> Client:
    fake.roster = [
        member("00000000-0000-0000-0000-0000000000a1", "Priya Shah"),
        member("tom", "Tom Reed"),
        member("ana", "Ana Lopez"),
    ]
    fake.unreachable = {"29:ana"}
    await install(bot, services, captured("installed_team.json"))
    return bot


def said(sent: Sent) -> str:
    """The words of a card Tiny Steps posted."""
    return json.dumps(sent.activity.get("attachments"), ensure_ascii=False)


async def install(bot: Client, services: Services, activity: dict[str, Any]) -> None:
    """Post an install and wait for the roster work it starts in the background."""
    assert (await bot.post("/api/messages", json=activity)).status == 202
    assert services.teams is not None
    await services.teams.settled()


@pytest.fixture
def ana_adds_the_app(captured: Any) -> dict[str, Any]:
    """Ana, whom Teams wouldn't let us reach, adds Tiny Steps for herself."""
    hello: dict[str, Any] = captured("installed_personal.json", **{"from": member("ana", "Ana")})
    hello["conversation"]["id"] = "a:ana-personal"
    return hello


async def roles(services: Services) -> dict[str, Role]:
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("teams", "tenant-1")
        assert school is not None
        return {p.user_id: p.role for p in await tx.people.in_school(school.id)}


async def test_the_team_becomes_a_school_with_every_member(
    team: Client, services: Services
) -> None:
    found = await roles(services)

    assert found == {
        "00000000-0000-0000-0000-0000000000a1": Role.ADMIN,
        "tom": Role.STAFF,
        "ana": Role.STAFF,
    }


async def test_a_one_to_one_chat_is_opened_with_each_member(
    team: Client, fake: FakeConnector
) -> None:
    assert [c["members"][0]["id"] for c in fake.created] == [
        "29:00000000-0000-0000-0000-0000000000a1",
        "29:tom",
        "29:ana",
    ]


async def test_the_team_hears_hello_without_anyones_name(team: Client, fake: FakeConnector) -> None:
    [hello] = [said(s) for s in fake.sent if s.conversation.startswith("19:")]

    assert "2 of 3" in hello
    assert "Ana" not in hello


async def test_the_admin_is_told_privately_who_cannot_be_reached_yet(
    team: Client, fake: FakeConnector
) -> None:
    [told] = [s.activity for s in fake.sent if s.conversation == PRIYA_CHAT]

    assert "Ana Lopez" in str(told["attachments"])
    assert "Riverside Staff" in str(told["attachments"])


async def test_reachable_members_get_their_prompt_card_in_their_own_chat(
    team: Client, services: Services, fake: FakeConnector
) -> None:
    await services.scheduler.tick(TUESDAY_1530)

    cards = [s for s in fake.sent if s.activity.get("attachments") and "Log it" in str(s.activity)]
    assert {s.conversation for s in cards} == {PRIYA_CHAT, "a:1on1-29:tom"}


async def test_a_member_who_adds_the_app_for_themselves_stays_staff(
    team: Client, services: Services, ana_adds_the_app: dict[str, Any]
) -> None:
    assert (await team.post("/api/messages", json=ana_adds_the_app)).status == 202

    assert (await roles(services))["ana"] is Role.STAFF


async def test_a_member_teams_cannot_reach_is_counted_not_retried(
    team: Client, services: Services, fake: FakeConnector
) -> None:
    first = await services.scheduler.tick(TUESDAY_1530)
    again = await services.scheduler.tick(TUESDAY_1530 + timedelta(minutes=5))

    assert (first.sent, first.unreachable, first.deferred) == (2, 1, 0)
    assert (again.sent, again.unreachable, again.deferred) == (0, 0, 0)


async def test_a_member_who_adds_the_app_later_is_nudged_the_next_day(
    team: Client, services: Services, fake: FakeConnector, ana_adds_the_app: dict[str, Any]
) -> None:
    await services.scheduler.tick(TUESDAY_1530)
    assert (await team.post("/api/messages", json=ana_adds_the_app)).status == 202

    wednesday = await services.scheduler.tick(TUESDAY_1530 + timedelta(days=1))

    assert wednesday.unreachable == 0
    assert "a:ana-personal" in {s.conversation for s in fake.sent if s.activity.get("attachments")}


async def test_a_large_team_is_read_page_by_page(
    bot: Client, services: Services, fake: FakeConnector, captured: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("adapters.teams.roster.ROSTER_PAGE", 2)
    fake.roster = [member(f"m{n}", f"Member {n}") for n in range(5)]

    await install(bot, services, captured("installed_team.json"))

    assert fake.roster_pages == 3
    assert {f"m{n}" for n in range(5)} <= set(await roles(services))


async def test_added_to_a_group_chat_its_members_are_reached_too(
    bot: Client, services: Services, fake: FakeConnector, captured: Any
) -> None:
    fake.roster = [member("tom", "Tom Reed"), member("ana", "Ana Lopez")]

    await install(bot, services, captured("installed_group_chat.json"))

    assert {"tom", "ana"} <= set(await roles(services))
    assert [c["members"][0]["id"] for c in fake.created] == ["29:tom", "29:ana"]
    hello = said(fake.sent[-1])
    assert fake.sent[-1].conversation == "19:maths-dept@thread.v2"
    assert "2 of 2" in hello
    assert "admins" not in hello


async def test_with_no_admin_to_tell_privately_the_installer_hears_it_in_the_team(
    bot: Client, services: Services, fake: FakeConnector, captured: Any
) -> None:
    fake.roster = [member("00000000-0000-0000-0000-0000000000a1", "Priya Shah")]
    fake.unreachable = {"29:00000000-0000-0000-0000-0000000000a1"}

    await install(bot, services, captured("installed_team.json"))

    assert "Priya Shah" in said(fake.sent[-1])
    assert fake.sent[-1].conversation.startswith("19:")


async def test_the_install_is_answered_before_the_chats_are_opened(
    bot: Client, services: Services, fake: FakeConnector, captured: Any
) -> None:
    fake.roster = [member("tom", "Tom Reed")]
    fake.hold_creates = asyncio.Event()

    response = await bot.post("/api/messages", json=captured("installed_team.json"))
    answered_with_no_chat = (response.status, len(fake.created))
    fake.hold_creates.set()
    assert services.teams is not None
    await services.teams.settled()

    assert answered_with_no_chat == (202, 0)
    assert len(fake.created) == 1


async def test_a_member_the_app_reaches_later_gets_their_chat_opened_by_the_schedule(
    team: Client, services: Services, fake: FakeConnector
) -> None:
    await services.scheduler.tick(TUESDAY_1530)
    fake.unreachable = set()  # an admin has installed Tiny Steps for everyone since

    wednesday = await services.scheduler.tick(TUESDAY_1530 + timedelta(days=1))

    assert (wednesday.sent, wednesday.unreachable) == (3, 0)
    assert "a:1on1-29:ana" in {s.conversation for s in fake.sent}


async def test_a_member_still_unreachable_is_tried_once_a_day(
    team: Client, services: Services, fake: FakeConnector
) -> None:
    tries_at_install = len(fake.created)

    await services.scheduler.tick(TUESDAY_1530)
    await services.scheduler.tick(TUESDAY_1530 + timedelta(minutes=5))

    assert [c["members"][0]["id"] for c in fake.created[tries_at_install:]] == ["29:ana"]


async def test_a_chat_teams_is_too_busy_to_open_is_deferred_not_unreachable(
    team: Client, services: Services, fake: FakeConnector
) -> None:
    fake.unreachable = set()
    fake.refuse_creates = 1

    report = await services.scheduler.tick(TUESDAY_1530)

    assert (report.sent, report.deferred, report.unreachable) == (2, 1, 0)


async def test_a_busy_teams_while_reaching_a_team_is_waited_out(
    bot: Client, services: Services, fake: FakeConnector, captured: Any
) -> None:
    fake.roster = [member("tom", "Tom Reed")]
    fake.refuse_creates = 1

    await install(bot, services, captured("installed_team.json"))

    assert [c["members"][0]["id"] for c in fake.created] == ["29:tom", "29:tom"]
    assert "1 of 1" in said(fake.sent[0])
