"""Every activity shape Teams really sends, replayed against the running app (issue 11).

The JSON files in `payloads/` follow activities Microsoft published (botbuilder-js's recorded
Teams traffic, the Teams docs' examples; `payloads/README.md` names each source), with our ids.
Each test posts one or more of them to `/api/messages` and checks what was stored and what the
fake Bot Connector was sent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services
from bot.ports import Person, Status
from tests.adapters.teams.conftest import Client
from tests.logged import logged

PAYLOADS = Path(__file__).parent / "payloads"
TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
PRIYA = "00000000-0000-0000-0000-0000000000a1"
ADA = "00000000-0000-0000-0000-0000000000a3"
TEAM = "19:general@thread.tacv2"
MATHS_CHAT = "19:maths-dept@thread.v2"


@pytest.fixture
def payload(connector: tuple[FakeConnector, str]) -> Any:
    """A payload file pointed at the fake connector, with top-level `changes`."""

    def build(name: str, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
        data["serviceUrl"] = connector[1]
        data.update(changes)
        return data

    return build


async def post(bot: Client, body: dict[str, Any]) -> int:
    return (await bot.post("/api/messages", json=body)).status


async def person(services: Services, user: str = PRIYA) -> Person | None:
    async with services.store.transaction() as tx:
        return await tx.people.by_identity("teams", "tenant-1", user)


async def entries(services: Services, user: str = PRIYA) -> list[str]:
    found = await person(services, user)
    if found is None:
        return []
    async with services.store.transaction() as tx:
        return [e.text for e in await tx.improvements.recent_for(found.id, 10)]


def roster_member(user: str, name: str, chat_id: str) -> dict[str, Any]:
    return {"id": chat_id, "name": name, "aadObjectId": user}


@pytest.fixture
async def asked(bot: Client, services: Services, fake: FakeConnector, captured: Any) -> Client:
    """Priya added Tiny Steps for herself and today's prompt card waits for her answer."""
    assert await post(bot, captured("installed_personal.json")) == 202
    assert await services.scheduler.tick(TUESDAY_1530) is not None
    fake.sent.clear()
    return bot


@pytest.fixture
async def team(bot: Client, services: Services, fake: FakeConnector, payload: Any) -> Client:
    """Tiny Steps added to Riverside Staff by Priya (an admin), with Tom in the team."""
    fake.roster = [
        roster_member(PRIYA, "Priya Shah", "29:1abc"),
        roster_member("tom", "Tom Reed", "29:2def"),
    ]
    assert await post(bot, payload("installation_update_add_team")) == 202
    assert services.teams is not None
    await services.teams.settled()
    fake.sent.clear()
    fake.created.clear()
    return bot


async def settle(services: Services) -> None:
    assert services.teams is not None
    await services.teams.settled()


# --- what people write ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("message_personal_html", "Moved the visualiser so everyone can see & hear"),
        ("message_personal_mobile", "Read The Gruffalo with Reception"),
        ("message_personal_mention_colleague", "Paired with @Ada Lovelace on fractions"),
    ],
)
async def test_a_reply_is_stored_as_a_person_reads_it(
    asked: Client, services: Services, payload: Any, name: str, stored: str
) -> None:
    assert await post(asked, payload(name)) == 202

    assert await entries(services) == [stored]


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("message_channel_mention_bot", "Planned the trip"),
        ("message_channel_mention_colleague", "Paired with @Ada Lovelace on fractions"),
    ],
)
async def test_a_channel_command_keeps_everyone_but_the_bot(
    asked: Client, services: Services, fake: FakeConnector, payload: Any, name: str, stored: str
) -> None:
    assert await post(asked, payload(name)) == 202

    assert await entries(services) == [stored]
    assert "answered you in our private chat" in json.dumps([s.activity for s in fake.sent])


async def test_an_edit_in_teams_edits_the_entry(
    asked: Client, services: Services, payload: Any, captured: Any
) -> None:
    await post(asked, captured("personal_message.json", text="Started lessons with a recap"))

    assert await post(asked, payload("message_update")) == 202

    assert await entries(services) == ["Started lessons with a recap of fractions"]


async def test_a_deletion_in_teams_removes_the_entry_and_reopens_the_day(
    asked: Client, services: Services, payload: Any, captured: Any
) -> None:
    await post(asked, captured("personal_message.json", text="Named a pupil by mistake"))

    assert await post(asked, payload("message_delete")) == 202
    await post(asked, captured("personal_message.json", id="later", text="Calmer start"))

    assert await entries(services) == ["Calmer start"]


async def test_an_undelete_does_not_bring_an_entry_back(
    asked: Client, services: Services, payload: Any, captured: Any
) -> None:
    await post(asked, captured("personal_message.json", text="Named a pupil by mistake"))
    await post(asked, payload("message_delete"))

    assert await post(asked, payload("message_undelete")) == 202

    assert await entries(services) == []


async def test_the_prompt_card_submitted_logs_the_step(
    asked: Client, services: Services, payload: Any
) -> None:
    assert await post(asked, payload("message_card_submit")) == 202

    assert await entries(services) == ["Planned the trip"]


async def test_a_card_submitted_twice_logs_once_and_says_so(
    asked: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    await post(asked, payload("message_card_submit"))

    await post(asked, payload("message_card_submit_twice"))

    assert await entries(services) == ["Planned the trip"]
    assert "Already logged" in fake.texts()


async def test_a_universal_action_is_answered_and_logs(
    asked: Client, services: Services, payload: Any
) -> None:
    response = await asked.post("/api/messages", json=payload("invoke_adaptive_card_action"))

    assert response.status == 200
    assert (await response.json())["statusCode"] == 200
    assert await entries(services) == ["Planned the trip"]


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("invoke_compose_extension_query", "composeExtension"),
        ("invoke_unknown", "composeExtension"),
        ("invoke_task_fetch", "task"),
        ("invoke_task_submit", "task"),
    ],
)
async def test_other_invokes_get_a_clear_not_supported_answer(
    asked: Client, payload: Any, name: str, shape: str
) -> None:
    response = await asked.post("/api/messages", json=payload(name))

    assert response.status == 200
    assert "doesn't do that from here" in json.dumps(await response.json())
    assert shape in await response.json()


