"""Who else is trying this: similar steps other people let others see, and introductions.

Who may be suggested to whom (each row is a test below):
| the other step                               | same school      | another school of the trust  |
| logged, never shared                         | never            | never                        |
| shared with their department                 | with their name  | never                        |
| a standout they let travel with their name   | with their name  | with their name, if org on   |
| a standout they let travel without their name| "a colleague"    | "a colleague", if org on     |
"""

from __future__ import annotations

from bot.model import DirectMessage, Paragraph, Quote
from tests.bot.chat import Chat, buttons, contents, said
from tests.bot.sharing.conftest import Staffroom

THEIRS = "No hands up: I pick names from lolly sticks so everyone expects to answer"
MINE = "Used lolly sticks to pick names, no hands up, so every pupil expects to answer"


async def suggested(room: Staffroom, chat: Chat, words: str = MINE) -> tuple[str, dict[str, str]]:
    """What the confirmation of a new step says, and its buttons."""
    out = await chat.say(f"log {words}")
    paragraphs = [b.text for c in contents(out) for b in c.blocks if isinstance(b, Paragraph)]
    return "\n".join(paragraphs), buttons(out)


def everything(message: DirectMessage) -> str:
    return "\n".join(b.text for b in message.content.blocks if isinstance(b, Paragraph | Quote))


async def test_a_step_shared_in_another_department_is_suggested_by_name(room: Staffroom) -> None:
    await room.shared(room.ben, THEIRS)

    text, offered = await suggested(room, room.dan)

    assert "A colleague tried something similar: Ben Ray (Maths)" in text
    assert "introduce" in offered


async def test_a_step_never_shared_is_never_suggested(room: Staffroom) -> None:
    await room.log(room.ben, THEIRS)

    text, offered = await suggested(room, room.dan)

    assert "tried something similar" not in text
    assert "introduce" not in offered


async def test_my_own_steps_are_not_suggested_to_me(room: Staffroom) -> None:
    await room.shared(room.dan, THEIRS)

    text, _ = await suggested(room, room.dan)

    assert "tried something similar" not in text


async def test_nothing_alike_suggests_no_one(room: Staffroom) -> None:
    await room.shared(room.ben, THEIRS)

    text, _ = await suggested(room, room.dan, "Emailed parents about the trip to the farm")

    assert "tried something similar" not in text


async def travelled(room: Staffroom, answer: str) -> int:
    entry = await room.shared(room.ana, THEIRS)
    await room.votes_for(entry, room.ben, room.cat, room.dl)
    await room.deliver()
    await room.ana.press(answer, str(entry))
    await room.deliver()
    return entry


async def test_another_schools_standout_is_not_suggested_unless_the_trust_allows(
    room: Staffroom,
) -> None:
    await travelled(room, "consent_named")

    text, _ = await suggested(room, room.river)

    assert "tried something similar" not in text


async def test_with_the_trust_sharing_a_named_standout_is_suggested_by_name(
    room: Staffroom,
) -> None:
    await travelled(room, "consent_named")
    await trust_sharing(room)

    text, _ = await suggested(room, room.river)

    assert "Ana Jones (Our school)" in text


async def test_with_the_trust_sharing_an_anonymous_standout_is_a_colleague(
    room: Staffroom,
) -> None:
    await travelled(room, "consent_anonymous")
    await trust_sharing(room)

    text, _ = await suggested(room, room.river)

    assert "a colleague at Our school" in text
    assert "Ana" not in text


async def trust_sharing(room: Staffroom) -> None:
    async with room.store.transaction() as tx:
        found = await tx.schools.organisation_named("North Trust")
        assert found is not None
        await tx.schools.set_organisation_sharing(found, True)


async def test_introduce_us_sends_both_a_message_with_both_steps(room: Staffroom) -> None:
    await room.shared(room.ben, THEIRS)
    _, offered = await suggested(room, room.dan)

    await room.dan.press("introduce", offered["introduce"])
    await room.deliver()

    [to_ben] = room.dms(room.ben)
    [to_dan] = room.dms(room.dan)
    assert "Dan Fox would like to meet you" in everything(to_ben)
    assert "meet Ben Ray" in everything(to_dan)
    assert [b.text for b in to_dan.content.blocks if isinstance(b, Quote)] == [THEIRS, MINE]


async def test_an_introduction_to_a_step_not_suggested_is_refused(room: Staffroom) -> None:
    private = await room.log(room.ben, THEIRS)
    mine = await room.log(room.dan, MINE)

    out = await room.dan.press("introduce", f"{mine}:{private}")
    await room.deliver()

    assert "Nobody has shared anything close" in said(out)
    assert room.dms(room.ben) == []


async def test_similar_on_demand_shows_the_same_suggestions(room: Staffroom) -> None:
    mine = await room.log(room.dan, MINE)
    await room.shared(room.ben, THEIRS)

    out = await room.dan.say(f"similar {mine}")

    assert "Ben Ray (Maths)" in "\n".join(
        b.text for c in contents(out) for b in c.blocks if isinstance(b, Paragraph)
    )
