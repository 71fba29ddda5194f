"""Bad Slack requests get a 4xx, or a 200 Slack won't retry, never a 500 (issue 16 §2).

Unsigned or undecodable requests are refused (401, 400). Signed requests Slack would never send
(an `event` that is a list, a number for a user, an id Slack can't have) are answered 200 so
Slack doesn't retry them three times, logged in one line, and store nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse

from tests.adapters.slack.helpers import SECRET, post_raw, signed_headers
from tests.reliability.conftest import LOOP, SLACK_PAYLOADS, Client, Served, load

pytestmark = LOOP


def slack_payload(name: str) -> dict[str, Any]:
    return load(SLACK_PAYLOADS / f"{name}.json")


async def post_bytes(bot: Client, body: bytes, headers: dict[str, str]) -> ClientResponse:
    return await bot.post(
        "/slack/events", data=body, headers={"Content-Type": "application/json", **headers}
    )


async def post_signed_form(bot: Client, form: dict[str, str]) -> ClientResponse:
    raw = urlencode(form)
    return await bot.post(
        "/slack/events",
        data=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded", **signed_headers(raw)},
    )


async def interaction(bot: Client, body: dict[str, Any]) -> ClientResponse:
    return await post_signed_form(bot, {"payload": json.dumps(body)})


# --- unauthenticated -------------------------------------------------------------------------


def signed_at(raw: str, timestamp: str) -> dict[str, str]:
    """Signed with the app's secret over exactly this timestamp, whatever it is."""
    base = f"v0:{timestamp}:{raw}".encode()
    digest = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "1795980333.5", f"{int(time.time())}.5", "", " 1", "١٧٩٥٩٨٠٣٣٣", "9" * 40, "1_0"],
)
async def test_a_timestamp_that_is_not_a_whole_number_is_refused(
    slack_bot: Client, slack_app: Served, timestamp: str
) -> None:
    raw = json.dumps(slack_payload("message_im"))
    headers = signed_at(raw, timestamp)

    status, changed = await slack_app.changes(lambda: post_bytes(slack_bot, raw.encode(), headers))

    assert (status, changed) == (401, {})


@pytest.mark.parametrize("signed", [False, True])
async def test_a_body_that_is_not_utf8_is_refused(
    slack_bot: Client, slack_app: Served, signed: bool
) -> None:
    raw = b'{"type": "event_callback", "team_id": "T1", "event": {"text": "\xff\xfe"}}'
    headers = signed_headers(raw.decode("latin-1"), secret=SECRET if signed else "wrong")

    status, changed = await slack_app.changes(lambda: post_bytes(slack_bot, raw, headers))

    assert (status, changed) == (400, {})


