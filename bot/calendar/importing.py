"""Reading term dates and closures from admins' words, iCalendar (.ics) files and CSV.

Each reader returns everything or raises `CalendarInputError` naming the problem, so an import
is stored whole or not at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser
from icalendar import Calendar

from bot import texts
from bot.calendar.schoolcal import CalendarInputError, check_new_term
from bot.ports import Closure, Term

MAX_IMPORT_BYTES = 1_000_000
MAX_EVENTS = 500
MAX_NAME_CHARS = 100

_RANGE = re.compile(
    r"^(?:from\s+)?(?P<start>.+?)\s+(?:to|until|till|-|\u2013)\s+(?P<end>.+)$", re.I
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class CalendarImport:
    terms: tuple[Term, ...]
    closures: tuple[Closure, ...]


def _date(words: str, today: date) -> date | None:
    words = words.strip()
    if _ISO.fullmatch(words):
        try:
            return date.fromisoformat(words)
        except ValueError:
            return None
    parsed = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
            "STRICT_PARSING": False,
            "REQUIRE_PARTS": ["day", "month"],
        },
    )
    return parsed.date() if parsed else None


def _split_dates(words: str, today: date) -> tuple[date, date, str]:
    """Leading date (or date range) and the words after it, e.g. '3 Sep to 18 Dec Autumn'."""
    tokens = words.split()
    # Try the longest prefix that reads as "<date> to <date>", then as a single date.
    for cut in range(len(tokens), 0, -1):
        head, rest = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        match = _RANGE.match(head)
        if match:
            start, end = _date(match["start"], today), _date(match["end"], today)
            if start and end:
                return start, end, rest
    for cut in range(min(len(tokens), 4), 0, -1):
        head, rest = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        if any(ch.isdigit() for ch in head) and (day := _date(head, today)):
            return day, day, rest
    raise CalendarInputError(texts.dates_unclear(words.strip()[:60]))


def parse_term_command(words: str, today: date) -> Term:
    start, end, name = _split_dates(words, today)
    if start == end:
        raise CalendarInputError(texts.TERM_NEEDS_RANGE)
    term = Term(start, end, name.strip()[:MAX_NAME_CHARS])
    check_new_term(term, ())
    return term


def parse_closed_command(words: str, today: date) -> Closure:
    start, end, reason = _split_dates(words, today)
    if end < start:
        raise CalendarInputError(texts.term_reversed(start, end))
    return Closure(start, end, reason.strip()[:MAX_NAME_CHARS] or texts.DEFAULT_CLOSURE)


def _checked(terms: list[Term], closures: list[Closure]) -> CalendarImport:
    if not terms and not closures:
        raise CalendarInputError(texts.IMPORT_EMPTY)
    accepted: list[Term] = []
    for term in sorted(terms, key=lambda t: t.start):
        check_new_term(term, accepted)
        accepted.append(term)
    return CalendarImport(tuple(accepted), tuple(closures))


def _is_term(summary: str) -> bool:
    lowered = summary.lower()
    return "term" in lowered and "half term" not in lowered and "half-term" not in lowered


def parse_ics(data: bytes) -> CalendarImport:
    """Events named like "Autumn Term" are terms; other all-day events are closures."""
    if len(data) > MAX_IMPORT_BYTES:
        raise CalendarInputError(texts.import_too_big(MAX_IMPORT_BYTES))
    try:
        calendar = Calendar.from_ical(data)
        events = list(calendar.walk("VEVENT"))
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise CalendarInputError(texts.IMPORT_NOT_ICS) from error
    if len(events) > MAX_EVENTS:
        raise CalendarInputError(texts.import_too_many(MAX_EVENTS))
    terms: list[Term] = []
    closures: list[Closure] = []
    for number, event in enumerate(events, start=1):
        summary = str(event.get("SUMMARY", "")).strip()[:MAX_NAME_CHARS]
        start_field, end_field = event.get("DTSTART"), event.get("DTEND")
        if start_field is None:
            raise CalendarInputError(texts.import_event_without_date(number, summary))
        start = _as_date(start_field.dt)
        if end_field is not None:
            end = _as_date(end_field.dt)
            if not isinstance(end_field.dt, datetime):
                end -= timedelta(days=1)  # an all-day event's DTEND is the day after
            end = max(start, end)
        else:
            end = start
        if _is_term(summary):
            terms.append(Term(start, end, summary))
        else:
            closures.append(Closure(start, end, summary or texts.DEFAULT_CLOSURE))
    return _checked(terms, closures)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise CalendarInputError(texts.IMPORT_NOT_ICS)


def parse_csv(text: str) -> CalendarImport:
    """Rows of `kind,start,end,name` where kind is `term` or `closed` and dates are ISO."""
    if len(text.encode()) > MAX_IMPORT_BYTES:
        raise CalendarInputError(texts.import_too_big(MAX_IMPORT_BYTES))
    reader = csv.DictReader(io.StringIO(text))
    if [f.strip().lower() for f in reader.fieldnames or []][:3] != ["kind", "start", "end"]:
        raise CalendarInputError(texts.CSV_HEADER)
    terms: list[Term] = []
    closures: list[Closure] = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_EVENTS + 1:
            raise CalendarInputError(texts.import_too_many(MAX_EVENTS))
        kind = (row.get("kind") or "").strip().lower()
        name = (row.get("name") or "").strip()[:MAX_NAME_CHARS]
        try:
            start = date.fromisoformat((row.get("start") or "").strip())
            end = date.fromisoformat((row.get("end") or "").strip())
        except ValueError as error:
            raise CalendarInputError(texts.csv_bad_row(number, texts.CSV_BAD_DATE)) from error
        if end < start:
            raise CalendarInputError(texts.csv_bad_row(number, texts.term_reversed(start, end)))
        if kind == "term":
            terms.append(Term(start, end, name))
        elif kind in {"closed", "closure"}:
            closures.append(Closure(start, end, name or texts.DEFAULT_CLOSURE))
        else:
            raise CalendarInputError(texts.csv_bad_row(number, texts.CSV_BAD_KIND))
    return _checked(terms, closures)
