"""Slack's message markup → the words as a person reads them.

Slack sends `&`, `<` and `>` escaped, and mentions, links and broadcasts as `<…>` tokens
(`<@U123>`, `<#C123|general>`, `<https://…|the plan>`, `<!here>`). An entry is stored as its
author would read it back, the same whether it was typed in a DM, a slash command or a form,
so none of that markup is kept. A broadcast becomes plain `@here`, which pings nobody when
shown again (our renderer escapes it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.model import Mention

_TOKEN = re.compile(r"<([^<>\n]{1,2000})>")
_USER = re.compile(r"<@([UW][A-Z0-9]{1,40})(?:\|[^<>]*)?>")
_BROADCASTS = frozenset({"here", "channel", "everyone"})


def mentioned_users(text: str) -> set[str]:
    """The user ids mentioned in `text`, to look their names up."""
    return set(_USER.findall(text))


def mentions(text: str, names: Mapping[str, str] | None = None) -> tuple[Mention, ...]:
    """Each person mentioned, in order, with how their mention reads once `readable`."""
    found: dict[str, Mention] = {}
    for token in _USER.finditer(text):
        user = token.group(1)
        found.setdefault(user, Mention(user, readable(token.group(0), names)))
    return tuple(found.values())


def readable(text: str, names: Mapping[str, str] | None = None) -> str:
    """`text` with Slack's markup read out: `@Name`, `#channel`, `label (url)`, `&` for `&amp;`."""
    names = names or {}

    def read(token: re.Match[str]) -> str:
        target, _, label = token.group(1).partition("|")
        if target.startswith("@"):
            return "@" + (names.get(target[1:]) or label.lstrip("@") or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            special = target[1:]
            if special in _BROADCASTS:
                return "@" + special
            return label or "@" + special.split("^", 1)[0]
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if label and label != target:
            return f"{label} ({target})"
        return target

    read_out = _TOKEN.sub(read, text)
    return read_out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
