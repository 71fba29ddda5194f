"""A school's entries as CSV: the right rows, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.leaders.export import ExportRefused, csv_text, export_school, safe_cell
from bot.ports import ExportRow, Store
from tests.bot.chat import Chat, actor


@pytest.mark.parametrize("risky", ["=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(risky: str) -> None:
    assert safe_cell(risky) == "'" + risky


def test_an_ordinary_cell_is_unchanged() -> None:
    assert safe_cell("Tidied the trays, then =) smiled") == "Tidied the trays, then =) smiled"


def test_the_csv_has_the_header_and_one_row_per_entry() -> None:
    row = ExportRow(7, date(2026, 11, 24), "Hill Top", "Maths", "Sam", '=HYPERLINK("x")\nline 2')

    parsed = list(csv.reader(io.StringIO(csv_text([row]))))

    assert parsed[0] == [
        "id", "date", "school", "department", "person", "text", "status", "outcome", "theme"
    ]  # fmt: skip
    assert parsed[1] == [
        "7", "2026-11-24", "Hill Top", "Maths", "Sam", "'=HYPERLINK(\"x\")\nline 2", "logged",
        "", "",
    ]  # fmt: skip


async def test_a_schools_export_holds_its_live_entries_in_the_period(
    chat: Chat, conversation: Conversation, store: Store, clock: FixedClock
) -> None:
    await chat.say("config department add Maths")
    await chat.say("my department Maths")
    await chat.say("log Fraction walls")
    await chat.say("log Oops")
    await chat.say("undo")
    await Chat(conversation, actor("OTHER", "T9")).say("log Another school's step")
    async with store.transaction() as tx:
        person = await tx.people.by_identity("test", "T1", "U1")
        assert person is not None

    text, entries = await export_school(store, clock, person.school_id, "this week")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert entries == 1
    assert [(r["text"], r["department"], r["person"], r["date"]) for r in rows] == [
        ("Fraction walls", "Maths", "U1", "2026-11-24")
    ]


async def test_an_export_outside_the_period_is_empty(
    chat: Chat, store: Store, clock: FixedClock
) -> None:
    await chat.say("log Fraction walls")
    async with store.transaction() as tx:
        person = await tx.people.by_identity("test", "T1", "U1")
        assert person is not None

    _, entries = await export_school(store, clock, person.school_id, "last week")

    assert entries == 0


async def test_an_unknown_school_is_refused(store: Store, clock: FixedClock) -> None:
    with pytest.raises(ExportRefused, match="can't find that school"):
        await export_school(store, clock, 999, "this week")
