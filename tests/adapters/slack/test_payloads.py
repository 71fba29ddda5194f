"""Every payload shape Slack really sends, replayed signed against the running app (issue 11).

The JSON files in `payloads/` follow shapes Slack published (its SDKs' tests, its API docs and
captured bodies; `payloads/README.md` names each source), with our ids. Each test replays one
or two of them over real HTTP and checks what was stored and what the fake Slack was sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from bot.ports import Person, Status
from tests.adapters.slack.helpers import (
    Client,
    dm,
    interact,
    payload,
    post_event,
    post_form,
    post_raw,
    shared_entry,
)


async def person(services: Services, user: str = "U1", team: str = "T1") -> Person | None:
    async with services.store.transaction() as tx:
        return await tx.people.by_identity("slack", team, user)


async def entries(services: Services, user: str = "U1") -> list[str]:
    found = await person(services, user)
    if found is None:
        return []
    async with services.store.transaction() as tx:
        return [e.text for e in await tx.improvements.recent_for(found.id, 10)]


def said(fake: FakeSlack, channel: str = "DU1") -> str:
    """Everything posted to a channel since the question: each message's text and blocks."""
    return "\n".join(
        f"{m['text']}\n{m.get('blocks')}"
        for m in fake.called("chat.postMessage")
        if m["channel"] == channel
    )


def with_event(name: str, **changes: Any) -> dict[str, Any]:
    """A payload file with some of its event's fields changed."""
    body = payload(name)
    body["event"].update(changes)
    return body


@pytest.fixture
async def asked(bot: Client, services: Services, fake: FakeSlack) -> Client:
    """Sam has met the bot, Ada is a colleague, and today's question waits for Sam's answer."""
    fake.add_user("U2", "Ada Lovelace", tz="Europe/London")
    await post_event(bot, dm("help", "EvHello"))
    sam = await person(services)
    assert sam is not None
    await services.scheduler.ask_now(sam.id)
    fake.calls.clear()
    return bot


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("message_im", "Tidied the reading corner"),
        ("message_enterprise_grid", "Tidied the reading corner"),
        ("message_file_share_caption", "Tidied the reading corner"),
        ("message_thread_broadcast", "Also put the new books on display"),
        ("message_thread_reply", "And dusted the shelves"),
        ("message_me", "tidied the reading corner"),
        ("message_with_attachments", "Posted the reading list for the term"),
    ],
)
async def test_a_persons_reply_of_any_kind_answers_the_question(
    asked: Client, services: Services, fake: FakeSlack, name: str, stored: str
) -> None:
    assert await post_event(asked, payload(name)) == 200

    assert await entries(services) == [stored]
    assert "Logged" in said(fake)


@pytest.mark.parametrize("name", ["message_file_share_no_text", "message_shared_no_text"])
async def test_a_photo_or_share_without_words_gets_a_kind_ask_for_words(
    asked: Client, services: Services, fake: FakeSlack, name: str
) -> None:
    await post_event(asked, payload(name))

    assert await entries(services) == []
    assert "I can only keep words" in said(fake)


async def test_after_a_photo_alone_the_question_still_takes_the_words(
    asked: Client, services: Services
) -> None:
    await post_event(asked, payload("message_file_share_no_text"))

    await post_event(asked, payload("message_im"))

    assert await entries(services) == ["Tidied the reading corner"]


async def test_slack_markup_is_stored_as_a_person_reads_it(
    asked: Client, services: Services
) -> None:
    await post_event(asked, payload("message_entities"))

    assert await entries(services) == [
        "Shared <the plan> with @Ada Lovelace & the team, see the plan "
        "(https://example.org/plan) in #general"
    ]


async def test_broadcasts_are_stored_plainly_and_never_ping_anyone(
    asked: Client, services: Services, fake: FakeSlack
) -> None:
    await post_event(asked, payload("message_broadcast_mentions"))

    assert await entries(services) == ["@here and @channel and @leaders"]
    assert "<!" not in said(fake)


async def test_an_entry_with_an_ampersand_reads_back_once_escaped(
    asked: Client, fake: FakeSlack
) -> None:
    await post_event(asked, dm("Fish &amp; chips Friday"))

    assert "Fish &amp; chips" in said(fake)
    assert "&amp;amp;" not in said(fake)


async def test_editing_the_reply_in_slack_edits_the_entry(
    asked: Client, services: Services
) -> None:
    await post_event(asked, payload("message_im"))

    await post_event(asked, payload("message_changed"))

    assert await entries(services) == ["Tidied the reading corner with the class"]


async def test_editing_a_typed_log_command_keeps_only_the_entry_words(
    asked: Client, services: Services
) -> None:
    typed = with_event("message_im", text="log Tidied the reading corner", ts="1764000370.000100")
    await post_event(asked, {**typed, "event_id": "EvTyped"})

    await post_event(asked, payload("message_changed_command"))

    assert await entries(services) == ["Tidied the reading corner again"]


async def test_a_link_unfurling_changes_nothing(
    asked: Client, services: Services, fake: FakeSlack
) -> None:
    unfurl = payload("message_changed_unfurl")["event"]["message"]
    typed = with_event("message_im", text=unfurl["text"], ts=unfurl["ts"])
    await post_event(asked, {**typed, "event_id": "EvTyped"})
    fake.calls.clear()

    await post_event(asked, payload("message_changed_unfurl"))

    assert await entries(services) == ["Wrote up https://example.org/plan"]
    assert fake.calls == []


