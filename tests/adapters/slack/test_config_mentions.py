"""Admins set Tiny Steps up with Slack mentions and in the channel itself, end to end.

Slash commands are posted form-encoded and genuinely signed, as Slack posts them with "Escape
channels, users, and links" on (`<@U0SAM|sam>`); the fake Slack Web API answers the bot. Hana
(`U0HEAD`) is a workspace admin, so an admin of the school from the install; Sam (`U0SAM`) joined
later and met the bot by DM; Noor (`U0NOOR`) joined later and never has.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from bot import texts
from bot.ports import ChannelKind, Person, Role
from tests.adapters.slack.conftest import migrated_services
from tests.adapters.slack.helpers import SECRET, Client, payload, post_event, post_form


@pytest.fixture
async def services(slack: tuple[FakeSlack, str], tmp_path: Path) -> Services:
    """One workspace over HTTP; Hana, a workspace admin, is its only member at install."""
    fake, url = slack
    fake.add_user("U0HEAD", "Hana Okafor", tz="Europe/London", is_admin=True)
    return await migrated_services(
        url,
        f"sqlite+aiosqlite:///{tmp_path}/slack.db",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SECRET),
    )


@pytest.fixture
async def school(bot: Client, services: Services, fake: FakeSlack) -> Client:
    """Sam and Noor joined the workspace after the install; only Sam has DM'd the bot since."""
    fake.add_user("U0SAM", "Sam Jones", tz="Europe/London")
    fake.add_user("U0NOOR", "Noor Haddad", tz="Europe/London")
    assert await post_event(bot, dm_from("U0SAM", "help")) == 200
    assert await person(services, "U0SAM") is not None
    fake.calls.clear()
    return bot


def dm_from(user: str, text: str) -> dict[str, Any]:
    """`message_im.json` from someone else, in their own DM with the bot."""
    body = payload("message_im", event_id=f"EvDM{user}")
    body["event"].update(user=user, channel=f"D{user}", text=text, blocks=[])
    return body


def via(slack: tuple[FakeSlack, str], form: dict[str, Any]) -> dict[str, Any]:
    """A command whose `response_url` is the fake's, so what is said there can be read."""
    return {**form, "response_url": slack[1].replace("/api/", "/respond/1")}


async def person(services: Services, user: str) -> Person | None:
    async with services.store.transaction() as tx:
        return await tx.people.by_identity("slack", "T1", user)


async def answer(response: Any) -> str:
    """The ephemeral answer riding on a slash command's acknowledgement."""
    body = await response.text()
    return str(json.loads(body)["text"]) if body else ""


async def test_an_admin_makes_a_mentioned_colleague_a_leader(
    school: Client, services: Services
) -> None:
    response = await post_form(school, payload("slash_command_config_role"))

    assert response.status == 200
    assert "Sam Jones is now a leader" in await answer(response)
    sam = await person(services, "U0SAM")
    assert sam is not None
    assert sam.role is Role.LEADER


async def test_an_admin_puts_a_mentioned_colleague_in_a_department(
    school: Client, services: Services
) -> None:
    added = payload("slash_command_config_person", text="config department add Maths")
    assert "Added the Maths department" in await answer(await post_form(school, added))

    response = await post_form(school, payload("slash_command_config_person"))

    assert "Sam Jones is in Maths now" in await answer(response)
    sam = await person(services, "U0SAM")
    assert sam is not None
    async with services.store.transaction() as tx:
        [maths] = await tx.schools.departments(sam.school_id)
    assert (maths.name, sam.department_id) == ("Maths", maths.id)


async def test_a_mention_of_someone_tiny_steps_never_met_is_refused(
    school: Client, services: Services
) -> None:
    form = payload("slash_command_config_role", text="config role <@U0NOOR|noor> leader")

    response = await post_form(school, form)

    assert "can't find @Noor Haddad" in await answer(response)
    assert await person(services, "U0NOOR") is None


async def test_a_public_channel_tiny_steps_is_not_in_is_joined_then_announced(
    school: Client, services: Services, slack: tuple[FakeSlack, str]
) -> None:
    fake = slack[0]
    fake.require_membership = True

    response = await post_form(school, via(slack, payload("slash_command_config_channel")))

    assert response.status == 200
    assert [(c.method, c.args.get("channel")) for c in fake.calls if c.method != "users.info"] == [
        ("chat.postMessage", "C2"),  # answered not_in_channel
        ("conversations.join", "C2"),
        ("chat.postMessage", "C2"),
    ]
    [announcement] = fake.posted_to("C2")
    assert announcement["text"].startswith("Tiny Steps here:")
    assert "C2" in fake.members_of
    assert fake.responses == []
    async with services.store.transaction() as tx:
        hana = await tx.people.by_identity("slack", "T1", "U0HEAD")
        assert hana is not None
        [channel] = await tx.channels.in_school(hana.school_id)
    assert (channel.channel_id, channel.kind) == ("C2", ChannelKind.SHOWCASE)


async def test_a_channel_tiny_steps_is_already_in_is_not_joined_again(
    school: Client, slack: tuple[FakeSlack, str]
) -> None:
    fake = slack[0]
    fake.require_membership = True
    fake.members_of.add("C2")

    await post_form(school, via(slack, payload("slash_command_config_channel")))

    assert fake.called("conversations.join") == []
    assert len(fake.posted_to("C2")) == 1


async def test_in_a_private_channel_the_admin_is_told_privately_how_to_invite_tiny_steps(
    school: Client, slack: tuple[FakeSlack, str]
) -> None:
    fake = slack[0]
    fake.require_membership = True

    response = await post_form(school, via(slack, payload("slash_command_config_channel_private")))

    assert response.status == 200
    assert fake.posted_to("G0STAFFROOM") == []
    assert fake.called("conversations.join") == []  # invisible to the bot: nothing to join
    assert [(r["response_type"], r["text"]) for r in fake.responses] == [
        ("ephemeral", texts.CANNOT_POST_HERE)
    ]
    assert "/invite @Tiny Steps" in texts.CANNOT_POST_HERE


async def test_an_install_from_before_the_join_scope_gets_the_same_hint(
    school: Client, slack: tuple[FakeSlack, str]
) -> None:
    """Installed before `channels:join` was asked for: Slack refuses the join, not the post."""
    fake = slack[0]
    fake.require_membership = True
    fake.join_refusals["C2"] = "missing_scope"

    await post_form(school, via(slack, payload("slash_command_config_channel")))

    assert [c["channel"] for c in fake.called("conversations.join")] == ["C2"]
    assert fake.posted_to("C2") == []
    assert [r["text"] for r in fake.responses] == [texts.CANNOT_POST_HERE]


async def test_a_slow_command_in_a_private_channel_still_gets_the_hint(
    school: Client, services: Services, slack: tuple[FakeSlack, str]
) -> None:
    fake = slack[0]
    fake.require_membership = True
    assert services.slack is not None
    services.slack.config = replace(services.slack.config, command_ack_within=0)

    response = await post_form(school, via(slack, payload("slash_command_config_channel_private")))
    await services.slack.wait_idle()

    assert await response.text() == texts.WORKING_ON_IT  # Bolt acks plain text as is
    *_welcome, hint = fake.responses  # Hana's first words to the bot: welcomed first
    assert (hint["response_type"], hint["text"]) == ("ephemeral", texts.CANNOT_POST_HERE)
    assert fake.posted_to("G0STAFFROOM") == []
