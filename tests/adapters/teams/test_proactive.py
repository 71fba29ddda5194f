"""Installed in Teams, Tiny Steps keeps the conversation reference and nudges proactively,
updating the prompt card in place once it is answered; references survive a restart."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.fakes.bot_connector import FakeConnector
from adapters.server import Services, build_app
from adapters.teams.render import FORM_KEY
from bot.ports import Role
from tests.adapters.teams.conftest import Client, teams_services

TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
WEDNESDAY_1530 = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
PRIYA = "00000000-0000-0000-0000-0000000000a1"


@pytest.fixture
async def installed(bot: Client, captured: Any) -> Client:
    response = await bot.post("/api/messages", json=captured("installed_personal.json"))
    assert response.status == 202
    return bot


async def test_installing_makes_the_tenant_a_school_and_the_installer_its_admin(
    installed: Client, services: Services
) -> None:
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("teams", "tenant-1")
        assert school is not None
        person = await tx.people.by_identity("teams", "tenant-1", PRIYA)

    assert person is not None
    assert person.role is Role.ADMIN


async def test_the_installer_is_welcomed_in_their_chat_at_once(
    installed: Client, fake: FakeConnector
) -> None:
    [hello] = fake.sent

    assert hello.conversation == "a:1personal"
    assert "Welcome to Tiny Steps" in fake.texts()


async def test_a_tick_sends_the_installer_a_prompt_card(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    report = await services.scheduler.tick(TUESDAY_1530)

    assert report.sent == 1
    assert fake.sent[-1].conversation == "a:1personal"
    assert [a["title"] for a in fake.cards()[-1]["actions"]] == [
        "Log it",
        "Skip today",
        "Pause…",
    ]


async def test_answering_updates_the_prompt_card_in_place(
    installed: Client, services: Services, fake: FakeConnector, activity: Any
) -> None:
    await services.scheduler.tick(TUESDAY_1530)
    prompt_id = fake.sent[-1].id

    await installed.post("/api/messages", json=activity(text="Moved the reading corner"))

    updates = [s for s in fake.sent if s.method == "PUT"]
    assert [u.activity.get("id") for u in updates] == [prompt_id]
    assert "tinysteps_action" not in json.dumps(updates[0].activity.get("attachments", [])[0])


async def test_logging_in_the_prompt_card_logs_and_updates_it_in_place(
    installed: Client, services: Services, fake: FakeConnector, activity: Any
) -> None:
    await services.scheduler.tick(TUESDAY_1530)
    prompt_id = fake.sent[-1].id

    await installed.post(
        "/api/messages",
        json=activity(
            text=None,
            replyToId=prompt_id,
            value={FORM_KEY: "log", "text": "Seating plan by reading age"},
        ),
    )

    [update] = [s for s in fake.sent if s.method == "PUT"]
    assert update.activity.get("id") == prompt_id
    assert "Seating plan by reading age" in json.dumps(update.activity["attachments"])
    assert "Input.Text" not in json.dumps(update.activity["attachments"])


async def test_someone_who_removed_the_app_is_unreachable_not_retried(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    fake.removed.add("a:1personal")

    first = await services.scheduler.tick(TUESDAY_1530)
    later = await services.scheduler.tick(TUESDAY_1530 + timedelta(minutes=10))

    assert (first.unreachable, first.deferred, later.sent + later.deferred) == (1, 0, 0)


async def test_references_survive_a_restart(
    installed: Client, fake: FakeConnector, tmp_path: Path
) -> None:
    restarted = await teams_services(tmp_path, tinysteps_teams_insecure_local=True)
    async with TestClient(TestServer(build_app(restarted))):
        report = await restarted.scheduler.tick(WEDNESDAY_1530)

    assert report.sent == 1
    assert fake.sent[-1].conversation == "a:1personal"


async def test_a_card_refused_with_429_is_sent_again_after_retry_after(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    fake.rate_limit(times=1, retry_after=0)

    report = await services.scheduler.tick(TUESDAY_1530)

    assert report.sent == 1
    assert fake.refused == 1
    assert len([s for s in fake.sent if s.method == "POST" and "Log it" in str(s.activity)]) == 1


async def test_a_long_retry_after_goes_back_to_the_scheduler_and_nothing_is_lost(
    installed: Client, services: Services, fake: FakeConnector
) -> None:
    fake.rate_limit(times=1, retry_after=30)

    first = await services.scheduler.tick(TUESDAY_1530)
    later = await services.scheduler.tick(TUESDAY_1530 + timedelta(seconds=30))

    assert (first.deferred, later.sent) == (1, 1)


async def test_tinysteps_tick_sends_cards_and_closes_every_connection(
    installed: Client, tmp_path: Path, fake: FakeConnector
) -> None:
    """`tinysteps tick` as cron runs it, in its own process, against the fake connector."""
    tick = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "tick",
        "--at",
        "2026-11-24T15:30:00Z",
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/teams.db",
            "TINYSTEPS_ADAPTERS": "teams",
            "TINYSTEPS_TEAMS_INSECURE_LOCAL": "1",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await tick.communicate()

    assert tick.returncode == 0, err.decode()
    assert "sent 1" in out.decode()
    assert "Unclosed" not in err.decode()
    assert fake.sent[-1].conversation == "a:1personal"
