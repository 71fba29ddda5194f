"""An admin places a colleague by @mentioning them in a team channel, end to end.

Teams names a mentioned person by their Teams id (`29:…`); Tiny Steps knows people by their
Entra object id, which it asks the Bot Connector for (GET /v3/conversations/{c}/members/{m}).
Priya installed Tiny Steps to the team (so she is an admin); Sam joined the team later and
has talked to the bot in a 1:1 chat since.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services
from bot import texts
from bot.ports import Person, Role
from tests.adapters.teams.conftest import Client

PAYLOADS = Path(__file__).parent / "payloads"
PRIYA = "00000000-0000-0000-0000-0000000000a1"
SAM = "00000000-0000-0000-0000-0000000000a4"
CHANNEL = "19:general@thread.tacv2"
PRIYA_CHAT = "a:1on1-29:1abc"


@pytest.fixture
def payload(connector: tuple[FakeConnector, str]) -> Any:
    def build(name: str, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
        data["serviceUrl"] = connector[1]
        data.update(changes)
        return data

    return build


async def post(bot: Client, body: dict[str, Any]) -> int:
    return (await bot.post("/api/messages", json=body)).status


async def person(services: Services, user: str) -> Person | None:
    async with services.store.transaction() as tx:
        return await tx.people.by_identity("teams", "tenant-1", user)


@pytest.fixture
async def team(
    bot: Client, services: Services, fake: FakeConnector, payload: Any, captured: Any
) -> Client:
    """Priya added Tiny Steps to the team; Sam joined since and said hello in a 1:1 chat."""
    fake.roster = [{"id": "29:1abc", "name": "Priya Shah", "aadObjectId": PRIYA}]
    assert await post(bot, payload("installation_update_add_team")) == 202
    assert services.teams is not None
    await services.teams.settled()
    fake.roster.append({"id": "29:4jkl", "name": "Sam Jones", "aadObjectId": SAM})
    hello = captured(
        "personal_message.json",
        id="1764000000102",
        text="help",
        conversation={"conversationType": "personal", "tenantId": "tenant-1", "id": "a:1sam"},
    )
    hello["from"] = {"id": "29:4jkl", "name": "Sam Jones", "aadObjectId": SAM}
    assert await post(bot, hello) == 202
    await services.teams.settled()
    sam = await person(services, SAM)
    assert sam is not None
    assert sam.role is Role.STAFF
    fake.sent.clear()
    fake.created.clear()
    return bot


def said_in(fake: FakeConnector, conversation: str) -> str:
    return json.dumps([s.activity for s in fake.sent if s.conversation.startswith(conversation)])


async def test_an_admin_makes_a_mentioned_colleague_a_leader(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    assert await post(team, payload("message_channel_mention_config_role")) == 202

    sam = await person(services, SAM)
    assert sam is not None
    assert sam.role is Role.LEADER
    assert "Sam Jones is now a leader" in said_in(fake, PRIYA_CHAT)
    assert texts.ANSWERED_PRIVATELY in said_in(fake, CHANNEL)


async def test_someone_the_connector_does_not_know_is_not_found(
    team: Client, services: Services, fake: FakeConnector, payload: Any
) -> None:
    """Without the Entra id the mention can't be matched to anyone: nobody changes."""
    fake.roster = [m for m in fake.roster if m["id"] != "29:4jkl"]

    assert await post(team, payload("message_channel_mention_config_role")) == 202

    sam = await person(services, SAM)
    assert sam is not None
    assert sam.role is Role.STAFF
    assert "can't find @Sam Jones" in said_in(fake, PRIYA_CHAT)
