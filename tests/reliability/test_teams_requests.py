"""Bad Teams requests get a 4xx and change nothing, never a 500 (issue 16 §2); and checking a
token asks Microsoft for its signing keys only when it must."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from aiohttp import ClientResponse
from jwt.algorithms import RSAAlgorithm

from tests.reliability.conftest import (
    LOOP,
    TEAMS_ACTIVITIES,
    TEAMS_PAYLOADS,
    Client,
    KeyEndpoint,
    Served,
    b64,
    load,
)

pytestmark = LOOP


def typing(service_url: str) -> dict[str, Any]:
    """An activity that is answered with nothing: it needs no token of our own to reply."""
    return {**load(TEAMS_PAYLOADS / "typing.json"), "serviceUrl": service_url}


async def post_with_token(bot: Client, token: str, body: dict[str, Any]) -> ClientResponse:
    return await bot.post("/api/messages", json=body, headers={"Authorization": f"Bearer {token}"})


# --- tokens ----------------------------------------------------------------------------------

# The SDK's JWT middleware keeps the checked claims under a plain-str request key, which aiohttp
# warns about; only requests whose token is genuine get that far.
genuine_tokens = pytest.mark.filterwarnings("ignore::aiohttp.web_exceptions.NotAppKeyWarning")


def forged(endpoint: KeyEndpoint, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """A token signed with the endpoint's real key, its header exactly as given (PyJWT itself
    refuses to write a `kid` that is not a string)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = RSAAlgorithm(RSAAlgorithm.SHA256).sign(signing_input.encode(), endpoint.key)
    return f"{signing_input}.{b64(signature)}"


def claims_of(endpoint: KeyEndpoint) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(endpoint.token(), options={"verify_signature": False})
    return claims


UNUSABLE_HEADERS: dict[str, dict[str, Any]] = {
    "no kid": {"alg": "RS256", "typ": "JWT"},
    "kid null": {"alg": "RS256", "kid": None},
    "kid a number": {"alg": "RS256", "kid": 7},
    "kid a list": {"alg": "RS256", "kid": ["key-1"]},
    "kid empty": {"alg": "RS256", "kid": ""},
    "kid of 300 characters": {"alg": "RS256", "kid": "k" * 300},
    "not RS256": {"alg": "RS512", "kid": "key-1"},
    "no alg": {"kid": "key-1"},
}


@pytest.mark.parametrize("header", UNUSABLE_HEADERS.values(), ids=UNUSABLE_HEADERS.keys())
async def test_a_token_whose_header_names_no_usable_key_is_refused_without_fetching_keys(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint, teams_jwt_app: Served, header: dict[str, Any]
) -> None:
    token = forged(key_endpoint, header, claims_of(key_endpoint))

    status, changed = await teams_jwt_app.changes(
        lambda: post_with_token(teams_jwt_bot, token, typing("https://x/"))
    )

    assert (status, changed) == (401, {})
    assert key_endpoint.fetched == []


async def test_an_hmac_token_is_refused_without_fetching_keys(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint
) -> None:
    token = jwt.encode(
        claims_of(key_endpoint),
        "a-guessed-secret-" * 4,
        algorithm="HS256",
        headers={"kid": "key-1"},
    )

    response = await post_with_token(teams_jwt_bot, token, typing("https://x/"))

    assert response.status == 401
    assert key_endpoint.fetched == []


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer not.a.token",
        "Bearer a b",
        "Basic dXNlcjpwYXNz",
        "Bearer ....",
        "Bearer é",
        "Bearer " + b64(b"[" * 5000) + "." + b64(b"{}") + ".x",
        "Bearer " + b64(b'{"alg": "RS256", "kid": "key-1"}') + "." + b64(b"[" * 5000) + ".x",
        "Bearer " + b64(b'{"alg": "RS256", "kid": "key-1"}') + "." + b64(b"\xff") + ".x",
    ],
    ids=[
        "bearer alone",
        "not a token",
        "two tokens",
        "basic",
        "dots",
        "non-ASCII",
        "deep header",
        "deep claims",
        "claims not UTF-8",
    ],
)
async def test_a_malformed_authorization_header_is_refused(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint, authorization: str
) -> None:
    response = await teams_jwt_bot.post(
        "/api/messages", json=typing("https://x/"), headers={"Authorization": authorization}
    )

    assert response.status == 401
    assert key_endpoint.fetched == []


async def test_an_activity_without_a_token_is_refused(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint, teams_jwt_app: Served
) -> None:
    status, changed = await teams_jwt_app.changes(
        lambda: teams_jwt_bot.post("/api/messages", json=typing("https://x/"))
    )

    assert (status, changed) == (401, {})
    assert key_endpoint.fetched == []


@genuine_tokens
async def test_keys_are_fetched_once_for_many_tokens(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint, past_authentication: list[str]
) -> None:
    for _ in range(5):
        response = await post_with_token(teams_jwt_bot, key_endpoint.token(), typing("https://x/"))
        assert response.status == 202

    assert past_authentication == ["typing"] * 5
    assert len(key_endpoint.fetched) == 1


