"""What every group of words shares: how dates, times and counts are written."""

from __future__ import annotations

from datetime import date, time

MAX_ENTRY_CHARS = 2000


def day_name(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def days_text(days: frozenset[int]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(names[d] for d in sorted(days))


def hm(at: time) -> str:
    return at.strftime("%H:%M")
