"""Who else is trying this: the closest steps by other people, and introductions between them.

Only steps their authors let others see are ever suggested: shared with their department (seen
within their school, with their name) or a standout they let travel (with their name or as "a
colleague"). Other schools of the trust are searched only when the trust allows it
(`tinysteps org sharing on`). The match is the same theme first, then the words' similarity.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from bot import texts
from bot.calendar.zones import due_at, local_date_at
from bot.conversation.turn import Turn
from bot.model import Block, Button, Buttons, Content, DirectMessage, Paragraph, Quote
from bot.people.membership import actor_of
from bot.ports import (
    Delivery,
    DeliveryKind,
    Improvement,
    NewDelivery,
    Person,
    School,
    Transaction,
)

if TYPE_CHECKING:
    from bot.evidence.similar import SimilarityIndex

MAX_SUGGESTED = 2
_CACHED = 8
# Keyed by what is indexed, not only ids: the same ids can hold other words elsewhere.
_indexes: OrderedDict[tuple[tuple[int, str, str | None], ...], SimilarityIndex] = OrderedDict()


@dataclass(frozen=True, slots=True)
class Match:
    entry: Improvement
    named: bool
    score: float


async def matches(
    tx: Transaction, school: School, entry: Improvement, limit: int = MAX_SUGGESTED
) -> list[Match]:
    """Good matches for `entry` among other people's steps its author may be shown."""
    schools = [school.id]
    if school.organisation_id is not None and await tx.schools.organisation_sharing(
        school.organisation_id
    ):
        schools = [s.id for s in await tx.schools.in_organisation(school.organisation_id)]
    pool = [
        (found, named)
        for found, named in await tx.introductions.shareable(schools, own_school_id=school.id)
        if found.person_id != entry.person_id
    ]
    if not pool:
        return []
    index = await _index(pool)
    from bot.evidence.similar import GOOD_MATCH

    by_id = {found.id: (found, named) for found, named in pool}
    ranked = index.matches(entry.text, theme=entry.theme, limit=limit * 3, exclude=(entry.id,))
    chosen: list[Match] = []
    people: set[int] = set()
    for found_id, score in ranked:
        found, named = by_id[found_id]
        if score >= GOOD_MATCH and found.person_id not in people:
            chosen.append(Match(found, named, score))
            people.add(found.person_id)
    return chosen[:limit]


async def _index(pool: list[tuple[Improvement, bool]]) -> SimilarityIndex:
    key = tuple((found.id, found.text, found.theme) for found, _ in pool)
    index = _indexes.get(key)
    if index is None:
        index = await asyncio.to_thread(_build, list(key))
        _indexes[key] = index
        while len(_indexes) > _CACHED:
            _indexes.popitem(last=False)
    _indexes.move_to_end(key)
    return index


def _build(entries: list[tuple[int, str, str | None]]) -> SimilarityIndex:
    from bot.evidence.similar import SimilarityIndex

    return SimilarityIndex(entries)


async def describe(tx: Transaction, match: Match, school: School) -> str:
    """ "Priya (Maths, kept it)" or "a colleague at Oakfield (dropped it)"."""
    person = await tx.people.get(match.entry.person_id)
    where = await _department(tx, match.entry)
    elsewhere = match.entry.school_id != school.id
    if elsewhere:
        other = await tx.schools.get(match.entry.school_id)
        where = other.name if other is not None else where
    name = person.display_name if match.named and person is not None else texts.A_COLLEAGUE
    return texts.similar_person(name, where, match.entry.outcome, elsewhere=elsewhere)


async def _department(tx: Transaction, entry: Improvement) -> str:
    departments = await tx.schools.departments(entry.school_id)
    return next((d.name for d in departments if d.id == entry.department_id), texts.NO_DEPARTMENT)


