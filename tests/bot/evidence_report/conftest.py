"""A school of two departments and four people, and helpers that write what evidence reads:
entries with a theme and an outcome, shares, standouts and "I'll try this"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.calendar.periods import Period
from bot.evidence.report import EvidenceFigures, evidence_figures
from bot.leaders.access import Scope
from bot.model import Block, BulletList, Content, Fields, Heading, Paragraph, Quote
from bot.ports import (
    Channel,
    ChannelKind,
    Consent,
    Evidence,
    NewPerson,
    Outcome,
    PostKind,
    Store,
    Transaction,
)
from tests.bot.leaders.conftest import trust as trust  # the leaders' trust, for `evidence`

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)
SUNDAY = MONDAY + timedelta(days=6)


@dataclass(frozen=True)
class School:
    id: int
    maths: int
    science: int
    ana: int  # Maths
    ben: int  # Science
    cat: int  # Maths
    dev: int  # Science


@pytest.fixture
async def school(store: Store) -> School:
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        maths = await tx.schools.add_department(school.id, "Maths")
        science = await tx.schools.add_department(school.id, "Science")
        ids = []
        for name, department in (
            ("Ana", maths),
            ("Ben", science),
            ("Cat", maths),
            ("Dev", science),
        ):
            new = NewPerson(school.id, "web", "local", name, name, department_id=department.id)
            ids.append((await tx.people.create(new, at=AT)).id)
    return School(school.id, maths.id, science.id, *ids)


async def step(
    store: Store,
    school_id: int,
    person: int,
    department: int | None,
    *,
    theme: str | None = None,
    outcome: Outcome | None = None,
    day: date = MONDAY,
    text: str = "A small step",
) -> int:
    """An entry, themed and answered as asked; its id."""
    async with store.transaction() as tx:
        entry = await tx.improvements.add(
            person_id=person,
            school_id=school_id,
            text=text,
            local_date=day,
            at=AT,
            department_id=department,
        )
        if theme is not None:
            await tx.improvements.set_theme(entry.id, theme, by="auto")
        if outcome is not None:
            await tx.improvements.set_outcome(entry.id, outcome, None, at=AT)
    return entry.id


async def remove(store: Store, entry_id: int) -> None:
    async with store.transaction() as tx:
        await tx.improvements.remove(entry_id, at=AT)


async def share(store: Store, school_id: int, entry_id: int, *, withdrawn: bool = False) -> None:
    """Its author shared it with their department (and maybe took it back)."""
    channel = Channel(school_id, "web", "local", "C-dept", ChannelKind.DEPARTMENT, "maths")
    async with store.transaction() as tx:
        await tx.posts.add(entry_id, PostKind.SHARE, channel, at=AT)
        if withdrawn:
            await tx.posts.withdraw(entry_id, at=AT)


async def standout(store: Store, entry_id: int, consent: Consent) -> None:
    async with store.transaction() as tx:
        await tx.standouts.choose(entry_id, reason="votes", at=AT, answer_by=SUNDAY)
        if consent is not Consent.ASKED:
            await tx.standouts.answer(entry_id, consent, at=AT)


async def adopt(store: Store, idea: int, person: int, taken: int | None = None) -> None:
    """`person` said "I'll try this" about `idea`, and later linked `taken` to it."""
    async with store.transaction() as tx:
        assert await tx.adoptions.add(idea, person, at=AT, until=SUNDAY)
        if taken is not None:
            [(adoption, _)] = [
                (a, e) for a, e in await tx.adoptions.open_for(person, MONDAY) if e.id == idea
            ]
            await tx.adoptions.take(adoption.id, taken)


async def figures_for(
    store: Store, school: School, *, departments: tuple[int, ...] = (), home: int | None = None
) -> EvidenceFigures:
    """The school's (or some departments') evidence for the week of MONDAY."""
    async with store.transaction() as tx:
        found = await tx.schools.get(school.id)
        assert found is not None
        chosen = [d for d in await tx.schools.departments(school.id) if d.id in departments]
        scope = Scope("department" if chosen else "school", found.name, (found,), tuple(chosen))
        return await evidence_figures(
            tx, evidence_of(tx), scope, Period(MONDAY, SUNDAY), SUNDAY, home=home
        )


def evidence_of(tx: Transaction) -> Evidence:
    """The transaction's evidence repository."""
    return tx.evidence


def words_in(*found: Content | Sequence[Block]) -> str:
    """Every word of these replies' blocks (headings, paragraphs, quotes, lists, fields)."""
    parts: list[str] = []
    for content in found:
        blocks = content.blocks if isinstance(content, Content) else content
        for block in blocks:
            if isinstance(block, Heading | Paragraph | Quote):
                parts.append(block.text)
            elif isinstance(block, BulletList):
                parts.extend(block.items)
            elif isinstance(block, Fields):
                parts.extend(f"{label}: {value}" for label, value in block.pairs)
    return "\n".join(parts)
