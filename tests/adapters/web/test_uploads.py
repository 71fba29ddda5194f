"""Files for one person (charts, exports) in the web chat: kept in their transcript whole, and
read back through the API in the shape the page draws (`fileBlock` in app.js)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.web.messenger import WebMessenger
from adapters.web.render import upload_json
from bot.clock import FixedClock
from bot.conversation.replies import say
from bot.model import File, Upload
from bot.people.membership import actor_of
from storage.store import SqlStore
from tests.adapters.web.conftest import TUESDAY, Client

PNG = File("participation.png", "image/png", b"\x89PNG\r\n\x1a\n-chart-", "Participation")
CSV = File("hill-top.csv", "text/csv", b"id,text\r\n7,=1+1\r\n", "Hill Top export")


@pytest.fixture
async def person(client: Client) -> int:
    school = await (await client.post("/api/web/schools", json={"name": "Hill Top"})).json()
    added = await client.post(
        f"/api/web/schools/{school['id']}/people", json={"name": "Sam", "role": "leader"}
    )
    return int((await added.json())["id"])


async def upload(engine: AsyncEngine, person_id: int, file: File, words: str) -> str | None:
    store = SqlStore(engine)
    async with store.transaction() as tx:
        person = await tx.people.get(person_id)
    assert person is not None
    return await WebMessenger(store, FixedClock(TUESDAY)).send(
        Upload(actor_of(person), file, say(words))
    )


async def transcript(client: Client, person: int) -> list[dict[str, Any]]:
    response = await client.get(f"/api/web/people/{person}/messages")
    assert response.status == 200
    messages: list[dict[str, Any]] = await response.json()
    return messages


async def test_a_chart_appears_after_its_comment_as_a_data_uri(
    client: Client, engine: AsyncEngine, person: int
) -> None:
    sent = await upload(engine, person, PNG, "This week's participation")

    [message] = await transcript(client, person)
    assert str(message["id"]) == sent
    assert message["author"] == "bot"
    assert message["content"]["fallback"] == "This week's participation"
    assert message["content"]["private"] is False
    comment, file = message["content"]["blocks"]
    assert comment == {"type": "paragraph", "text": "This week's participation"}
    assert file == {
        "type": "file",
        "filename": "participation.png",
        "mime": "image/png",
        "title": "Participation",
        "url": "data:image/png;base64," + base64.b64encode(PNG.data).decode(),
    }


async def test_an_export_comes_whole_for_the_page_to_offer_as_a_download(
    client: Client, engine: AsyncEngine, person: int
) -> None:
    await upload(engine, person, CSV, "Your export")

    [message] = await transcript(client, person)
    file = message["content"]["blocks"][-1]
    assert (file["type"], file["filename"], file["mime"]) == ("file", "hill-top.csv", "text/csv")
    prefix = "data:text/csv;base64,"
    assert file["url"].startswith(prefix)
    assert base64.b64decode(file["url"][len(prefix) :]) == CSV.data


def test_an_uploads_comment_keeps_its_blocks_before_the_file() -> None:
    rendered = upload_json(say("Here it is"), CSV)

    assert [block["type"] for block in rendered["blocks"]] == ["paragraph", "file"]
