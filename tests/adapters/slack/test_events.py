"""Slack end to end over real HTTP: requests signed exactly as Slack signs them, replies
observed at the fake Slack Web API."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from tests.adapters.slack.helpers import (
    Client,
    command,
    dm,
    interact,
    payload,
    post_event,
    post_form,
    post_raw,
    shared_entry,
)
from tests.logged import logged


async def test_a_direct_message_is_answered_in_the_dm(bot: Client, fake: FakeSlack) -> None:
    status = await post_event(bot, dm("log Tidied the reading corner"))

    assert status == 200
    texts = [m["text"] for m in fake.posted_to("DU1")]
    assert any("Welcome to Tiny Steps" in t for t in texts)
    assert any(t.startswith("Logged") for t in texts)


async def test_the_persons_name_and_zone_come_from_their_profile(
    bot: Client, services: Services
) -> None:
    await post_event(bot, dm("help"))

    async with services.store.transaction() as tx:
        person = await tx.people.by_identity("slack", "T1", "U1")
    assert person is not None
    assert (person.display_name, person.timezone) == ("Sam Jones", "Europe/London")


async def test_a_retried_event_is_stored_once(bot: Client, fake: FakeSlack) -> None:
    await post_event(bot, dm("log Only once", "EvSame"))

    status = await post_event(
        bot,
        dm("log Only once", "EvSame"),
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )

    assert status == 200
    assert sum(m["text"].startswith("Logged") for m in fake.posted_to("DU1")) == 1


async def test_a_forged_signature_is_refused(bot: Client, fake: FakeSlack) -> None:
    raw = json.dumps(dm("log forged"))

    response = await post_raw(bot, raw, secret="not-the-secret")

    assert response.status == 401
    assert fake.posted_to("DU1") == []


async def test_a_stale_timestamp_is_refused(bot: Client, fake: FakeSlack) -> None:
    raw = json.dumps(dm("log replayed later"))

    response = await post_raw(bot, raw, at=int(time.time()) - 600)

    assert response.status == 401
    assert fake.posted_to("DU1") == []


async def test_the_url_verification_challenge_is_answered(bot: Client) -> None:
    body = {
        "type": "url_verification",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "token": "x",
    }
    raw = json.dumps(body)

    response = await post_raw(bot, raw)

    assert response.status == 200
    assert body["challenge"] in await response.text()


async def test_malformed_json_is_ignored_without_an_error(bot: Client) -> None:
    raw = "{not json"

    response = await post_raw(bot, raw)

    assert response.status == 200


async def test_an_unknown_event_type_is_acknowledged_and_ignored(
    bot: Client, fake: FakeSlack
) -> None:
    body = payload("message_im")
    body["event"] = {"type": "pin_added", "user": "U1"}

    assert await post_event(bot, body) == 200
    assert fake.posted_to("DU1") == []


async def test_a_slash_command_answers_privately(bot: Client) -> None:
    response = await post_form(bot, command("help"))

    assert response.status == 200
    assert "Here's what I understand" in await response.text()


async def test_a_button_press_is_handled(bot: Client, fake: FakeSlack) -> None:
    await post_event(bot, dm("help"))
    response = await interact(bot, payload("block_actions"))

    assert response.status == 200
    assert any("skip today" in m["text"] for m in fake.posted_to("DU1"))


async def test_a_scheduled_nudge_reaches_a_slack_person_with_its_key(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))
    from datetime import UTC, datetime

    report = await services.scheduler.tick(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))

    assert report.sent == 1
    nudge = fake.posted_to("DU1")[-1]
    assert nudge["metadata"]["event_payload"]["key"].startswith("tinysteps-prompt-")


def is_nudge(call: dict[str, Any]) -> bool:
    key = str(call.get("metadata", {}).get("event_payload", {}).get("key", ""))
    return key.startswith("tinysteps-prompt-")


async def test_a_nudge_refused_with_a_short_retry_after_is_retried_at_once(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))
    from datetime import UTC, datetime

    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    report = await services.scheduler.tick(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))

    nudges = [c for c in fake.called("chat.postMessage") if is_nudge(c)]
    assert report.sent == 1
    assert len(nudges) == 2  # refused once, then accepted


async def test_a_nudge_refused_with_a_long_retry_after_goes_back_to_the_scheduler(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    await post_event(bot, dm("help"))
    from datetime import UTC, datetime, timedelta

    fake.rate_limit("chat.postMessage", times=1, retry_after=20)
    first = await services.scheduler.tick(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    later = await services.scheduler.tick(
        datetime(2026, 11, 24, 15, 30, tzinfo=UTC) + timedelta(seconds=20)
    )

    assert (first.deferred, later.sent) == (1, 1)


async def entries(services: Services) -> list[str]:
    async with services.store.transaction() as tx:
        person = await tx.people.by_identity("slack", "T1", "U1")
        assert person is not None
        return [e.text for e in await tx.improvements.recent_for(person.id, 10)]


async def test_editing_the_dm_in_slack_edits_the_entry(bot: Client, services: Services) -> None:
    await post_event(bot, dm("help", "Ev00"))
    await services.scheduler.ask_now(1)
    await post_event(bot, dm("Tidied the reading corner"))

    await post_event(bot, payload("message_changed"))

    assert await entries(services) == ["Tidied the reading corner with the class"]


async def test_deleting_the_dm_in_slack_removes_the_entry(bot: Client, services: Services) -> None:
    await post_event(bot, dm("help", "Ev00"))
    await services.scheduler.ask_now(1)
    await post_event(bot, dm("Tidied the reading corner"))

    await post_event(bot, payload("message_deleted"))

    assert await entries(services) == []


async def test_a_slow_slash_command_is_acknowledged_at_once_and_answered_by_response_url(
    bot: Client, services: Services, slack: tuple[FakeSlack, str]
) -> None:
    fake, url = slack
    assert services.slack is not None
    services.slack.config = replace(services.slack.config, command_ack_within=0)
    form = command("help", response_url=url.replace("/api/", "/respond/1"))

    response = await post_form(bot, form)
    await services.slack.wait_idle()

    assert "On it" in await response.text()
    assert any("Here's what I understand" in r["text"] for r in fake.responses)
    assert {r["response_type"] for r in fake.responses} == {"ephemeral"}


async def test_a_reaction_on_a_broadcast_improvement_is_recorded_as_a_vote(
    bot: Client, services: Services
) -> None:
    await post_event(bot, dm("log Swapped homework to Mondays"))
    entry = await shared_entry(services, "C0SHOWCASE", "1764000100.000100")

    assert await post_event(bot, payload("reaction_added")) == 200

    async with services.store.transaction() as tx:
        assert await tx.votes.count(entry) == 1


async def test_a_slash_command_logs_a_step(bot: Client, services: Services) -> None:
    form = command("log Put a visual timetable by the door")

    response = await post_form(bot, form)

    assert "Logged" in await response.text()
    assert await entries(services) == ["Put a visual timetable by the door"]


async def test_log_lines_written_while_handling_an_event_name_its_event_id(bot: Client) -> None:
    await post_event(bot, dm("log Only once", "EvTagged"))

    with logged() as lines:
        await post_event(bot, dm("log Only once", "EvTagged"))

    assert lines.event_of("ignoring repeated slack event") == "EvTagged"
