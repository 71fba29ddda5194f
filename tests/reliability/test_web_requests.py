"""Bad requests to the web chat's API get a 4xx and change nothing, never a 500 (issue 16 §2)."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from tests.reliability.conftest import LOOP, Client, Served

pytestmark = LOOP


@pytest_asyncio.fixture(loop_scope="module")
async def school(web_client: Client) -> int:
    response = await web_client.post("/api/web/schools", json={"name": "Hill Top"})
    assert response.status == 201
    return int((await response.json())["id"])


@pytest_asyncio.fixture(loop_scope="module")
async def person(web_client: Client, school: int) -> int:
    response = await web_client.post(f"/api/web/schools/{school}/people", json={"name": "Sam"})
    assert response.status == 201
    return int((await response.json())["id"])


def raw_json(text: str) -> dict[str, Any]:
    """Exactly these bytes as an `application/json` body (JSON's escapes kept as written)."""
    return {"data": text.encode(), "headers": {"Content-Type": "application/json"}}


async def test_a_lone_surrogate_in_a_school_name_is_refused(
    web_client: Client, web_app: Served
) -> None:
    status, changed = await web_app.changes(
        lambda: web_client.post("/api/web/schools", **raw_json('{"name": "Hill \\ud800"}'))
    )

    assert (status, changed) == (400, {})


async def test_a_lone_surrogate_in_a_message_is_refused(
    web_client: Client, web_app: Served, person: int
) -> None:
    body = raw_json('{"text": "log Tidied \\udfff the trays"}')

    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/people/{person}/messages", **body)
    )

    assert (status, changed) == (400, {})


async def test_json_nested_100k_deep_is_refused(web_client: Client, web_app: Served) -> None:
    deep = "[" * 100_000 + "]" * 100_000

    status, changed = await web_app.changes(
        lambda: web_client.post("/api/web/schools", **raw_json(deep))
    )

    assert (status, changed) == (400, {})


@pytest.mark.parametrize("value", ["1" * 30, "2147483648", "99999999999999999999:1,2"])
async def test_a_button_value_beyond_any_id_is_refused(
    web_client: Client, web_app: Served, person: int, value: str
) -> None:
    body = {"action": "share", "value": value}

    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/people/{person}/buttons", json=body)
    )

    assert (status, changed) == (400, {})


@pytest.mark.parametrize("name", ["Sam\x00Jones", "\x00", "Sam\x07"])
async def test_a_control_character_in_a_persons_name_is_refused(
    web_client: Client, web_app: Served, school: int, name: str
) -> None:
    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/schools/{school}/people", json={"name": name}),
    )

    assert (status, changed) == (400, {})


async def test_a_nul_in_a_school_name_is_refused(web_client: Client, web_app: Served) -> None:
    status, changed = await web_app.changes(
        lambda: web_client.post("/api/web/schools", json={"name": "Hill\x00Top"})
    )

    assert (status, changed) == (400, {})


@pytest.mark.parametrize("field", ["timezone", "role"])
async def test_a_nul_in_another_field_is_refused(
    web_client: Client, web_app: Served, school: int, field: str
) -> None:
    body = {"name": "Sam", field: "Europe/London\x00"}

    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/schools/{school}/people", json=body)
    )

    assert (status, changed) == (400, {})


async def test_a_nul_in_a_client_id_is_refused(
    web_client: Client, web_app: Served, person: int
) -> None:
    body = {"text": "log Tidied the trays", "client_id": "click\x001"}

    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/people/{person}/messages", json=body)
    )

    assert (status, changed) == (400, {})


@pytest.mark.parametrize("number", ["2147483648", "999999999999", "1" * 30, "١٢"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/web/people/{n}/messages"),
        ("POST", "/api/web/people/{n}/messages"),
        ("POST", "/api/web/people/{n}/buttons"),
        ("POST", "/api/web/people/{n}/ask"),
        ("GET", "/api/web/people/{n}/home"),
        ("GET", "/api/web/schools/{n}/people"),
        ("POST", "/api/web/schools/{n}/people"),
    ],
)
async def test_an_id_beyond_the_databases_range_is_not_found(
    web_client: Client, web_app: Served, method: str, path: str, number: str
) -> None:
    body = {"text": "log Tidied", "action": "skip", "name": "Sam"}

    status, changed = await web_app.changes(
        lambda: web_client.request(
            method, path.format(n=number), json=body if method == "POST" else None
        ),
    )

    assert (status, changed) == (404, {})


async def test_an_ordinary_message_is_still_logged(
    web_client: Client, web_app: Served, person: int
) -> None:
    body = {"text": "log Tidied the trays \U0001f600", "client_id": "click-1"}

    status, changed = await web_app.changes(
        lambda: web_client.post(f"/api/web/people/{person}/messages", json=body)
    )

    assert status == 200
    assert changed["improvement"] == 1
