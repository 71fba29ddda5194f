"""Term dates and closures from words, .ics and CSV: all of it, or a clear reason and nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.importing import (
    MAX_IMPORT_BYTES,
    parse_closed_command,
    parse_csv,
    parse_ics,
    parse_term_command,
)
from bot.calendar.schoolcal import CalendarInputError
from bot.ports import Closure, Term

TODAY = date(2026, 11, 24)


def ics(*events: tuple[str, str, str]) -> bytes:
    body = "".join(
        "BEGIN:VEVENT\r\n"
        f"UID:{n}@school\r\nSUMMARY:{summary}\r\n"
        f"DTSTART;VALUE=DATE:{start}\r\nDTEND;VALUE=DATE:{end}\r\n"
        "END:VEVENT\r\n"
        for n, (summary, start, end) in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//School//EN\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize(
    ("words", "term"),
    [
        ("2026-09-03 to 2026-12-18 Autumn", Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn")),
        ("3 Sep 2026 - 18 Dec 2026 Autumn", Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn")),
        ("from 5 January to 27 March Spring", Term(date(2027, 1, 5), date(2027, 3, 27), "Spring")),
    ],
)
def test_terms_are_read_from_words(words: str, term: Term) -> None:
    assert parse_term_command(words, TODAY) == term


@pytest.mark.parametrize(
    ("words", "closure"),
    [
        ("2026-11-27 INSET day", Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET day")),
        ("27 November INSET day", Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET day")),
        (
            "2026-12-01 to 2026-12-02 snow days",
            Closure(date(2026, 12, 1), date(2026, 12, 2), "snow days"),
        ),
        ("1 December", Closure(date(2026, 12, 1), date(2026, 12, 1), "school closed")),
    ],
)
def test_closures_are_read_from_words(words: str, closure: Closure) -> None:
    assert parse_closed_command(words, TODAY) == closure


def test_a_reversed_term_is_refused() -> None:
    with pytest.raises(CalendarInputError, match="ends"):
        parse_term_command("2026-12-18 to 2026-09-03 Autumn", TODAY)


@pytest.mark.parametrize("words", ["soon", "", "next term please"])
def test_words_without_dates_are_refused(words: str) -> None:
    with pytest.raises(CalendarInputError, match="couldn't find dates"):
        parse_term_command(words, TODAY)


def test_an_ics_file_gives_terms_and_closures() -> None:
    data = ics(
        ("Autumn Term", "20260903", "20261219"),
        ("October Half Term", "20261026", "20261031"),
        ("INSET day", "20261127", "20261128"),
    )

    imported = parse_ics(data)

    assert imported.terms == (Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn Term"),)
    assert imported.closures == (
        Closure(date(2026, 10, 26), date(2026, 10, 30), "October Half Term"),
        Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET day"),
    )


def test_a_file_that_is_not_a_calendar_is_refused() -> None:
    with pytest.raises(CalendarInputError, match="isn't a calendar file"):
        parse_ics(b"%PDF-1.4 definitely not a calendar")


def test_a_huge_file_is_refused_before_it_is_read() -> None:
    with pytest.raises(CalendarInputError, match="too big"):
        parse_ics(b"X" * (MAX_IMPORT_BYTES + 1))


def test_a_calendar_with_too_many_events_is_refused() -> None:
    events = [("INSET", "20261127", "20261128")] * 501

    with pytest.raises(CalendarInputError, match="more than 500"):
        parse_ics(ics(*events))


def test_overlapping_terms_in_a_file_are_refused_whole() -> None:
    data = ics(("Autumn Term", "20260903", "20261219"), ("Spring Term", "20261201", "20270320"))

    with pytest.raises(CalendarInputError, match="overlaps"):
        parse_ics(data)


def test_a_calendar_without_usable_events_is_refused() -> None:
    with pytest.raises(CalendarInputError, match="didn't find"):
        parse_ics(ics())


def test_a_csv_file_gives_terms_and_closures() -> None:
    text = "kind,start,end,name\nterm,2026-09-03,2026-12-18,Autumn\nclosed,2026-11-27,2026-11-27,INSET\n"

    imported = parse_csv(text)

    assert imported.terms == (Term(date(2026, 9, 3), date(2026, 12, 18), "Autumn"),)
    assert imported.closures == (Closure(date(2026, 11, 27), date(2026, 11, 27), "INSET"),)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("when,what\n", "kind,start,end,name"),
        ("kind,start,end,name\nterm,3/9/2026,2026-12-18,A\n", "Line 2"),
        (
            "kind,start,end,name\nterm,2026-09-03,2026-12-18,A\nparty,2026-10-01,2026-10-01,B\n",
            "Line 3",
        ),
        ("kind,start,end,name\nterm,2026-12-18,2026-09-03,A\n", "Line 2"),
    ],
)
def test_csv_problems_name_the_line(text: str, problem: str) -> None:
    with pytest.raises(CalendarInputError, match=problem):
        parse_csv(text)
