"""Teams end to end over HTTP: activities posted to /api/messages, replies observed at the
fake Bot Connector their serviceUrl points to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services, build_app
from adapters.teams.render import ACTION_KEY, FORM_KEY
from tests.adapters.teams.conftest import Client, teams_services
from tests.logged import logged
from tests.posts import posted


async def post(bot: Client, body: dict[str, Any]) -> int:
    response = await bot.post("/api/messages", json=body)
    return response.status


async def entries(services: Services) -> list[str]:
    async with services.store.transaction() as tx:
        person = await tx.people.by_identity(
            "teams", "tenant-1", "00000000-0000-0000-0000-0000000000a1"
        )
        assert person is not None
        return [e.text for e in await tx.improvements.recent_for(person.id, 10)]


async def test_typed_help_is_answered_with_a_card_in_the_chat(
    bot: Client, fake: FakeConnector, activity: Any
) -> None:
    status = await post(bot, activity(text="help"))

    assert status == 202
    assert fake.sent[0].conversation == "a:1personal"
    assert fake.sent[0].reply_to == "1764000000001"
    assert "Here's what I understand" in fake.texts()


async def test_typed_log_logs_and_confirms_with_the_streak(
    bot: Client, services: Services, fake: FakeConnector, activity: Any
) -> None:
    await post(bot, activity(text="log Started lessons with a recap"))

    assert await entries(services) == ["Started lessons with a recap"]
    assert "Streak" in fake.texts()


async def test_the_log_button_sends_the_form_as_a_card(
    bot: Client, fake: FakeConnector, activity: Any
) -> None:
    await post(bot, activity(text=None, value={ACTION_KEY: "log_form", "value": ""}))

    form = fake.cards()[-1]
    assert form["body"][-1]["type"] == "Input.Text"
    assert form["actions"][0]["data"] == {FORM_KEY: "log"}


async def test_submitting_the_card_form_logs_the_step(
    bot: Client, services: Services, activity: Any
) -> None:
    await post(bot, activity(text=None, value={FORM_KEY: "log", "text": "Labelled the trays"}))

    assert await entries(services) == ["Labelled the trays"]


async def test_a_retried_activity_is_handled_once(
    bot: Client, services: Services, activity: Any
) -> None:
    await post(bot, activity(text="log Only once"))
    await post(bot, activity(text="log Only once"))

    assert await entries(services) == ["Only once"]


async def test_log_lines_written_while_handling_an_activity_name_its_id(
    bot: Client, activity: Any
) -> None:
    await post(bot, activity(text="log Only once", id="activity-tagged"))

    with logged() as lines:
        await post(bot, activity(text="log Only once", id="activity-tagged"))

    assert lines.event_of("ignoring repeated teams event") == "activity-tagged"


@pytest.fixture
async def single_tenant(tmp_path: Path) -> AsyncIterator[tuple[Client, Services]]:
    """A bot registered in tenant-1 only (`MICROSOFT_APP_TENANT_ID`)."""
    services = await teams_services(
        tmp_path, tinysteps_teams_insecure_local=True, microsoft_app_tenant_id="tenant-1"
    )
    async with TestClient(TestServer(build_app(services))) as bot:
        yield bot, services


async def test_a_single_tenant_bot_ignores_activities_from_other_tenants(
    single_tenant: tuple[Client, Services], activity: Any
) -> None:
    bot, services = single_tenant
    elsewhere = activity(
        text="log From another organisation",
        conversation={"conversationType": "personal", "tenantId": "tenant-2", "id": "a:elsewhere"},
        channelData={"tenant": {"id": "tenant-2"}},
    )

    assert await post(bot, elsewhere) == 202
    async with services.store.transaction() as tx:
        assert await tx.schools.for_workspace("teams", "tenant-2") is None


async def test_a_single_tenant_bot_answers_its_own_tenant(
    single_tenant: tuple[Client, Services], activity: Any
) -> None:
    bot, services = single_tenant

    await post(bot, activity(text="log Ours"))

    assert await entries(services) == ["Ours"]


async def test_a_body_that_is_not_json_is_refused(bot: Client) -> None:
    response = await bot.post(
        "/api/messages", data="{nope", headers={"Content-Type": "application/json"}
    )

    assert response.status == 400


async def test_a_json_body_that_is_not_an_activity_is_refused(bot: Client) -> None:
    assert await post(bot, {"hello": "world"}) == 400


async def test_an_unauthenticated_activity_is_refused_when_an_app_id_is_set(
    tmp_path: Path, activity: Any
) -> None:
    services = await teams_services(
        tmp_path,
        microsoft_app_id="00000000-0000-0000-0000-00000000b075",
        microsoft_app_password="x",
    )
    async with TestClient(TestServer(build_app(services))) as client:
        response = await client.post("/api/messages", json=activity(text="help"))

    assert response.status == 401


async def test_a_reaction_on_a_broadcast_improvement_is_a_vote(
    bot: Client, services: Services, activity: Any
) -> None:
    await post(bot, activity(text="log Swapped homework to Mondays"))
    async with services.store.transaction() as tx:
        person = await tx.people.by_identity(
            "teams", "tenant-1", "00000000-0000-0000-0000-0000000000a1"
        )
        assert person is not None
        entry = await tx.improvements.last_for(person.id)
        assert entry is not None
        await posted(
            tx,
            entry,
            platform="teams",
            workspace_id="tenant-1",
            channel_id="19:showcase@thread",
            message_id="post-9",
            at=services.clock.now(),
        )
    colleague = {"id": "29:2def", "name": "Tom Reed", "aadObjectId": "tom-object-id"}

    status = await post(
        bot,
        activity(
            type="messageReaction",
            id="react-1",
            text=None,
            replyToId="post-9",
            reactionsAdded=[{"type": "like"}],
            **{"from": colleague},
        ),
    )

    assert status == 202
    async with services.store.transaction() as tx:
        assert await tx.votes.count(entry.id) == 1


async def test_the_time_zone_teams_reports_becomes_the_persons(
    bot: Client, services: Services, activity: Any
) -> None:
    travelling = [{"type": "clientInfo", "locale": "en-US", "timezone": "America/New_York"}]

    await post(bot, activity(text="help", entities=travelling, localTimezone="America/New_York"))

    async with services.store.transaction() as tx:
        person = await tx.people.by_identity(
            "teams", "tenant-1", "00000000-0000-0000-0000-0000000000a1"
        )
    assert person is not None
    assert (person.display_name, person.timezone) == ("Priya Shah", "America/New_York")


async def test_a_reference_is_rewritten_only_when_the_place_changes(
    bot: Client, services: Services, activity: Any
) -> None:
    await post(bot, activity(text="help"))

    await post(bot, activity(id="m2", text="help", locale="fr-FR", requestId="r-2"))

    async with services.store.transaction() as tx:
        reference = (await tx.teams_conversations.personal_all("tenant-1")).get(
            "00000000-0000-0000-0000-0000000000a1"
        )
    assert reference is not None
    assert reference.get("locale") == "en-GB"
    assert "requestId" not in reference
