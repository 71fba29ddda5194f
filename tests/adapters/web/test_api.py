"""The web chat's JSON API, over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from bot import texts
from tests.adapters.web.conftest import Client
from tests.logged import logged


async def post(client: Client, path: str, body: Any, status: int = 200) -> Any:
    response = await client.post(path, json=body)
    assert response.status == status, await response.text()
    return await response.json()


@pytest.fixture
async def person(client: Client) -> int:
    school = await post(client, "/api/web/schools", {"name": "Hill Top"}, 201)
    added = await post(
        client, f"/api/web/schools/{school['id']}/people", {"name": "Sam", "role": "staff"}, 201
    )
    return int(added["id"])


def texts_of(transcript: list[dict[str, Any]]) -> list[str]:
    return [m["content"]["fallback"] for m in transcript]


async def test_the_page_is_served_at_the_root(client: Client) -> None:
    response = await client.get("/")

    assert response.status == 200
    assert "Tiny Steps" in await response.text()


async def test_the_page_links_a_favicon_that_is_served(client: Client) -> None:
    page = await (await client.get("/")).text()
    icon = await client.get("/static/favicon.svg")

    assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert icon.status == 200
    assert icon.content_type == "image/svg+xml"


async def test_a_new_school_and_person_are_listed(client: Client, person: int) -> None:
    schools = await (await client.get("/api/web/schools")).json()
    people = await (await client.get(f"/api/web/schools/{schools[0]['id']}/people")).json()

    assert [p["name"] for p in people] == ["Sam"]
    assert people[0]["id"] == person


async def test_asking_shows_the_welcome_and_the_question(client: Client, person: int) -> None:
    transcript = await post(client, f"/api/web/people/{person}/ask", {})

    assert "Welcome to Tiny Steps" in transcript[0]["content"]["fallback"]
    assert "improved today" in transcript[-1]["content"]["fallback"]


async def test_an_answer_is_logged_and_the_question_is_updated(client: Client, person: int) -> None:
    asked = await post(client, f"/api/web/people/{person}/ask", {})
    question = asked[-1]["id"]

    transcript = await post(
        client, f"/api/web/people/{person}/messages", {"text": "Tidied the reading corner"}
    )

    assert transcript[-2]["author"] == "person"
    assert transcript[-2]["content"]["fallback"] == "Tidied the reading corner"
    assert transcript[-1]["content"]["fallback"].startswith("Logged")
    updated = next(m for m in transcript if m["id"] == question)
    assert "buttons" not in [block["type"] for block in updated["content"]["blocks"]]


async def test_a_repeated_request_is_stored_once(client: Client, person: int) -> None:
    body = {"text": "log one step", "client_id": "same-click"}
    await post(client, f"/api/web/people/{person}/messages", body)

    transcript = await post(client, f"/api/web/people/{person}/messages", body)

    assert texts_of(transcript).count("log one step") == 1


async def test_log_lines_written_while_handling_a_request_name_its_event_id(
    client: Client, person: int
) -> None:
    body = {"text": "log one step", "client_id": "tagged-click"}
    await post(client, f"/api/web/people/{person}/messages", body)

    with logged() as lines:
        await post(client, f"/api/web/people/{person}/messages", body)

    assert lines.event_of("ignoring repeated web event") == "web-tagged-click"


async def test_a_slash_command_is_understood(client: Client, person: int) -> None:
    transcript = await post(
        client, f"/api/web/people/{person}/messages", {"text": "/tinysteps help"}
    )

    assert "Here's what I understand" in "\n".join(texts_of(transcript))


async def test_buttons_are_pressed_through_the_api(client: Client, person: int) -> None:
    await post(client, f"/api/web/people/{person}/ask", {})

    transcript = await post(
        client, f"/api/web/people/{person}/buttons", {"action": "skip", "value": ""}
    )

    assert "skip today" in transcript[-1]["content"]["fallback"]


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        ("/api/web/schools", {"name": ""}, 400, "give a name"),
        ("/api/web/schools", {"name": "X", "timezone": "Mars/Olympus"}, 400, "time zone"),
        ("/api/web/schools", ["not", "an", "object"], 400, "didn't make sense"),
        ("/api/web/schools", {"name": 42}, 400, "didn't make sense"),
        ("/api/web/people/999/messages", {"text": "hi"}, 404, "can't find that person"),
        ("/api/web/people/abc/messages", {"text": "hi"}, 404, "can't find that person"),
    ],
)
async def test_bad_requests_get_a_clear_refusal(
    client: Client, path: str, body: Any, status: int, words: str
) -> None:
    refusal = await post(client, path, body, status)

    assert words in refusal["error"]


async def test_malformed_json_is_refused(client: Client) -> None:
    response = await client.post(
        "/api/web/schools", data=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert "didn't make sense" in (await response.json())["error"]


async def test_an_unknown_role_is_refused(client: Client, person: int) -> None:
    schools = await (await client.get("/api/web/schools")).json()

    refusal = await post(
        client, f"/api/web/schools/{schools[0]['id']}/people", {"name": "Eve", "role": "owner"}, 400
    )

    assert "staff, leader or admin" in refusal["error"]


async def test_a_blank_message_is_refused(client: Client, person: int) -> None:
    refusal = await post(client, f"/api/web/people/{person}/messages", {"text": "   "}, 400)

    assert "Type a message" in refusal["error"]


async def test_an_oversize_body_is_refused_without_storing(client: Client, person: int) -> None:
    response = await client.post(f"/api/web/people/{person}/messages", json={"text": "x" * 100_000})

    assert response.status == 413
    transcript = await (await client.get(f"/api/web/people/{person}/messages")).json()
    assert transcript == []


async def test_odd_text_is_kept_exactly(client: Client, person: int) -> None:
    words = "<b>bold</b> <!channel> مرحبا 👩🏽‍🏫"

    transcript = await post(client, f"/api/web/people/{person}/messages", {"text": f"log {words}"})

    assert any(
        words in m["content"]["fallback"]
        or any(b.get("text") == words for b in m["content"]["blocks"])
        for m in transcript
    )


def blocks_of(home: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [block for block in home["blocks"] if block["type"] == kind]


async def test_a_new_persons_steps_say_nothing_is_logged_yet(client: Client, person: int) -> None:
    home = await (await client.get(f"/api/web/people/{person}/home")).json()

    assert blocks_of(home, "heading")[0]["text"] == texts.HOME_HEADING
    assert texts.HOME_NOTHING_YET in [block["text"] for block in blocks_of(home, "paragraph")]


async def test_a_persons_steps_list_what_they_logged(client: Client, person: int) -> None:
    await post(client, f"/api/web/people/{person}/messages", {"text": "log Tidied the corner"})

    home = await (await client.get(f"/api/web/people/{person}/home")).json()

    (recent,) = blocks_of(home, "list")
    (entry,) = recent["items"]
    assert entry.endswith(": Tidied the corner")


async def test_the_steps_of_someone_unknown_are_not_found(client: Client) -> None:
    response = await client.get("/api/web/people/999/home")

    assert response.status == 404
    assert "can't find that person" in (await response.json())["error"]


async def test_a_slack_persons_steps_are_not_read(client: Client, slack_person: int) -> None:
    response = await client.get(f"/api/web/people/{slack_person}/home")

    assert response.status == 404


async def test_tools_that_ask_for_favicon_ico_get_the_icon(client: Client) -> None:
    icon = await client.get("/favicon.ico")

    assert icon.status == 200
    assert icon.content_type == "image/svg+xml"
