"""Streaks count school days only."""

from __future__ import annotations

from datetime import date, timedelta

from bot.calendar.schoolcal import WeekdayCalendar
from bot.calendar.streaks import streak

MON = date(2026, 11, 23)
CAL = WeekdayCalendar()


def days(*offsets: int) -> set[date]:
    return {MON + timedelta(days=n) for n in offsets}


def test_no_entries_is_no_streak() -> None:
    assert streak(set(), MON, CAL) == 0


def test_today_counts_when_logged() -> None:
    assert streak(days(0), MON, CAL) == 1


def test_today_not_yet_logged_does_not_break_yesterdays_run() -> None:
    assert streak(days(-3, -4), MON, CAL) == 2  # Friday and Thursday


def test_weekends_are_not_school_days() -> None:
    assert streak(days(0, -3, -4, -5), MON, CAL) == 4


def test_a_missed_school_day_ends_the_run() -> None:
    assert streak(days(0, -4), MON, CAL) == 1  # Friday missed


def test_excused_days_neither_count_nor_break() -> None:
    assert streak(days(0, -4), MON, CAL, excused=days(-3)) == 2


def test_weekend_entries_still_count() -> None:
    assert streak(days(0, -1, -3), MON, CAL) == 3
