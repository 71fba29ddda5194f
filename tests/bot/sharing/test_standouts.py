"""Standouts: enough votes or a leader's spotlight, then the author's consent, then reposts
once to every target (other departments, the showcase, the trust's other schools)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.model import BulletList, Buttons, ChannelPost, DirectMessage
from bot.ports import Consent
from bot.schedule import Scheduler
from tests.bot.chat import buttons, contents, said
from tests.bot.sharing.conftest import MATHS, RIVERSIDE, SCIENCE, SHOWCASE, Staffroom

# Five school days after Tuesday 24 November is Tuesday 1 December; the day after, silence is no.
WEDNESDAY_AFTER = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def consent_questions(room: Staffroom) -> list[DirectMessage]:
    return [m for m in room.dms(room.ana) if "May it travel" in m.content.fallback]


def consent_buttons(message: DirectMessage) -> dict[str, str]:
    return {
        b.action: b.value
        for block in message.content.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    }


async def consent(room: Staffroom) -> Consent | None:
    async with room.store.transaction() as tx:
        person = await tx.people.by_identity("test", "T1", "ANA")
        assert person is not None
        entry = await tx.improvements.last_for(person.id)
        assert entry is not None
        standout = await tx.standouts.get(entry.id)
    return standout.consent if standout is not None else None


async def standout(room: Staffroom, words: str = "Exit tickets before the bell") -> int:
    """Ana's step, shared, voted for by three colleagues, and her question sent."""
    entry = await room.shared(room.ana, words)
    await room.votes_for(entry, room.ben, room.cat, room.dl)
    await room.deliver()
    return entry


async def test_three_colleagues_votes_make_a_standout_and_ask_its_author(room: Staffroom) -> None:
    await standout(room)

    [question] = consent_questions(room)
    assert set(consent_buttons(question)) == {
        "consent_named",
        "consent_anonymous",
        "consent_declined",
    }
    assert "3 colleagues found this step of yours helpful" in question.content.fallback