@genuine_tokens
async def test_an_unknown_key_id_does_not_fetch_the_keys_again_at_once(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint, past_authentication: list[str]
) -> None:
    await post_with_token(teams_jwt_bot, key_endpoint.token(), typing("https://x/"))

    for number in range(5):
        token = key_endpoint.token(headers={"kid": f"made-up-{number}"})
        response = await post_with_token(teams_jwt_bot, token, typing("https://x/"))
        assert response.status == 401

    assert len(key_endpoint.fetched) == 1


async def test_while_the_key_endpoint_is_down_it_is_not_asked_on_every_request(
    teams_jwt_bot: Client, key_endpoint: KeyEndpoint
) -> None:
    key_endpoint.reachable = False

    for _ in range(5):
        response = await post_with_token(teams_jwt_bot, key_endpoint.token(), typing("https://x/"))
        assert response.status == 401

    assert len(key_endpoint.fetched) == 1


@genuine_tokens
async def test_once_the_key_endpoint_is_back_a_token_is_accepted(
    teams_jwt_bot: Client,
    key_endpoint: KeyEndpoint,
    past_authentication: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_endpoint.reachable = False
    await post_with_token(teams_jwt_bot, key_endpoint.token(), typing("https://x/"))
    key_endpoint.reachable = True
    monkeypatch.setattr("adapters.teams.app.KEY_FETCH_RETRY", 0.0)  # as if that long had passed

    response = await post_with_token(teams_jwt_bot, key_endpoint.token(), typing("https://x/"))

    assert response.status == 202
    assert len(key_endpoint.fetched) == 2


# --- activities (local mode) -----------------------------------------------------------------


def message(service_url: str, **changes_to_it: Any) -> dict[str, Any]:
    return {
        **load(TEAMS_ACTIVITIES / "personal_message.json"),
        "serviceUrl": service_url,
        **changes_to_it,
    }


SENDER = {
    "id": "29:1abc",
    "name": "Priya Shah",
    "aadObjectId": "00000000-0000-0000-0000-0000000000a1",
}
PERSONAL = {"conversationType": "personal", "tenantId": "tenant-1", "id": "a:1personal"}

MALFORMED: dict[str, dict[str, Any]] = {
    "from a string": {"from": "29:1abc"},
    "from a list": {"from": [SENDER]},
    "conversation a list": {"conversation": [PERSONAL]},
    "conversation null": {"conversation": None},
    "recipient a number": {"recipient": 28},
    "entities a string": {"entities": "clientInfo"},
    "entities of strings": {"entities": ["clientInfo"]},
    "attachments of numbers": {"attachments": [1, 2]},
    "channelData a list": {"channelData": ["tenant-1"]},
    "aadObjectId with NUL": {"from": {**SENDER, "aadObjectId": "00000000\x00"}},
    "aadObjectId of 256 characters": {"from": {**SENDER, "aadObjectId": "a" * 256}},
    "aadObjectId a list": {"from": {**SENDER, "aadObjectId": ["a"]}},
    "sender id a number": {"from": {"id": 29, "name": "Priya"}},
    "no sender id": {"from": {"name": "Priya"}},
    "tenant of 256 characters": {"conversation": {**PERSONAL, "tenantId": "t" * 256}},
    "tenant with NUL": {"conversation": {**PERSONAL, "tenantId": "tenant-1\x00"}},
    "conversation id with NUL": {"conversation": {**PERSONAL, "id": "a:1\x00personal"}},
    "conversation id of 256 characters": {"conversation": {**PERSONAL, "id": "a" * 256}},
    "conversationType of 17 characters": {
        "conversation": {**PERSONAL, "conversationType": "personalpersonal!"}
    },
    "activity id with NUL": {"id": "17640000\x0001"},
    "conversation id with a slash": {"conversation": {**PERSONAL, "id": "a:1/../other"}},
    "activity id with a question mark": {"id": "1764?x=1"},
    "activity id of 256 characters": {"id": "1" * 256},
    "replyToId with NUL": {"replyToId": "1764\x00"},
    "value a list": {"value": ["log_form"]},
    "timezone a number": {"localTimezone": 3, "entities": []},
    "text a number": {"text": 42},
    "type a number": {"type": 7},
    "text with a lone surrogate": {"text": "log Tidied \ud800 the trays"},
}


@pytest.mark.parametrize("changed_fields", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_activity_is_refused_and_stores_nothing(
    teams_bot: Client,
    teams_app: Served,
    connector: tuple[Any, str],
    changed_fields: dict[str, Any],
) -> None:
    body = message(connector[1], **changed_fields)

    status, changed = await teams_app.changes(lambda: teams_bot.post("/api/messages", json=body))

    assert 400 <= status < 500
    assert changed == {}


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"[1, 2]", b"null", b'{"type": "message"}'],
    ids=["not UTF-8", "100k deep", "a list", "null", "no conversation"],
)
async def test_a_body_that_is_no_activity_is_refused(
    teams_bot: Client, teams_app: Served, raw: bytes
) -> None:
    status, changed = await teams_app.changes(
        lambda: teams_bot.post(
            "/api/messages", data=raw, headers={"Content-Type": "application/json"}
        ),
    )

    assert (status, changed) == (400, {})


async def test_an_ordinary_message_is_still_logged(
    teams_bot: Client, teams_app: Served, connector: tuple[Any, str]
) -> None:
    body = message(connector[1], text="log Started lessons with a recap")

    status, changed = await teams_app.changes(lambda: teams_bot.post("/api/messages", json=body))

    assert status == 202
    assert changed["improvement"] == 1
