"""Fuzzing `/api/messages` from the activities Teams sends (tests/adapters/teams/payloads and
activities): in the local mode, where any activity is handled, and as deployed, where each must
carry the Bot Connector's token.

Whatever arrives, the answer is never a 500 and no turn fails. An activity that breaks Teams' contract
(`ACTIVITY`) gets a 400 and changes nothing; a request without a genuine token changes nothing,
and one whose token names no signing key makes no request for keys.
"""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jwt.algorithms import RSAAlgorithm

from tests.reliability.conftest import (
    FUZZ,
    LOOP,
    TEAMS_ACTIVITIES,
    TEAMS_PAYLOADS,
    KeyEndpoint,
    Served,
    b64,
    examples,
    load,
)
from tests.reliability.mutations import Contract, encode, hostile_strings, mutated

pytestmark = LOOP

ACTIVITIES = {
    path.name: load(path)
    for folder in (TEAMS_PAYLOADS, TEAMS_ACTIVITIES)
    for path in sorted(folder.glob("*.json"))
}

ACTIVITY = Contract(
    {
        "type": "text!",
        "id": "id",
        "replyToId": "id",
        "conversation": "object!",
        "conversation.id": "id!",
        "conversation.tenantId": "id",
        "conversation.conversationType": "text",
        "from": "object",
        "from.id": "id",
        "from.aadObjectId": "id",
        "recipient": "object!",
        "recipient.id": "id",
        "channelData": "object",
        "channelData.tenant": "object",
        "channelData.tenant.id": "id",
        "channelData.team": "object",
        "channelData.team.id": "id",
        "entities": "objects",
        "entities.*.mentioned": "object",
        "entities.*.mentioned.id": "id",
        "entities.*.mentioned.aadObjectId": "id",
        "membersAdded": "objects",
        "membersAdded.*.id": "id!",
        "membersAdded.*.aadObjectId": "id",
        "membersRemoved": "objects",
        "membersRemoved.*.id": "id!",
        "membersRemoved.*.aadObjectId": "id",
        "reactionsAdded": "objects",
        "reactionsRemoved": "objects",
    }
)

_activity_ids = itertools.count(1)


def fresh(name: str, service_url: str) -> dict[str, Any]:
    """A captured activity pointed at the fake connector, with an id of its own (a repeated
    one is ignored as a retry)."""
    activity = {**ACTIVITIES[name], "serviceUrl": service_url}
    if "id" in activity:
        activity["id"] = f"fuzz-{next(_activity_ids):08d}"  # one length: draws depend on it
    return activity


@settings(FUZZ, max_examples=examples(250))
@given(data=st.data())
async def test_activities(
    teams_app: Served, connector: tuple[Any, str], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(ACTIVITIES)), label="activity")
    # Replies go to `serviceUrl`: it stays the fake connector's, so nothing leaves this machine.
    body = data.draw(
        mutated(fresh(name, connector[1]), frozen={"serviceUrl"}, focus=ACTIVITY.fields),
        label="body",
    )
    broken = ACTIVITY.broken(body)

    status, changed = await teams_app.changes(
        lambda: teams_app.client.post(
            "/api/messages", data=encode(body), headers={"Content-Type": "application/json"}
        )
    )

    event(f"{'broken' if broken else 'within the contract'}: {status}")
    assert status < 500, (status, broken)
    assert teams_app.failed == []
    if broken is not None:
        assert (status, changed) == (400, {}), broken


@settings(FUZZ, max_examples=examples(50))
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        hostile_strings().map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"[]", b"null", b"{}", b'{"type": 7}', b"1" * 5000, b"[" * 20_000]),
    ),
    content_type=st.sampled_from(
        ["application/json", "application/json; charset=latin-1", "application/json; charset=nope"]
    ),
)
async def test_bodies_that_are_no_activity(
    teams_app: Served, raw: bytes, content_type: str
) -> None:
    status, changed = await teams_app.changes(
        lambda: teams_app.client.post(
            "/api/messages", data=raw, headers={"Content-Type": content_type}
        )
    )

    assert (status, changed, teams_app.failed) == (400, {}, [])


# --- tokens ----------------------------------------------------------------------------------


def usable(header: object) -> bool:
    """What the Bot Connector's tokens carry in their header: RS256, and the key's id."""
    if not isinstance(header, dict):
        return False
    kid = header.get("kid")
    return header.get("alg") == "RS256" and isinstance(kid, str) and 0 < len(kid) <= 255


@st.composite
def tokens(draw: st.DrawFn, endpoint: KeyEndpoint) -> tuple[str, bool]:
    """A token made from a genuine one: its header and claims mutated, then signed with the
    real key, left with the genuine signature, or with none that fits; and whether its header
    is one the SDK could check."""
    genuine = endpoint.token()
    header = jwt.get_unverified_header(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    if draw(st.booleans(), label="mutate header"):
        header = draw(mutated(header), label="header")
    if draw(st.booleans(), label="mutate claims"):
        claims = draw(mutated(claims), label="claims")
    signing_input = f"{b64(encode(header).encode())}.{b64(encode(claims).encode())}"
    how = draw(st.sampled_from(["resigned", "genuine signature", "garbage"]), label="signature")
    if how == "resigned":
        signature = RSAAlgorithm(RSAAlgorithm.SHA256).sign(signing_input.encode(), endpoint.key)
    elif how == "genuine signature":
        signature = base64.urlsafe_b64decode(genuine.split(".")[2] + "==")
    else:
        signature = draw(st.binary(max_size=64))
    return f"{signing_input}.{b64(signature)}", usable(header)


# One app, one key cache and one fake key endpoint for all of a test's examples, as a running
# server has: what one token fetched is what the next finds cached.
@pytest.mark.filterwarnings("ignore::aiohttp.web_exceptions.NotAppKeyWarning")
@settings(
    FUZZ,
    max_examples=examples(100),
    suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_tokens(
    teams_jwt_app: Served,
    key_endpoint: KeyEndpoint,
    past_authentication: list[str],
    connector: tuple[Any, str],
    data: st.DataObject,
) -> None:
    activity = fresh("personal_message.json", connector[1])
    authorization = data.draw(
        st.one_of(
            tokens(key_endpoint).map(lambda t: (f"Bearer {t[0]}", t[1])),
            hostile_strings().map(lambda s: (s, False)),
            hostile_strings().map(lambda s: (f"Bearer {s}", False)),
        ),
        label="authorization",
    )
    header, could_check = authorization
    fetched = len(key_endpoint.fetched)
    headers = {"Content-Type": "application/json"}
    if header.isprintable() and header.isascii():  # what an HTTP client lets through
        headers["Authorization"] = header

    status, changed = await teams_jwt_app.changes(
        lambda: teams_jwt_app.client.post(
            "/api/messages", data=json.dumps(activity), headers=headers
        )
    )

    event(f"{'checkable' if could_check else 'unusable'} token: {status}")
    assert status < 500
    assert (changed, teams_jwt_app.failed) == ({}, [])
    assert status in {202, 400, 401}  # 400: a header longer than the server reads (8 KB)
    if not could_check:
        assert status in {400, 401}
        assert len(key_endpoint.fetched) == fetched, "keys fetched for a token naming no key"
