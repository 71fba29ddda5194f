"""Fuzzing the web chat's API from the bodies its page sends (adapters/web/static/app.js).

Whatever arrives, the answer is never a 500. A request without the page's session and CSRF
token, from another origin or not JSON is refused and changes nothing; a body that breaks
the page's contract (`BODIES`), or an id in the path no row can have, gets a 4xx and changes
nothing.
"""

from __future__ import annotations

import itertools
import re
from typing import Any
from urllib.parse import quote

import pytest_asyncio
from aiohttp import ClientResponse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from adapters.web.guard import CSRF_HEADER
from tests.reliability.conftest import FUZZ, LOOP, Served, examples
from tests.reliability.mutations import Contract, encode, hostile_strings, mutated

pytestmark = LOOP

MAX_ROW_ID = 2**31 - 1

# What app.js sends to each endpoint (`{school}` and `{person}` are filled in), and its contract.
BODIES: dict[str, tuple[dict[str, Any], Contract]] = {
    "/api/web/schools": (
        {"name": "Hill Top", "timezone": "Europe/London"},
        Contract({"name": "text!", "timezone": "text"}),
    ),
    "/api/web/schools/{school}/people": (
        {"name": "Sam Jones", "role": "staff", "timezone": "Europe/London"},
        Contract({"name": "text!", "role": "text", "timezone": "text"}),
    ),
    "/api/web/people/{person}/messages": (
        {"text": "log Tidied the reading corner", "client_id": "click-1"},
        Contract({"text": "words!", "client_id": "client"}),
    ),
    "/api/web/people/{person}/buttons": (
        {"action": "skip", "value": "-", "message_id": 1, "client_id": "click-1"},
        Contract(
            {"action": "text!", "value": "button", "message_id": "row", "client_id": "client"}
        ),
    ),
}
READS = (
    "/api/web/schools/{id}/people",
    "/api/web/people/{id}/messages",
    "/api/web/people/{id}/home",
)
WRITES = (
    "/api/web/schools/{id}/people",
    "/api/web/people/{id}/messages",
    "/api/web/people/{id}/buttons",
    "/api/web/people/{id}/ask",
)

_clicks = itertools.count(1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ids(web_app: Served) -> dict[str, int]:
    """A school and a teacher in it, whom every example talks as."""
    client = web_app.client
    school = await (await client.post("/api/web/schools", json={"name": "Hill Top"})).json()
    path = f"/api/web/schools/{school['id']}/people"
    person = await (await client.post(path, json={"name": "Sam"})).json()
    return {"school": int(school["id"]), "person": int(person["id"])}


def fresh(body: dict[str, Any]) -> dict[str, Any]:
    """A body with a click id of its own: a repeated one is answered as already handled."""
    if "client_id" in body:
        return {**body, "client_id": f"click-{next(_clicks):08d}"}  # one length: draws use it
    return dict(body)


@settings(FUZZ, max_examples=examples(250))
@given(data=st.data())
async def test_bodies(web_app: Served, ids: dict[str, int], data: st.DataObject) -> None:
    template = data.draw(st.sampled_from(sorted(BODIES)), label="endpoint")
    payload, contract = BODIES[template]
    body = data.draw(mutated(fresh(payload), focus=contract.fields), label="body")
    broken = contract.broken(body)

    status, changed = await web_app.changes(
        lambda: web_app.client.post(
            template.format(**ids), data=encode(body), headers={"Content-Type": "application/json"}
        )
    )

    event(f"{'broken' if broken else 'within the contract'}: {status}")
    assert status < 500, (status, broken)
    assert web_app.failed == []
    if broken is not None:
        assert 400 <= status < 500, broken
        assert changed == {}, broken


def row_id(raw: str) -> bool:
    """Whether a path segment names a row id the way the page writes one."""
    return re.fullmatch(r"[0-9]{1,10}", raw) is not None and int(raw) <= MAX_ROW_ID


@settings(FUZZ, max_examples=examples(100))
@given(
    segment=st.one_of(
        hostile_strings(),
        st.integers(-(2**70), 2**70).map(str),
        st.sampled_from(["0", "2147483647", "2147483648", "99999999999", "%20", "..", "1/../2"]),
    ),
    request=st.sampled_from([("GET", p) for p in READS] + [("POST", p) for p in WRITES]),
)
async def test_ids_in_paths(web_app: Served, segment: str, request: tuple[str, str]) -> None:
    method, path = request
    url = path.format(id=quote(segment.encode("utf-8", "surrogatepass"), safe=""))
    body = {"name": "Sam", "text": "log Tidied", "action": "skip"}

    status, changed = await web_app.changes(
        lambda: web_app.client.request(method, url, data=encode(body), headers=JSON)
    )

    assert status < 500
    assert web_app.failed == []
    if not row_id(segment):
        assert status in {400, 404, 405}  # 405: the segment made it another path
        assert changed == {}


JSON = {"Content-Type": "application/json"}
REFUSALS = {
    "no CSRF token": {CSRF_HEADER: ""},
    "a wrong CSRF token": {CSRF_HEADER: "0" * 64},
    "another origin": {"Origin": "https://attacker.example"},
    "a form": {"Content-Type": "application/x-www-form-urlencoded"},
    "plain text": {"Content-Type": "text/plain"},
    "another host": {"Host": "attacker.example"},
}


@settings(FUZZ, max_examples=examples(60))
@given(
    endpoint=st.sampled_from(sorted(BODIES)),
    refusal=st.sampled_from(sorted(REFUSALS)),
    mutate=st.booleans(),
    data=st.data(),
)
async def test_requests_from_anywhere_but_the_page(
    web_app: Served,
    ids: dict[str, int],
    endpoint: str,
    refusal: str,
    mutate: bool,
    data: st.DataObject,
) -> None:
    payload, contract = BODIES[endpoint]
    body = data.draw(mutated(fresh(payload), focus=contract.fields)) if mutate else fresh(payload)
    headers = {**JSON, **REFUSALS[refusal]}

    status, changed = await web_app.changes(
        lambda: web_app.client.post(endpoint.format(**ids), data=encode(body), headers=headers)
    )

    assert status in {403, 415}, refusal
    assert (changed, web_app.failed) == ({}, [])


@settings(FUZZ, max_examples=examples(50))
@given(
    endpoint=st.sampled_from(sorted(BODIES)),
    raw=st.one_of(
        st.binary(max_size=200),
        hostile_strings().map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"[]", b"null", b'"x"', b"1" * 5000, b"[" * 20_000, b'{"name": NaN}']),
    ),
)
async def test_bodies_that_are_no_object(
    web_app: Served, ids: dict[str, int], endpoint: str, raw: bytes
) -> None:
    async def send() -> ClientResponse:
        return await web_app.client.post(endpoint.format(**ids), data=raw, headers=JSON)

    status, changed = await web_app.changes(send)

    assert (status, changed, web_app.failed) == (400, {}, [])
