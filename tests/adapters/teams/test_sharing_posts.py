"""Shared posts in Teams, end to end: a withdrawn post's card changes in place, and *Spotlight
this* (a message extension action on a message) makes a shared step a standout, for leaders only.

Activities are posted to /api/messages in the shapes Teams sends. The message action is
`payloads/invoke_compose_extension_submit_action.json`: the channel message-action invoke
(with `messagePayload`) of MicrosoftDocs/msteams-docs `messaging-extensions/how-to/
action-commands/create-task-module.md`, named `composeExtension/submitAction` and given the
`data` of `respond-to-task-module-submit.md`, in the envelope of our other invokes. What the
bot sends is observed at the fake Bot Connector. Priya spoke to Tiny Steps first, so
she is the school's admin; Ada and Tom are staff. Ada's step was shared to the General channel
as the card `1764000000601`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services
from adapters.teams.messenger import TeamsMessenger
from bot import texts
from bot.conversation.replies import say
from bot.model import ChannelPost
from bot.sharing.content import withdrawn
from tests.adapters.teams.conftest import Client
from tests.posts import posted

PAYLOADS = Path(__file__).parent / "payloads"
GENERAL = "19:general@thread.tacv2"
POST_ID = "1764000000601"  # Ada's shared post, as the spotlight payload names it
ADA = {
    "id": "29:3ghi",
    "name": "Ada Lovelace",
    "aadObjectId": "00000000-0000-0000-0000-0000000000a3",
}
TOM = {"id": "29:2def", "name": "Tom Reed", "aadObjectId": "tom-object-id"}


@pytest.fixture
def payload(connector: tuple[FakeConnector, str]) -> Any:
    """A payload file pointed at the fake connector, with top-level `changes`."""

    def build(name: str, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
        data["serviceUrl"] = connector[1]
        data.update(changes)
        return data

    return build


@pytest.fixture
def spotlight(payload: Any) -> Any:
    """*Spotlight this* on Ada's post, by Priya unless someone else is named."""

    def build(by: dict[str, str] | None = None, **data: str) -> dict[str, Any]:
        body: dict[str, Any] = payload("invoke_compose_extension_submit_action")
        if by is not None:
            body["from"] = by
        body["value"]["data"].update(data)
        return body

    return build


async def post(bot: Client, body: dict[str, Any]) -> int:
    return (await bot.post("/api/messages", json=body)).status


@pytest.fixture
async def adas_post(bot: Client, services: Services, activity: Any) -> int:
    """Priya said hello first (so she is the admin); Ada logged a step, shared to General."""
    assert await post(bot, activity(text="help")) == 202
    ada_chat = {"conversationType": "personal", "tenantId": "tenant-1", "id": "a:1ada"}
    logged = activity(text="log Swapped homework to Mondays", id="m-ada", conversation=ada_chat)
    assert await post(bot, {**logged, "from": ADA}) == 202
    async with services.store.transaction() as tx:
        ada = await tx.people.by_identity("teams", "tenant-1", ADA["aadObjectId"])
        assert ada is not None
        entry = await tx.improvements.last_for(ada.id)
        assert entry is not None
        await posted(
            tx,
            entry,
            platform="teams",
            workspace_id="tenant-1",
            channel_id=GENERAL,
            message_id=POST_ID,
            at=services.clock.now(),
        )
        return entry.id


@pytest.fixture
async def messenger(bot: Client, services: Services, payload: Any) -> TeamsMessenger:
    """Tiny Steps has heard from the General channel, so it can post there."""
    assert await post(bot, payload("message_channel_mention_bot")) == 202
    assert services.teams is not None
    return services.teams.messenger


async def standout_of(services: Services, entry: int) -> object | None:
    async with services.store.transaction() as tx:
        return await tx.standouts.get(entry)


def said_in(fake: FakeConnector, conversation: str) -> list[dict[str, Any]]:
    return [s.activity for s in fake.sent if s.conversation.startswith(conversation)]


# --- a post replaced in place ----------------------------------------------------------------


async def test_a_post_that_replaces_another_updates_that_activity(
    messenger: TeamsMessenger, fake: FakeConnector
) -> None:
    first = await messenger.send(ChannelPost("teams", "tenant-1", GENERAL, say("Ada shared")))
    assert first is not None
    posts_before = len(fake.sent)

    again = await messenger.send(
        ChannelPost("teams", "tenant-1", GENERAL, withdrawn(), replaces=first)
    )

    assert again == first
    [update] = fake.updates()
    assert (update.conversation, update.id) == (GENERAL, first)
    assert texts.WITHDRAWN_POST in str(update.activity["attachments"])
    assert len(fake.sent) == posts_before + 1  # the update, and no new post


async def test_replacing_a_post_someone_deleted_is_not_an_error(
    messenger: TeamsMessenger, fake: FakeConnector
) -> None:
    fake.deleted.add("activity-gone")

    sent = await messenger.send(
        ChannelPost("teams", "tenant-1", GENERAL, withdrawn(), replaces="activity-gone")
    )

    assert sent == "activity-gone"
    assert fake.updates() == []


# --- "Spotlight this" ------------------------------------------------------------------------


async def test_a_leaders_spotlight_on_a_shared_post_makes_it_a_standout(
    bot: Client, services: Services, spotlight: Any, adas_post: int
) -> None:
    response = await bot.post("/api/messages", json=spotlight())

    assert response.status == 200
    assert await standout_of(services, adas_post) is not None


async def test_the_leader_is_answered_in_the_invoke_and_nothing_in_the_channel(
    bot: Client, fake: FakeConnector, spotlight: Any, adas_post: int
) -> None:
    response = await bot.post("/api/messages", json=spotlight())

    answer = {"type": "message", "value": texts.spotlit("Ada Lovelace")}
    assert await response.json() == {"task": answer}
    assert said_in(fake, GENERAL) == []


async def test_staff_are_told_kindly_that_spotlights_are_for_leaders(
    bot: Client, spotlight: Any, adas_post: int
) -> None:
    response = await bot.post("/api/messages", json=spotlight(by=TOM))

    assert texts.leaders_only(["Priya Shah"]) in (await response.json())["task"]["value"]


async def test_a_spotlight_by_staff_makes_no_standout(
    bot: Client, services: Services, spotlight: Any, adas_post: int
) -> None:
    response = await bot.post("/api/messages", json=spotlight(by=TOM))

    assert response.status == 200
    assert await standout_of(services, adas_post) is None


async def test_with_ask_its_author_turned_off_nothing_is_spotlighted(
    bot: Client, services: Services, spotlight: Any, adas_post: int
) -> None:
    response = await bot.post("/api/messages", json=spotlight(ask_author="false"))

    assert response.status == 200
    assert await response.read() == b""
    assert await standout_of(services, adas_post) is None