async def test_deleting_the_reply_in_slack_removes_it_and_reopens_the_day(
    asked: Client, services: Services
) -> None:
    await post_event(asked, payload("message_im"))
    await post_event(asked, payload("message_deleted"))

    await post_event(asked, dm("Calmer start to the day", "EvAgain"))

    assert await entries(services) == ["Calmer start to the day"]


@pytest.mark.parametrize(
    "name",
    [
        "message_bot",
        "message_bot_no_subtype",
        "message_channel_join",
        "member_joined_channel",
        "message_huddle_thread",
        "message_channel",
        "view_closed",
        "app_uninstalled",
        "tokens_revoked",
    ],
)
async def test_what_nobody_said_to_the_bot_is_acknowledged_and_ignored(
    asked: Client, services: Services, fake: FakeSlack, name: str
) -> None:
    body = payload(name)

    status = (
        await post_event(asked, body)
        if body.get("type") == "event_callback"
        else (await interact(asked, body)).status
    )

    assert status == 200
    assert await entries(services) == []
    assert fake.called("chat.postMessage") == []


async def test_a_person_from_another_organisation_is_never_made_staff(
    asked: Client, services: Services, fake: FakeSlack
) -> None:
    body = payload("message_ext_shared")
    body["event"]["channel_type"] = "im"  # even speaking to the bot directly

    assert await post_event(asked, body) == 200

    assert await person(services, "U9EXT") is None
    assert fake.called("chat.postMessage") == []


async def test_an_event_for_another_workspace_is_ignored(
    asked: Client, services: Services, fake: FakeSlack
) -> None:
    assert await post_event(asked, payload("message_other_team")) == 200

    assert await person(services, "U1", "T999") is None
    assert fake.called("chat.postMessage") == []


async def test_a_slash_command_for_another_workspace_is_ignored(
    asked: Client, services: Services
) -> None:
    form = {**payload("slash_command"), "team_id": "T999"}

    response = await post_form(asked, form)

    assert response.status == 200
    assert await person(services, "U1", "T999") is None


async def test_a_slash_command_logs_a_step(asked: Client, services: Services) -> None:
    response = await post_form(asked, payload("slash_command"))

    assert "Logged" in await response.text()
    assert await entries(services) == ["Tidied the reading corner"]


async def test_a_slash_commands_mentions_read_as_names(asked: Client, services: Services) -> None:
    await post_form(asked, payload("slash_command_entities"))

    assert await entries(services) == ["paired with @Ada Lovelace on #general"]


async def test_an_app_mention_in_a_channel_is_a_command_answered_privately(
    asked: Client, services: Services, fake: FakeSlack
) -> None:
    assert await post_event(asked, payload("app_mention")) == 200

    assert await entries(services) == ["Planned the trip"]
    assert [c["channel"] for c in fake.called("chat.postEphemeral")] == ["C1"]
    assert fake.posted_to("C1") == []


async def test_the_skip_button_skips_today(asked: Client, fake: FakeSlack) -> None:
    await interact(asked, payload("block_actions"))

    assert "skip today" in said(fake).lower()


async def test_a_button_tapped_twice_acts_once(asked: Client, fake: FakeSlack) -> None:
    await interact(asked, payload("block_actions"))

    response = await interact(asked, payload("block_actions_message_twice"))

    assert response.status == 200
    assert "already skipped today" in said(fake)


async def test_a_button_on_the_home_tab_refreshes_the_home_tab(
    asked: Client, fake: FakeSlack
) -> None:
    response = await interact(asked, payload("block_actions_home"))

    assert response.status == 200
    assert fake.called("views.publish")


async def test_opening_the_home_tab_publishes_it(asked: Client, fake: FakeSlack) -> None:
    await post_event(asked, payload("app_home_opened"))

    assert [c["user_id"] for c in fake.called("views.publish")] == ["U1"]


async def test_the_log_form_submitted_logs_a_step(asked: Client, services: Services) -> None:
    response = await interact(asked, payload("view_submission"))

    assert response.status == 200
    assert await entries(services) == ["Started lessons with a recap"]


async def test_a_reaction_removed_takes_the_vote_back(asked: Client, services: Services) -> None:
    await post_event(asked, dm("log Swapped homework to Mondays", "EvLog"))
    entry = await shared_entry(services, "C2", "1764000100.000100")
    await post_event(
        asked, with_event("reaction_added", item={**payload("reaction_removed")["event"]["item"]})
    )

    await post_event(asked, payload("reaction_removed"))

    async with services.store.transaction() as tx:
        assert await tx.votes.count(entry) == 0


async def test_a_new_member_becomes_staff(asked: Client, services: Services) -> None:
    body = payload("team_join")
    body["event"]["user"]["id"] = "U7"

    await post_event(asked, body)

    joined = await person(services, "U7")
    assert joined is not None
    assert (joined.status, joined.guest) == (Status.ACTIVE, False)


async def test_a_guest_who_joins_is_recorded_as_a_guest(asked: Client, services: Services) -> None:
    await post_event(asked, payload("team_join_guest"))

    guest = await person(services, "U2")
    assert guest is not None
    assert guest.guest


async def test_a_deactivated_member_has_left(asked: Client, services: Services) -> None:
    await post_event(asked, payload("user_change_deactivated"))

    sam = await person(services)
    assert sam is not None
    assert sam.status is Status.LEFT


async def test_a_changed_time_zone_is_kept(asked: Client, services: Services) -> None:
    await post_event(asked, payload("user_change_tz"))

    sam = await person(services)
    assert sam is not None
    assert sam.timezone == "America/New_York"


async def test_the_url_verification_challenge_is_answered(asked: Client) -> None:
    body = payload("url_verification")

    response = await post_raw(asked, json.dumps(body))

    assert body["challenge"] in await response.text()
