"""When handling fails, nothing is half-written and the person hears so (issue 12 item 8).

The core is made to fail on purpose (its `handle` raises), as a lost database would make it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from bot.model import Incoming, Outgoing
from tests.adapters.slack.helpers import (
    Client,
    command,
    dm,
    interact,
    payload,
    post_event,
    post_form,
)

SORRY = "something went wrong on my side"


@pytest.fixture
def broken(services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    async def fail(_: Incoming) -> list[Outgoing]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.conversation, "handle", fail)
    return services


async def test_a_failed_slash_command_is_answered_with_an_apology(
    bot: Client, broken: Services
) -> None:
    response = await post_form(bot, command("log Tidied the trays"))

    assert response.status == 200
    assert SORRY in await response.text()


async def test_a_slow_slash_command_that_fails_still_answers(
    bot: Client, services: Services, slack: tuple[FakeSlack, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = slack
    assert services.slack is not None
    services.slack.config = replace(services.slack.config, command_ack_within=0)
    later = asyncio.Event()

    async def fail_later(_: Incoming) -> list[Outgoing]:
        await later.wait()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.conversation, "handle", fail_later)
    response = await post_form(
        bot, command("help", response_url=url.replace("/api/", "/respond/1")), settle=False
    )
    later.set()
    await services.slack.wait_idle()

    assert "On it" in await response.text()
    assert [r["text"] for r in fake.responses if SORRY in r["text"]]


async def test_a_failed_button_press_is_apologised_for_in_the_dm(
    bot: Client, broken: Services, fake: FakeSlack
) -> None:
    response = await interact(bot, payload("block_actions"))

    assert response.status == 200
    assert any(SORRY in m["text"] for m in fake.posted_to("DU1"))


async def test_a_failed_event_is_left_for_slack_to_retry(bot: Client, broken: Services) -> None:
    status = await post_event(bot, dm("Tidied the trays"))

    assert status == 500


async def test_the_retry_of_a_failed_event_is_handled_in_full(
    bot: Client, services: Services, monkeypatch: pytest.MonkeyPatch, fake: FakeSlack
) -> None:
    handle = services.conversation.handle

    async def fail_once(event: Incoming) -> list[Outgoing]:
        monkeypatch.setattr(services.conversation, "handle", handle)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.conversation, "handle", fail_once)
    await post_event(bot, dm("log Tidied the trays", "EvRetry"))

    status = await post_event(
        bot, dm("log Tidied the trays", "EvRetry"), **{"X-Slack-Retry-Num": "1"}
    )

    assert status == 200
    assert any(m["text"].startswith("Logged") for m in fake.posted_to("DU1"))
