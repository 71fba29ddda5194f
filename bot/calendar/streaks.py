"""Streaks count school days only, so weekends and holidays never break one."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

from bot.calendar.schoolcal import SchoolCalendar

LOOKBACK_DAYS = 400


def streak(
    logged: Set[date],
    today: date,
    calendar: SchoolCalendar,
    *,
    excused: Set[date] = frozenset(),
) -> int:
    """Consecutive school days with a logged step, ending today (or yesterday, as today is
    still open). Excused days (skipped, paused) neither count nor break the run."""
    count = 0
    day = today if today in logged else today - timedelta(days=1)
    for _ in range(LOOKBACK_DAYS):
        if day in logged:
            count += 1
        elif calendar.is_school_day(day) and day not in excused:
            break
        day -= timedelta(days=1)
    return count
