"""Sharing with my department: offered after logging, opt-in, and taken back at any time."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.conversation.replies import say
from bot.model import Buttons, ChannelPost, Paragraph, Quote, Upload
from tests.bot.chat import buttons, said
from tests.bot.sharing.conftest import MATHS, SCIENCE, SHOWCASE, Staffroom


async def test_logging_offers_to_share_with_my_department(room: Staffroom) -> None:
    out = await room.ana.say("log Exit tickets before the bell")

    assert "share" in buttons(out)


async def test_nothing_is_offered_without_a_department_channel(room: Staffroom) -> None:
    await room.ana.say("my department none")

    out = await room.ana.say("log Exit tickets before the bell")

    assert "share" not in buttons(out)


async def test_nothing_is_offered_when_the_school_turned_sharing_off(room: Staffroom) -> None:
    await room.admin.say("config share never")

    out = await room.ana.say("log Exit tickets before the bell")

    assert "share" not in buttons(out)


async def test_nothing_is_offered_to_someone_who_never_shares(room: Staffroom) -> None:
    await room.ana.say("my sharing never")

    out = await room.ana.say("log Exit tickets before the bell")

    assert "share" not in buttons(out)


async def test_logging_alone_posts_nothing(room: Staffroom) -> None:
    await room.log(room.ana, "Exit tickets before the bell")
    await room.deliver()

    assert room.posts(MATHS) == []


async def test_a_shared_step_is_posted_once_in_the_department_channel(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")
    await room.deliver()

    [post] = room.posts(MATHS)
    assert [b.text for b in post.content.blocks if isinstance(b, Quote)] == [
        "Exit tickets before the bell"
    ]
    assert "Ana Jones (Maths)" in post.content.fallback


async def test_a_shared_post_carries_helped_and_try_buttons(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    [post] = room.posts(MATHS)
    [row] = [b for b in post.content.blocks if isinstance(b, Buttons)]
    assert {(b.action, b.value) for b in row.buttons} == {
        ("helped", str(entry)),
        ("try", str(entry)),
    }


async def test_a_shared_step_stays_in_its_department(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")

    assert room.posts(SCIENCE) == room.posts(SHOWCASE) == []


async def test_share_by_typing_shares_my_last_step(room: Staffroom) -> None:
    await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ana.say("share")
    await room.deliver()

    assert "Shared with Maths" in said(out)
    assert len(room.posts(MATHS)) == 1


async def test_sharing_twice_posts_once(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    await room.ana.press("share", str(entry))
    await room.deliver()

    assert len(room.posts(MATHS)) == 1


async def test_someone_always_sharing_has_each_step_shared_as_logged(room: Staffroom) -> None:
    await room.ana.say("my sharing always")

    out = await room.ana.say("log Exit tickets before the bell")
    await room.deliver()

    assert "Shared with Maths" in said(out)
    assert len(room.posts(MATHS)) == 1


async def test_no_one_can_share_a_colleagues_step(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ben.say(f"share {entry}")
    await room.deliver()

    assert "Only the person who wrote a step" in said(out)
    assert room.posts(MATHS) == []


async def test_sharing_without_a_department_says_how_to_choose_one(room: Staffroom) -> None:
    await room.ana.say("my department none")
    await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ana.say("share")

    assert "my department" in said(out)


async def test_unsharing_replaces_the_post_with_withdrawn(room: Staffroom) -> None:
    entry = await room.shared(room.ana, "Exit tickets before the bell")

    out = await room.ana.say(f"unshare {entry}")
    await room.deliver()

    _, change = room.posts(MATHS)
    assert change.replaces is not None
    assert "withdrawn by its author" in change.content.fallback
    assert "Exit tickets" not in change.content.fallback
    assert "Taken back" in said(out)


async def test_a_step_unshared_before_it_was_posted_is_never_posted(room: Staffroom) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")
    await room.ana.press("share", str(entry))

    await room.ana.press("unshare", str(entry))
    await room.deliver()

    assert room.posts(MATHS) == []


async def test_undoing_a_shared_step_withdraws_its_post(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")

    await room.ana.say("undo")
    await room.deliver()

    assert "withdrawn by its author" in room.posts(MATHS)[-1].content.fallback


async def test_forgetting_me_withdraws_every_post_of_mine(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")

    await room.ana.say("forget me")
    await room.ana.press("forget_confirm")
    await room.deliver()

    change = room.posts(MATHS)[-1]
    assert change.replaces is not None
    assert "withdrawn by its author" in change.content.fallback


async def test_unsharing_what_was_never_shared_says_so(room: Staffroom) -> None:
    await room.log(room.ana, "Exit tickets before the bell")

    out = await room.ana.say("unshare")

    assert "isn't shared anywhere" in said(out)


async def test_an_unknown_step_number_is_refused_kindly(room: Staffroom) -> None:
    out = await room.ana.say("share 99999")

    assert "can't find that step" in said(out)


async def test_a_shared_post_credits_its_author_in_plain_words(room: Staffroom) -> None:
    await room.shared(room.ana, "<!channel> exit tickets")

    [post] = room.posts(MATHS)
    [credit] = [b for b in post.content.blocks if isinstance(b, Paragraph)]
    assert credit.text == "Ana Jones (Maths) shared a small step:"  # words only in the quote


async def test_export_me_shows_where_each_step_was_shared(room: Staffroom) -> None:
    await room.ana.say("my sharing always")
    await room.log(room.ana, "Exit tickets before the bell")
    await room.deliver()

    out = await room.ana.say("export me")

    [upload] = [a for a in out if isinstance(a, Upload)]
    data = json.loads(upload.file.data)
    assert data["person"]["sharing"] == "always"
    assert data["entries"][0]["posts"] == [
        {"kind": "share", "platform": "test", "channel": "Maths", "status": "posted"}
    ]


async def test_a_post_that_reached_the_channel_before_a_crash_is_not_posted_again(
    room: Staffroom,
) -> None:
    entry = await room.log(room.ana, "Exit tickets before the bell")
    await room.ana.press("share", str(entry))
    async with room.store.transaction() as tx:  # a deliverer claims the post, sends, and dies
        [row] = await tx.deliveries.claim(
            "dead", now=room.clock.now(), lease_until=room.clock.now(), limit=10
        )
    room.messenger.sent.append(ChannelPost("test", "T1", MATHS, say("Ana's step"), key=row.key))
    room.clock.advance(timedelta(minutes=1))

    report = await room.deliver()

    assert (report.recovered, report.sent) == (1, 0)
    assert len(room.posts(MATHS)) == 1
    assert await room.message_of(entry, MATHS) == f"m{len(room.messenger.sent)}"


async def test_editing_a_shared_step_changes_its_post(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")

    await room.ana.say("edit Exit tickets after the bell")
    await room.deliver()

    change = room.posts(MATHS)[-1]
    assert change.replaces is not None
    assert "Exit tickets after the bell" in change.content.fallback


async def test_every_edit_of_a_shared_step_reaches_its_post(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")
    await room.ana.say("edit Exit tickets after the bell")
    await room.deliver()

    await room.ana.say("edit Exit tickets at the door")
    await room.deliver()

    assert "Exit tickets at the door" in room.posts(MATHS)[-1].content.fallback
    assert len(room.posts(MATHS)) == 3


async def test_editing_a_withdrawn_step_leaves_its_post_withdrawn(room: Staffroom) -> None:
    await room.shared(room.ana, "Exit tickets before the bell")
    await room.ana.say("unshare")
    await room.deliver()

    await room.ana.say("edit Exit tickets after the bell")
    await room.deliver()

    assert "withdrawn by its author" in room.posts(MATHS)[-1].content.fallback
