"""Talking to the bot the way Slack does: signed events, commands and interactions."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from adapters.server import SERVICES, Services
from tests.posts import posted

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PAYLOADS = Path(__file__).parent / "payloads"
Client = TestClient[web.Request, web.Application]


def signed_headers(body: str, *, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    timestamp = str(at if at is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


def payload(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    data.update(changes)
    return data


async def settled(bot: Client) -> None:
    """Until the answers sent after Slack's acknowledgement have gone out."""
    slack = bot.app[SERVICES].slack
    if slack is not None:
        await slack.wait_idle()


async def post_raw(
    bot: Client, raw: str, *, secret: str = SECRET, at: int | None = None
) -> ClientResponse:
    """A JSON body exactly as given, signed (or mis-signed) with `secret` at time `at`."""
    response = await bot.post(
        "/slack/events",
        data=raw,
        headers={
            "Content-Type": "application/json",
            **signed_headers(raw, secret=secret, at=at),
        },
    )
    await settled(bot)
    return response


def command(
    text: str, *, response_url: str = "https://hooks.slack.com/commands/x"
) -> dict[str, str]:
    """`/tinysteps <text>` typed by U1 in channel C1, as Slack posts it."""
    return {
        "command": "/tinysteps",
        "text": text,
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "U1",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }


async def post_event(bot: Client, body: dict[str, Any], **headers: str) -> int:
    raw = json.dumps(body)
    response = await bot.post(
        "/slack/events",
        data=raw,
        headers={"Content-Type": "application/json", **signed_headers(raw), **headers},
    )
    await settled(bot)
    return response.status


async def post_form(bot: Client, form: dict[str, str], *, settle: bool = True) -> ClientResponse:
    """A slash command or (with `payload=`) an interaction, form-encoded and signed; then, with
    `settle`, until what is sent after the acknowledgement has gone."""
    raw = urlencode(form)
    response = await bot.post(
        "/slack/events",
        data=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded", **signed_headers(raw)},
    )
    if settle:
        await settled(bot)
    return response


async def interact(bot: Client, interaction: dict[str, Any]) -> ClientResponse:
    return await post_form(bot, {"payload": json.dumps(interaction)})


def event(inner: dict[str, Any], *, team: str = "T1", event_id: str = "Ev100") -> dict[str, Any]:
    """An Events API envelope around one event."""
    return {
        "token": "x",
        "team_id": team,
        "api_app_id": "A1",
        "event": inner,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
    }


def dm(text: str, event_id: str = "Ev01") -> dict[str, Any]:
    body = payload("message_im", event_id=event_id)
    body["event"]["text"] = text
    return body


async def shared_entry(services: Services, channel: str, ts: str) -> int:
    """U1 logs a step and it is shared to `channel` as message `ts`: reactions there are votes."""
    async with services.store.transaction() as tx:
        person = await tx.people.by_identity("slack", "T1", "U1")
        assert person is not None
        entry = await tx.improvements.last_for(person.id)
        assert entry is not None
        await posted(
            tx,
            entry,
            platform="slack",
            workspace_id="T1",
            channel_id=channel,
            message_id=f"{channel}:{ts}",
            at=services.clock.now(),
        )
        return entry.id
