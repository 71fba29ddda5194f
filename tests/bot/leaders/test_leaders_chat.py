"""The leaders' `summary` and `export` in chat, and everyone's `export me` (issue 13 §2-3)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

from bot.calendar.periods import Period
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.leaders.access import scope_for
from bot.leaders.summary import summarise
from bot.model import ChannelPost, Fields, Heading, Outgoing, Place, Upload
from bot.ports import Store
from tests.bot.chat import TUESDAY, said
from tests.bot.leaders.conftest import Trust


def uploads(out: list[Outgoing]) -> list[Upload]:
    return [action for action in out if isinstance(action, Upload)]


async def test_a_summary_gives_the_figures_and_a_chart(trust: Trust) -> None:
    await trust.staff.say("log Exit tickets for fractions")
    await trust.dl.say("log Exit tickets in algebra")

    out = await trust.sl.say("summary this week")

    assert "Taking part" in said(out) or "2 of" in said(out)
    [chart] = uploads(out)
    assert chart.recipient == trust.sl.actor
    assert chart.file.mime == "image/png"
    assert chart.file.data.startswith(b"\x89PNG")


async def test_a_summary_quotes_peoples_own_words(trust: Trust) -> None:
    await trust.staff.say("log Cold-called after wait time")

    out = await trust.sl.say("summary")

    assert "Cold-called after wait time" in said(out)


async def test_a_department_leaders_summary_covers_only_their_department(trust: Trust) -> None:
    await trust.staff.say("log Maths step")  # STAFF is in Maths
    await trust.sl.say("log Whole-school step")  # SL is in no department

    out = await trust.dl.say("summary")

    assert "Maths step" in said(out)
    assert "Whole-school step" not in said(out)


async def test_an_unclear_period_is_explained(trust: Trust) -> None:
    out = await trust.sl.say("summary 2026-12-01 to 2026-11-01")

    assert "before" in said(out).lower()
    assert not uploads(out)


async def test_an_export_is_a_formula_safe_csv_for_the_leader_alone(trust: Trust) -> None:
    await trust.staff.say('log =HYPERLINK("http://x") tried')

    out = await trust.sl.say("export this week")

    [export] = uploads(out)
    assert export.recipient == trust.sl.actor
    assert export.file.mime == "text/csv"
    text = export.file.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["text"].startswith("'=HYPERLINK")
    assert export.file.data.startswith(b"\xef\xbb\xbf")


async def test_a_department_leaders_export_leaves_other_departments_out(trust: Trust) -> None:
    await trust.staff.say("log Maths step")
    await trust.sl.say("log Whole-school step")

    out = await trust.dl.say("export this week")

    [export] = uploads(out)
    assert b"Maths step" in export.file.data
    assert b"Whole-school step" not in export.file.data


async def test_staff_cannot_export_the_school(trust: Trust) -> None:
    out = await trust.staff.say("export this week")

    assert not uploads(out)
    assert "for your school's leaders" in said(out)


async def test_export_me_gives_anyone_everything_about_them(trust: Trust) -> None:
    await trust.staff.say("log My own step")

    out = await trust.staff.say("export me")

    [mine] = uploads(out)
    data = json.loads(mine.file.data)
    assert data["person"]["department"] == "Maths"
    assert [e["text"] for e in data["entries"]] == ["My own step"]


async def test_a_summary_asked_in_a_channel_is_answered_privately(trust: Trust) -> None:
    out = await trust.sl.command("summary", place=Place("C-staffroom", is_direct=False))

    assert not [a for a in out if isinstance(a, ChannelPost)]
    assert all(u.recipient == trust.sl.actor for u in uploads(out))


async def test_a_department_leaders_home_shows_their_department_only(
    trust: Trust, conversation: Conversation
) -> None:
    await trust.staff.say("log Maths step")
    await trust.sl.say("log Whole-school step")

    page = await conversation.home(trust.dl.actor)

    headings = [b.text for b in page.blocks if isinstance(b, Heading)]
    assert any("Maths" in h for h in headings)
    fields = dict(
        next(
            b.pairs
            for b in page.blocks
            if isinstance(b, Fields) and any("Taking part" in k for k, _ in b.pairs)
        )
    )
    assert fields["Taking part"].startswith("1 of 1")  # only STAFF is in Maths; the school has 5


async def test_people_on_a_five_school_day_streak_are_counted(
    trust: Trust, conversation: Conversation, store: Store, clock: FixedClock
) -> None:
    """STAFF logs six school days running (Tue 17 to Tue 24 November, the weekend between
    doesn't count); DL only today: one person is on a streak."""
    for back in (7, 6, 5, 4, 1, 0):
        clock.set(TUESDAY - timedelta(days=back))
        await trust.staff.say(f"log Step {back}")
    clock.set(TUESDAY)
    await trust.dl.say("log Just today")

    async with store.transaction() as tx:
        found = await tx.people.by_identity("test", "T1", "SL")
        assert found is not None
        school = await tx.schools.get(found.school_id)
        assert school is not None
        scope = await scope_for(tx, found, school, "school")
        figures = await summarise(
            tx, scope, Period(date(2026, 11, 23), date(2026, 11, 29)), TUESDAY.date()
        )

    assert figures.on_streak == 1
