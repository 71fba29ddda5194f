"""Said in a channel, a command is answered in the person's private chat: Teams has no "only
visible to you" messages, and nobody's streak or settings belong in front of the team."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services
from bot import texts
from bot.conversation.replies import say
from bot.model import ChannelPost
from tests.adapters.teams.conftest import Client

CHANNEL = "19:general@thread.tacv2"
PRIYA_CHAT = "a:1on1-29:1abc"


@pytest.fixture
def in_channel(activity: Any) -> Any:
    """A message to the bot in a team channel, with the @mention Teams puts in front."""

    def build(text: str, **changes: Any) -> dict[str, Any]:
        built: dict[str, Any] = activity(
            text=f"<at>Tiny Steps</at> {text}",
            conversation={
                "conversationType": "channel",
                "tenantId": "tenant-1",
                "id": f"{CHANNEL};messageid=1764000000001",
            },
            channelData={
                "tenant": {"id": "tenant-1"},
                "team": {"id": "19:team@thread.tacv2"},
                "channel": {"id": CHANNEL},
            },
            **changes,
        )
        return built

    return build


def said_in(fake: FakeConnector, conversation: str) -> list[dict[str, Any]]:
    return [s.activity for s in fake.sent if s.conversation.startswith(conversation)]


async def test_a_channel_command_is_answered_in_a_private_chat(
    bot: Client, fake: FakeConnector, in_channel: Any
) -> None:
    await bot.post("/api/messages", json=in_channel("log Tidied the reading corner"))

    *_welcome, answer = said_in(fake, PRIYA_CHAT)
    assert "Streak" in str(answer["attachments"])
    assert [a.get("text") for a in said_in(fake, CHANNEL)] == [texts.ANSWERED_PRIVATELY]


async def test_the_private_chat_is_opened_once(
    bot: Client, fake: FakeConnector, in_channel: Any
) -> None:
    await bot.post("/api/messages", json=in_channel("help", id="m1"))
    await bot.post("/api/messages", json=in_channel("help", id="m2"))

    assert [c["members"][0]["id"] for c in fake.created] == ["29:1abc"]
    answers = [a for a in said_in(fake, PRIYA_CHAT) if "what I understand" in str(a)]
    assert len(answers) == 2


async def test_someone_teams_will_not_let_us_message_is_told_how_to_add_the_app(
    bot: Client, fake: FakeConnector, in_channel: Any
) -> None:
    fake.unreachable = {"29:1abc"}

    await bot.post("/api/messages", json=in_channel("help"))

    assert [s.activity.get("text") for s in fake.sent] == [texts.CANNOT_ANSWER_PRIVATELY]


async def test_someone_who_removed_the_app_since_is_told_how_to_add_it_back(
    bot: Client, fake: FakeConnector, in_channel: Any
) -> None:
    await bot.post("/api/messages", json=in_channel("help", id="m1"))
    fake.removed.add(PRIYA_CHAT)

    await bot.post("/api/messages", json=in_channel("help", id="m2"))

    assert fake.sent[-1].activity.get("text") == texts.CANNOT_ANSWER_PRIVATELY


async def test_the_channel_is_remembered_once_not_per_thread_or_speaker(
    bot: Client, services: Services, in_channel: Any
) -> None:
    tom = {"id": "29:2def", "name": "Tom Reed", "aadObjectId": "tom-object-id"}
    await bot.post("/api/messages", json=in_channel("help", id="m1"))
    later = in_channel("help", id="m2", **{"from": tom})
    later["conversation"]["id"] = f"{CHANNEL};messageid=m2"
    await bot.post("/api/messages", json=later)

    async with services.store.transaction() as tx:
        reference = await tx.teams_conversations.conversation("tenant-1", CHANNEL)
        threads = await tx.teams_conversations.conversation(
            "tenant-1", f"{CHANNEL};messageid=1764000000001"
        )

    assert reference is not None
    assert reference["conversation"]["id"] == CHANNEL
    assert "user" not in reference
    assert threads is None


async def test_a_post_to_a_remembered_channel_starts_a_new_thread_there(
    bot: Client, services: Services, fake: FakeConnector, in_channel: Any
) -> None:
    await bot.post("/api/messages", json=in_channel("help"))
    assert services.teams is not None

    await services.teams.messenger.send(
        ChannelPost("teams", "tenant-1", CHANNEL, say("Shared from Science: seating plans"))
    )

    assert fake.sent[-1].conversation == CHANNEL
    assert "seating plans" in str(fake.sent[-1].activity["attachments"])


async def test_a_file_asked_for_in_a_channel_goes_to_the_private_chat(
    bot: Client, fake: FakeConnector, in_channel: Any
) -> None:
    await bot.post("/api/messages", json=in_channel("export me"))

    assert texts.file_not_attached("tinysteps-me.json") in str(said_in(fake, PRIYA_CHAT))
    assert "tinysteps-me.json" not in str(said_in(fake, CHANNEL))
    assert [a.get("text") for a in said_in(fake, CHANNEL)] == [texts.ANSWERED_PRIVATELY]
