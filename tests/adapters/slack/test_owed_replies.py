"""Replies survive a crash (issue 16 §4): an event's answer is stored with the event, Slack is
acknowledged at once, and a retry or the sweep sends what a crashed process still owed, once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app, build_services
from adapters.settings import Settings
from bot.clock import FixedClock
from bot.conversation.owed import LEASE, Answer
from storage import migrate
from tests.adapters.slack.helpers import SECRET, Client, dm, post_event, signed_headers

RETRIED = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
NOW = datetime.now(UTC)  # Slack checks request timestamps against the real time


def logged(fake: FakeSlack) -> list[str]:
    return [m["text"] for m in fake.posted_to("DU1") if m["text"].startswith("Logged")]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def services(slack: tuple[FakeSlack, str], tmp_path: Path, clock: FixedClock) -> Services:
    fake, url = slack
    fake.add_user("U1", "Sam Jones", tz="Europe/London")
    services = build_services(
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/slack.db",
            slack_api_url=url,
            tinysteps_adapters="slack",
            slack_bot_token=SecretStr("xoxb-test"),
            slack_signing_secret=SecretStr(SECRET),
        ),
        clock=clock,
    )
    await migrate.upgrade(services.engine)
    return services


@pytest.fixture
async def bot(services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(services))) as client:
        assert services.slack is not None
        services.slack.pacer.interval = 0.0
        await services.slack.wait_idle()
        await post_event(client, dm("help", "EvHello"))  # welcomed: later replies are one each
        yield client


def crash_before_sending(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the process dies after an event is stored, before its answer is sent."""
    assert services.slack is not None
    monkeypatch.setattr(services.slack, "_reply_after_ack", lambda *_, **__: None)


async def test_slack_is_acknowledged_before_the_answer_is_sent(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    assert services.slack is not None
    fake.hold = asyncio.Event()  # Slack takes its time over chat.postMessage
    raw = json.dumps(dm("log Tidied the trays", "EvSlow"))

    response = await bot.post(
        "/slack/events",
        data=raw,
        headers={"Content-Type": "application/json", **signed_headers(raw)},
    )

    assert response.status == 200
    assert logged(fake) == []
    fake.hold.set()
    await services.slack.wait_idle()
    assert len(logged(fake)) == 1


async def test_a_retry_after_a_crash_gets_the_answer_once(
    bot: Client,
    services: Services,
    fake: FakeSlack,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crash_before_sending(services, monkeypatch)
    await post_event(bot, dm("log Tidied the trays", "EvLost"))
    monkeypatch.undo()  # restarted
    clock.advance(LEASE + timedelta(seconds=1))

    await post_event(bot, dm("log Tidied the trays", "EvLost"), **RETRIED)
    await post_event(bot, dm("log Tidied the trays", "EvLost"), **RETRIED)

    assert len(logged(fake)) == 1


async def test_the_sweep_sends_what_a_crashed_process_owed_once(
    bot: Client,
    services: Services,
    fake: FakeSlack,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crash_before_sending(services, monkeypatch)
    await post_event(bot, dm("log Tidied the trays", "EvLost"))
    clock.advance(LEASE + timedelta(seconds=1))

    assert await services.scheduler.resend_owed() == 1
    assert await services.scheduler.resend_owed() == 0
    assert len(logged(fake)) == 1


async def test_an_answer_sent_just_before_a_crash_is_not_sent_again(
    bot: Client,
    services: Services,
    fake: FakeSlack,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def died_before_noting_it(_: Answer) -> None:
        return None

    monkeypatch.setattr(services.conversation.owed, "sent", died_before_noting_it)
    await post_event(bot, dm("log Tidied the trays", "EvSent"))
    monkeypatch.undo()
    clock.advance(LEASE + timedelta(seconds=1))

    assert await services.scheduler.resend_owed() == 1  # taken over, found in the DM already
    assert len(logged(fake)) == 1
