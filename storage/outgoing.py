"""What the core says back, as JSON, so an owed reply survives a restart (`storage/replies.py`).

The neutral model is frozen dataclasses of text, numbers, tuples and bytes; each is written with
its class name (`{"$": "DirectMessage", ...}`) and read back by that name from `bot.model` only,
so a stored row can never make anything else. Tuples come back as tuples, bytes (a chart, an
export) as base64.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from bot import model
from bot.model import Outgoing

_KIND = "$"
_BYTES = "$bytes"
_CLASSES: dict[str, type[Any]] = {
    name: value
    for name, value in vars(model).items()
    if isinstance(value, type) and dataclasses.is_dataclass(value)
}


def dumps(actions: Sequence[Outgoing]) -> str:
    return json.dumps([_plain(action) for action in actions], separators=(",", ":"))


def loads(text: str) -> tuple[Outgoing, ...]:
    return tuple(_model(item) for item in json.loads(text))


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {_KIND: type(value).__name__, **fields}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    return value


def _model(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_model(item) for item in value)
    if not isinstance(value, dict):
        return value
    if _BYTES in value:
        return base64.b64decode(value[_BYTES])
    cls = _CLASSES[value[_KIND]]  # a KeyError for anything that is not ours
    return cls(**{name: _model(item) for name, item in value.items() if name != _KIND})
