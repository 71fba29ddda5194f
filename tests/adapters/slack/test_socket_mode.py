"""Socket Mode: with an app-level token the bot opens a WebSocket to Slack and needs no
public URL. The fake Slack hands out the socket URL and pushes envelopes over it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application
from pydantic import SecretStr

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app
from tests.adapters.slack.conftest import migrated_services
from tests.adapters.slack.helpers import command, dm


@pytest.fixture
async def socket_services(slack: tuple[FakeSlack, str], tmp_path: Path) -> Services:
    fake, url = slack
    fake.add_user("U1", "Sam Jones", tz="Europe/London")
    return await migrated_services(
        url,
        f"sqlite+aiosqlite:///{tmp_path}/socket.db",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_app_token=SecretStr("xapp-1-test"),
    )


@pytest.fixture
async def connected(socket_services: Services) -> AsyncIterator[Application]:
    app = build_app(socket_services)
    async with TestClient(TestServer(app)):
        assert socket_services.slack is not None
        await socket_services.slack.wait_idle()
        yield app


async def test_the_bot_connects_with_its_app_token(connected: Application, fake: FakeSlack) -> None:
    opened = [c for c in fake.calls if c.method == "apps.connections.open"]

    assert [c.token for c in opened] == ["xapp-1-test"]
    assert len(fake.sockets) == 1


async def test_an_event_over_the_socket_is_handled_and_acknowledged(
    connected: Application, socket_services: Services, fake: FakeSlack
) -> None:
    ack = await fake.send_envelope("events_api", dm("log Swapped seats by the window"))
    assert socket_services.slack is not None
    await socket_services.slack.wait_idle()  # the answer follows the acknowledgement

    assert "envelope_id" in ack
    assert any(m["text"].startswith("Logged") for m in fake.posted_to("DU1"))


async def test_a_slash_command_over_the_socket_answers_in_the_ack(
    connected: Application, fake: FakeSlack
) -> None:
    ack = await fake.send_envelope("slash_commands", command("help"))

    assert "Here's what I understand" in ack["payload"]["text"]


async def test_no_http_events_endpoint_is_served_without_a_signing_secret(
    socket_services: Services,
) -> None:
    async with TestClient(TestServer(build_app(socket_services))) as client:
        response = await client.post("/slack/events", data="{}")

    assert response.status == 404
