"""Files for one person (charts, exports) uploaded into their DM, against the fake Slack Web API
over real HTTP: the three steps of `files_upload_v2` exactly as slack-sdk makes them."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services
from adapters.slack.messenger import SlackMessenger
from bot.conversation.replies import say
from bot.model import Actor, File, Upload
from bot.ports import Unreachable
from tests.adapters.slack.helpers import Client, command, post_form

SAM = Actor("slack", "T1", "U1", "Sam")
CSV = File(
    "hill-top.csv", "text/csv", b"\xef\xbb\xbfid,date\r\n7,2026-11-24\r\n", "Hill Top export"
)


@pytest.fixture
def messenger(client: AsyncWebClient) -> SlackMessenger:
    return SlackMessenger.fixed(client)


async def test_an_upload_lands_one_file_in_the_persons_dm(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    sent = await messenger.send(Upload(SAM, CSV, say("Here is this term's export.")))

    [shared] = fake.files_in("DU1")
    assert sent == shared.id
    assert shared.data == CSV.data
    assert (shared.filename, shared.title) == ("hill-top.csv", "Hill Top export")
    assert shared.initial_comment == "Here is this term's export."


async def test_an_uploads_comment_is_escaped_and_notifies_nobody(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    await messenger.send(Upload(SAM, CSV, say("<!channel> for <@U2> & co")))

    [shared] = fake.files_in("DU1")
    assert shared.initial_comment == "&lt;!channel&gt; for &lt;@U2&gt; &amp; co"


async def test_an_upload_to_a_deactivated_account_is_unreachable(
    messenger: SlackMessenger, fake: FakeSlack
) -> None:
    fake.disabled.add("U1")

    with pytest.raises(Unreachable, match="user_disabled"):
        await messenger.send(Upload(SAM, CSV, say("Your export.")))

    assert fake.uploads == {}


async def test_the_fake_refuses_bytes_of_another_length_than_announced(
    client: AsyncWebClient, fake: FakeSlack
) -> None:
    announced = await client.files_getUploadURLExternal(filename="x.csv", length=10)

    async with (
        aiohttp.ClientSession() as session,
        session.post(str(announced["upload_url"]), data=b"short") as posted,
    ):
        assert posted.status == 400
    with pytest.raises(SlackApiError, match="file_not_found"):
        await client.files_completeUploadExternal(
            files=[{"id": str(announced["file_id"]), "title": "x"}], channel_id="DU1"
        )
    assert fake.files_in("DU1") == []


async def test_the_fake_wants_a_bot_token_for_uploads(slack: tuple[FakeSlack, str]) -> None:
    anonymous = AsyncWebClient(base_url=slack[1])

    with pytest.raises(SlackApiError, match="not_authed"):
        await anonymous.files_getUploadURLExternal(filename="x.csv", length=10)


async def test_a_file_asked_for_by_slash_command_arrives_in_the_dm(
    bot: Client, services: Services, fake: FakeSlack
) -> None:
    response = await post_form(bot, command("export me"))  # typed in channel C1
    assert services.slack is not None
    await services.slack.wait_idle()

    assert response.status == 200
    [shared] = fake.files_in("DU1")
    assert shared.filename == "tinysteps-me.json"
    assert shared.data
