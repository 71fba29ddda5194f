"""A school's themes: the twelve defaults, admins' additions, renames and retirements, and
authors correcting an entry's theme (which teaches the school's classifier)."""

from __future__ import annotations

from bot.evidence.taxonomy import taxonomy
from bot.model import Paragraph
from bot.ports import Store
from tests.bot.chat import Chat, actor, buttons, contents, person_of, said


async def school_of(store: Store, chat: Chat) -> int:
    async with store.transaction() as tx:
        person = await tx.people.get(await person_of(store, chat.actor))
    assert person is not None
    return person.school_id


async def names(store: Store, chat: Chat) -> list[str]:
    async with store.transaction() as tx:
        return [t.name for t in await taxonomy(tx, await school_of(store, chat))]


async def test_a_school_starts_with_the_twelve_default_themes(chat: Chat, store: Store) -> None:
    assert await names(store, chat) == [
        "Feedback",
        "Metacognition",
        "Retrieval practice",
        "Questioning and talk",
        "Reading and vocabulary",
        "Behaviour and routines",
        "Parents and families",
        "Collaborative learning",
        "Inclusion and support",
        "Wellbeing",
        "Technology",
        "Workload",
    ]


async def test_config_themes_lists_them_with_the_research_they_relate_to(chat: Chat) -> None:
    out = await chat.say("config themes")

    assert "Feedback: Telling pupils how their work is going" in said(out)
    assert "relates to the EEF Toolkit's Parental engagement" in said(out)


async def test_an_admin_adds_a_theme(chat: Chat, store: Store) -> None:
    out = await chat.say("config theme add Oracy: pupils talking to learn")

    assert "Added the theme Oracy" in said(out)
    assert (await names(store, chat))[-1] == "Oracy"


async def test_an_admin_renames_a_theme(chat: Chat, store: Store) -> None:
    await chat.say("config theme rename Workload to Staff time")

    assert (await names(store, chat))[-1] == "Staff time"


async def test_an_admin_retires_a_theme(chat: Chat, store: Store) -> None:
    out = await chat.say("config theme retire Technology")

    assert "Technology" not in await names(store, chat)
    assert "keep it" in said(out)


async def test_a_theme_cannot_be_added_twice(chat: Chat) -> None:
    out = await chat.say("config theme add feedback")

    assert "already a theme called feedback" in said(out)


async def test_an_unknown_theme_is_named_with_those_there_are(chat: Chat) -> None:
    out = await chat.say("config theme retire Astrology")

    assert "I don't know a theme “Astrology”" in said(out)
    assert "Feedback" in said(out)


async def test_staff_cannot_change_themes(chat: Chat, store: Store) -> None:
    colleague = Chat(chat.conversation, actor("U2"))

    out = await colleague.say("config theme retire Feedback")

    assert "admin" in said(out).lower()
    assert "Feedback" in await names(store, chat)


async def entry_theme(store: Store, entry: int) -> tuple[str | None, str | None]:
    async with store.transaction() as tx:
        found = await tx.improvements.get(entry)
    assert found is not None
    return found.theme, found.theme_by


async def test_an_author_corrects_their_entrys_theme(chat: Chat, store: Store) -> None:
    entry = int(buttons(await chat.say("log Quizzed Y8 on last term's forces"))["undo"])

    out = await chat.say(f"theme {entry} Retrieval practice")

    assert await entry_theme(store, entry) == ("retrieval", "person")
    assert "it's Retrieval practice now" in said(out)


async def test_a_correction_becomes_the_schools_own_example(chat: Chat, store: Store) -> None:
    entry = int(buttons(await chat.say("log Quizzed Y8 on last term's forces"))["undo"])
    await chat.press("theme", f"{entry}:retrieval")

    async with store.transaction() as tx:
        corrections = await tx.improvements.corrections(await school_of(store, chat))

    assert corrections == [("Quizzed Y8 on last term's forces", "retrieval")]


async def test_no_one_changes_someone_elses_theme(chat: Chat, store: Store) -> None:
    entry = int(buttons(await chat.say("log Quizzed Y8 on last term's forces"))["undo"])
    colleague = Chat(chat.conversation, actor("U2"))

    out = await colleague.press("theme", f"{entry}:feedback")

    assert "Only the person who logged a step" in said(out)
    assert (await entry_theme(store, entry))[1] != "person"


async def test_another_theme_shows_every_theme_of_the_school(chat: Chat) -> None:
    entry = int(buttons(await chat.say("log Quizzed Y8 on last term's forces"))["undo"])

    out = await chat.press("theme_menu", str(entry))

    assert buttons(out)["theme"].startswith(f"{entry}:")
    assert "Which theme" in said(out)


async def test_the_confirmation_says_the_theme_and_offers_others_in_one_tap(
    chat: Chat, store: Store
) -> None:
    out = await chat.say("log Low-stakes quiz on last term's work to start the lesson")

    entry = int(buttons(out)["undo"])
    paragraphs = [b.text for c in contents(out) for b in c.blocks if isinstance(b, Paragraph)]
    assert "Theme: Retrieval practice. Not quite? Pick another:" in paragraphs
    assert buttons(out)["theme"].startswith(f"{entry}:")
    assert buttons(out)["theme_menu"] == str(entry)
    assert await entry_theme(store, entry) == ("retrieval", "auto")
