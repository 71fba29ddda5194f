"""Admins configure their school in chat; everyone can set their own time and weekly note."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.calendar.schoolcal import CalendarInputError
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.conversation.settings_chat import import_calendar
from bot.model import Paragraph
from bot.ports import Status, Store, Term
from tests.bot.chat import Chat, actor, contents, person_of, said


@pytest.fixture
async def staff(conversation: Conversation, chat: Chat) -> Chat:
    """A second person in the admin's workspace: plain staff."""
    talk = Chat(conversation, actor("U2"))
    await talk.say("help")
    return talk


async def school_of(store: Store, chat: Chat) -> int:
    person_id = await person_of(store, chat.actor)
    async with store.transaction() as tx:
        person = await tx.people.get(person_id)
    assert person is not None
    return person.school_id


async def test_config_shows_the_school_settings(chat: Chat) -> None:
    out = await chat.say("config")

    assert "asked at 15:30" in said(out)
    assert "config term" in said(out)


async def test_staff_cannot_change_settings(staff: Chat, store: Store) -> None:
    out = await staff.say("config time 09:00")

    assert "Only your school's Tiny Steps admins" in said(out)
    async with store.transaction() as tx:
        school = await tx.schools.get(await school_of(store, staff))
    assert school is not None
    assert school.nudge_time == time(15, 30)


async def test_an_admin_sets_the_nudge_time(chat: Chat, store: Store) -> None:
    out = await chat.say("config time 3:45pm")

    assert "15:45" in said(out)
    async with store.transaction() as tx:
        school = await tx.schools.get(await school_of(store, chat))
    assert school is not None
    assert school.nudge_time == time(15, 45)


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("config time 25:00", "isn't a time of day"),
        ("config days sunday-monday", "couldn't read"),
        ("config reminder soonish", "couldn't read"),
        ("config reminder 12h", "between 1 minute and 8 hours"),
        ("config holidays Narnia", "don't know the holidays"),
        ("config timezone Mars/Olympus", "isn't a time zone"),
        ("config term 2026-12-18 to 2026-09-03 Autumn", "ends"),
        ("config closed whenever", "couldn't find dates"),
        ("config colour blue", "don't have a setting"),
    ],
)
async def test_bad_settings_get_a_clear_reason_and_change_nothing(
    chat: Chat, store: Store, words: str, problem: str
) -> None:
    before = await settings_of(store, chat)

    out = await chat.say(words)

    assert problem in said(out)
    assert await settings_of(store, chat) == before


async def settings_of(store: Store, chat: Chat) -> object:
    school_id = await school_of(store, chat)
    async with store.transaction() as tx:
        return (await tx.schools.get(school_id), await tx.calendars.rules(school_id))


async def test_an_admin_adds_a_term(chat: Chat, store: Store) -> None:
    out = await chat.say("config term 2027-01-05 to 2027-03-26 Spring")

    assert "Added Spring" in said(out)
    async with store.transaction() as tx:
        rules = await tx.calendars.rules(await school_of(store, chat))
    assert rules.terms == (Term(date(2027, 1, 5), date(2027, 3, 26), "Spring"),)


async def test_an_overlapping_term_is_refused(chat: Chat) -> None:
    await chat.say("config term 2027-01-05 to 2027-03-26 Spring")

    out = await chat.say("config term 2027-03-01 to 2027-04-30 Summer")

    assert "overlaps “Spring”" in said(out)


async def test_an_admin_closes_a_day(chat: Chat) -> None:
    out = await chat.say("config closed 2026-11-27 INSET day")

    assert "closed Friday 27 November (INSET day)" in said(out)


async def test_an_admin_sets_the_holiday_region_and_reminder(chat: Chat, store: Store) -> None:
    await chat.say("config holidays GB-SCT")
    await chat.say("config reminder off")

    school_id = await school_of(store, chat)
    async with store.transaction() as tx:
        school = await tx.schools.get(school_id)
        rules = await tx.calendars.rules(school_id)
    assert school is not None
    assert (rules.country, rules.subdivision, school.reminder_minutes) == ("GB", "SCT", None)


async def test_a_person_chooses_their_own_time(staff: Chat, store: Store) -> None:
    out = await staff.say("my time 16:15")

    assert "16:15" in said(out)
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, staff.actor))
    assert person is not None
    assert person.nudge_time == time(16, 15)


async def test_a_person_turns_the_weekly_note_off(staff: Chat, store: Store) -> None:
    await staff.say("weekly off")

    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, staff.actor))
    assert person is not None
    assert person.weekly_note is False


async def test_an_answer_starting_with_my_is_an_answer(prompted: Chat) -> None:
    out = await prompted.say("my class was calmer after the new seating plan")

    assert "Logged" in said(out)


async def test_an_import_that_clashes_with_a_term_stores_nothing(
    chat: Chat, store: Store, clock: FixedClock
) -> None:
    await chat.say("config term 2026-09-03 to 2026-12-18 Autumn")
    school_id = await school_of(store, chat)
    clashing = b"kind,start,end,name\nclosed,2026-11-27,2026-11-27,INSET\nterm,2026-12-01,2027-03-01,Spring\n"

    with pytest.raises(CalendarInputError, match="overlaps"):
        await import_calendar(store, clock, school_id, "terms.csv", clashing)

    async with store.transaction() as tx:
        rules = await tx.calendars.rules(school_id)
    assert (len(rules.terms), rules.closures) == (1, ())


async def test_an_import_adds_terms_and_closures(
    chat: Chat, store: Store, clock: FixedClock
) -> None:
    school_id = await school_of(store, chat)
    data = b"kind,start,end,name\nterm,2027-01-05,2027-03-26,Spring\nclosed,2027-02-15,2027-02-19,Half term\n"

    reply = await import_calendar(store, clock, school_id, "terms.csv", data)

    assert reply == "Imported 1 term and 1 closure."


async def test_an_admin_switches_the_school_to_opt_in(chat: Chat, store: Store) -> None:
    out = await chat.say("config join opt-in")

    assert "only once they say `start`" in said(out)
    async with store.transaction() as tx:
        school = await tx.schools.get(await school_of(store, chat))
    assert school is not None
    assert school.opt_in


async def test_newcomers_to_an_opt_in_school_are_told_how_to_start(
    chat: Chat, conversation: Conversation
) -> None:
    await chat.say("config join opt-in")

    out = await Chat(conversation, actor("U3")).say("hello")

    assert "say `start` whenever you'd like" in "\n".join(
        b.text for c in contents(out) for b in c.blocks if isinstance(b, Paragraph)
    )


async def test_switching_back_to_everyone_starts_those_still_waiting(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    await chat.say("config join opt-in")
    waiting = Chat(conversation, actor("U3"))
    await waiting.say("hello")

    out = await chat.say("config join everyone")

    assert "including 1 person" in said(out)
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, waiting.actor))
    assert person is not None
    assert person.status is Status.ACTIVE


async def test_an_unclear_join_choice_is_explained(chat: Chat) -> None:
    out = await chat.say("config join maybe")

    assert "`config join everyone`" in said(out)