@pytest.mark.parametrize(
    "name",
    [
        "typing",
        "message_reaction_added",
        "message_reaction_removed",
        "team_renamed",
        "channel_created",
        "channel_renamed",
        "channel_deleted",
        "team_deleted",
        "installation_update_remove_upgrade",
    ],
)
async def test_what_needs_no_answer_is_acknowledged_quietly(
    asked: Client, services: Services, fake: FakeConnector, payload: Any, name: str
) -> None:
    assert await post(asked, payload(name)) == 202

    await settle(services)
    assert fake.sent == []
    assert await entries(services) == []


# --- installs --------------------------------------------------------------------------------


async def test_one_install_told_twice_greets_the_team_once(
    bot: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster = [roster_member(PRIYA, "Priya Shah", "29:1abc")]

    await post(bot, payload("conversation_update_bot_added_team"))
    await post(bot, payload("installation_update_add_team"))
    await settle(services)

    assert [s.conversation for s in fake.sent if s.conversation == TEAM] == [TEAM]
    assert fake.roster_pages == 1


async def test_an_upgrade_says_nothing_to_the_team(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    assert await post(team, payload("installation_update_add_upgrade")) == 202

    await settle(services)
    assert fake.sent == []
    assert fake.roster_pages == 1


async def test_adding_the_app_for_yourself_is_welcomed_once(
    bot: Client, fake: FakeConnector, payload: Any, captured: Any
) -> None:
    await post(bot, captured("installed_personal.json"))

    await post(bot, payload("installation_update_add_personal"))

    assert "Welcome to Tiny Steps" in fake.texts()
    assert len(fake.sent) == 1


# --- people joining and leaving ----------------------------------------------------------------


async def test_someone_who_joins_the_team_later_becomes_staff_with_a_chat(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))

    assert await post(team, payload("team_member_added")) == 202
    await settle(services)

    ada = await person(services, ADA)
    assert ada is not None
    assert (ada.display_name, ada.status) == ("Ada Lovelace", Status.ACTIVE)
    assert [c["members"][0]["id"] for c in fake.created] == ["29:3ghi"]


async def test_someone_joining_a_team_in_a_tenant_with_no_school_is_ignored(
    bot: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))
    elsewhere = payload("team_member_added")
    elsewhere["channelData"]["tenant"] = {"id": "tenant-never-installed"}
    elsewhere["conversation"]["tenantId"] = "tenant-never-installed"

    with logged() as lines:
        assert await post(bot, elsewhere) == 202
        await settle(services)

    assert await person(services, ADA) is None
    assert fake.created == []
    assert not [message for message, _ in lines.lines if "failed" in message]


async def test_a_joiner_teams_will_not_reach_is_named_to_the_admins_privately(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))
    fake.unreachable = {"29:3ghi"}

    await post(team, payload("team_member_added"))
    await settle(services)

    [note] = [s for s in fake.sent if "Ada Lovelace" in json.dumps(s.activity)]
    assert note.conversation != TEAM


async def test_someone_who_joins_a_group_chat_later_becomes_staff(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))

    await post(team, payload("group_chat_member_added"))
    await settle(services)

    assert await person(services, ADA) is not None


async def test_someone_who_leaves_the_only_team_has_left(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))
    await post(team, payload("team_member_added"))
    await settle(services)

    assert await post(team, payload("team_member_removed")) == 202

    ada = await person(services, ADA)
    assert ada is not None
    assert ada.status is Status.LEFT


async def test_someone_still_in_a_group_chat_with_tiny_steps_stays(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))
    await post(team, payload("team_member_added"))
    await post(team, payload("group_chat_member_added"))
    await settle(services)

    await post(team, payload("team_member_removed"))

    ada = await person(services, ADA)
    assert ada is not None
    assert ada.status is Status.ACTIVE


async def test_someone_who_leaves_a_group_chat_too_has_left(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    fake.roster.append(roster_member(ADA, "Ada Lovelace", "29:3ghi"))
    await post(team, payload("team_member_added"))
    await post(team, payload("group_chat_member_added"))
    await settle(services)
    await post(team, payload("team_member_removed"))

    await post(team, payload("group_chat_member_removed"))

    ada = await person(services, ADA)
    assert ada is not None
    assert ada.status is Status.LEFT


@pytest.mark.parametrize("name", ["bot_removed_from_team", "installation_update_remove"])
async def test_the_app_removed_from_the_only_team_means_its_members_have_left(
    team: Client, services: Services, payload: Any, name: str
) -> None:
    assert await post(team, payload(name)) == 202

    tom = await person(services, "tom")
    assert tom is not None
    assert tom.status is Status.LEFT


async def test_members_of_another_team_with_the_app_stay_when_it_leaves_one(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    other = payload("installation_update_add_team")
    other["conversation"]["id"] = "19:science@thread.tacv2"
    other["channelData"]["team"]["id"] = "19:science@thread.tacv2"
    other["id"] = "f:other-install"
    await post(team, other)
    await settle(services)

    await post(team, payload("bot_removed_from_team"))

    tom = await person(services, "tom")
    assert tom is not None
    assert tom.status is Status.ACTIVE
