"""Files for one person on Teams (charts, exports): a small chart inside the card, anything else
behind a download link at `/files/{token}` that expires after a day."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import NO_SUCH_FILE, Services
from adapters.teams.files import DOWNLOAD_LIFETIME
from adapters.teams.render import INLINE_IMAGE_BYTES
from bot import texts
from bot.clock import FixedClock
from bot.conversation.replies import say
from bot.model import Actor, File, Upload
from storage.models import DownloadRow
from tests.adapters.teams.conftest import TUESDAY_1535, Client, teams_services

PUBLIC_URL = "https://tinysteps.example.org"
PRIYA = Actor("teams", "tenant-1", "00000000-0000-0000-0000-0000000000a1", "Priya")
SMALL_PNG = File("week.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"c" * 100, "This week")
BIG_PNG = File("term.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"c" * INLINE_IMAGE_BYTES, "Term")
CSV = File("hill-top.csv", "text/csv", b"id,text\r\n7,Tidied\r\n", "Hill Top export")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY_1535)


@pytest.fixture
def public_url() -> str | None:
    return PUBLIC_URL


@pytest.fixture
async def services(tmp_path: Path, clock: FixedClock, public_url: str | None) -> Services:
    """Teams in local mode, reachable at a public address (so files can be linked to)."""
    return await teams_services(
        tmp_path, clock, tinysteps_teams_insecure_local=True, tinysteps_public_url=public_url
    )


@pytest.fixture
async def installed(bot: Client, captured: Any, fake: FakeConnector) -> Client:
    """Priya installed Tiny Steps: her 1:1 chat is known, and the welcome is out of the way."""
    response = await bot.post("/api/messages", json=captured("installed_personal.json"))
    assert response.status == 202
    fake.sent.clear()
    return bot


async def send(
    services: Services, fake: FakeConnector, file: File, words: str = "Here it is"
) -> dict[str, Any]:
    """Send Priya the file as the scheduler would; the one card that reached her 1:1 chat."""
    assert services.teams is not None
    fake.sent.clear()
    await services.teams.messenger.send(Upload(PRIYA, file, say(words)))
    [sent] = fake.sent
    assert sent.conversation == "a:1personal"
    card: dict[str, Any] = sent.activity["attachments"][0]["content"]
    return card


def token_of(card: dict[str, Any]) -> str:
    [download] = [a for a in card.get("actions", []) if a["type"] == "Action.OpenUrl"]
    url = str(download["url"])
    assert url.startswith(f"{PUBLIC_URL}/files/")
    return url.rsplit("/", 1)[1]


async def test_a_small_chart_comes_inside_the_card_as_a_data_uri(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    card = await send(services, fake, SMALL_PNG, "This week's participation")

    texts_run, image = card["body"]
    assert texts_run["inlines"][0]["text"] == "This week's participation"
    assert image["type"] == "Image"
    assert image["url"] == "data:image/png;base64," + base64.b64encode(SMALL_PNG.data).decode()
    assert image["altText"] == "This week"
    assert "actions" not in card


async def test_a_csv_comes_as_a_download_button(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    card = await send(services, fake, CSV)

    [download] = card["actions"]
    assert download["type"] == "Action.OpenUrl"
    assert download["title"] == "Download hill-top.csv"
    assert len(token_of(card)) >= 43  # 32 random bytes


async def test_the_download_link_serves_the_csv_as_an_attachment(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    token = token_of(await send(services, fake, CSV))

    response = await installed.get(f"/files/{token}")

    assert response.status == 200
    assert await response.read() == CSV.data
    assert response.headers["Content-Type"] == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hill-top.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_big_chart_comes_as_a_link_shown_inline(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    card = await send(services, fake, BIG_PNG)

    response = await installed.get(f"/files/{token_of(card)}")

    assert [block["type"] for block in card["body"]] == ["RichTextBlock"]
    assert await response.read() == BIG_PNG.data
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == 'inline; filename="term.png"'


async def test_each_upload_gets_its_own_link(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    first = token_of(await send(services, fake, CSV))
    second = token_of(await send(services, fake, CSV))

    assert first != second


async def test_an_unknown_token_is_not_found(installed: Client) -> None:
    response = await installed.get("/files/not-a-token")

    assert response.status == 404
    assert await response.text() == NO_SUCH_FILE


async def test_a_link_expires_after_a_day_with_the_same_answer_as_an_unknown_one(
    installed: Client, services: Services, fake: FakeConnector, clock: FixedClock
) -> None:
    token = token_of(await send(services, fake, CSV))
    clock.advance(DOWNLOAD_LIFETIME - timedelta(seconds=1))
    assert (await installed.get(f"/files/{token}")).status == 200

    clock.advance(timedelta(seconds=1))
    response = await installed.get(f"/files/{token}")

    assert response.status == 404
    assert await response.text() == NO_SUCH_FILE


async def test_the_file_belongs_to_the_person_it_was_made_for(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    token = token_of(await send(services, fake, CSV))

    async with services.store.transaction() as tx:
        person = await tx.people.by_identity(PRIYA.platform, PRIYA.workspace_id, PRIYA.user_id)
        owner = await tx.session.get(DownloadRow, token)
    assert person is not None
    assert owner is not None
    assert owner.person_id == person.id


@pytest.mark.parametrize("public_url", [None])
async def test_without_a_public_address_the_card_says_where_to_get_the_file(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    card = await send(services, fake, CSV, "Your export")

    assert "actions" not in card
    assert [run["inlines"][0]["text"] for run in card["body"]] == [
        "Your export",
        texts.file_not_attached("hill-top.csv"),
    ]


@pytest.mark.parametrize("public_url", [None])
async def test_without_a_public_address_a_small_chart_still_comes_in_the_card(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    card = await send(services, fake, SMALL_PNG)

    assert card["body"][-1]["type"] == "Image"


async def test_an_export_asked_for_in_the_chat_is_answered_there_with_a_download_card(
    installed: Client, fake: FakeConnector, activity: Any
) -> None:
    await installed.post("/api/messages", json=activity(text="export"))

    [answer] = fake.sent
    assert answer.conversation == "a:1personal"
    token = token_of(answer.activity["attachments"][0]["content"])
    assert (await installed.get(f"/files/{token}")).status == 200
