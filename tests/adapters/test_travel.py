"""Good practice travels between a Slack school and a Teams school of one trust, end to end.

One Tiny Steps serves both platforms over real HTTP: Slack requests are genuinely signed, Teams
activities arrive in local mode, and what it sends is observed at the fake Slack Web API and the
fake Bot Connector. The outbox is delivered by calling the scheduler at a fixed time (a Tuesday
morning in term), so nothing waits on a real clock.

Hillside Academy is on Slack (workspace T1): Sam (U1) is a workspace admin, so its admin; Alex,
Kim and Jo are staff. Its Maths channel is C-MATHS and its showcase C-SHOW. Our school is on
Teams (tenant-1): Priya spoke to Tiny Steps first, so she is its admin; its Science channel and
its showcase are channels of one team. Both schools belong to North Trust.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.fakes import bot_connector, slack_api
from adapters.fakes.bot_connector import FakeConnector, Sent
from adapters.fakes.slack_api import FakeSlack
from adapters.server import Services, build_app, build_services
from adapters.settings import Settings
from adapters.teams.render import ACTION_KEY
from bot import texts
from bot.clock import FixedClock
from bot.ports import Consent
from bot.sharing.report import school_standouts
from storage import migrate
from tests.adapters.slack.helpers import (
    SECRET,
    Client,
    command,
    event,
    interact,
    payload,
    post_event,
    post_form,
)

TEAMS_ACTIVITIES = Path(__file__).parent / "teams" / "activities"

# Hillside Academy, on Slack.
SLACK_SCHOOL = "Hillside Academy"  # the workspace's name, as the fake's auth.test gives it
SAM = "U1"
SAM_DM = "DU1"  # the DM channel the fake opens with Sam
SLACK_COLLEAGUES = {"U2": "Alex Reed", "U3": "Kim Lee", "U4": "Jo Park"}
SLACK_MATHS = "C-MATHS"
SLACK_SHOWCASE = "C-SHOW"

# Our school, on Teams (a school first heard of in chat is named by default).
TEAMS_SCHOOL = "Our school"
TENANT = "tenant-1"
PRIYA = {
    "id": "29:1abc",
    "name": "Priya Shah",
    "aadObjectId": "00000000-0000-0000-0000-0000000000a1",
}
PRIYA_CHAT = "a:1personal"  # her personal chat, as the captured activity has it
TOM = {"id": "29:2def", "name": "Tom Reed", "aadObjectId": "00000000-0000-0000-0000-0000000000a2"}
ADA = {
    "id": "29:3ghi",
    "name": "Ada Lovelace",
    "aadObjectId": "00000000-0000-0000-0000-0000000000a3",
}
BEN = {"id": "29:4jkl", "name": "Ben Okoro", "aadObjectId": "00000000-0000-0000-0000-0000000000a4"}
ADA_CHAT = "a:1on1-29:3ghi"  # the personal chat the fake connector opens with Ada
TEAM = "19:team@thread.tacv2"
TEAMS_SCIENCE = "19:science@thread.tacv2"
TEAMS_SHOWCASE = "19:showcase@thread.tacv2"

SAMS_STEP = "Swapped homework to Mondays"
PRIYAS_STEP = "Started lessons with a recap"
# A repost's words, the same on both platforms: who, which department and school; the step.
SAMS_REPOST = [texts.repost("Sam Jones", "Maths", SLACK_SCHOOL), SAMS_STEP]
PRIYAS_REPOST = [texts.repost("Priya Shah", "Science", TEAMS_SCHOOL), PRIYAS_STEP]
CONSENT_BUTTONS = ["consent_named", "consent_anonymous", "consent_declined"]


# --- one Tiny Steps on both platforms -------------------------------------------------------


@pytest.fixture
async def slack() -> AsyncIterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    fake.add_user(SAM, "Sam Jones", tz="Europe/London", is_admin=True)
    for user, name in SLACK_COLLEAGUES.items():
        fake.add_user(user, name, tz="Europe/London")
    server, url = await slack_api.start(fake)
    yield fake, url
    await server.close()


@pytest.fixture
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    server, url = await bot_connector.start(fake)
    yield fake, url
    await server.close()


@pytest.fixture
async def services(slack: tuple[FakeSlack, str], clock: FixedClock, tmp_path: Path) -> Services:
    """Slack with one workspace (bot token and signing secret) and Teams in local mode."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/travel.db",
        tinysteps_adapters="slack,teams",
        slack_api_url=slack[1],
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr(SECRET),
        tinysteps_teams_insecure_local=True,
    )
    services = build_services(settings, clock=clock)
    await migrate.upgrade(services.engine)
    return services


