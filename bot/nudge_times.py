"""When a nudge is due: local wall time on a local date, correct across clock changes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot import texts
from bot.calendar import is_valid_zone

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class TimeUnclear(ValueError):
    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


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


def due_at(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of wall time `at` on `day` where the person is.

    PEP 495 semantics do the right thing for people: a time in a spring-forward gap happens
    the gap's length later (01:30 becomes 02:30), and a time in the repeated autumn hour
    happens at its first occurrence (fold=0), so nobody is nudged twice or not at all.
    """
    if not is_valid_zone(zone_name):
        raise ValueError(f"unknown time zone {zone_name!r}")
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone_name)).astimezone(UTC)


def local_date_at(instant: datetime, zone_name: str) -> date:
    return instant.astimezone(ZoneInfo(zone_name)).date()
