"""Time zones and nudge instants: where a person is, what day it is there, and the UTC instant
of a local wall time. The one home of "the person's zone": their own, else their school's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import texts
from bot.ports import Person, School
from bot.refusals import Refusal

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_name(person: Person, school: School) -> str:
    """Where the person is: the zone their platform reported, else their school's."""
    return person.timezone or school.timezone


def local_date_at(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def local_today(person: Person, school: School, now: datetime) -> date:
    """The date where the person is."""
    return local_date_at(now, zone_name(person, school))


def due_at(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of wall time `at` on `day` where the person is.

    PEP 495 semantics do the right thing for people: a time in a spring-forward gap happens
    the gap's length later (01:30 becomes 02:30), and a time in the repeated autumn hour
    happens at its first occurrence (fold=0), so nobody is nudged twice or not at all.
    """
    if not is_valid_zone(zone):
        raise ValueError(f"unknown time zone {zone!r}")
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


class TimeUnclear(Refusal):
    """A time of day that can't be read; `reply` gives examples that work."""


def parse_nudge_time(text: str) -> time:
    """ "15:30", "9:05", "15.30", "3:30pm", "3pm" → a time of day."""
    words = text.strip().lower().replace(" ", "")
    match = _TIME.match(words)
    if not match or (match.group(2) is None and match.group(3) is None):
        raise TimeUnclear(texts.time_unclear(text.strip()[:40]))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise TimeUnclear(texts.time_unclear(text.strip()[:40]))
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimeUnclear(texts.time_unclear(text.strip()[:40]))
    return time(hour, minute)
