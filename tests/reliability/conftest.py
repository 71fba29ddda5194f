"""Slack, Teams and the web chat over real HTTP on SQLite and PostgreSQL, and what they stored.

Each app is the one `serve` builds (`build_services` → `build_app`) on a migrated database of
each backend, so a request here meets the same column limits and drivers as in production.

One database and one app serve a whole test module (per backend): every test, and every
example of a fuzz test, compares row counts before and after its own request, so what earlier
ones stored doesn't matter; and PostgreSQL's emptying of ~35 tables, a fifth of a second, is
paid once per module rather than per test. Test modules here run in their module's event loop
(`pytestmark = LOOP`), as the apps' fixtures do.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.error import URLError

import asyncpg
import jwt
import pytest
import pytest_asyncio
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, settings
from jwt.algorithms import RSAAlgorithm
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientManager,
)
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import adapters.server
import adapters.web
from adapters.directory import Directory
from adapters.fakes import bot_connector, slack_api
from adapters.fakes.bot_connector import FakeConnector
from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app, build_services
from adapters.settings import Settings
from adapters.web.guard import CSRF_HEADER
from adapters.web.messenger import WebMessenger
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.schedule import Scheduler
from storage.engine import create_engine
from storage.models import metadata
from storage.store import SqlStore
from tests.adapters.slack.helpers import SECRET
from tests.adapters.teams.conftest import TUESDAY_1535
from tests.adapters.web.conftest import TUESDAY, page_token
from tests.conftest import BACKENDS, POSTGRES_URL, run_apart
from tests.reliability import results

Client = TestClient[web.Request, web.Application]

LOOP = pytest.mark.asyncio(loop_scope="module")  # every test module here: `pytestmark = LOOP`

# The fuzz tests: the same examples on every run (`derandomize`, no example database), no time
# limit per example (a request takes a few milliseconds, the first one that loads the theme
# classifier a few seconds). `TINYSTEPS_FUZZ_SCALE=20` runs twenty times as many examples.
FUZZ = settings(
    derandomize=False,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_SCALE = int(os.environ.get("TINYSTEPS_FUZZ_SCALE", "1"))


def examples(count: int) -> int:
    """How many examples a fuzz test runs: `count`, times `TINYSTEPS_FUZZ_SCALE`."""
    return count * FUZZ_SCALE


TESTS = Path(__file__).parent.parent
SLACK_PAYLOADS = TESTS / "adapters" / "slack" / "payloads"
TEAMS_PAYLOADS = TESTS / "adapters" / "teams" / "payloads"
TEAMS_ACTIVITIES = TESTS / "adapters" / "teams" / "activities"

APP_ID = "00000000-0000-0000-0000-00000000b075"
BOT_FRAMEWORK = "https://api.botframework.com"  # the issuer of the Bot Connector's tokens


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


async def stored(engine: AsyncEngine) -> dict[str, int]:
    """Rows in every table: a request that must write nothing leaves this unchanged."""
    counts = " UNION ALL ".join(
        f"SELECT '{t.name}', COUNT(*) FROM \"{t.name}\"" for t in metadata.sorted_tables
    )
    async with engine.connect() as connection:
        return {name: count for name, count in await connection.execute(text(counts))}


async def _nothing_to_wait_for() -> None:
    return None


class Failures(logging.Handler):
    """What our adapters log as failed (a handler that raised, a turn that failed): answered
    politely (Slack's interactions and commands get a 200 and an apology), so only the log
    tells of it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Served:
    """An app under test: its client, its database, and how to wait for work it started in
    the background (a team's roster, a slow command) before counting rows."""

    client: Client
    engine: AsyncEngine
    settle: Callable[[], Awaitable[None]] = _nothing_to_wait_for
    failures: Failures = field(default_factory=Failures)
    failed: list[str] = field(default_factory=list)  # by the last request `changes` sent

    async def changes(
        self, send: Callable[[], Awaitable[ClientResponse]]
    ) -> tuple[int, dict[str, int]]:
        """The status of a request, and how many rows each table gained or lost by it; what
        failed while it was handled is left in `failed`."""
        before = await stored(self.engine)
        self.failures.records.clear()
        response = await send()
        await response.read()
        await self.settle()
        self.failed = [record.getMessage() for record in self.failures.records]
        after = await stored(self.engine)
        return response.status, {t: after[t] - before[t] for t in after if after[t] != before[t]}


@contextlib.contextmanager
def served(client: Client, engine: AsyncEngine, **more: Any) -> Iterator[Served]:
    """A `Served` app, listening to the `adapters` loggers for failures while it runs."""
    app = Served(client, engine, **more)
    adapters_log = logging.getLogger("adapters")
    adapters_log.addHandler(app.failures)
    try:
        yield app
    finally:
        adapters_log.removeHandler(app.failures)


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database of each backend, for one test module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("reliability") / "tinysteps.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
    else:
        engine = create_engine(POSTGRES_URL, search_path=request.getfixturevalue("postgres_schema"))
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    await engine.dispose()


def _services_on(engine: AsyncEngine, **settings: Any) -> Services:
    """The composition root's services, on this module's (already migrated) database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(adapters.server, "create_engine", lambda *_, **__: engine)
        return build_services(
            Settings(_env_file=None, database_url="sqlite+aiosqlite://", **settings),  # type: ignore[call-arg]
            clock=FixedClock(TUESDAY_1535),
        )


# --- Slack -----------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def slack_api_fake() -> AsyncIterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    fake.add_user("U1", "Sam Jones", tz="Europe/London")
    server, url = await slack_api.start(fake)
    yield fake, url
    await server.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def slack_app(
    database: AsyncEngine, slack_api_fake: tuple[FakeSlack, str]
) -> AsyncIterator[Served]:
    """One workspace (T1, with Sam Jones as U1) over HTTP, signed with `helpers.SECRET`."""
    services = _services_on(
        database,
        slack_api_url=slack_api_fake[1],
        tinysteps_adapters="slack",
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SECRET),
    )
    slack = services.slack
    assert slack is not None
    async with TestClient(TestServer(build_app(services))) as client:
        slack.pacer.interval = 0.0
        await slack.wait_idle()  # the workspace and its members are in
        with served(client, database, settle=slack.wait_idle) as app:
            yield app
        await slack.wait_idle()


@pytest.fixture
def slack_bot(slack_app: Served) -> Client:
    return slack_app.client


# --- Teams -----------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    server, url = await bot_connector.start(fake)
    yield fake, url
    await server.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def teams_app(database: AsyncEngine) -> AsyncIterator[Served]:
    """Teams in the explicit local mode: activities need no token."""
    services = _services_on(
        database, tinysteps_adapters="teams", tinysteps_teams_insecure_local=True
    )
    teams = services.teams
    assert teams is not None
    async with TestClient(TestServer(build_app(services))) as client:
        with served(client, database, settle=teams.settled) as app:
            yield app
        await teams.settled()


@pytest.fixture
def teams_bot(teams_app: Served) -> Client:
    return teams_app.client


@dataclass
class KeyEndpoint:
    """Microsoft's signing-key endpoint as the SDK's key client reaches it (urllib), faked:
    it counts every fetch, and can be made unreachable."""

    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "key-1"
    fetched: list[str] = field(default_factory=list)
    reachable: bool = True

    def jwks(self) -> bytes:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return json.dumps({"keys": [{**public, "kid": self.kid, "use": "sig"}]}).encode()

    def open(self, request: Any, timeout: float | None = None) -> io.BytesIO:
        self.fetched.append(request.full_url)
        if not self.reachable:
            raise URLError("no route to login.botframework.com")
        return io.BytesIO(self.jwks())

    def token(self, *, headers: dict[str, Any] | None = None, **claims: Any) -> str:
        """A token as the Bot Connector signs it for this app (override any claim or header)."""
        now = int(time.time())
        body = {"iss": BOT_FRAMEWORK, "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 600}
        body.update(claims)
        return jwt.encode(
            body, self.key, algorithm="RS256", headers={"kid": self.kid, **(headers or {})}
        )


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    """One RSA key per module: making one takes a tenth of a second."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def key_endpoint(monkeypatch: pytest.MonkeyPatch, signing_key: rsa.RSAPrivateKey) -> KeyEndpoint:
    """A fresh process's key cache (the SDK keeps it on a class), and the fake endpoint."""
    endpoint = KeyEndpoint(key=signing_key)

    class Opener:
        def __init__(self, *_: Any) -> None: ...

        def open(self, request: Any, timeout: float | None = None) -> io.BytesIO:
            return endpoint.open(request, timeout)

    monkeypatch.setattr("urllib.request.build_opener", Opener)
    fresh = _JwkClientManager()  # type: ignore[no-untyped-call]
    monkeypatch.setattr(JwtTokenValidator, "_jwk_client_manager", fresh)
    return endpoint


@pytest.fixture
def past_authentication(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stop a request once its token is accepted, noting its activity's type: handling it
    would first get a token of our own from Entra (a real outbound call), which is not what
    the tests of tokens are about."""
    accepted: list[str] = []

    async def process(_: CloudAdapter, request: web.Request, __: object) -> web.Response:
        accepted.append(str((await request.json()).get("type")))
        return web.Response(status=202)

    monkeypatch.setattr(CloudAdapter, "process", process)
    return accepted


def b64(data: bytes) -> str:
    """Base64url without padding, as JWTs write their parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest_asyncio.fixture(loop_scope="module")
async def teams_jwt_app(database: AsyncEngine, key_endpoint: KeyEndpoint) -> AsyncIterator[Served]:
    """Teams as deployed: every activity must carry the Bot Connector's token. One per test,
    as the key cache it installs starts empty."""
    services = _services_on(
        database,
        tinysteps_adapters="teams",
        microsoft_app_id=APP_ID,
        microsoft_app_password=SecretStr("not-used"),
    )
    async with TestClient(TestServer(build_app(services))) as client:
        with served(client, database) as app:
            yield app


@pytest.fixture
def teams_jwt_bot(teams_jwt_app: Served) -> Client:
    return teams_jwt_app.client


# --- the web chat ----------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def web_app(database: AsyncEngine) -> AsyncIterator[Served]:
    """The page's own session on the web chat: every API call carries its CSRF token."""
    store, clock = SqlStore(database), FixedClock(TUESDAY)
    chat = web.Application(client_max_size=adapters.server.MAX_REQUEST_BYTES)
    adapters.web.setup(
        chat,
        conversation=Conversation(store, clock),
        directory=Directory(store, clock, default_timezone="Europe/London"),
        store=store,
        clock=clock,
        scheduler=Scheduler(store, WebMessenger(store, clock), clock, worker="web-test"),
    )
    async with TestClient(TestServer(chat)) as client:
        client.session.headers[CSRF_HEADER] = await page_token(client)
        with served(client, database) as app:
            yield app


@pytest.fixture
def web_client(web_app: Served) -> Client:
    return web_app.client


# --- the reliability scenarios' figures (test_load.py, test_faults.py) -------------------------

CALL_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each test's outcome, for its scenario's figures to be recorded with it."""
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


async def _postgres_version() -> str:
    try:
        connection = await asyncpg.connect(
            POSTGRES_URL.replace("postgresql+asyncpg", "postgresql"), timeout=5
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return "unreachable"
    try:
        return str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def reliability_machine() -> dict[str, Any]:
    """The machine, Python and PostgreSQL of this run, noted with every scenario's figures."""
    return results.machine(run_apart(_postgres_version))


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest, reliability_machine: dict[str, Any]
) -> Iterator[results.Scenario]:
    """A scenario's figures, recorded in `.reliability/results.json` when the test ends, with
    its outcome: a failing run's figures are kept too (`python -m tests.reliability.report`)."""
    figures = results.Scenario()
    yield figures
    report = request.node.stash.get(CALL_REPORT, None)
    outcome = report.outcome if report is not None else "error"
    figures.record(test=request.node.nodeid, outcome=outcome, machine_info=reliability_machine)
