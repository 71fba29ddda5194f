"""The fake Bot Connector on a random port, and Tiny Steps serving Teams in local mode."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.fakes.bot_connector import FakeConnector, start
from adapters.server import Services, build_app, build_services
from adapters.settings import Settings
from bot.clock import FixedClock
from bot.ports import Clock
from storage import migrate

ACTIVITIES = Path(__file__).parent / "activities"
Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    server, url = await start(fake)
    yield fake, url
    await server.close()


@pytest.fixture
def fake(connector: tuple[FakeConnector, str]) -> FakeConnector:
    return connector[0]


# Tuesday 24 November 2026, just after the nudge time, in term in England.
TUESDAY_1535 = datetime(2026, 11, 24, 15, 35, tzinfo=UTC)


async def teams_services(tmp_path: Path, clock: Clock | None = None, **settings: Any) -> Services:
    services = build_services(
        Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{tmp_path}/teams.db",
            tinysteps_adapters="teams",
            **settings,
        ),
        clock=clock or FixedClock(TUESDAY_1535),
    )
    await migrate.upgrade(services.engine)
    return services


@pytest.fixture
async def services(tmp_path: Path) -> Services:
    return await teams_services(tmp_path, tinysteps_teams_insecure_local=True)


@pytest.fixture
async def bot(services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(services))) as client:
        yield client


@pytest.fixture
def captured(connector: tuple[FakeConnector, str]) -> Any:
    """Build an activity from a captured one in `activities/`, pointed at the fake connector."""

    def build(name: str, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((ACTIVITIES / name).read_text())
        data["serviceUrl"] = connector[1]
        data.update(changes)
        return data

    return build


@pytest.fixture
def activity(captured: Any) -> Any:
    """A message in the captured personal chat, with `changes`."""
    return functools.partial(captured, "personal_message.json")
