"""`tinysteps import entries FILE.csv --school N`: a school's past records, all or nothing.

Columns `date, person, department, text` (a header row; `department` may be blank). People and
departments are found by name, or created: imported people are web-chat people of the school
(so they can be picked in the web chat), one per name however many files mention them. Every
row is checked before anything is written; any problem refuses the whole file, each one named
with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from adapters.directory import WEB, web_workspace
from bot import texts
from bot.conversation.entries import EntryRejected, clean_entry
from bot.evidence import school_classifier
from bot.people import membership
from bot.ports import Clock, Store
from bot.refusals import Refusal

COLUMNS = ("date", "person", "department", "text")
MAX_ROWS = 100_000
MAX_ERRORS_SHOWN = 20
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class ImportRefused(Refusal):
    """A file that can't be imported; `reply` lists what is wrong, line by line."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    day: date
    person: str
    department: str
    text: str


@dataclass(frozen=True, slots=True)
class Imported:
    entries: int
    people: int  # new people
    departments: int  # new departments

    def describe(self) -> str:
        return texts.imported(self.entries, self.people, self.departments)


def read_rows(text: str, *, today: date) -> list[Row]:
    """Every row, checked; `ImportRefused` naming each bad line when any is wrong."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused(texts.import_columns_missing(missing))
    reader.fieldnames = header
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRefused(texts.entries_import_too_many(MAX_ROWS))
        try:
            rows.append(_row(number, raw, today))
        except ValueError as error:
            errors.append(texts.import_line(number, str(error)))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        raise ImportRefused(texts.import_refused(shown, len(errors) - len(shown)))
    if not rows:
        raise ImportRefused(texts.ENTRIES_IMPORT_EMPTY)
    return rows


def _row(number: int, raw: dict[str, str | None], today: date) -> Row:
    day = _day((raw.get("date") or "").strip())
    if day > today:
        raise ValueError(texts.IMPORT_FUTURE_DATE)
    person = " ".join((raw.get("person") or "").split())
    if not person:
        raise ValueError(texts.IMPORT_NO_PERSON)
    if len(person) > membership.MAX_NAME_CHARS:
        raise ValueError(texts.name_too_long(membership.MAX_NAME_CHARS))
    department = " ".join((raw.get("department") or "").split())
    if len(department) > 80:
        raise ValueError(texts.IMPORT_DEPARTMENT_TOO_LONG)
    try:
        words = clean_entry(raw.get("text") or "")
    except EntryRejected as refusal:
        raise ValueError(refusal.reply) from None
    return Row(number, day, person, department, words)


def _day(text: str) -> date:
    """`2025-09-08`, or `08/09/2025` as schools in the UK write it."""
    if match := _DMY.match(text):
        text = f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(texts.import_bad_date(text[:20])) from None


def _person_key(name: str) -> str:
    return "import:" + " ".join(name.lower().split())


async def import_entries(store: Store, clock: Clock, school_id: int, text: str) -> Imported:
    now = clock.now()
    async with store.transaction() as tx:
        school = await tx.schools.get(school_id)
        if school is None:
            raise ImportRefused(texts.NO_SUCH_SCHOOL)
        rows = read_rows(text, today=now.astimezone(ZoneInfo(school.timezone)).date())
        workspace = web_workspace(school.id)
        departments: dict[str, int] = {}
        people: dict[str, int] = {}
        new_people = new_departments = 0
        for row in rows:
            if row.department and row.department.lower() not in departments:
                found = await tx.schools.department_named(school.id, row.department)
                if found is None:
                    found = await tx.schools.add_department(school.id, row.department)
                    new_departments += 1
                departments[row.department.lower()] = found.id
            key = _person_key(row.person)
            if key not in people:
                person = await tx.people.by_identity(WEB, workspace, key)
                if person is None:
                    person = await membership.join(
                        tx,
                        school,
                        platform=WEB,
                        workspace_id=workspace,
                        user_id=key,
                        display_name=row.person,
                        timezone=None,
                        at=now,
                    )
                    new_people += 1
                people[key] = person.id
            noon = datetime.combine(row.day, time(12), tzinfo=ZoneInfo(school.timezone))
            entry = await tx.improvements.add(
                person_id=people[key],
                school_id=school.id,
                text=row.text,
                local_date=row.day,
                at=noon,
                department_id=departments.get(row.department.lower()),
            )
            themed = await school_classifier.classify(tx, school.id, row.text)
            if themed is not None:
                await tx.improvements.set_theme(entry.id, themed[0].id, by="auto")
        await tx.audit.record(
            "entries.imported", at=now, school_id=school.id, detail={"entries": len(rows)}
        )
    return Imported(len(rows), new_people, new_departments)