async def suggest(turn: Turn, entry: Improvement) -> list[Block]:
    """What the confirmation adds when others tried something close: who, and *Introduce us*."""
    found = await matches(turn.tx, turn.school, entry)
    if not found:
        return []
    people = [await describe(turn.tx, m, turn.school) for m in found]
    value = f"{entry.id}:" + ",".join(str(m.entry.id) for m in found)
    return [
        Paragraph(texts.similar_found(people)),
        Buttons((Button(texts.BUTTON_INTRODUCE, "introduce", value),)),
    ]


async def similar(turn: Turn, words: str) -> None:
    """`similar 123`: who else tried something like one of my steps."""
    number = words.strip().lstrip("#")
    entry = await turn.tx.improvements.get(int(number)) if number.isdecimal() else None
    if entry is None or entry.person_id != turn.person.id:
        turn.say(texts.SIMILAR_USAGE if entry is None else texts.NOT_YOUR_ENTRY)
        return
    blocks = await suggest(turn, entry)
    if not blocks:
        turn.say(texts.NOTHING_SIMILAR)
        return
    turn.reply(Content(tuple(blocks), fallback=texts.SIMILAR_FALLBACK))


async def introduce(turn: Turn, value: str) -> None:
    """*Introduce us*: both people get a short DM with the two steps side by side."""
    entry_id, _, others = value.partition(":")
    entry = await turn.tx.improvements.get(int(entry_id)) if entry_id.isdecimal() else None
    if entry is None or entry.person_id != turn.person.id:
        turn.say(texts.NOT_YOUR_ENTRY)
        return
    allowed = {m.entry.id: m for m in await matches(turn.tx, turn.school, entry)}
    wanted = [int(o) for o in others.split(",") if o.isdecimal() and int(o) in allowed]
    if not wanted:
        turn.say(texts.NOTHING_SIMILAR)
        return
    people = {turn.person.id}
    for other in wanted:
        if await turn.tx.introductions.add(entry.id, other, at=turn.now):
            people.add(allowed[other].entry.person_id)
    await _plan(turn.tx, sorted(people), turn.now)
    await turn.audit("introduction.asked", improvement_id=entry.id, others=wanted)
    turn.say(texts.INTRODUCED)


async def _plan(tx: Transaction, person_ids: list[int], now: datetime) -> None:
    rows = []
    for person_id in person_ids:
        person = await tx.people.get(person_id)
        school = await tx.schools.get(person.school_id) if person is not None else None
        if person is None or school is None:
            continue
        day = local_date_at(now, school.timezone)
        rows.append(NewDelivery(person.id, school.id, DeliveryKind.INTRO, day, now))
    await tx.deliveries.plan(rows)


async def compose_intro(
    tx: Transaction, delivery: Delivery, person: Person | None
) -> DirectMessage | None:
    """One DM with the day's introductions for this person, each step side by side."""
    if person is None:
        return None
    school = await tx.schools.get(person.school_id)
    assert school is not None
    start = due_at(delivery.local_date, time(0), school.timezone)
    pairs = await tx.introductions.between(person.id, start, start + timedelta(days=1))
    blocks: list[Block] = []
    for asker_entry, other_entry in pairs:
        mine, theirs = (
            (asker_entry, other_entry)
            if asker_entry.person_id == person.id
            else (other_entry, asker_entry)
        )
        asked = asker_entry.person_id == person.id
        named = asked is False or await _named(tx, other_entry, school)
        who = await tx.people.get(theirs.person_id)
        name = who.display_name if who is not None and named else texts.A_COLLEAGUE
        blocks += [
            Paragraph(texts.introduction(name, asked=asked)),
            Quote(theirs.text),
            Paragraph(texts.AND_YOU_TRIED),
            Quote(mine.text),
        ]
    if not blocks:
        return None
    return DirectMessage(
        actor_of(person), Content(tuple(blocks), fallback=texts.INTRO_FALLBACK), key=delivery.key
    )


async def _named(tx: Transaction, entry: Improvement, school: School) -> bool:
    """Whether `entry`'s author agreed to be named to someone at `school`."""
    pool = await tx.introductions.shareable([entry.school_id], own_school_id=school.id)
    return any(found.id == entry.id and named for found, named in pool)
