"""What a new school starts with: the one place these defaults are written.

Storage is handed them when it creates a school, records and calendar rules default to them,
and an admin changes them with `config …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})  # ISO weekdays, Monday = 0


@dataclass(frozen=True, slots=True)
class SchoolDefaults:
    nudge_time: time = time(15, 30)
    nudge_days: frozenset[int] = MONDAY_TO_FRIDAY
    country: str = "GB"  # public holidays: England unless an admin says otherwise
    subdivision: str | None = "ENG"
    reminder_minutes: int | None = 120
    weekly_note: bool = True
    opt_in: bool = False
    guests: bool = False


SCHOOL_DEFAULTS = SchoolDefaults()
