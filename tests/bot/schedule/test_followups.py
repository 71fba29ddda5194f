""" "Did it work?": ten school days after a step, that day's question asks how it went, once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from bot.clock import FixedClock
from bot.leaders.export import export_school
from bot.model import Buttons, Content, Heading, Paragraph, Quote
from bot.ports import Outcome, Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, actor, buttons, contents, person_of, said

# Logged on Tuesday 24 November; ten school days later is Tuesday 8 December.
NINE_DAYS_ON = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
TEN_DAYS_ON = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


async def todays_question(
    chat: Chat, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> Content:
    """The day's question as it reaches the person (asked now, through the outbox)."""
    assert await scheduler.ask_now(await person_of(store, chat.actor)) is None
    return messenger.to(chat.actor.user_id)[-1].content


def heading(content: Content) -> str:
    return next(b.text for b in content.blocks if isinstance(b, Heading))


def outcome_buttons(content: Content) -> dict[str, str]:
    return {
        b.label: b.value
        for block in content.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.action == "outcome"
    }


async def outcome_of(store: Store, entry: int) -> Outcome | None:
    async with store.transaction() as tx:
        found = await tx.improvements.get(entry)
    assert found is not None
    return found.outcome


async def logged(chat: Chat, words: str = "Exit tickets before the bell") -> int:
    return int(buttons(await chat.say(f"log {words}"))["undo"])


async def test_ten_school_days_on_the_question_asks_how_the_step_went(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    entry = await logged(chat)
    clock.set(TEN_DAYS_ON)

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) == "How did it go?"
    assert [b.text for b in question.blocks if isinstance(b, Quote)] == [
        "Exit tickets before the bell"
    ]
    assert "On Tuesday 24 November you tried" in question.fallback
    assert set(outcome_buttons(question)) == {
        "Keeping it",
        "Changed it",
        "Dropped it",
        "Too early to say",
    }
    assert outcome_buttons(question)["Keeping it"] == f"{entry}:keeping"