async def test_an_unsigned_event_is_refused(slack_bot: Client, slack_app: Served) -> None:
    raw = json.dumps(slack_payload("message_im"))

    status, changed = await slack_app.changes(lambda: post_raw(slack_bot, raw, secret="wrong"))

    assert (status, changed) == (401, {})


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", "{nope", "payload=%5B1%5D"])
async def test_an_unsigned_body_of_any_shape_is_refused(
    slack_bot: Client, slack_app: Served, raw: str
) -> None:
    status, changed = await slack_app.changes(lambda: post_raw(slack_bot, raw, secret="wrong"))

    assert (status, changed) == (401, {})


# --- signed, but not what Slack sends --------------------------------------------------------


def event_with(name: str, **changes_to_event: Any) -> dict[str, Any]:
    body = slack_payload(name)
    body["event"].update(changes_to_event)
    return body


MALFORMED_EVENTS: dict[str, dict[str, Any]] = {
    "event as a list": {**slack_payload("message_im"), "event": [{"type": "message"}]},
    "event null": {**slack_payload("message_im"), "event": None},
    "event a string": {**slack_payload("message_im"), "event": "message"},
    "user a number": event_with("message_im", user=12345),
    "user a list": event_with("message_im", user=["U1"]),
    "user a dict": event_with("message_im", user={"id": "U1"}),
    "user with NUL": event_with("message_im", user="U1\x00"),
    "user of 256 characters": event_with("message_im", user="U" * 256),
    "channel of 256 characters": event_with("message_im", channel="D" * 256),
    "ts with NUL": event_with("message_im", ts="1764000000.000200\x00"),
    "channel and ts over 255 characters together": event_with("message_im", channel="D" * 250),
    "event_id of 256 characters": {**slack_payload("message_im"), "event_id": "E" * 256},
    "team_id with NUL": {**slack_payload("message_im"), "team_id": "T1\x00"},
    "team_id a list": {**slack_payload("message_im"), "team_id": ["T1"]},
    "string item": event_with("reaction_added", item="C0SHOWCASE"),
    "item channel a number": event_with(
        "reaction_added", item={"type": "message", "channel": 7, "ts": "1.2"}
    ),
    "string previous_message": event_with("message_deleted", previous_message="gone"),
    "string message in an edit": event_with("message_changed", message="edited"),
    "an edit's user a boolean, the event untyped": {
        **slack_payload("message_changed"),
        "event": {
            **{k: v for k, v in slack_payload("message_changed")["event"].items() if k != "type"},
            "message": {**slack_payload("message_changed")["event"]["message"], "user": True},
        },
    },
    "home opened by a list": event_with("app_home_opened", user=["U1"]),
    "team_join user a string": event_with("team_join", user="U1"),
}


@pytest.mark.parametrize("body", MALFORMED_EVENTS.values(), ids=MALFORMED_EVENTS.keys())
async def test_a_signed_malformed_event_is_acknowledged_logged_once_and_stores_nothing(
    slack_bot: Client, slack_app: Served, caplog: pytest.LogCaptureFixture, body: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()

    status, changed = await slack_app.changes(lambda: post_raw(slack_bot, json.dumps(body)))

    assert (status, changed) == (200, {})
    said = [r for r in caplog.records if r.name.startswith("adapters.slack")]
    assert len(said) == 1, [r.getMessage() for r in said]
    assert said[0].levelno == logging.WARNING
    assert said[0].exc_info is None


def interaction_with(name: str, **fields: Any) -> dict[str, Any]:
    body = slack_payload(name)
    body.update(fields)
    return body


def view_with_values(values: Any) -> dict[str, Any]:
    body = slack_payload("view_submission")
    body["view"]["state"]["values"] = values
    return body


MALFORMED_INTERACTIONS: dict[str, dict[str, Any]] = {
    "string actions": interaction_with("block_actions", actions="skip"),
    "actions of strings": interaction_with("block_actions", actions=["skip"]),
    "user a number": interaction_with("block_actions", user=7),
    "user id a list": interaction_with("block_actions", user={"id": ["U1"], "team_id": "T1"}),
    "user id with NUL": interaction_with("block_actions", user={"id": "U\x001", "team_id": "T1"}),
    "string channel": interaction_with("block_actions", channel="DU1"),
    "string message": interaction_with("block_actions", message="hi"),
    "string state.values": view_with_values("text"),
    "state.values of strings": view_with_values({"text": "Started lessons"}),
    "state.values of lists": view_with_values({"text": {"text": ["plain_text_input"]}}),
    "string view": interaction_with("view_submission", view="VMODAL"),
    "view without a type": interaction_with(
        "view_submission",
        view={k: v for k, v in slack_payload("view_submission")["view"].items() if k != "type"},
    ),
    "view null": interaction_with("view_closed", view=None),
    "block_actions without actions": interaction_with("block_actions", actions=[]),
    "action without action_id": interaction_with("block_actions", actions=[{"value": "1"}]),
    "type a list": interaction_with("block_actions", type=["block_actions"]),
    "team id in the view a dict": interaction_with(
        "block_actions_home",
        view={**slack_payload("block_actions_home")["view"], "app_installed_team_id": {"id": "T1"}},
    ),
    "string view state": interaction_with(
        "view_submission", view={**slack_payload("view_submission")["view"], "state": "x"}
    ),
    "shortcut channel a list": interaction_with("message_action_spotlight", channel=["C2"]),
    "shortcut message_ts of 300 characters": interaction_with(
        "message_action_spotlight", message_ts="1" * 300
    ),
    "team id with NUL": interaction_with("block_actions", team={"id": "T\x001"}),
    "interaction that is a list": [slack_payload("block_actions")],  # type: ignore[dict-item]
}


@pytest.mark.parametrize("body", MALFORMED_INTERACTIONS.values(), ids=MALFORMED_INTERACTIONS.keys())
async def test_a_signed_malformed_interaction_is_acknowledged_and_stores_nothing(
    slack_bot: Client, slack_app: Served, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()

    status, changed = await slack_app.changes(lambda: interaction(slack_bot, body))

    assert (status, changed) == (200, {})
    said = [r for r in caplog.records if r.name.startswith("adapters.slack")]
    assert len(said) == 1, [r.getMessage() for r in said]


def slash(**fields: str | None) -> dict[str, str]:
    form: dict[str, str] = dict(slack_payload("slash_command"))
    for name, value in fields.items():
        if value is None:
            form.pop(name)
        else:
            form[name] = value
    return form


MALFORMED_COMMANDS: dict[str, dict[str, str]] = {
    "no user_id": slash(user_id=None),
    "empty user_id": slash(user_id=""),
    "user_id of 256 characters": slash(user_id="U" * 256),
    "user_id with NUL": slash(user_id="U1\x00"),
    "user_id with a newline": slash(user_id="U1\n"),
    "no channel_id": slash(channel_id=None),
    "team_id with NUL": slash(team_id="T1\x00"),
}


@pytest.mark.parametrize("form", MALFORMED_COMMANDS.values(), ids=MALFORMED_COMMANDS.keys())
async def test_a_signed_malformed_slash_command_stores_nothing(
    slack_bot: Client, slack_app: Served, form: dict[str, str]
) -> None:
    status, changed = await slack_app.changes(lambda: post_signed_form(slack_bot, form))

    assert (status, changed) == (200, {})


@pytest.mark.parametrize("value", ["1" * 30, "99999999999:1", "2147483648"])
async def test_a_button_naming_an_entry_beyond_any_id_changes_nothing(
    slack_bot: Client, slack_app: Served, value: str
) -> None:
    body = slack_payload("block_actions")
    body["actions"][0].update(action_id="share", value=value)

    status, changed = await slack_app.changes(lambda: interaction(slack_bot, body))

    assert (status, changed) == (200, {})


# --- the genuine requests still work ---------------------------------------------------------


async def test_a_genuine_dm_is_still_logged(slack_bot: Client, slack_app: Served) -> None:
    body = {**slack_payload("message_im"), "event_id": "EvGenuine"}
    body["event"]["text"] = "log Tidied the reading corner"

    status, changed = await slack_app.changes(lambda: post_raw(slack_bot, json.dumps(body)))

    assert status == 200
    assert changed["improvement"] == 1


async def test_a_genuine_slash_command_is_still_answered(
    slack_bot: Client, slack_app: Served
) -> None:
    status, changed = await slack_app.changes(lambda: post_signed_form(slack_bot, slash()))

    assert status == 200
    assert changed["improvement"] == 1


async def test_ids_of_255_characters_are_still_accepted(
    slack_bot: Client, slack_app: Served
) -> None:
    body = event_with("message_im", user="U" * 255, channel="D" * 200, text="log Long ids")
    body["event_id"] = "EvLongIds"

    status, changed = await slack_app.changes(lambda: post_raw(slack_bot, json.dumps(body)))

    assert status == 200
    assert changed["improvement"] == 1
