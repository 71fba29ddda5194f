"""Reading people's words as commands.

Bare words (`help`, `skip`, `stop`…) count only when they are the whole message, so an answer
such as "stop giving homework on Fridays" is never mistaken for opting out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

ALONE = frozenset(
    {
        "help",
        "skip",
        "undo",
        "resume",
        "stop",
        "start",
        "forget me",
        "edit",
        "log",
        "pause",
        "config",
        "my",
        "weekly",
        "cancel",
        "summary",
        "export",
        "share",
        "unshare",
        "evidence",
    }
)
WITH_ARGUMENT = frozenset(
    {
        "log",
        "edit",
        "pause",
        "config",
        "my",
        "weekly",
        "summary",
        "export",
        "share",
        "unshare",
        "spotlight",
        "outcome",
        "theme",
        "similar",
        "evidence",
    }
)
SYNONYMS = {
    "?": "help",
    "hi": "help",
    "hello": "help",
    "unpause": "resume",
    "delete": "undo",
    "no": "cancel",
    "keep my data": "cancel",
}

# Commands whose first word often starts an ordinary answer ("my class was calmer today"):
# they count only in exactly this form.
STRICT = {
    "my": re.compile(r"^(time|department|sharing)\s+\S.*$", re.IGNORECASE),
    "share": re.compile(r"^#?\d{1,12}$"),
    "unshare": re.compile(r"^#?\d{1,12}$"),
    "spotlight": re.compile(r"^#?\d{1,12}$"),
    "outcome": re.compile(r"^#?\d{1,12}\b"),
    "theme": re.compile(r"^#?\d{1,12}\s+\S"),
    "similar": re.compile(r"^#?\d{1,12}$"),
    "evidence": re.compile(r"^(this|last|\d{4}-\d\d-\d\d|departments?|school|trust)\b", re.I),
    "weekly": re.compile(r"^(on|off)$", re.IGNORECASE),
    "summary": re.compile(r"^(this|last|\d{4}-\d\d-\d\d|departments?|school|trust)\b", re.I),
    "export": re.compile(
        r"^(me|mine|my data|this|last|\d{4}-\d\d-\d\d|departments?|school|trust)\b", re.I
    ),
}

_SPACES = re.compile(r"\s+")
_FOR = re.compile(r"^for\s+(\d{1,3})\s*(day|days|week|weeks)$")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A command word and the (original-case) words after it."""

    name: str
    argument: str = ""


def parse(text: str) -> Parsed | None:
    """The command in `text`, or None when the words are not a command."""
    stripped = text.strip()
    if len(stripped) > 10_000:
        stripped = stripped[:10_000]
    lowered = _SPACES.sub(" ", stripped.lower()).strip().lstrip("/")
    lowered = lowered.rstrip(".!")
    if lowered in SYNONYMS:
        return Parsed(SYNONYMS[lowered])
    if lowered in ALONE:
        return Parsed(lowered)
    head, _, _ = stripped.partition(" ")
    word = head.lower()
    if word in WITH_ARGUMENT and len(head) < len(stripped):
        argument = stripped[len(head) :].strip()
        strict = STRICT.get(word)
        if strict is not None and not strict.match(argument):
            return None
        return Parsed(word, argument)
    return None


class DateUnclear(ValueError):
    """The words could not be read as a date."""


def pause_end(words: str, today: date, now: datetime) -> date:
    """The date a pause ends from `until Friday`, `2 December`, `for 2 weeks`…"""
    phrase = _SPACES.sub(" ", words.strip().lower())
    phrase = phrase.removeprefix("until ").removeprefix("till ").strip()
    if not phrase:
        raise DateUnclear(words)
    if match := _FOR.match(phrase):
        count, unit = int(match.group(1)), match.group(2)
        return today + timedelta(days=count * (7 if unit.startswith("week") else 1))
    base = datetime.combine(today, now.timetz().replace(tzinfo=None))
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "DATE_ORDER": "DMY",
        },
    )
    if parsed is None:
        raise DateUnclear(words)
    return parsed.date()
