"""School days and local dates: which day it is for a person, and which days count."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.ports import Person, School


class SchoolCalendar(Protocol):
    def is_school_day(self, day: date) -> bool: ...


class WeekdayCalendar:
    """Monday to Friday; term dates, holidays and closures build on this (issue 4)."""

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5


def zone(name: str | None, fallback: str) -> ZoneInfo:
    """The named IANA zone, or the fallback when the name is missing or unknown."""
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_today(person: Person, school: School, now: datetime) -> date:
    """The date where the person is: their own zone first, else their school's."""
    return now.astimezone(zone(person.timezone, school.timezone)).date()
