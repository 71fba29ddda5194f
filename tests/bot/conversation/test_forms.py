"""The prompt's buttons: a form to log in, skip, and a choice of pause lengths."""

from __future__ import annotations

from datetime import date

from bot.model import Choice, OpenForm, TextInput
from bot.ports import Status, Store
from bot.schedule import Scheduler
from bot.testing import InMemoryMessenger
from tests.bot.chat import Chat, buttons, person_of, said


async def add_department(store: Store, chat: Chat, name: str) -> int:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
        assert person is not None
        return (await tx.schools.add_department(person.school_id, name)).id


async def department_of_last_entry(store: Store, chat: Chat) -> int | None:
    async with store.transaction() as tx:
        entry = await tx.improvements.last_for(await person_of(store, chat.actor))
    assert entry is not None
    return entry.department_id


async def test_the_prompt_offers_log_skip_and_pause(
    chat: Chat, store: Store, scheduler: Scheduler, messenger: InMemoryMessenger
) -> None:
    await scheduler.ask_now(await person_of(store, chat.actor))

    assert set(buttons(messenger.sent)) == {"log_form", "skip", "pause_menu"}


async def opened(chat: Chat) -> OpenForm:
    [form] = [a for a in await chat.press("log_form") if isinstance(a, OpenForm)]
    return form


async def test_the_log_button_opens_the_form_asking_for_the_step_and_the_department(
    chat: Chat, store: Store
) -> None:
    science = await add_department(store, chat, "Science")

    form = (await opened(chat)).form

    text, department = form.inputs
    assert isinstance(text, TextInput)
    assert isinstance(department, Choice)
    assert department.options == ((str(science), "Science"),)


async def test_without_departments_the_form_has_only_the_text(chat: Chat) -> None:
    form = (await opened(chat)).form

    assert len(form.inputs) == 1


async def test_where_forms_cant_be_shown_the_person_is_told_to_type(chat: Chat) -> None:
    instead = (await opened(chat)).instead

    assert "type your tiny step here" in instead.fallback


async def test_a_submitted_form_logs_the_step_and_answers_the_prompt(
    prompted: Chat, store: Store
) -> None:
    out = await prompted.submit("log", text="Printed the seating plan bigger")

    assert "Logged" in said(out)
    assert "Printed the seating plan bigger" in said(out)


async def test_the_department_picked_in_the_form_is_kept(chat: Chat, store: Store) -> None:
    science = await add_department(store, chat, "Science")

    await chat.submit("log", text="Labelled the fume cupboards", department=str(science))

    assert await department_of_last_entry(store, chat) == science


async def test_a_department_from_another_school_is_not_used(chat: Chat, store: Store) -> None:
    out = await chat.submit("log", text="Labelled the trays", department="99999")

    assert "without one" in said(out)
    assert await department_of_last_entry(store, chat) is None


async def test_an_empty_form_is_refused_kindly(chat: Chat) -> None:
    out = await chat.submit("log", text="   ")

    assert "came through empty" in said(out)


async def test_where_forms_cannot_open_the_log_button_says_to_type(chat: Chat) -> None:
    out = await chat.press("log_form")

    assert "type your tiny step here" in said(out).lower()


async def test_the_pause_button_offers_lengths_and_one_pauses(chat: Chat, store: Store) -> None:
    menu = await chat.press("pause_menu")
    out = await chat.press("pause", buttons(menu)["pause"])

    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
    assert person is not None
    assert person.status is Status.PAUSED
    assert person.paused_until is not None
    assert person.paused_until > date(2026, 11, 24)
    assert "pause" in said(out).lower()
