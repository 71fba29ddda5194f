"""Reading platform JSON defensively: a field may be missing, null, or of another type.

A request no platform would send (a list where an object belongs, an id of 300 characters or
with a NUL, a JSON string with half a UTF-16 pair, nesting 100,000 deep) is refused by its
adapter before anything is handled, so it can neither fail half-way nor store odd values. The
checks here are the ones every adapter shares; Slack's and Teams' `translate.check` say which
fields of its platform's payloads are ids.
"""

from __future__ import annotations

import json
import re
from typing import Any

from storage.models import PLATFORM_ID

MAX_ID_CHARS = PLATFORM_ID  # every platform id is stored in a column of this width
MAX_DATABASE_INT = 2**31 - 1  # ids of our own rows (PostgreSQL INTEGER)

# C0 and C1 controls, DEL, and half a UTF-16 pair: nothing a platform puts in an id or a name.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NUMBER = re.compile(r"\d+")


class Malformed(ValueError):
    """A request that is not what its platform sends; the message says what is wrong."""


def obj(value: object) -> dict[str, Any]:
    """A nested object of a payload, or an empty one where the platform sent something else."""
    return value if isinstance(value, dict) else {}


def json_body(raw: bytes | str) -> Any:
    """A request body as JSON, or `Malformed`: not UTF-8, not JSON, or JSON no platform sends
    (`json_problem`)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise Malformed("the body is not UTF-8") from error
    try:
        value = json.loads(text)
    except RecursionError as error:
        raise Malformed("the body is nested too deep") from error
    except ValueError as error:  # not JSON, or a number of more than 4,300 digits
        raise Malformed("the body is not JSON") from error
    problem = json_problem(value)
    if problem is not None:
        raise Malformed(f"the body has {problem}")
    return value


def json_problem(value: object) -> str | None:
    """What Python's JSON parser takes but JSON is not, and no database stores: a string with
    half a UTF-16 pair (`"\\ud800"`), or `NaN` / `Infinity`. None when there is none."""
    try:  # one pass in C over the whole value
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        return "a string with half a UTF-16 pair"
    except ValueError:
        return "a number that is not finite"
    except RecursionError:
        return "nesting too deep"
    return None


def id_problem(value: object, what: str) -> str | None:
    """Why `value` cannot be a platform id (a string of 1 to 255 printable characters), or
    None when it can."""
    if not isinstance(value, str):
        return f"{what} is {type(value).__name__}, not a string"
    if not value:
        return f"{what} is empty"
    if len(value) > MAX_ID_CHARS:
        return f"{what} is {len(value)} characters long"
    if _UNPRINTABLE.search(value):
        return f"{what} has a control character"
    return None


def text_problem(value: object, what: str, *, limit: int) -> str | None:
    """Why `value` cannot be a short printable text such as a name or a zone, or None."""
    if not isinstance(value, str):
        return f"{what} is {type(value).__name__}, not a string"
    if len(value) > limit:
        return f"{what} is {len(value)} characters long"
    if _UNPRINTABLE.search(value):
        return f"{what} has a control character"
    return None


def is_printable(value: str) -> bool:
    """No control character and no half of a UTF-16 pair."""
    return _UNPRINTABLE.search(value) is None


def numbers_in_range(value: str) -> bool:
    """Whether every number in a button's value (`123`, `12:34,56`) could be one of our ids:
    a value naming entry 10^30 was not made by us, and the database can't even look it up."""
    return all(int(number) <= MAX_DATABASE_INT for number in _NUMBER.findall(value))


def at(body: dict[str, Any], path: str) -> object:
    """The value at a dotted path (`view.state.values`), None when any step is missing or
    null; `Malformed` when a step that must be an object is something else."""
    value: object = body
    walked: list[str] = []
    for key in path.split("."):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise Malformed(f"{'.'.join(walked)} is {type(value).__name__}, not an object")
        value = value.get(key)
        walked.append(key)
    return value


def need_object(body: dict[str, Any], path: str, *, required: bool = False) -> dict[str, Any]:
    """The object at `path` ({} when absent and not required), or `Malformed`."""
    value = at(body, path)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{path} is {type(value).__name__}, not an object")
    return value


def need_objects(body: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """The list of objects at `path` ([] when absent), or `Malformed`."""
    value = at(body, path)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Malformed(f"{path} is not a list of objects")
    return value


def need_id(body: dict[str, Any], path: str, *, required: bool = False) -> str:
    """The platform id at `path` ("" when absent and not required), or `Malformed`."""
    value = at(body, path)
    if value is None and not required:
        return ""
    problem = id_problem(value, path)
    if problem is not None:
        raise Malformed(problem)
    assert isinstance(value, str)
    return value


def need_text(body: dict[str, Any], path: str, *, limit: int) -> str:
    """The short printable text at `path` ("" when absent), or `Malformed`."""
    value = at(body, path)
    if value is None:
        return ""
    problem = text_problem(value, path, limit=limit)
    if problem is not None:
        raise Malformed(problem)
    assert isinstance(value, str)
    return value


def need_composed_id(value: str, what: str) -> None:
    """An id we make of two of the platform's (`channel:ts`) must fit the column too."""
    if len(value) > MAX_ID_CHARS:
        raise Malformed(f"{what} is {len(value)} characters long")