@pytest.fixture
async def bot(services: Services) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(services))) as client:
        assert services.slack is not None
        services.slack.pacer.interval = 0.0  # pacing is tested in tests/adapters/test_pacing.py
        await services.slack.wait_idle()  # the workspace and its members are in
        yield client


@dataclass
class Trust:
    """Talks to Tiny Steps the way Slack and Teams do, and delivers its outbox."""

    bot: Client
    services: Services
    slack: FakeSlack
    teams: FakeConnector
    service_url: str  # where Teams activities say replies go: the fake connector
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def deliver(self) -> None:
        await self.services.scheduler.deliver(self.services.clock.now())

    # --- Slack ---------------------------------------------------------------------------

    async def slack_command(self, words: str, *, channel: str = "C1", user: str = SAM) -> None:
        """`/tinysteps <words>`, typed in `channel`."""
        typed = {**command(words), "channel_id": channel, "user_id": user}
        assert (await post_form(self.bot, typed)).status == 200
        assert self.services.slack is not None
        await self.services.slack.wait_idle()

    async def slack_react(self, user: str, channel: str, ts: str) -> None:
        reaction = {
            "type": "reaction_added",
            "user": user,
            "reaction": "clap",
            "item_user": self.slack.bot_user,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": f"{ts}1",
        }
        body = event(reaction, event_id=f"EvReact{next(self._ids)}")
        assert await post_event(self.bot, body) == 200

    async def slack_press(
        self, user: str, channel: str, message: dict[str, Any], action_id: str
    ) -> None:
        """A button of `message` pressed, its action exactly as Tiny Steps rendered it."""
        button = rendered_button(message, action_id)
        pressed = payload(
            "block_actions",
            user={"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"},
            container={"type": "message", "message_ts": message["ts"], "channel_id": channel},
            channel={"id": channel, "name": "directmessage"},
            message={"type": "message", "user": self.slack.bot_user, "ts": message["ts"]},
            actions=[{**button, "block_id": "b1", "action_ts": f"{message['ts']}1"}],
        )
        assert (await interact(self.bot, pressed)).status == 200

    # --- Teams ---------------------------------------------------------------------------

    def activity(self, **changes: Any) -> dict[str, Any]:
        """The captured personal message, pointed at the fake connector, with a fresh id."""
        built: dict[str, Any] = json.loads((TEAMS_ACTIVITIES / "personal_message.json").read_text())
        built.update(serviceUrl=self.service_url, id=f"17640000{next(self._ids):05d}")
        built.update(changes)
        return built

    async def teams_post(self, activity: dict[str, Any]) -> None:
        assert (await self.bot.post("/api/messages", json=activity)).status in (200, 202)

    async def teams_say(
        self, words: str, *, who: dict[str, str] = PRIYA, chat: str = PRIYA_CHAT
    ) -> None:
        """A message in someone's personal chat with Tiny Steps."""
        await self.teams_post(
            self.activity(text=words, conversation=personal(chat), **{"from": who})
        )

    async def teams_say_in(self, channel: str, words: str, *, who: dict[str, str] = PRIYA) -> None:
        """A message to Tiny Steps in a team channel, with the @mention Teams puts in front."""
        await self.teams_post(
            self.activity(
                text=f"<at>Tiny Steps</at> {words}",
                conversation=in_thread(channel, "1764000000001"),
                channelData=channel_data(channel),
                **{"from": who},
            )
        )

    async def teams_react(self, who: dict[str, str], channel: str, post: Sent) -> None:
        """A 👍 on one of Tiny Steps' posts in a channel."""
        await self.teams_post(
            self.activity(
                type="messageReaction",
                text=None,
                replyToId=post.id,
                reactionsAdded=[{"type": "like"}],
                conversation=in_thread(channel, post.id),
                channelData=channel_data(channel),
                **{"from": who},
            )
        )

    async def teams_press(self, who: dict[str, str], card: Sent, action: str) -> None:
        """A card's button pressed: Teams sends the Action.Submit's `data` as the value."""
        place: dict[str, Any] = {"conversation": personal(card.conversation)}
        if card.conversation.startswith("19:"):
            place = {
                "conversation": in_thread(card.conversation, card.id),
                "channelData": channel_data(card.conversation),
            }
        await self.teams_post(
            self.activity(
                text=None,
                value=submit_data(card, action),
                replyToId=card.id,
                **place,
                **{"from": who},
            )
        )

    # --- what storage says ----------------------------------------------------------------

    async def school_of(self, platform: str, workspace: str, user: str) -> int:
        async with self.services.store.transaction() as tx:
            person = await tx.people.by_identity(platform, workspace, user)
        assert person is not None
        return person.school_id

    async def consent_of(self, platform: str, workspace: str, user: str) -> Consent | None:
        """Where the question about someone's last step stands, if it is a standout."""
        async with self.services.store.transaction() as tx:
            person = await tx.people.by_identity(platform, workspace, user)
            assert person is not None
            entry = await tx.improvements.last_for(person.id)
            assert entry is not None
            standout = await tx.standouts.get(entry.id)
        return standout.consent if standout is not None else None


