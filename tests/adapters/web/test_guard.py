"""The web chat is locked to this machine, this page and this session (issue 16 §1).

Each test is an attack that worked before: another origin, a rebinding `Host`, a `text/plain`
form, no token, or reaching Slack people and schools through the web chat.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.directory import Directory
from adapters.web.guard import CSRF_HEADER, SESSION_COOKIE
from storage.store import SqlStore
from tests.adapters.web.conftest import Client, page_token

STATIC = Path(__file__).resolve().parents[3] / "adapters" / "web" / "static"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def schools(client: Client) -> list[str]:
    response = await client.get("/api/web/schools")
    assert response.status == 200
    return [s["name"] for s in await response.json()]


async def test_the_page_forbids_framing_inline_script_and_referrers(client: Client) -> None:
    response = await client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_style() -> None:
    page = (STATIC / "index.html").read_text()

    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert not re.search(r"\son\w+=|\sstyle=", page)


async def test_the_page_starts_a_private_session(stranger: Client) -> None:
    response = await stranger.get("/")

    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"


async def test_an_api_call_without_the_pages_token_is_refused(stranger: Client) -> None:
    response = await stranger.post("/api/web/schools", json={"name": "Forged"})

    assert response.status == 403
    assert "reload the page" in (await response.json())["error"]


async def test_a_token_from_another_session_is_refused(
    client: Client, web_app: web.Application
) -> None:
    async with TestClient(TestServer(web_app)) as other:
        await page_token(other)  # a session of its own, but another browser's token
        response = await other.post(
            "/api/web/schools",
            json={"name": "Forged"},
            headers={CSRF_HEADER: client.session.headers[CSRF_HEADER]},
        )

    assert response.status == 403
    assert await schools(client) == []


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:3000", "10.0.0.5:3000"])
async def test_a_rebinding_host_is_refused(client: Client, host: str) -> None:
    page = await client.get("/", headers={"Host": host})
    api = await client.post("/api/web/schools", json={"name": "Forged"}, headers={"Host": host})

    assert (page.status, api.status) == (403, 403)
    assert await schools(client) == []


@pytest.mark.parametrize("origin", ["https://attacker.example", "null", "http://127.0.0.1:1"])
async def test_another_origin_is_refused(client: Client, origin: str) -> None:
    response = await client.post(
        "/api/web/schools", json={"name": "Forged"}, headers={"Origin": origin}
    )

    assert response.status == 403
    assert await schools(client) == []


async def test_the_pages_own_origin_is_accepted(client: Client) -> None:
    origin = f"http://{client.host}:{client.port}"

    response = await client.post(
        "/api/web/schools", json={"name": "Hill Top"}, headers={"Origin": origin}
    )

    assert response.status == 201


async def test_a_plain_text_body_is_refused(client: Client) -> None:
    response = await client.post(
        "/api/web/schools", data='{"name": "Forged"}', headers={"Content-Type": "text/plain"}
    )

    assert response.status == 415
    assert await schools(client) == []


async def test_refusals_carry_the_security_headers_too(stranger: Client) -> None:
    response = await stranger.get("/api/web/schools")

    assert response.status == 403
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


async def test_slack_schools_are_not_listed(client: Client, slack_person: int) -> None:
    assert await schools(client) == []


@pytest.mark.parametrize("path", ["messages", "ask", "buttons"])
async def test_a_slack_person_cannot_be_acted_as(
    client: Client, slack_person: int, path: str
) -> None:
    response = await client.post(
        f"/api/web/people/{slack_person}/{path}", json={"text": "undo", "action": "skip"}
    )

    assert response.status == 404


async def test_a_slack_persons_transcript_is_not_read(client: Client, slack_person: int) -> None:
    response = await client.get(f"/api/web/people/{slack_person}/messages")

    assert response.status == 404


async def test_nobody_joins_a_slack_school_through_the_web_chat(
    client: Client, engine: AsyncEngine, slack_person: int
) -> None:
    async with SqlStore(engine).transaction() as tx:
        (school,) = await tx.schools.all()

    response = await client.post(
        f"/api/web/schools/{school.id}/people", json={"name": "Mallory", "role": "admin"}
    )

    assert response.status == 400
    async with SqlStore(engine).transaction() as tx:
        assert [p.display_name for p in await tx.people.in_school(school.id)] == ["Ada"]


async def test_a_failure_inside_is_a_json_apology_not_a_bare_500(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(_: Directory) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Directory, "web_schools", fail)
    response = await client.get("/api/web/schools")

    assert response.status == 500
    assert "something went wrong" in (await response.json())["error"]
