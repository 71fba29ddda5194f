"""The fake Slack Web API on a random port, real clients pointed at it, and the bot itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack_api import FakeSlack, start
from adapters.server import Services, build_app, build_services
from adapters.settings import Settings
from storage import migrate
from tests.adapters.slack.helpers import SECRET, Client


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


async def migrated_services(url: str, database_url: str, **slack: Any) -> Services:
    """Tiny Steps with only Slack enabled, pointed at the fake, on a migrated database."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        slack_api_url=url,
        tinysteps_adapters="slack",
        **slack,
    )
    services = build_services(settings)
    await migrate.upgrade(services.engine)
    return services


@pytest.fixture
async def services(slack: tuple[FakeSlack, str], tmp_path: Path) -> Services:
    """One workspace over HTTP (bot token + signing secret), with Sam Jones as a member."""
    fake, url = slack
    fake.add_user("U1", "Sam Jones", tz="Europe/London")
    return await migrated_services(
        url,
        f"sqlite+aiosqlite:///{tmp_path}/slack.db",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SECRET),
    )


@pytest.fixture
async def bot(services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(services))) as client:
        assert services.slack is not None
        # One post a second per channel is tested in tests/adapters/test_pacing.py; here the
        # replies of a conversation go out at once.
        services.slack.pacer.interval = 0.0
        await services.slack.wait_idle()  # the workspace and its members are in
        yield client


def oauth_settings(url: str, database_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        slack_client_id=FakeSlack.client_id,
        slack_client_secret=SecretStr(FakeSlack.client_secret),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=url,
        tinysteps_adapters="slack",
    )


@pytest.fixture
async def oauth_services(slack: tuple[FakeSlack, str], tmp_path: Path) -> Services:
    """Tiny Steps for many workspaces: each installs it through Slack's OAuth flow."""
    services = build_services(oauth_settings(slack[1], f"sqlite+aiosqlite:///{tmp_path}/many.db"))
    await migrate.upgrade(services.engine)
    return services


@pytest.fixture
async def oauth_bot(oauth_services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(oauth_services))) as client:
        yield client