async def test_two_votes_are_not_enough(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    await room.votes_for(entry, room.ben, room.cat)
    await room.deliver()

    assert consent_questions(room) == []


async def test_the_authors_own_reaction_never_counts(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    await room.votes_for(entry, room.ana, room.ben, room.cat)
    await room.deliver()

    assert consent_questions(room) == []


async def test_a_removed_reaction_removes_its_vote(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")
    message = await room.message_of(entry, MATHS)
    await room.votes_for(entry, room.ben, room.cat)
    await room.react(room.cat, MATHS, message, added=False)

    await room.votes_for(entry, room.dl)
    await room.deliver()

    assert consent_questions(room) == []


async def test_the_helped_button_is_a_vote_once_per_person(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    await room.ben.press("helped", str(entry))
    await room.ben.press("helped", str(entry))
    await room.votes_for(entry, room.ben, room.cat)
    await room.deliver()

    assert consent_questions(room) == []  # Ben twice and Cat: two people


async def test_nothing_leaves_the_department_before_the_author_answers(room: Staffroom) -> None:
    await standout(room)

    assert room.posts(SHOWCASE) == room.posts(SCIENCE) == room.posts(RIVERSIDE) == []


async def test_with_my_name_it_is_reposted_once_to_every_target(room: Staffroom) -> None:
    entry = await standout(room)

    out = await room.ana.press("consent_named", str(entry))
    await room.deliver()
    await room.deliver()

    for channel in (SHOWCASE, SCIENCE, RIVERSIDE):
        [post] = room.posts(channel)
        assert "A standout from Ana Jones, Maths, Our school" in post.content.fallback
    assert len(room.posts(MATHS)) == 1  # its own department has it already
    assert "It will travel with your name, to 3 channels" in said(out)


async def test_without_my_name_it_is_credited_to_a_colleague(room: Staffroom) -> None:
    entry = await standout(room)

    await room.ana.press("consent_anonymous", str(entry))
    await room.deliver()

    [post] = room.posts(RIVERSIDE)
    assert "A standout from a colleague, Maths, Our school" in post.content.fallback
    assert "Ana" not in post.content.fallback


async def test_a_repost_offers_ill_try_this(room: Staffroom) -> None:
    entry = await standout(room)

    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    [post] = room.posts(SHOWCASE)
    actions = {
        b.action
        for block in post.content.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
    }
    assert actions == {"try"}


async def test_not_this_one_keeps_it_in_the_department(room: Staffroom) -> None:
    entry = await standout(room)

    out = await room.ana.press("consent_declined", str(entry))
    await room.deliver()

    assert room.posts(SHOWCASE) == room.posts(SCIENCE) == room.posts(RIVERSIDE) == []
    assert "stays with your department" in said(out)
    assert await consent(room) is Consent.DECLINED


async def test_silence_for_five_school_days_means_no(room: Staffroom) -> None:
    await standout(room)
    room.clock.set(WEDNESDAY_AFTER)

    await room.deliver()
    await Scheduler(room.store, room.messenger, room.clock, worker="test").tick()

    assert await consent(room) is Consent.EXPIRED
    assert room.posts(SHOWCASE) == []


async def test_only_the_author_answers_for_their_step(room: Staffroom) -> None:
    entry = await standout(room)

    out = await room.ben.press("consent_named", str(entry))
    await room.deliver()

    assert "for the step's author" in said(out)
    assert room.posts(SHOWCASE) == []


async def test_withdrawing_takes_back_every_repost(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    await room.ana.say(f"unshare {entry}")
    await room.deliver()

    for channel in (MATHS, SHOWCASE, SCIENCE, RIVERSIDE):
        change = room.posts(channel)[-1]
        assert change.replaces is not None
        assert "withdrawn by its author" in change.content.fallback
    assert await consent(room) is Consent.WITHDRAWN


async def test_changing_to_not_this_one_takes_back_only_the_reposts(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    await room.ana.press("consent_declined", str(entry))
    await room.deliver()

    assert "withdrawn" in room.posts(SHOWCASE)[-1].content.fallback
    assert len(room.posts(MATHS)) == 1  # still shared with Maths, as Ana chose


async def test_a_failing_target_does_not_hold_the_others_back(room: Staffroom) -> None:
    entry = await standout(room)
    room.messenger.refusing.add(SCIENCE)

    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    assert len(room.posts(SHOWCASE)) == len(room.posts(RIVERSIDE)) == 1
    assert room.posts(SCIENCE) == []


async def test_a_failing_target_is_reported_to_the_schools_admins_once(room: Staffroom) -> None:
    entry = await standout(room)
    room.messenger.refusing.add(SCIENCE)
    await room.ana.press("consent_named", str(entry))

    await room.deliver()
    await room.deliver()

    [note] = [m for m in room.dms(room.admin) if "couldn't be delivered" in m.content.fallback]
    assert "archived" in note.content.fallback
    assert [m for m in room.dms(room.river) if "couldn't" in m.content.fallback] == []


async def test_a_leader_spotlights_a_step_they_can_see(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")  # never shared

    out = await room.dl.say(f"spotlight {entry}")
    await room.deliver()

    assert "asked Ana Jones" in said(out)
    [question] = consent_questions(room)
    assert "Dee Lead picked this step of yours as a standout" in question.content.fallback


async def test_a_spotlit_step_travels_once_its_author_agrees(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")
    await room.dl.say(f"spotlight {entry}")

    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    assert len(room.posts(RIVERSIDE)) == 1


async def test_a_leader_cannot_spotlight_outside_what_they_lead(room: Staffroom) -> None:
    entry = await room.log(room.dan, "Lab rota on the door")  # Science; DL leads Maths

    out = await room.dl.say(f"spotlight {entry}")
    await room.deliver()

    assert "outside what you lead" in said(out)
    assert [m for m in room.dms(room.dan) if "May it travel" in m.content.fallback] == []


async def test_staff_cannot_spotlight(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ben.say(f"spotlight {entry}")

    assert "for your school's leaders" in said(out)


async def test_another_schools_admin_cannot_spotlight_our_steps(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")

    out = await room.river.say(f"spotlight {entry}")

    assert "outside what you lead" in said(out)


async def test_a_spotlight_of_a_declined_step_respects_its_author(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_declined", str(entry))

    out = await room.admin.say(f"spotlight {entry}")

    assert "chose to keep that one" in said(out)


async def test_an_unanswered_step_can_be_spotlit_again_and_is_asked_anew(room: Staffroom) -> None:
    entry = await standout(room)
    room.clock.set(WEDNESDAY_AFTER)
    await Scheduler(room.store, room.messenger, room.clock, worker="test").tick()

    await room.admin.say(f"spotlight {entry}")
    await room.deliver()

    assert len(consent_questions(room)) == 2
    assert await consent(room) is Consent.ASKED


async def test_spotlight_this_on_a_shared_post(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")
    message = await room.message_of(entry, MATHS)

    out = await room.dl.press("spotlight_post", message)
    await room.deliver()

    assert "asked Ana Jones" in said(out)
    assert len(consent_questions(room)) == 1


async def test_an_undone_standout_is_never_reposted(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_named", str(entry))

    await room.ana.say("undo")
    await room.deliver()

    posts: list[ChannelPost] = room.posts(SHOWCASE) + room.posts(RIVERSIDE)
    assert posts == []


FRIDAY_AFTER_FOUR = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)


async def tick(room: Staffroom, at: datetime) -> None:
    room.clock.set(at)
    await Scheduler(room.store, room.messenger, room.clock, worker="test").tick()


def best_of(room: Staffroom, channel: str) -> list[ChannelPost]:
    return [p for p in room.posts(channel) if "This week's standouts" in p.content.fallback]


async def test_the_weeks_standouts_go_to_each_showcase_once(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_anonymous", str(entry))

    await tick(room, FRIDAY_AFTER_FOUR)
    await tick(room, FRIDAY_AFTER_FOUR)

    for channel in (SHOWCASE, RIVERSIDE):
        [post] = best_of(room, channel)
        assert "a colleague, Maths" in post.content.fallback
        assert "Exit tickets before the bell" in post.content.fallback


async def test_a_week_without_standouts_posts_no_best_of(room: Staffroom) -> None:
    await standout(room)  # asked, never answered: it stays put

    await tick(room, FRIDAY_AFTER_FOUR)

    assert best_of(room, SHOWCASE) == best_of(room, RIVERSIDE) == []


async def test_a_summary_shows_each_standout_and_how_far_it_went(room: Staffroom) -> None:
    entry = await standout(room)
    await room.ana.press("consent_named", str(entry))
    await room.deliver()
    for colleague in (room.ben, room.dan, room.river):
        await colleague.press("try", str(entry))

    out = await room.admin.say("summary")

    assert (
        f"#{entry} “Exit tickets before the bell”: shared to 3 channels; 3 people in "
        "2 departments across 2 schools said they'd try it"
    ) in "\n".join(
        item
        for content in contents(out)
        for block in content.blocks
        if isinstance(block, BulletList)
        for item in block.items
    )


async def test_a_summarys_quotes_each_offer_a_spotlight(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")

    out = await room.admin.say("summary")

    assert buttons(out)["spotlight"] == str(entry)


async def test_a_repost_in_the_same_workspace_points_to_the_shared_original(
    room: Staffroom,
) -> None:
    entry = await standout(room)
    shared = await room.message_of(entry, MATHS)

    await room.ana.press("consent_named", str(entry))
    await room.deliver()

    [here] = room.posts(SHOWCASE)
    [elsewhere] = room.posts(RIVERSIDE)
    assert (here.original, elsewhere.original) == (shared, None)
