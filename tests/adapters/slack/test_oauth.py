"""Installing Tiny Steps into a workspace through Slack's OAuth flow, end to end over HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app, build_services
from bot.ports import Role
from tests.adapters.slack.conftest import oauth_settings
from tests.adapters.slack.helpers import Client, dm, post_event

TOKEN = "xoxb-T2-installed"
TUESDAY_1530 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


async def install(bot: Client, fake: FakeSlack, *, state: str | None = None) -> ClientResponse:
    """What a browser does: open our install page, approve at Slack, come back with a code."""
    fake.add_user("U7", "Priya Shah", tz="Europe/London")
    fake.add_user("U8", "Tom Reed", tz="Europe/London")
    fake.authorize_install("code-1", "T2", "Riverside Primary", installer="U7")
    page = await bot.get("/slack/install")
    issued = re.search(r"state=([\w-]+)", await page.text())
    assert issued is not None
    cookie = page.headers["Set-Cookie"].split(";")[0]
    return await bot.get(
        "/slack/oauth_redirect",
        params={"code": "code-1", "state": state or issued.group(1)},
        headers={"Cookie": cookie},
    )


async def people_of(services: Services, team: str) -> dict[str, Role]:
    async with services.store.transaction() as tx:
        school = await tx.schools.for_workspace("slack", team)
        assert school is not None
        return {p.user_id: p.role for p in await tx.people.in_school(school.id)}


async def test_the_install_page_sends_people_to_slack_with_our_scopes(oauth_bot: Client) -> None:
    page = await oauth_bot.get("/slack/install")

    text = await page.text()
    assert page.status == 200
    assert "https://slack.com/oauth/v2/authorize?state=" in text
    assert "chat:write" in text
    assert "client_id=1111.2222" in text


async def test_an_install_makes_the_workspace_a_school_and_the_installer_its_admin(
    oauth_bot: Client, oauth_services: Services, fake: FakeSlack
) -> None:
    response = await install(oauth_bot, fake)
    assert oauth_services.slack is not None
    await oauth_services.slack.wait_idle()

    assert response.status == 200
    async with oauth_services.store.transaction() as tx:
        school = await tx.schools.for_workspace("slack", "T2")
    assert school is not None
    assert school.name == "Riverside Primary"
    assert (await people_of(oauth_services, "T2"))["U7"] is Role.ADMIN


async def test_an_installed_workspaces_members_become_staff(
    oauth_bot: Client, oauth_services: Services, fake: FakeSlack
) -> None:
    await install(oauth_bot, fake)
    assert oauth_services.slack is not None
    await oauth_services.slack.wait_idle()

    assert (await people_of(oauth_services, "T2"))["U8"] is Role.STAFF
    assert {c.token for c in fake.calls if c.method == "users.list"} == {TOKEN}


async def test_an_install_with_a_forged_state_is_refused(
    oauth_bot: Client, oauth_services: Services, fake: FakeSlack
) -> None:
    response = await install(oauth_bot, fake, state="forged-state")

    assert response.status == 400
    async with oauth_services.store.transaction() as tx:
        assert await tx.schools.for_workspace("slack", "T2") is None


async def test_an_installed_workspace_is_nudged_with_its_own_token(
    oauth_bot: Client, oauth_services: Services, fake: FakeSlack
) -> None:
    await install(oauth_bot, fake)
    assert oauth_services.slack is not None
    await oauth_services.slack.wait_idle()

    report = await oauth_services.scheduler.tick(TUESDAY_1530)

    assert report.sent == 2
    assert {c.token for c in fake.calls if c.method == "chat.postMessage"} == {TOKEN}


async def test_events_from_an_installed_workspace_are_answered_with_its_token(
    oauth_bot: Client, oauth_services: Services, fake: FakeSlack
) -> None:
    await install(oauth_bot, fake)
    body = dm("log Reorganised the library", "EvT2")
    body.update(team_id="T2", context_team_id="T2")
    body["authorizations"][0]["team_id"] = "T2"
    body["event"].update(user="U8", team="T2", channel="DU8")

    assert await post_event(oauth_bot, body) == 200
    replies = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert any(c.args["text"].startswith("Logged") for c in replies)
    assert {c.token for c in replies} == {TOKEN}


async def test_an_installation_survives_a_restart(
    oauth_bot: Client, fake: FakeSlack, slack: tuple[FakeSlack, str], tmp_path: Path
) -> None:
    await install(oauth_bot, fake)

    restarted = build_services(oauth_settings(slack[1], f"sqlite+aiosqlite:///{tmp_path}/many.db"))
    async with TestClient(TestServer(build_app(restarted))):
        report = await restarted.scheduler.tick(TUESDAY_1530)

    assert report.sent == 2
    assert {c.token for c in fake.calls if c.method == "chat.postMessage"} == {TOKEN}
