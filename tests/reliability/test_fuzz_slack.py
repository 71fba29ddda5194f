"""Fuzzing `/slack/events` from Slack's own payloads (tests/adapters/slack/payloads).

Whatever arrives, the answer is never a 500 (Slack would send it three more times), and no
handler fails (an interaction's failure is answered 200 with an apology). Anything
not signed with the app's secret is refused (401) and changes nothing. A signed request that
breaks Slack's contract (`EVENT`, `MEMBER_EVENT`, `INTERACTION`, `COMMAND`) is answered 200 so
Slack doesn't retry it, and changes nothing either.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import time
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from adapters.server import MAX_REQUEST_BYTES
from tests.adapters.slack.helpers import SECRET
from tests.reliability.conftest import FUZZ, LOOP, SLACK_PAYLOADS, Client, Served, examples, load
from tests.reliability.mutations import (
    Contract,
    as_received,
    encode,
    hostile_strings,
    mutated,
    mutated_form,
)

pytestmark = LOOP

PAYLOADS = {path.stem: load(path) for path in sorted(SLACK_PAYLOADS.glob("*.json"))}
EVENTS = sorted(n for n, p in PAYLOADS.items() if p.get("type") == "event_callback")
INTERACTIONS = sorted(n for n, p in PAYLOADS.items() if p.get("type") in {
    "block_actions", "view_submission", "view_closed", "message_action"
})  # fmt: skip
COMMANDS = sorted(n for n, p in PAYLOADS.items() if "command" in p)
MEMBER_EVENTS = {"team_join", "user_change"}

_ENVELOPE = {
    "team_id": "id",
    "enterprise_id": "id",
    "api_app_id": "id",
    "authorizations": "objects",
    "authorizations.*.team_id": "id",
    "authorizations.*.user_id": "id",
}
EVENT = Contract(
    {
        **_ENVELOPE,
        "team_id": "id!",
        "event_id": "id!",
        "event": "object!",
        "event.user": "id",
        "event.channel": "id",
        "event.ts": "id",
        "event.deleted_ts": "id",
        "event.item": "object",
        "event.item.channel": "id",
        "event.item.ts": "id",
        "event.message": "object",
        "event.message.user": "id",
        "event.message.ts": "id",
        "event.previous_message": "object",
        "event.previous_message.user": "id",
        "event.previous_message.ts": "id",
    }
)
MEMBER_EVENT = Contract(
    {
        **_ENVELOPE,
        "team_id": "id!",
        "event_id": "id!",
        "event": "object!",
        "event.user": "object!",
        "event.user.id": "id!",
        "event.user.team_id": "id",
        "event.user.tz": "text",
        "event.user.profile": "object",
    }
)
INTERACTION = Contract(
    {
        **_ENVELOPE,
        "user": "object!",
        "user.id": "id!",
        "user.team_id": "id",
        "team": "object",
        "team.id": "id",
        "channel": "object",
        "channel.id": "id",
        "message": "object",
        "message.ts": "id",
        "message_ts": "id",
        "actions": "objects",
        "actions.*.value": "button",
        "view": "object",
        "view.state": "object",
        "view.state.values": "object",
    }
)
COMMAND = Contract({"team_id": "id!", "user_id": "id!", "channel_id": "id!"})

# How a request is signed: as Slack signs it, or in one of the ways nobody but Slack could.
SIGNINGS = ("signed", "wrong secret", "stale", "unsigned", "signed another body")
TIMESTAMPS = ("abc", "1795980333.5", "", " 1", "-1", "1e9", "0x10", "9" * 40, "١٢٣", "+1")

_event_ids = itertools.count(1)


def signed(raw: str, *, secret: str = SECRET, at: str | None = None) -> dict[str, str]:
    timestamp = at if at is not None else str(int(time.time()))
    base = f"v0:{timestamp}:{raw}".encode("utf-8", "surrogatepass")
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def headers_for(raw: str, signing: str) -> dict[str, str]:
    if signing == "signed":
        return signed(raw)
    if signing == "wrong secret":
        return signed(raw, secret="not-the-secret")
    if signing == "stale":
        return signed(raw, at=str(int(time.time()) - 600))
    if signing == "signed another body":
        return signed(raw + " ")
    if signing.startswith("timestamp "):
        return {**signed(raw), "X-Slack-Request-Timestamp": signing.removeprefix("timestamp ")}
    return {}


def signings() -> st.SearchStrategy[str]:
    """Signed three times in four: what a signed request does is most of what there is to test."""
    forged = st.sampled_from(SIGNINGS[1:]) | st.sampled_from(TIMESTAMPS).map(
        lambda t: f"timestamp {t}"
    )
    return st.one_of(st.just("signed"), st.just("signed"), st.just("signed"), forged)


async def send(bot: Client, raw: str, content_type: str, signing: str) -> ClientResponse:
    return await bot.post(
        "/slack/events",
        data=raw.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": content_type, **headers_for(raw, signing)},
    )


async def check(
    slack_app: Served, raw: str, content_type: str, signing: str, broken: str | None
) -> None:
    status, changed = await slack_app.changes(
        lambda: send(slack_app.client, raw, content_type, signing)
    )
    kind = "unsigned" if signing != "signed" else "broken" if broken else "within the contract"
    event(f"{kind}: {status}{', stored' if changed else ''}")  # --hypothesis-show-statistics
    assert status < 500, (status, signing, broken)
    assert slack_app.failed == []  # a failed handler answers 200 too, with an apology
    if len(raw) > MAX_REQUEST_BYTES:  # aiohttp refuses it before anyone reads it
        assert (status, changed) == (413, {})
    elif signing != "signed":
        assert (status, changed) == (401, {}), signing
    elif broken is not None:
        assert (status, changed) == (200, {}), broken


def fresh(name: str) -> dict[str, Any]:
    """A payload with an event id of its own: a repeated one would be ignored as a retry."""
    body = dict(PAYLOADS[name])
    if "event_id" in body:
        body["event_id"] = f"EvFuzz{next(_event_ids):08d}"  # one length: draws depend on it
    return body


@settings(FUZZ, max_examples=examples(200))
@given(data=st.data())
async def test_events(slack_app: Served, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(EVENTS), label="payload")
    event_type = (PAYLOADS[name]["event"] or {}).get("type")
    contract = MEMBER_EVENT if event_type in MEMBER_EVENTS else EVENT
    body = data.draw(mutated(fresh(name), focus=contract.fields), label="body")
    signing = data.draw(signings(), label="signing")

    await check(slack_app, encode(body), "application/json", signing, contract.broken(body))


@settings(FUZZ, max_examples=examples(120))
@given(data=st.data())
async def test_interactions(slack_app: Served, data: st.DataObject) -> None:
    payload = PAYLOADS[data.draw(st.sampled_from(INTERACTIONS), label="payload")]
    body = data.draw(mutated(payload, focus=INTERACTION.fields), label="body")
    signing = data.draw(signings(), label="signing")
    raw = urlencode({"payload": encode(body)})

    await check(
        slack_app, raw, "application/x-www-form-urlencoded", signing, INTERACTION.broken(body)
    )


@settings(FUZZ, max_examples=examples(80))
@given(data=st.data())
async def test_slash_commands(slack_app: Served, data: st.DataObject) -> None:
    form = {k: str(v) for k, v in PAYLOADS[data.draw(st.sampled_from(COMMANDS))].items()}
    fields = data.draw(mutated_form(form), label="form")
    signing = data.draw(signings(), label="signing")
    raw = urlencode(fields, encoding="utf-8", errors="surrogatepass")
    received = {name: as_received(value) for name, value in fields.items()}

    await check(
        slack_app, raw, "application/x-www-form-urlencoded", signing, COMMAND.broken(received)
    )


@settings(FUZZ, max_examples=examples(50))
@given(
    body=st.one_of(
        st.binary(max_size=200),
        hostile_strings(),
        st.sampled_from(["[1, 2]", "null", '"x"', "{", "payload=", "payload=%5B%5D", "1" * 5000]),
    ),
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", ""]
    ),
    signing=signings(),
)
async def test_bodies_that_are_no_payload(
    slack_app: Served, body: bytes | str, content_type: str, signing: str
) -> None:
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "surrogateescape")
    headers = {"Content-Type": content_type} if content_type else {}
    response_headers = headers_for(text, signing)
    if signing == "signed":  # over the bytes as sent, as Slack signs them
        stamp = str(int(time.time()))
        digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256)
        response_headers = {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }

    status, changed = await slack_app.changes(
        lambda: slack_app.client.post(
            "/slack/events", data=raw, headers={**headers, **response_headers}
        )
    )

    assert status < 500
    assert (changed, slack_app.failed) == ({}, [])
    if signing != "signed":
        assert status in {400, 401}
