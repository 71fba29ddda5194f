"""A school's summary, checked against figures counted by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.leaders.summary import SummaryRefused, school_summary
from bot.ports import Store
from tests.bot.chat import Chat, actor


@pytest.fixture
async def school(chat: Chat, conversation: Conversation, clock: FixedClock, store: Store) -> int:
    """Hill Top, by hand: the admin (U1) and Bea in Maths, Cy in no department, Dee opted out.

    Last week: Bea logged once. This week: U1 twice, Bea once, Cy none; Dee logged before
    stopping (not counted among people, but her entry counts).
    """
    await chat.say("config department add Maths")
    await chat.say("my department Maths")
    bea, cy, dee = (Chat(conversation, actor(u)) for u in ("BEA", "CY", "DEE"))
    for colleague in (bea, cy, dee):
        await colleague.say("help")
    await bea.say("my department Maths")
    clock.advance(timedelta(days=-7))
    await bea.say("log Exit tickets in maths")
    clock.advance(timedelta(days=7))
    await chat.say("log Exit tickets for fractions")
    await chat.say("log Seating plan")
    await bea.say("log Mini whiteboards for fractions")
    await dee.say("log Quiet reading corner")
    await dee.say("stop")
    async with store.transaction() as tx:
        person = await tx.people.by_identity("test", "T1", "U1")
        assert person is not None
        return person.school_id


async def test_the_weeks_figures_match_a_hand_count(
    school: int, store: Store, clock: FixedClock
) -> None:
    found = await school_summary(store, clock, school, "this week")

    assert (found.people, found.participants, found.entries, found.previous_entries) == (
        3,  # U1, Bea, Cy (Dee opted out)
        2,  # U1 and Bea of those asked logged (Dee's entry counts, but she isn't asked now)
        4,
        1,
    )
    assert found.participation_rate == 0.667


async def test_departments_stand_side_by_side(school: int, store: Store, clock: FixedClock) -> None:
    found = await school_summary(store, clock, school, "this week")

    [maths] = found.departments
    assert (maths.name, maths.people, maths.participants, maths.entries) == ("Maths", 2, 2, 3)


async def test_one_department_on_its_own(school: int, store: Store, clock: FixedClock) -> None:
    found = await school_summary(store, clock, school, "this week", department="maths")

    assert (found.people, found.participants, found.entries, found.previous_entries) == (2, 2, 3, 1)


async def test_recurring_words_leave_common_ones_out(
    school: int, store: Store, clock: FixedClock
) -> None:
    found = await school_summary(store, clock, school, "this week")

    assert [(t.term, t.count) for t in found.themes] == [("fractions", 2)]


async def test_the_json_has_the_contracts_keys(
    school: int, store: Store, clock: FixedClock
) -> None:
    figures = (await school_summary(store, clock, school, "last week")).as_json()

    assert figures["period"] == {"start": "2026-11-16", "end": "2026-11-22"}
    assert set(figures) >= {
        "people",
        "participants",
        "participation_rate",
        "entries",
        "previous_entries",
        "departments",
        "themes",
    }
    assert figures["entries"] == 1


async def test_an_unknown_department_is_refused_with_the_ones_there_are(
    school: int, store: Store, clock: FixedClock
) -> None:
    with pytest.raises(SummaryRefused, match="Maths"):
        await school_summary(store, clock, school, "this week", department="Drama")
