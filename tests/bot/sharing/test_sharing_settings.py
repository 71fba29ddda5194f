"""Sharing settings: the school's (admins only) and each person's own standing choice."""

from __future__ import annotations

from tests.bot.chat import buttons, said
from tests.bot.sharing.conftest import MATHS, RIVERSIDE, SCIENCE, SHOWCASE, Staffroom


async def votes_and_yes(room: Staffroom, voters: int) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")
    await room.votes_for(entry, *(room.ben, room.cat, room.dl)[:voters])
    await room.deliver()
    await room.ana.press("consent_named", str(entry))
    await room.deliver()


async def test_a_school_can_ask_for_fewer_votes(room: Staffroom) -> None:
    out = await room.admin.say("config standout votes 1")

    await votes_and_yes(room, 1)

    assert "1 vote" in said(out)
    assert len(room.posts(SHOWCASE)) == 1


async def test_standouts_can_skip_other_departments(room: Staffroom) -> None:
    await room.admin.say("config standout departments none")

    await votes_and_yes(room, 3)

    assert room.posts(SCIENCE) == []
    assert len(room.posts(SHOWCASE)) == len(room.posts(RIVERSIDE)) == 1


async def test_standouts_can_go_to_named_departments_only(room: Staffroom) -> None:
    await room.admin.say("config department add History")

    out = await room.admin.say("config standout departments History")
    await votes_and_yes(room, 3)

    assert "History" in said(out)
    assert room.posts(SCIENCE) == []


async def test_an_unknown_department_changes_nothing(room: Staffroom) -> None:
    out = await room.admin.say("config standout departments Drama")

    await votes_and_yes(room, 3)

    assert "Drama" in said(out)
    assert len(room.posts(SCIENCE)) == 1


async def test_staff_cannot_change_sharing_settings(room: Staffroom) -> None:
    out = await room.ben.say("config share never")

    assert "admin" in said(out).lower()
    assert "share" in buttons(await room.ana.say("log Exit tickets"))


async def test_an_odd_vote_count_is_refused_with_help(room: Staffroom) -> None:
    out = await room.admin.say("config standout votes 0")

    assert "config standout votes 3" in said(out)


async def test_sharing_off_refuses_sharing_by_typing(room: Staffroom) -> None:
    await room.log(room.ana, "Exit tickets before the bell")
    await room.admin.say("config share never")

    out = await room.ana.say("share")
    await room.deliver()

    assert "sharing turned off" in said(out)
    assert room.posts(MATHS) == []


async def test_my_sharing_needs_one_of_three_words(room: Staffroom) -> None:
    out = await room.ana.say("my sharing sometimes")

    assert "my sharing always" in said(out)
