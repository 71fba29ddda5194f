"""Shared posts in Slack, end to end: a withdrawn post changes in place, and *Spotlight this* (a
message shortcut) makes a shared step a standout, for leaders only.

Shortcuts are posted form-encoded and genuinely signed, in the shape Slack sends them
(`payloads/message_action_spotlight.json`: bolt-python's `message_shortcut_body` in
`tests/scenario_tests_async/test_shortcut.py`, with the fields of bolt-js's `MessageShortcut`
type, on a message of our own shaped like `message_bot_no_subtype.json`); replies are observed
at the fake Slack Web API.
Hana (`U0HEAD`) is a workspace admin, so the school's admin from the install; Sam (`U1`) and
Alex (`U2`) are staff. Sam's step was shared to the showcase channel (`C2`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from adapters.slack.messenger import SlackMessenger, split_id
from bot import texts
from bot.conversation.replies import say
from bot.model import ChannelPost
from bot.sharing.content import withdrawn
from tests.adapters.slack.conftest import migrated_services
from tests.adapters.slack.helpers import (
    SECRET,
    Client,
    dm,
    interact,
    payload,
    post_event,
    shared_entry,
)

SHOWCASE = "C2"
POST_TS = "1764000100.000100"  # the shared post the shortcut payload was used on


@pytest.fixture
async def services(slack: tuple[FakeSlack, str], tmp_path: Path) -> Services:
    """One workspace over HTTP: Hana, a workspace admin, and Sam and Alex, staff."""
    fake, url = slack
    fake.add_user("U0HEAD", "Hana Okafor", tz="Europe/London", is_admin=True)
    fake.add_user("U1", "Sam Jones", tz="Europe/London")
    fake.add_user("U2", "Alex Reed", tz="Europe/London")
    return await migrated_services(
        url,
        f"sqlite+aiosqlite:///{tmp_path}/slack.db",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SECRET),
    )


@pytest.fixture
async def sams_post(bot: Client, services: Services, fake: FakeSlack) -> int:
    """Sam logged a step, and it was shared to the showcase channel as message `POST_TS`."""
    assert await post_event(bot, dm("log Swapped homework to Mondays")) == 200
    entry = await shared_entry(services, SHOWCASE, POST_TS)
    fake.calls.clear()
    return entry


@pytest.fixture
def messenger(client: AsyncWebClient) -> SlackMessenger:
    return SlackMessenger.fixed(client)


def shortcut_by(user: str, name: str) -> dict[str, Any]:
    """The shortcut payload, used by someone else on the same message."""
    return payload("message_action_spotlight", user={"id": user, "name": name, "team_id": "T1"})


async def standout_of(services: Services, entry: int) -> object | None:
    async with services.store.transaction() as tx:
        return await tx.standouts.get(entry)


def ephemerals(fake: FakeSlack) -> list[dict[str, Any]]:
    return fake.called("chat.postEphemeral")


# --- a post replaced in place ----------------------------------------------------------------


async def test_a_post_that_replaces_another_changes_it_with_chat_update(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    first = await messenger.send(ChannelPost("slack", "T1", SHOWCASE, say("Sam shared a step")))
    assert first is not None

    again = await messenger.send(ChannelPost("slack", "T1", SHOWCASE, withdrawn(), replaces=first))

    assert again == first
    assert [(c["channel"], c["ts"]) for c in fake.called("chat.update")] == [split_id(first)]
    [message] = fake.posted_to(SHOWCASE)  # changed, not posted again
    assert message["text"] == texts.WITHDRAWN_POST


async def test_replacing_a_post_someone_deleted_is_not_an_error(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    gone = f"{SHOWCASE}:1700000999.000100"

    sent = await messenger.send(ChannelPost("slack", "T1", SHOWCASE, withdrawn(), replaces=gone))

    assert sent == gone
    assert fake.posted_to(SHOWCASE) == []


# --- "Spotlight this" ------------------------------------------------------------------------


async def test_a_leaders_spotlight_on_a_shared_post_makes_it_a_standout(
    bot: Client, services: Services, sams_post: int
) -> None:
    response = await interact(bot, payload("message_action_spotlight"))

    assert response.status == 200
    assert await standout_of(services, sams_post) is not None


async def test_the_leader_is_answered_where_only_they_see_it(
    bot: Client, fake: FakeSlack, sams_post: int
) -> None:
    await interact(bot, payload("message_action_spotlight"))

    answers = ephemerals(fake)
    assert texts.spotlit("Sam Jones") in [a["text"] for a in answers]
    assert {(a["channel"], a["user"]) for a in answers} == {(SHOWCASE, "U0HEAD")}
    assert fake.called("chat.postMessage") == []


async def test_in_a_channel_tiny_steps_is_not_in_the_answer_comes_by_response_url(
    bot: Client, slack: tuple[FakeSlack, str]
) -> None:
    fake, url = slack
    fake.require_membership = True  # Slack takes no ephemeral message from it in `C1`
    elsewhere = payload(
        "message_action_spotlight",
        channel={"id": "C1", "name": "general"},
        response_url=url.replace("/api/", "/respond/1"),
    )

    response = await interact(bot, elsewhere)

    assert response.status == 200
    assert [r["text"] for r in fake.responses][-1] == texts.SPOTLIGHT_NOT_A_STEP
    assert {r["response_type"] for r in fake.responses} == {"ephemeral"}


async def test_staff_are_told_kindly_that_spotlights_are_for_leaders(
    bot: Client, fake: FakeSlack, sams_post: int
) -> None:
    await interact(bot, shortcut_by("U2", "alex"))

    assert texts.leaders_only(["Hana Okafor"]) in [a["text"] for a in ephemerals(fake)]


async def test_a_spotlight_by_staff_makes_no_standout(
    bot: Client, services: Services, sams_post: int
) -> None:
    response = await interact(bot, shortcut_by("U2", "alex"))

    assert response.status == 200
    assert await standout_of(services, sams_post) is None
