"""Hypothesis strategies that start from the real payloads captured beside the adapter tests and
break them a little, and the contracts that say when a break makes a request one its platform
would never send.

A mutation picks a field anywhere in a payload (a key of an object or an item of a list) and
replaces it with a value of another type, removes it, stretches a string past 255 characters,
puts a NUL, a control character or half a UTF-16 pair into it, wraps it in a list or an object,
writes it as Python text, or nests lists in its place (50 deep, or 20,000: more than any JSON
parser here will take). One to three of them per example.

A `Contract` is written from the platform's side: the fields our code reads and what the
platform puts there (an id: a string of 1 to 255 printable characters; an object; a list of
objects; text). It is stated here independently of the adapters' own checks, and a request
that breaks it must change nothing.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]

MAX_ID_CHARS = 255
MAX_DATABASE_INT = 2**31 - 1
TOO_DEEP = 20_000  # lists nested this deep: no JSON parser here takes them


@dataclass(frozen=True)
class Deep:
    """Lists nested `depth` deep, written out only when the body is encoded (Python's own
    `json.dumps` would overflow its stack on the deep ones)."""

    depth: int

    def json(self) -> str:
        return "[" * self.depth + "]" * self.depth


# Strings that have broken, or could break, a handler: empty, controls, half a UTF-16 pair,
# right-to-left overrides, too long for an id column, numbers beyond any row id, markup.
HOSTILE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\x00",
    "U1\x00",
    "\x00U1",
    "\n",
    "line\nbreak",
    "\t",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u202eevil",
    "\ud800",
    "a\udfffb",
    "\U0001f600",
    "é" * 100,
    "A" * 255,
    "A" * 256,
    "A" * 300,
    "A" * 5000,
    "1" * 30,
    "2147483647",
    "2147483648",
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "<@U1>",
    "<!channel>",
    "&amp;&lt;",
    "<script>alert(1)</script>",
    "'; DROP TABLE person; --",
    "%00",
    "../../etc/passwd",
    "Europe/London",
    "Not/AZone",
    "١٢٣",
)

HOSTILE_SCALARS: tuple[object, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1.5,
    2**31,
    2**63,
    10**30,
    float("inf"),
)


def hostile_strings() -> st.SearchStrategy[str]:
    return st.sampled_from(HOSTILE_STRINGS) | st.text(max_size=30)


def hostile_values() -> st.SearchStrategy[object]:
    """Any JSON value a handler might not expect where it expects another."""
    return st.one_of(
        st.sampled_from(HOSTILE_SCALARS),
        hostile_strings(),
        st.sampled_from([[], [None], ["U1"], [{}], [1, 2], {}, {"id": "U1"}, {"id": None}]),
        st.sampled_from([Deep(50), Deep(TOO_DEEP)]),
    )


def paths(node: object, prefix: Path = ()) -> Iterator[Path]:
    """Every field of a JSON value, parents before children."""
    children: list[tuple[str | int, object]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    for key, child in children:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def _get(body: Any, path: Path) -> Any:
    for key in path:
        body = body[key]
    return body


def _set(body: Any, path: Path, value: object) -> None:
    _get(body, path[:-1])[path[-1]] = value


def _remove(body: Any, path: Path) -> None:
    del _get(body, path[:-1])[path[-1]]


def _matches(path: Path, pattern: str) -> bool:
    parts = pattern.split(".")
    return len(parts) == len(path) and all(
        part == "*" if isinstance(key, int) else part == key
        for part, key in zip(parts, path, strict=True)
    )


@st.composite
def _mutation(draw: st.DrawFn, body: Any, frozen: Collection[str], focus: Collection[str]) -> None:
    """One mutation of `body`, in place; half of them on a field named in `focus`."""
    choices = [p for p in paths(body) if str(p[0]) not in frozen]
    focused = [p for p in choices if any(_matches(p, pattern) for pattern in focus)]
    on_focus: bool = draw(st.booleans())
    if focused and on_focus:
        choices = focused
    if not choices:
        return None
    path = draw(st.sampled_from(choices))
    value = _get(body, path)
    how = draw(
        st.sampled_from(
            ["replace", "replace", "remove", "stretch", "poison", "wrap", "python", "deepen"]
        )
    )
    if how == "remove":
        _remove(body, path)
        return
    if how == "stretch" and isinstance(value, str):
        new: object = (value or "x") * (draw(st.sampled_from([256, 300])) // max(len(value), 1) + 1)
    elif how == "poison" and isinstance(value, str):
        at = draw(st.integers(0, len(value)))
        bad = draw(st.sampled_from(["\x00", "\ud800", "\udc00", "\x1f", "\x9f", "\u202e"]))
        new = value[:at] + bad + value[at:]
    elif how == "wrap":
        new = draw(st.sampled_from([[value], {"id": value}]))
    elif how == "python" and isinstance(value, dict | list):
        new = str(value)  # how a list of ids once became an id
    elif how == "deepen":
        new = draw(st.sampled_from([Deep(50), Deep(TOO_DEEP)]))
    else:  # a copy: a later mutation must not change the strategy's own lists and objects
        new = copy.deepcopy(draw(hostile_values()))
    _set(body, path, new)


@st.composite
def mutated(
    draw: st.DrawFn,
    payload: Mapping[str, Any],
    *,
    frozen: Collection[str] = (),
    focus: Collection[str] = (),
) -> dict[str, Any]:
    """`payload` (a copy) with one to three mutations; top-level keys in `frozen` are kept,
    and fields matching a pattern in `focus` (a contract's) are picked more often."""
    body: dict[str, Any] = json.loads(json.dumps(payload))
    for _ in range(draw(st.integers(1, 3))):
        draw(_mutation(body, frozen, focus))
    return body


@st.composite
def mutated_form(draw: st.DrawFn, form: Mapping[str, str]) -> dict[str, str]:
    """A form (a slash command) with one to three fields removed or made hostile strings."""
    fields = dict(form)
    for _ in range(draw(st.integers(1, 3))):
        if not fields:
            break
        name = draw(st.sampled_from(sorted(fields)))
        if draw(st.booleans()):
            del fields[name]
        else:
            fields[name] = draw(hostile_strings())
    return fields


def encode(body: object) -> str:
    """JSON text of a mutated body, `Deep` values written out in place."""
    deep: dict[str, Deep] = {}

    def placeholder(value: object) -> str:
        if not isinstance(value, Deep):
            raise TypeError(type(value).__name__)
        marker = f"@@deep-{len(deep)}@@"
        deep[marker] = value
        return marker

    text = json.dumps(body, default=placeholder)
    for marker, value in deep.items():
        text = text.replace(json.dumps(marker), value.json())
    return text


def as_received(value: str) -> str:
    """A form value as the server decodes it: half a UTF-16 pair can't be sent as UTF-8, so
    it arrives as the replacement character."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


# --- contracts -------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_HALF_PAIR = re.compile("[\ud800-\udfff]")
_MISSING = object()


def _id_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "not a string"
    if not 0 < len(value) <= MAX_ID_CHARS:
        return f"{len(value)} characters"
    if _CONTROL.search(value):
        return "a control character"
    return None


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "not a string"
    return "a control character" if _CONTROL.search(value) else None


def _problem(kind: str, value: object) -> str | None:
    """Why `value` is not what a field of this kind holds, or None."""
    required = kind.endswith("!")
    kind = kind.rstrip("!")
    if value is _MISSING or value is None:
        return "missing" if required else None
    if kind == "id":
        return _id_problem(value)
    if kind == "object":
        return None if isinstance(value, dict) else "not an object"
    if kind == "objects":
        ok = isinstance(value, list) and all(isinstance(item, dict) for item in value)
        return None if ok else "not a list of objects"
    if kind == "text":
        return _text_problem(value)
    if kind == "words":
        return None if isinstance(value, str) else "not a string"
    if kind == "button":
        if _text_problem(value) is not None:
            return _text_problem(value)
        assert isinstance(value, str)
        numbers = re.findall(r"\d+", value)
        return None if all(int(n) <= MAX_DATABASE_INT for n in numbers) else "no such row"
    if kind == "row":
        ok = type(value) is int and 0 < value <= MAX_DATABASE_INT
        return None if ok else "not a row id"
    if kind == "client":
        if _text_problem(value) is not None:
            return _text_problem(value)
        assert isinstance(value, str)
        return None if 0 < len(value) <= 64 else f"{len(value)} characters"
    raise ValueError(kind)


def _found(node: object, parts: list[str], path: Path = ()) -> Iterator[tuple[Path, object]]:
    """The values at a dotted pattern (`*` for every item of a list). A parent that is missing
    or of another type yields nothing: its own entry in the contract says whether it may."""
    if not parts:
        yield path, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _found(item, rest, (*path, index))
        return
    if not isinstance(node, dict):
        return
    if head not in node:
        if not rest:
            yield (*path, head), _MISSING
        return
    yield from _found(node[head], rest, (*path, head))


def _not_json(value: object) -> bool:
    """Half a UTF-16 pair in a string, or NaN or Infinity: Python writes and reads them, JSON
    has neither."""
    if isinstance(value, str):  # as received: two halves side by side make a whole pair
        return bool(_HALF_PAIR.search(json.loads(json.dumps(value))))
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_not_json(k) or _not_json(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_not_json(item) for item in value)
    return False


def _too_deep(value: object) -> bool:
    if isinstance(value, Deep):
        return value.depth >= TOO_DEEP
    if isinstance(value, dict):
        return any(_too_deep(v) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(item) for item in value)
    return False


@dataclass(frozen=True)
class Contract:
    """What a platform sends in the fields our code reads: dotted paths (`*` for any item of
    a list) and their kind: `id`, `object`, `objects` (a list of objects), `text` (no control
    characters), `words` (any string), `button` (text naming no number beyond a row id),
    `row` (a row id), `client` (a click id); `!` when the field must be there."""

    fields: Mapping[str, str]

    def broken(self, body: object) -> str | None:
        """Why `body` is not a request the platform sends, or None."""
        if not isinstance(body, dict):
            return "not an object"
        if _not_json(body):
            return "half a UTF-16 pair, NaN or Infinity"
        if _too_deep(body):
            return "nested too deep"
        for pattern, kind in self.fields.items():
            for path, value in _found(body, pattern.split(".")):
                problem = _problem(kind, value)
                if problem is not None:
                    return f"{'.'.join(map(str, path))}: {problem}"
        return None
