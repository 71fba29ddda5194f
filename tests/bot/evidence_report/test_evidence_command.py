"""`evidence [period] [scope]` in chat: leaders get their scope's themes, most-kept practices
and a chart; staff are refused kindly."""

from __future__ import annotations

from bot.model import Outgoing, Upload
from bot.ports import Outcome, Store
from tests.bot.chat import Chat, contents
from tests.bot.evidence_report.conftest import MONDAY, share, step, words_in
from tests.bot.leaders.conftest import Trust


async def ask(store: Store, chat: Chat, words: str) -> list[Outgoing]:
    """`evidence …` said to the bot, and what it answered (the chart included)."""
    return await chat.say(f"evidence {words}".strip())


async def logged(store: Store, chat: Chat, text: str, theme: str, *, shared: bool = False) -> int:
    """A kept step of `chat`'s person, in the department they're in, on MONDAY."""
    async with store.transaction() as tx:
        who = chat.actor
        person = await tx.people.by_identity(who.platform, who.workspace_id, who.user_id)
        assert person is not None
    entry = await step(
        store,
        person.school_id,
        person.id,
        person.department_id,
        theme=theme,
        outcome=Outcome.KEEPING,
        day=MONDAY,
        text=text,
    )
    if shared:
        await share(store, person.school_id, entry)
    return entry


def said(out: list[Outgoing]) -> str:
    return words_in(*contents(out))


def uploads(out: list[Outgoing]) -> list[Upload]:
    return [action for action in out if isinstance(action, Upload)]


async def test_a_leader_gets_the_themes_the_practices_and_a_chart(
    trust: Trust, store: Store
) -> None:
    await logged(store, trust.staff, "Exit tickets for fractions", "feedback", shared=True)
    await logged(store, trust.sl, "Quiet corridors at lunch", "behaviour")

    out = await ask(store, trust.sl, "this week")

    words = said(out)
    assert "Feedback [EEF Toolkit: Feedback]: 1 step by 1 person; 1 kept" in words
    assert "Behaviour and routines [EEF Toolkit: Behaviour interventions]" in words
    assert "Exit tickets for fractions" in words
    assert "STAFF · Maths · Feedback." in words  # shared with their department: named
    assert "A colleague · no department · Behaviour and routines." in words
    [chart] = uploads(out)
    assert chart.recipient == trust.sl.actor
    assert chart.file.mime == "image/png"
    assert chart.file.data.startswith(b"\x89PNG")


async def test_staff_are_refused_kindly(trust: Trust, store: Store) -> None:
    await logged(store, trust.staff, "Exit tickets", "feedback")

    out = await ask(store, trust.staff, "")

    assert "for your school's leaders" in said(out)
    assert "Exit tickets" not in said(out)
    assert not uploads(out)


async def test_a_department_leader_sees_their_department(trust: Trust, store: Store) -> None:
    await logged(store, trust.staff, "Maths step", "feedback")  # STAFF is in Maths
    await logged(store, trust.sl, "Whole-school step", "behaviour")  # SL is in none

    out = await ask(store, trust.dl, "")

    assert "Maths step" in said(out)
    assert "Whole-school step" not in said(out)
    assert "Behaviour" not in said(out)


async def test_a_trust_leader_sees_every_school_and_names_only_inside_their_own(
    trust: Trust, store: Store
) -> None:
    await logged(store, trust.staff, "Hill Top step", "feedback", shared=True)
    await logged(store, trust.other, "Riverside step", "feedback", shared=True)

    out = await ask(store, trust.tl, "this week trust")

    words = said(out)
    assert "Feedback [EEF Toolkit: Feedback]: 2 steps by 2 people" in words
    assert "STAFF · Maths, Our school · Feedback." in words  # TL is of the same school
    assert "A colleague · no department, " in words
    assert "OTHER" not in words


async def test_an_empty_week_says_so_without_a_chart(trust: Trust, store: Store) -> None:
    out = await ask(store, trust.sl, "")

    assert "Nothing logged in this period yet" in said(out)
    assert not uploads(out)


async def test_an_unclear_period_is_explained(trust: Trust, store: Store) -> None:
    out = await ask(store, trust.sl, "2026-12-01 to 2026-11-01")

    assert "before" in said(out).lower()
    assert not uploads(out)
