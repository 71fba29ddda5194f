"""*I'll try this*: who adopted which idea, and the later entry it led to, linked by its author."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ports import Spread
from tests.bot.chat import buttons, said
from tests.bot.sharing.conftest import Staffroom

# Eleven school days after Tuesday 24 November: past the ten-day window.
LATE = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)


async def spread(room: Staffroom, entry: int) -> Spread:
    async with room.store.transaction() as tx:
        return (await tx.adoptions.spread([entry])).get(entry, Spread())


async def test_ill_try_this_is_noted_and_logs_nothing(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")

    out = await room.ben.press("try", str(idea))

    assert "you'd like to try “Exit tickets before the bell”" in said(out)
    assert (await spread(room, idea)).adopters == 1
    async with room.store.transaction() as tx:
        ben = await tx.people.by_identity("test", "T1", "BEN")
        assert ben is not None
        assert await tx.improvements.last_for(ben.id) is None


async def test_the_next_entry_asks_whether_it_was_my_take(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))

    out = await room.ben.say("log Exit slips with a hinge question")

    assert "Was this your take on “Exit tickets before the bell”?" in said(out)
    assert "took" in buttons(out)


async def test_yes_links_the_entry_to_the_idea_and_counts_it_as_tried(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))
    out = await room.ben.say("log Exit slips with a hinge question")

    await room.ben.press("took", buttons(out)["took"])

    assert await spread(room, idea) == Spread(adopters=1, departments=1, schools=1, tried=1)


async def test_no_leaves_the_idea_open_for_a_later_entry(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))
    await room.ben.press("took_no", buttons(await room.ben.say("log Tidied the lab"))["took_no"])

    out = await room.ben.say("log Exit slips with a hinge question")

    assert "Was this your take" in said(out)


async def test_after_ten_school_days_no_one_is_asked(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))
    room.clock.set(LATE)

    out = await room.ben.say("log Exit slips with a hinge question")

    assert "Was this your take" not in said(out)


async def test_spread_counts_people_departments_and_schools(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    for colleague in (room.ben, room.cat, room.dan):
        await colleague.press("try", str(idea))

    found = await spread(room, idea)

    assert (found.adopters, found.departments, found.schools, found.tried) == (3, 2, 1, 0)


async def test_saying_it_twice_counts_once(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))

    out = await room.ben.press("try", str(idea))

    assert "already said" in said(out)
    assert (await spread(room, idea)).adopters == 1


async def test_my_own_idea_is_not_adopted_by_me(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")

    await room.ana.press("try", str(idea))

    assert (await spread(room, idea)).adopters == 0


async def test_an_idea_that_was_never_shared_cannot_be_adopted(room: Staffroom) -> None:
    private = await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ben.press("try", str(private))

    assert "can't find that step" in said(out)
    assert (await spread(room, private)).adopters == 0


async def test_no_one_links_someone_elses_entry(room: Staffroom) -> None:
    idea = await room.shared(room.ana, "Exit tickets before the bell")
    await room.ben.press("try", str(idea))
    out = await room.ben.say("log Exit slips with a hinge question")

    await room.cat.press("took", buttons(out)["took"])

    assert (await spread(room, idea)).tried == 0
