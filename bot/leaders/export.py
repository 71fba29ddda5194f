"""A school's entries as CSV, safe to open in Excel.

Any cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`,
so a spreadsheet shows it as text rather than running it as a formula (OWASP's advice on CSV
injection). The file is UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot import texts
from bot.calendar.periods import Period, parse_period
from bot.calendar.zones import local_date_at
from bot.ports import Clock, ExportRow, Store
from bot.refusals import Refusal

HEADER = ("id", "date", "school", "department", "person", "text", "status", "outcome", "theme")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportRefused(Refusal):
    """An export that can't be made (no such school, an unclear period)."""


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_text(rows: Sequence[ExportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        cells = (row.id, row.day.isoformat(), row.school, row.department, row.person, row.text)
        writer.writerow(
            [safe_cell(str(cell)) for cell in cells] + [row.status, row.outcome, row.theme]
        )
    return out.getvalue()


async def export_school(store: Store, clock: Clock, school_id: int, words: str) -> tuple[str, int]:
    """The school's live entries in the period `words` names (default: this week), as CSV,
    and how many there are."""
    async with store.transaction() as tx:
        school = await tx.schools.get(school_id)
        if school is None:
            raise ExportRefused(texts.NO_SUCH_SCHOOL)
        rules = await tx.calendars.rules(school_id)
        period: Period = parse_period(words, local_date_at(clock.now(), school.timezone), rules)
        rows = await tx.improvements.export(school_id, period.start, period.end)
    return csv_text(rows), len(rows)