async def test_nine_school_days_on_the_usual_question_comes(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await logged(chat)
    clock.set(NINE_DAYS_ON)

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"


async def test_an_answer_is_stored_with_the_step(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    entry = await logged(chat)
    clock.set(TEN_DAYS_ON)
    question = await todays_question(chat, store, scheduler, messenger)

    out = await chat.press("outcome", outcome_buttons(question)["Keeping it"])

    assert await outcome_of(store, entry) is Outcome.KEEPING
    assert "Thank you: keeping it" in said(out)


async def test_a_step_is_followed_up_once(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await logged(chat)
    clock.set(TEN_DAYS_ON)
    await todays_question(chat, store, scheduler, messenger)
    clock.advance(timedelta(days=1))

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"


async def test_an_undone_step_is_never_followed_up(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await logged(chat)
    await chat.say("undo")
    clock.set(TEN_DAYS_ON)

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"


async def test_too_early_asks_once_more_ten_school_days_later(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await logged(chat)
    clock.set(TEN_DAYS_ON)
    first = await todays_question(chat, store, scheduler, messenger)
    await chat.press("outcome", outcome_buttons(first)["Too early to say"])
    clock.set(datetime(2026, 12, 22, 10, 0, tzinfo=UTC))  # ten school days after 8 December

    again = await todays_question(chat, store, scheduler, messenger)

    assert heading(again) == "How did it go?"


async def test_too_early_twice_is_the_last_time_it_is_asked(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    entry = await logged(chat)
    clock.set(TEN_DAYS_ON)
    await todays_question(chat, store, scheduler, messenger)
    await chat.press("outcome", f"{entry}:too_early")
    clock.set(datetime(2026, 12, 22, 10, 0, tzinfo=UTC))
    await todays_question(chat, store, scheduler, messenger)
    await chat.press("outcome", f"{entry}:too_early")
    clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=UTC))

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"


async def test_at_most_one_follow_up_a_day(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    first = await logged(chat, "Exit tickets")
    second = await logged(chat, "Seating plan")
    clock.set(TEN_DAYS_ON)

    today = await todays_question(chat, store, scheduler, messenger)
    clock.advance(timedelta(days=1))
    tomorrow = await todays_question(chat, store, scheduler, messenger)

    assert outcome_buttons(today)["Keeping it"] == f"{first}:keeping"
    assert outcome_buttons(tomorrow)["Keeping it"] == f"{second}:keeping"


async def test_a_closure_day_does_not_count_towards_the_ten(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await chat.say("config closed 2026-12-01 INSET day")
    await logged(chat)
    clock.set(TEN_DAYS_ON)

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"


async def test_an_outcome_can_be_said_or_changed_later_with_a_reason(
    chat: Chat, store: Store
) -> None:
    entry = await logged(chat)

    out = await chat.say(f"outcome {entry} changed it because Y9 needed longer")

    async with store.transaction() as tx:
        found = await tx.improvements.get(entry)
    assert found is not None
    assert (found.outcome, found.outcome_note) == (Outcome.CHANGED, "Y9 needed longer")
    assert "Thank you: changed it" in said(out)


async def test_only_the_author_says_how_a_step_went(chat: Chat, store: Store) -> None:
    entry = await logged(chat)
    other = Chat(chat.conversation, actor("U2"))

    out = await other.say(f"outcome {entry} dropped it")

    assert "Only the person who logged a step" in said(out)
    assert await outcome_of(store, entry) is None


async def test_an_unclear_outcome_command_says_how_to_put_it(chat: Chat) -> None:
    out = await chat.command("outcome 12 brilliant")

    assert "outcome 123 keeping it" in said(out)


async def test_a_school_can_turn_follow_ups_off(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    out = await chat.say("config followup off")
    await logged(chat)
    clock.set(TEN_DAYS_ON)

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) != "How did it go?"
    assert "nobody will be asked" in said(out)


async def test_a_school_can_ask_sooner(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await chat.say("config followup 3 days")
    await logged(chat)
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))  # Friday: three school days on

    question = await todays_question(chat, store, scheduler, messenger)

    assert heading(question) == "How did it go?"


async def test_summaries_and_exports_show_outcomes(
    chat: Chat, clock: FixedClock, store: Store
) -> None:
    kept = await logged(chat, "Exit tickets")
    dropped = await logged(chat, "Seating plan")
    await chat.say(f"outcome {kept} keeping it")
    await chat.say(f"outcome {dropped} dropped it")

    out = await chat.say("summary")

    paragraphs = [b.text for c in contents(out) for b in c.blocks if isinstance(b, Paragraph)]
    assert "Of 2 steps followed up, 50% kept, 0% changed, 50% dropped." in paragraphs


async def test_exports_carry_each_steps_outcome(
    chat: Chat, clock: FixedClock, store: Store
) -> None:
    kept = await logged(chat, "Exit tickets")
    await chat.say(f"outcome {kept} keeping it")
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
    assert person is not None

    text, _ = await export_school(store, clock, person.school_id, "this week")

    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["outcome"], row["text"]) == ("keeping", "Exit tickets")


async def test_no_one_paused_is_followed_up_and_it_waits_for_their_return(
    chat: Chat, clock: FixedClock, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await logged(chat)
    await chat.say("pause until 9 December")

    await scheduler.tick(datetime(2026, 12, 8, 16, 0, tzinfo=UTC))
    paused = list(messenger.to(chat.actor.user_id))
    await scheduler.tick(datetime(2026, 12, 9, 16, 0, tzinfo=UTC))

    assert paused == []
    assert heading(messenger.to(chat.actor.user_id)[-1].content) == "How did it go?"


async def test_the_ten_school_days_run_across_the_holiday_between_terms(
    chat: Chat, clock: FixedClock, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await chat.say("config term 2026-09-03 to 2026-12-04 Autumn")
    await chat.say("config term 2027-01-05 to 2027-03-26 Spring")
    await logged(chat)  # Tuesday 24 November: eight school days of term are left after it
    clock.set(datetime(2027, 1, 5, 10, 0, tzinfo=UTC))
    first_day_back = await todays_question(chat, store, scheduler, messenger)
    clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=UTC))

    second_day_back = await todays_question(chat, store, scheduler, messenger)

    assert heading(first_day_back) != "How did it go?"
    assert heading(second_day_back) == "How did it go?"
