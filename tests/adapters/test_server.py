"""The composition root: health checks and start-up refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.server import (
    StartupError,
    build_app,
    build_services,
    check_startup,
    content_disposition,
)
from adapters.settings import Settings
from storage import migrate


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    services = build_services(settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db"))
    await migrate.upgrade(services.engine)
    async with TestClient(TestServer(build_app(services))) as client:
        yield client


async def test_healthz_answers(client: TestClient[web.Request, web.Application]) -> None:
    response = await client.get("/healthz")

    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_readyz_answers_when_the_database_does(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/readyz")

    assert response.status == 200


async def test_readyz_is_503_when_the_database_is_unreachable() -> None:
    unreachable = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    services = build_services(settings(database_url=unreachable))
    async with TestClient(TestServer(build_app(services))) as client:
        response = await client.get("/readyz")

        assert response.status == 503


def test_anonymous_teams_is_refused_on_a_public_address() -> None:
    with pytest.raises(StartupError, match="loopback"):
        check_startup(
            settings(tinysteps_teams_insecure_local=True, tinysteps_adapters="teams"), "0.0.0.0"
        )


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_anonymous_teams_setting_is_allowed_on_loopback(host: str) -> None:
    check_startup(settings(tinysteps_teams_insecure_local=True, tinysteps_adapters="teams"), host)


SLACK = {"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"}


@pytest.mark.parametrize(
    "values",
    [{}, {"tinysteps_adapters": "web"}, {"tinysteps_adapters": "slack,web", **SLACK}],
    ids=["implicit", "web", "slack-and-web"],
)
def test_the_web_chat_is_refused_on_a_public_address(values: dict[str, str]) -> None:
    with pytest.raises(StartupError, match="web chat has no sign-in"):
        check_startup(settings(**values), "0.0.0.0")


def test_a_platform_alone_may_serve_a_public_address() -> None:
    check_startup(settings(**SLACK), "0.0.0.0")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_the_web_chat_is_allowed_on_loopback(host: str) -> None:
    check_startup(settings(tinysteps_adapters="web"), host)


def test_a_plain_filename_is_sent_as_it_is() -> None:
    assert content_disposition("attachment", "export.csv") == 'attachment; filename="export.csv"'


def test_an_odd_filename_cannot_break_the_header_and_keeps_its_real_name() -> None:
    header = content_disposition("attachment", 'Çà "x"\r\n.csv')

    assert header == (
        "attachment; filename=\"__ _x___.csv\"; filename*=UTF-8''%C3%87%C3%A0%20%22x%22%0D%0A.csv"
    )


async def test_an_unknown_download_link_is_not_found(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/files/" + "x" * 43)

    assert response.status == 404
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
async def guarded(tmp_path: Path) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """A server whose `/metrics` needs a token."""
    services = build_services(
        settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db",
            tinysteps_metrics_token=SecretStr("scrape-me"),
        )
    )
    await migrate.upgrade(services.engine)
    async with TestClient(TestServer(build_app(services))) as client:
        yield client


async def test_metrics_with_a_token_set_need_it(
    guarded: TestClient[web.Request, web.Application],
) -> None:
    assert (await guarded.get("/metrics")).status == 401
    wrong = await guarded.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status == 401


async def test_metrics_with_the_right_token_are_served(
    guarded: TestClient[web.Request, web.Application],
) -> None:
    response = await guarded.get("/metrics", headers={"Authorization": "Bearer scrape-me"})

    assert response.status == 200
    assert "tinysteps_deliveries_total" in await response.text()


async def test_metrics_without_a_token_are_served_to_this_machine(
    client: TestClient[web.Request, web.Application],
) -> None:
    assert (await client.get("/metrics")).status == 200


async def test_metrics_without_a_token_are_refused_through_a_proxy(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})

    assert response.status == 401
