"""A web chat app over real HTTP, and a browser-like session on it (page first, then the API)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

import adapters.web
from adapters.directory import Directory
from adapters.web.guard import CSRF_HEADER
from adapters.web.messenger import WebMessenger
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.ports import NewPerson, Role
from bot.schedule import Scheduler
from storage.store import SqlStore

Client = TestClient[web.Request, web.Application]
TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def page_token(client: Client) -> str:
    """Open the page as a browser does: it sets the session cookie and carries the CSRF token."""
    page = await (await client.get("/")).text()
    found = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page)
    assert found, "the page carries a CSRF token"
    return found.group(1)


@pytest.fixture
def web_app(engine: AsyncEngine) -> web.Application:
    store, clock = SqlStore(engine), FixedClock(TUESDAY)
    app = web.Application(client_max_size=64 * 1024)
    adapters.web.setup(
        app,
        conversation=Conversation(store, clock),
        directory=Directory(store, clock, default_timezone="Europe/London"),
        store=store,
        clock=clock,
        scheduler=Scheduler(store, WebMessenger(store, clock), clock, worker="web-test"),
    )
    return app


@pytest.fixture
async def stranger(web_app: web.Application) -> AsyncIterator[Client]:
    """A client that never opened the page: no session, no token."""
    async with TestClient(TestServer(web_app)) as client:
        yield client


@pytest.fixture
async def client(web_app: web.Application) -> AsyncIterator[Client]:
    """The page's own session: every API call carries its CSRF token, as app.js sends it."""
    async with TestClient(TestServer(web_app)) as client:
        client.session.headers[CSRF_HEADER] = await page_token(client)
        yield client


@pytest.fixture
async def slack_person(engine: AsyncEngine) -> int:
    """A real Slack school and teacher, whom the web chat must never reach."""
    async with SqlStore(engine).transaction() as tx:
        school = await tx.schools.create("Slack Academy", timezone="Europe/London")
        await tx.schools.link_workspace(school.id, "slack", "T123")
        person = await tx.people.create(
            NewPerson(school.id, "slack", "T123", "U123", "Ada", None, Role.STAFF), at=TUESDAY
        )
        return person.id