def personal(chat: str) -> dict[str, str]:
    return {"conversationType": "personal", "tenantId": TENANT, "id": chat}


def in_thread(channel: str, message: str) -> dict[str, str]:
    return {
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{channel};messageid={message}",
    }


def channel_data(channel: str) -> dict[str, Any]:
    return {"tenant": {"id": TENANT}, "team": {"id": TEAM}, "channel": {"id": channel}}


def rendered_button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                found: dict[str, Any] = element
                return found
    raise AssertionError(f"no {action_id} button in {message.get('text')!r}")


def slack_buttons(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks") or []
        for element in block.get("elements") or []
        if "action_id" in element
    ]


def submit_data(card: Sent, action: str) -> dict[str, Any]:
    for attachment in card.activity.get("attachments") or []:
        for submit in attachment["content"].get("actions") or []:
            if submit.get("data", {}).get(ACTION_KEY) == action:
                data: dict[str, Any] = submit["data"]
                return data
    raise AssertionError(f"no {action} button on card {card.id}")


def teams_buttons(card: Sent) -> list[str]:
    return [
        str(submit["data"].get(ACTION_KEY))
        for attachment in card.activity.get("attachments") or []
        for submit in attachment["content"].get("actions") or []
    ]


def slack_posts(fake: FakeSlack, channel: str) -> list[str]:
    """What Tiny Steps posted in a Slack channel (as it reads now), oldest first."""
    return [str(m["text"]) for m in fake.posted_to(channel)]


def teams_posts(fake: FakeConnector, conversation: str) -> list[Sent]:
    """Cards Tiny Steps posted in a Teams conversation, oldest first (updates not included)."""
    return [s for s in fake.sent if s.method == "POST" and s.conversation == conversation]


