"""Nudge times: the right instant in every time zone, across clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.calendar.zones import TimeUnclear, due_at, local_date_at, parse_nudge_time


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc"),
    [
        # Ordinary days.
        ("Europe/London", date(2026, 11, 24), time(15, 30), datetime(2026, 11, 24, 15, 30)),
        ("Europe/London", date(2026, 6, 10), time(15, 30), datetime(2026, 6, 10, 14, 30)),
        ("America/New_York", date(2026, 11, 24), time(15, 30), datetime(2026, 11, 24, 20, 30)),
        ("Australia/Sydney", date(2026, 11, 24), time(15, 30), datetime(2026, 11, 24, 4, 30)),
        # Spring forward: London skips 01:00-02:00 on 29 March; 01:30 happens at 02:30 BST.
        ("Europe/London", date(2026, 3, 29), time(1, 30), datetime(2026, 3, 29, 1, 30)),
        ("Europe/London", date(2026, 3, 29), time(15, 30), datetime(2026, 3, 29, 14, 30)),
        # Fall back: London repeats 01:00-02:00 on 25 October; the first 01:30 (BST) is used.
        ("Europe/London", date(2026, 10, 25), time(1, 30), datetime(2026, 10, 25, 0, 30)),
        ("Europe/London", date(2026, 10, 25), time(15, 30), datetime(2026, 10, 25, 15, 30)),
        # New York skips 02:00-03:00 on 8 March and repeats 01:00-02:00 on 1 November.
        ("America/New_York", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30)),
        ("America/New_York", date(2026, 3, 9), time(15, 30), datetime(2026, 3, 9, 19, 30)),
        # Sydney repeats 02:00-03:00 on 5 April and skips 02:00-03:00 on 4 October.
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), datetime(2026, 4, 4, 15, 30)),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), datetime(2026, 10, 3, 16, 30)),
        ("Australia/Sydney", date(2026, 10, 5), time(15, 30), datetime(2026, 10, 5, 4, 30)),
    ],
)
def test_the_nudge_is_due_at_the_local_wall_time(
    zone: str, day: date, wall: time, expected_utc: datetime
) -> None:
    assert due_at(day, wall, zone) == expected_utc.replace(tzinfo=UTC)


def test_a_time_in_the_skipped_hour_is_never_lost_and_lands_on_its_own_day() -> None:
    instant = due_at(date(2026, 3, 29), time(1, 30), "Europe/London")

    assert local_date_at(instant, "Europe/London") == date(2026, 3, 29)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        due_at(date(2026, 1, 5), time(15, 30), "Mars/Olympus")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("15:30", time(15, 30)),
        ("9:05", time(9, 5)),
        ("15.30", time(15, 30)),
        ("3:30pm", time(15, 30)),
        ("3 pm", time(15, 0)),
        ("12am", time(0, 0)),
        ("12:15pm", time(12, 15)),
        ("00:00", time(0, 0)),
    ],
)
def test_nudge_times_are_read_in_common_forms(words: str, expected: time) -> None:
    assert parse_nudge_time(words) == expected


@pytest.mark.parametrize("words", ["25:00", "12:60", "", "noonish", "15", "13pm", "0am", "-1:00"])
def test_impossible_times_are_refused_with_a_clear_reason(words: str) -> None:
    with pytest.raises(TimeUnclear) as refusal:
        parse_nudge_time(words)

    assert "15:30" in refusal.value.reply
