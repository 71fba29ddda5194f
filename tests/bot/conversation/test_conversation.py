"""The conversation core, spoken to as staff would, over real storage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.model import DirectMessage, Ephemeral, Place, Update
from bot.ports import Role, Status, Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, actor, buttons, entries_of, person_of, said


async def test_first_contact_is_welcomed_before_the_answer(conversation: Conversation) -> None:
    out = await Chat(conversation, actor("NEW")).say("help")

    assert "Welcome to Tiny Steps" in said(out[:1])
    assert "what I understand" in said(out[1:])


async def test_welcome_comes_only_once(chat: Chat) -> None:
    out = await chat.say("help")

    assert "Welcome" not in said(out)


async def test_welcome_says_who_can_see_entries_and_how_to_stop(conversation: Conversation) -> None:
    out = await Chat(conversation, actor("NEW")).say("help")

    assert isinstance(out[0], DirectMessage)
    text = " ".join(b.text for b in out[0].content.blocks if hasattr(b, "text"))
    assert "leaders" in text
    assert "`stop`" in text
    assert "`pause until <date>`" in text


async def test_answer_to_the_prompt_is_logged_and_confirmed_with_streak(
    prompted: Chat, store: Store
) -> None:
    out = await prompted.say("Moved the visualiser so the back row can see")

    assert "Logged" in said(out)
    assert "Moved the visualiser" in said(out)
    assert await entries_of(store, prompted.actor) == [
        "Moved the visualiser so the back row can see"
    ]


async def test_answered_prompt_is_updated_so_its_buttons_cannot_be_pressed_twice(
    prompted: Chat,
) -> None:
    out = await prompted.say("Seating plan")

    updates = [a for a in out if isinstance(a, Update)]
    assert [u.message_id for u in updates] == ["m1"]
    assert buttons(updates) == {}


async def test_second_reply_after_answering_does_not_log_twice(
    prompted: Chat, store: Store
) -> None:
    await prompted.say("Seating plan")

    out = await prompted.say("Another thought")

    assert "already logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["Seating plan"]


async def test_words_without_a_prompt_get_help_and_an_offer_to_log(
    chat: Chat, store: Store
) -> None:
    out = await chat.say("tidier trays")

    assert "not sure what" in said(out)
    assert buttons(out)["log"] == "tidier trays"
    assert await entries_of(store, chat.actor) == []


async def test_log_this_button_logs_the_offered_words(chat: Chat, store: Store) -> None:
    out = await chat.press("log", "tidier trays")

    assert "Logged" in said(out)
    assert await entries_of(store, chat.actor) == ["tidier trays"]


async def test_log_command_logs_at_any_time(chat: Chat, store: Store) -> None:
    await chat.say("log Used mini whiteboards")

    assert await entries_of(store, chat.actor) == ["Used mini whiteboards"]


async def test_log_without_words_asks_for_them(chat: Chat) -> None:
    out = await chat.say("log")

    assert "What did you improve?" in said(out)


async def test_log_answers_an_open_prompt_too(prompted: Chat) -> None:
    await prompted.say("log Cold calling")

    out = await prompted.say("something else")

    assert "already logged" in said(out)


async def test_streak_runs_over_the_weekend(chat: Chat, clock: FixedClock) -> None:
    clock.advance(timedelta(days=3))  # Friday
    await chat.say("log Friday step")
    clock.advance(timedelta(days=3))  # Monday

    out = await chat.say("log Monday step")

    assert "2 school days in a row" in said(out)


async def test_a_missed_school_day_restarts_the_streak(chat: Chat, clock: FixedClock) -> None:
    await chat.say("log Tuesday step")
    clock.advance(timedelta(days=2))  # Thursday; Wednesday missed

    out = await chat.say("log Thursday step")

    assert "in a row" not in said(out)


async def test_a_skipped_day_does_not_break_the_streak(chat: Chat, clock: FixedClock) -> None:
    await chat.say("log Tuesday step")
    clock.advance(timedelta(days=1))
    await chat.say("skip")
    clock.advance(timedelta(days=1))

    out = await chat.say("log Thursday step")

    assert "2 school days in a row" in said(out)


async def test_edit_changes_the_last_entry(chat: Chat, store: Store) -> None:
    await chat.say("log first")
    await chat.say("log second")

    out = await chat.say("edit second, but better")

    assert "second, but better" in said(out)
    assert await entries_of(store, chat.actor) == ["second, but better", "first"]


async def test_edit_with_nothing_logged_says_so(chat: Chat) -> None:
    out = await chat.say("edit new words")

    assert "nothing to change" in said(out)


async def test_undo_removes_the_last_entry_only(chat: Chat, store: Store) -> None:
    await chat.say("log first")
    await chat.say("log second")

    out = await chat.say("undo")

    assert "second" in said(out)
    assert await entries_of(store, chat.actor) == ["first"]


async def test_undo_with_nothing_logged_says_so(chat: Chat) -> None:
    out = await chat.say("undo")

    assert "nothing to undo" in said(out)


async def test_undo_button_removes_its_own_entry(chat: Chat, store: Store) -> None:
    logged = await chat.say("log first")

    await chat.press("undo", buttons(logged)["undo"])

    assert await entries_of(store, chat.actor) == []


async def test_undo_button_for_a_colleagues_entry_is_refused(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    logged = await chat.say("log mine")
    colleague = Chat(conversation, actor("U2"))

    out = await colleague.press("undo", buttons(logged)["undo"])

    assert "isn't yours" in said(out)
    assert await entries_of(store, chat.actor) == ["mine"]


async def test_undo_button_from_another_school_is_refused(
    chat: Chat, conversation: Conversation, store: Store
) -> None:
    logged = await chat.say("log mine")
    stranger = Chat(conversation, actor("U9", workspace="OTHER-SCHOOL"))

    out = await stranger.press("undo", buttons(logged)["undo"])

    assert "isn't yours" in said(out)
    assert await entries_of(store, chat.actor) == ["mine"]


async def test_undo_button_with_a_forged_value_is_handled(chat: Chat) -> None:
    out = await chat.press("undo", "'; drop table improvement; --")

    assert "already been removed" in said(out)


async def test_skip_marks_today_skipped(chat: Chat) -> None:
    out = await chat.say("skip")

    assert "skip today" in said(out)


async def test_skip_after_logging_keeps_the_entry(chat: Chat, store: Store) -> None:
    await chat.say("log done")

    out = await chat.say("skip")

    assert "nothing to skip" in said(out)
    assert await entries_of(store, chat.actor) == ["done"]


async def test_a_skipped_prompt_no_longer_takes_answers(prompted: Chat, store: Store) -> None:
    await prompted.press("skip")

    out = await prompted.say("Changed my mind")

    assert "Logged" not in said(out)
    assert await entries_of(store, prompted.actor) == []
    assert await entries_of(store, prompted.actor) == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("pause until 2026-12-08", "Tuesday 8 December"),
        ("pause for 2 weeks", "Tuesday 8 December"),
        ("pause until 8 December", "Tuesday 8 December"),
    ],
)
async def test_pause_until_a_date(chat: Chat, store: Store, words: str, expected: str) -> None:
    out = await chat.say(words)

    assert expected in said(out)
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
    assert person is not None
    assert person.status is Status.PAUSED


@pytest.mark.parametrize(
    ("words", "reply"),
    [
        ("pause", "Until when?"),
        ("pause until 2026-11-01", "already passed"),
        ("pause until 2029-01-01", "up to a year"),
        ("pause until the cows come home", "couldn't read"),
    ],
)
async def test_pause_refuses_missing_past_distant_or_unreadable_dates(
    chat: Chat, words: str, reply: str
) -> None:
    out = await chat.say(words)

    assert reply in said(out)


async def test_pause_ends_by_itself_on_its_date(
    chat: Chat, store: Store, clock: FixedClock
) -> None:
    await chat.say("pause for 2 days")
    clock.advance(timedelta(days=2))

    await chat.say("help")

    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
    assert person is not None
    assert person.status is Status.ACTIVE


async def test_resume_ends_a_pause(chat: Chat) -> None:
    await chat.say("pause for 1 week")

    out = await chat.say("resume")

    assert "Welcome back" in said(out)


async def test_resume_when_not_paused_says_so(chat: Chat) -> None:
    out = await chat.say("resume")

    assert "not paused" in said(out)


async def test_stop_opts_out_and_start_opts_back_in(chat: Chat) -> None:
    stopped = await chat.say("stop")
    started = await chat.say("start")

    assert "won't send the daily question" in said(stopped)
    assert "back" in said(started)


async def test_an_answer_beginning_with_stop_is_an_answer(prompted: Chat, store: Store) -> None:
    out = await prompted.say("stop giving homework on Fridays")

    assert "Logged" in said(out)
    assert await entries_of(store, prompted.actor) == ["stop giving homework on Fridays"]


async def test_an_answer_beginning_with_pause_is_an_answer(prompted: Chat, store: Store) -> None:
    await prompted.say("Pause before asking questions to give thinking time")

    assert await entries_of(store, prompted.actor) == [
        "Pause before asking questions to give thinking time"
    ]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t ", "\x00\x07"])
async def test_empty_answers_get_a_friendly_refusal(
    prompted: Chat, store: Store, blank: str
) -> None:
    out = await prompted.say(blank)

    assert "didn't catch any words" in said(out)
    assert await entries_of(store, prompted.actor) == []


async def test_a_100kb_answer_is_refused_not_truncated(prompted: Chat, store: Store) -> None:
    out = await prompted.say("x" * 100_000)

    assert "100,000 characters" in said(out)
    assert await entries_of(store, prompted.actor) == []


async def test_control_characters_are_dropped_and_the_rest_kept(
    prompted: Chat, store: Store
) -> None:
    await prompted.say("Line one\x00\x1b[31m\r\nLine two")

    assert await entries_of(store, prompted.actor) == ["Line one[31m\nLine two"]


async def test_emoji_right_to_left_and_markup_are_kept_exactly(
    prompted: Chat, store: Store
) -> None:
    text = "👩🏽‍🏫 تحسين صغير \u200f<b>bold</b> <!here> @channel"

    await prompted.say(text)

    assert await entries_of(store, prompted.actor) == [text]


async def test_unknown_slash_command_gets_a_helpful_answer(chat: Chat) -> None:
    out = await chat.command("frobnicate")

    assert "not sure what" in said(out)
    assert "`help`" in said(out)


async def test_empty_slash_command_shows_help(chat: Chat) -> None:
    out = await chat.command("")

    assert "what I understand" in said(out)


async def test_slash_command_text_is_never_read_as_an_answer(prompted: Chat, store: Store) -> None:
    await prompted.command("tidier trays")

    assert await entries_of(store, prompted.actor) == []


async def test_commands_in_a_channel_are_answered_privately(chat: Chat) -> None:
    out = await chat.command("help", place=Place("C-staffroom", is_direct=False))

    assert all(isinstance(a, Ephemeral) for a in out)


async def test_a_retried_event_is_handled_once(chat: Chat, store: Store) -> None:
    await chat.say("log once", event_id="Ev1")

    retried = await chat.say("log once", event_id="Ev1")

    assert retried == []
    assert await entries_of(store, chat.actor) == ["once"]


async def test_unknown_button_gets_a_helpful_answer(chat: Chat) -> None:
    out = await chat.press("no-such-button")

    assert "expired" in said(out)


async def test_forget_me_asks_first(chat: Chat, store: Store) -> None:
    await chat.say("log keep me")

    out = await chat.say("forget me")

    assert "forget_confirm" in buttons(out)
    assert await entries_of(store, chat.actor) == ["keep me"]


async def test_forget_me_confirmed_deletes_everything(chat: Chat, store: Store) -> None:
    await chat.say("log private thought")

    await chat.press("forget_confirm")

    assert await entries_of(store, chat.actor) == []
    again = await chat.say("help")
    assert "Welcome" in said(again)


async def test_first_person_of_a_new_workspace_looks_after_it(
    conversation: Conversation, store: Store
) -> None:
    first, second = actor("A", workspace="NEW"), actor("B", workspace="NEW")
    await Chat(conversation, first).say("help")
    await Chat(conversation, second).say("help")

    ids = [await person_of(store, who) for who in (first, second)]
    async with store.transaction() as tx:
        people = [await tx.people.get(person_id) for person_id in ids]
    assert [p.role for p in people if p] == [Role.ADMIN, Role.STAFF]


async def test_profile_name_and_time_zone_follow_the_platform(
    conversation: Conversation, store: Store
) -> None:
    await Chat(conversation, actor("U5")).say("help")

    await Chat(conversation, actor("U5", display_name="Ms Ames", timezone="Asia/Tokyo")).say("help")

    person_id = await person_of(store, actor("U5"))
    async with store.transaction() as tx:
        person = await tx.people.get(person_id)
    assert person is not None
    assert (person.display_name, person.timezone) == ("Ms Ames", "Asia/Tokyo")


async def test_an_unknown_time_zone_from_a_platform_is_ignored(
    conversation: Conversation, store: Store
) -> None:
    await Chat(conversation, actor("U6", timezone="Mars/Olympus")).say("help")

    person_id = await person_of(store, actor("U6"))
    async with store.transaction() as tx:
        person = await tx.people.get(person_id)
    assert person is not None
    assert person.timezone is None


async def test_the_day_is_the_persons_own(
    conversation: Conversation, store: Store, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=-8))  # 02:00 UTC on Tuesday: still Monday in New York
    new_yorker = actor("NY", timezone="America/New_York")
    await Chat(conversation, new_yorker).say("log late evening step")

    person_id = await person_of(store, new_yorker)
    async with store.transaction() as tx:
        entry = await tx.improvements.last_for(person_id)
    assert entry is not None
    assert entry.local_date.isoformat() == "2026-11-23"


async def test_asking_someone_who_already_logged_today_says_thanks_instead(
    chat: Chat, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await chat.say("log done early")

    note = await scheduler.ask_now(await person_of(store, chat.actor))

    assert note is not None
    assert "already logged" in note.fallback
    assert messenger.sent == []


async def test_asking_a_new_person_welcomes_them_in_the_same_message(
    store: Store, clock: FixedClock, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    from adapters.directory import Directory

    directory = Directory(store, clock, default_timezone="Europe/London")
    school = await directory.create_school("Hill Top")
    person = await directory.add_person(school.id, "Ms Ames")

    await scheduler.ask_now(person.id)

    [asked] = messenger.sent
    assert "Welcome to Tiny Steps" in said([asked])
    assert "improved today?" in said([asked])


async def test_asking_again_says_the_question_is_waiting(
    chat: Chat, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await scheduler.ask_now(await person_of(store, chat.actor))

    note = await scheduler.ask_now(await person_of(store, chat.actor))

    assert note is not None
    assert "already waiting" in note.fallback
    assert len(messenger.sent) == 1


async def test_an_asked_question_is_updated_under_the_id_it_was_sent_with(
    prompted: Chat,
) -> None:
    out = await prompted.say("Clearer instructions")

    assert [a.message_id for a in out if isinstance(a, Update)] == ["m1"]