def card_text(sent: Sent) -> list[str]:
    """The text runs of the card a Teams activity carries, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextRun":
                found.append(str(node["text"]))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(sent.activity.get("attachments"))
    return found


def card_words(sent: Sent) -> str:
    return "\n".join(card_text(sent))


@pytest.fixture
async def trust(
    bot: Client,
    services: Services,
    slack: tuple[FakeSlack, str],
    connector: tuple[FakeConnector, str],
) -> Trust:
    """Both schools set up in chat, their channels given a purpose, and linked in one trust.
    What the fakes saw while setting up is forgotten, so tests see only what follows."""
    trust = Trust(bot, services, slack[0], connector[0], connector[1])
    await trust.slack_command("config department add Maths")
    await trust.slack_command("my department Maths")
    await trust.slack_command("config channel department Maths", channel=SLACK_MATHS)
    await trust.slack_command("config channel showcase", channel=SLACK_SHOWCASE)
    await trust.teams_say("help")  # Priya is the first from her tenant: its admin
    await trust.teams_say("config department add Science")
    await trust.teams_say("my department Science")
    await trust.teams_say_in(TEAMS_SCIENCE, "config channel department Science")
    await trust.teams_say_in(TEAMS_SHOWCASE, "config channel showcase")
    slack_school = await trust.school_of("slack", "T1", SAM)
    teams_school = await trust.school_of("teams", TENANT, PRIYA["aadObjectId"])
    async with services.store.transaction() as tx:
        north = await tx.schools.add_organisation("North Trust")
        await tx.schools.join_organisation(slack_school, north)
        await tx.schools.join_organisation(teams_school, north)
    trust.slack.calls.clear()
    trust.slack.messages.clear()
    trust.teams.sent.clear()
    return trust


@pytest.fixture
async def sams_question(trust: Trust) -> dict[str, Any]:
    """Sam logged and shared a step, three colleagues reacted to it in Maths, and he was asked
    in a DM whether it may travel: the question, as Slack holds it."""
    await trust.slack_command(f"log {SAMS_STEP}")
    await trust.slack_command("share")
    await trust.deliver()
    [shared] = trust.slack.posted_to(SLACK_MATHS)
    for colleague in SLACK_COLLEAGUES:
        await trust.slack_react(colleague, SLACK_MATHS, shared["ts"])
    await trust.deliver()
    return next(m for m in trust.slack.posted_to(SAM_DM) if slack_buttons(m) == CONSENT_BUTTONS)


@pytest.fixture
async def sams_reposts(trust: Trust, sams_question: dict[str, Any]) -> Trust:
    """Sam said *Share with my name*, and his step was reposted to both showcases."""
    await trust.slack_press(SAM, SAM_DM, sams_question, "consent_named")
    await trust.deliver()
    return trust


# --- the tests ------------------------------------------------------------------------------


async def test_a_slack_standout_reaches_both_schools_showcases_once_with_its_authors_consent(
    trust: Trust,
) -> None:
    await trust.slack_command(f"log {SAMS_STEP}")
    await trust.slack_command("share")
    await trust.deliver()
    [shared] = trust.slack.posted_to(SLACK_MATHS)
    assert texts.shared_post("Sam Jones", "Maths") in shared["text"]

    for colleague in SLACK_COLLEAGUES:
        await trust.slack_react(colleague, SLACK_MATHS, shared["ts"])
    await trust.deliver()
    [question] = [m for m in trust.slack.posted_to(SAM_DM) if texts.CONSENT_QUESTION in m["text"]]
    assert slack_buttons(question) == CONSENT_BUTTONS

    await trust.slack_press(SAM, SAM_DM, question, "consent_named")
    await trust.deliver()
    assert slack_posts(trust.slack, SLACK_SHOWCASE) == [" ".join(SAMS_REPOST)]
    assert [card_text(s) for s in teams_posts(trust.teams, TEAMS_SHOWCASE)] == [SAMS_REPOST]

    sent_before = (len(trust.slack.calls), len(trust.teams.sent))
    await trust.deliver()
    assert (len(trust.slack.calls), len(trust.teams.sent)) == sent_before


async def test_a_teams_standout_reaches_the_slack_schools_showcase_with_its_authors_consent(
    trust: Trust,
) -> None:
    await trust.teams_say(f"log {PRIYAS_STEP}")
    await trust.teams_say("share")
    await trust.deliver()
    [shared] = teams_posts(trust.teams, TEAMS_SCIENCE)
    for colleague in (TOM, ADA, BEN):
        await trust.teams_react(colleague, TEAMS_SCIENCE, shared)
    await trust.deliver()
    [question] = [
        s for s in teams_posts(trust.teams, PRIYA_CHAT) if "consent_named" in teams_buttons(s)
    ]
    assert teams_buttons(question) == CONSENT_BUTTONS

    await trust.teams_press(PRIYA, question, "consent_named")
    await trust.deliver()

    assert slack_posts(trust.slack, SLACK_SHOWCASE) == [" ".join(PRIYAS_REPOST)]
    assert [card_text(s) for s in teams_posts(trust.teams, TEAMS_SHOWCASE)] == [PRIYAS_REPOST]


async def test_not_this_one_keeps_the_step_out_of_every_showcase(
    trust: Trust, sams_question: dict[str, Any]
) -> None:
    await trust.slack_press(SAM, SAM_DM, sams_question, "consent_declined")
    await trust.deliver()

    assert slack_posts(trust.slack, SLACK_SHOWCASE) == []
    assert teams_posts(trust.teams, TEAMS_SHOWCASE) == []
    assert await trust.consent_of("slack", "T1", SAM) is Consent.DECLINED


async def test_no_answer_in_five_school_days_keeps_the_step_out_of_every_showcase(
    trust: Trust, sams_question: dict[str, Any], clock: FixedClock
) -> None:
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # Wednesday, six school days later

    await trust.services.scheduler.tick()
    await trust.deliver()

    assert slack_posts(trust.slack, SLACK_SHOWCASE) == []
    assert teams_posts(trust.teams, TEAMS_SHOWCASE) == []
    assert await trust.consent_of("slack", "T1", SAM) is Consent.EXPIRED


async def test_unshare_withdraws_the_step_from_every_channel_on_both_platforms(
    sams_reposts: Trust,
) -> None:
    trust = sams_reposts
    [teams_repost] = teams_posts(trust.teams, TEAMS_SHOWCASE)

    await trust.slack_command("unshare")
    await trust.deliver()

    changed = {(c["channel"], c["text"]) for c in trust.slack.called("chat.update")}
    assert changed == {
        (SLACK_MATHS, texts.WITHDRAWN_POST),
        (SLACK_SHOWCASE, texts.WITHDRAWN_POST),
    }
    [update] = trust.teams.updates()
    assert (update.conversation, update.id) == (TEAMS_SHOWCASE, teams_repost.id)
    assert card_text(update) == [texts.WITHDRAWN_POST]


async def test_a_showcase_that_refuses_the_post_holds_no_other_back_and_its_admin_hears_once(
    trust: Trust, sams_question: dict[str, Any]
) -> None:
    trust.teams.removed.add(TEAMS_SHOWCASE)  # Tiny Steps was taken out of that team

    await trust.slack_press(SAM, SAM_DM, sams_question, "consent_named")
    await trust.deliver()
    await trust.deliver()

    assert slack_posts(trust.slack, SLACK_SHOWCASE) == [" ".join(SAMS_REPOST)]
    notes = [
        s
        for s in teams_posts(trust.teams, PRIYA_CHAT)
        if texts.FAILED_POSTS_HEADING in card_words(s)
    ]
    assert len(notes) == 1
    assert TEAMS_SHOWCASE in card_words(notes[0])
    assert not any(texts.FAILED_POSTS_HEADING in m["text"] for m in trust.slack.posted_to(SAM_DM))


async def test_ill_try_this_on_a_repost_links_a_later_entry_and_counts_it(
    sams_reposts: Trust,
) -> None:
    trust = sams_reposts
    [repost] = teams_posts(trust.teams, TEAMS_SHOWCASE)

    await trust.teams_press(ADA, repost, "try")
    await trust.teams_say("log Moved homework to Mondays in Year 9", who=ADA, chat=ADA_CHAT)
    [asked] = [
        s for s in trust.teams.sent if s.conversation == ADA_CHAT and "took" in teams_buttons(s)
    ]
    assert texts.was_it_your_take(SAMS_STEP) in card_words(asked)
    await trust.teams_press(ADA, asked, "took")

    [figures] = await school_standouts(
        trust.services.store, await trust.school_of("slack", "T1", SAM)
    )
    spread = figures.spread
    assert (spread.adopters, spread.tried, spread.schools) == (1, 1, 1)
