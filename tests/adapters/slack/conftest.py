"""The fake Slack Web API on a random port, and a real slack-sdk client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack, start


@pytest.fixture
async def slack() -> AsyncIterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    server, url = await start(fake)
    yield fake, url
    await server.close()


@pytest.fixture
def fake(slack: tuple[FakeSlack, str]) -> FakeSlack:
    return slack[0]


@pytest.fixture
async def client(slack: tuple[FakeSlack, str]) -> AsyncIterator[AsyncWebClient]:
    client = AsyncWebClient(token="xoxb-test", base_url=slack[1])
    yield client
    if client.session is not None:
        await client.session.close()
