"""Themes in chat: the theme each new entry is given, the corrections people make (which
become that school's own examples), and admins' changes to the school's taxonomy."""

from __future__ import annotations

from bot import texts
from bot.conversation import replies
from bot.conversation.turn import Turn
from bot.evidence.school_classifier import ranked
from bot.evidence.taxonomy import find, key_for, taxonomy
from bot.model import Block, Button, Buttons, Paragraph
from bot.ports import Improvement, Role, ThemeChange

ALTERNATIVES = 2  # other likely themes offered as one-tap corrections


async def theme_new_entry(turn: Turn, entry: Improvement) -> list[Block]:
    """Give a new entry its theme; the confirmation's line saying so, with one-tap fixes."""
    likely = await ranked(turn.tx, turn.school.id, entry.text)
    if not likely:
        return []
    chosen, others = likely[0], likely[1 : 1 + ALTERNATIVES]
    await turn.tx.improvements.set_theme(entry.id, chosen.id, by="auto")
    fixes = tuple(Button(t.name, "theme", f"{entry.id}:{t.id}") for t in others)
    return [
        Paragraph(texts.theme_line(chosen.name)),
        Buttons((*fixes, Button(texts.BUTTON_OTHER_THEME, "theme_menu", str(entry.id)))),
    ]


async def theme_button(turn: Turn, value: str) -> None:
    """One tap on a theme: the entry's author says which it is."""
    entry_id, _, key = value.partition(":")
    await _correct(turn, entry_id, key)


async def theme_menu(turn: Turn, value: str) -> None:
    """Every theme of the school, to pick the right one."""
    themes = await taxonomy(turn.tx, turn.school.id)
    turn.reply(
        replies.say(
            texts.WHICH_THEME,
            Buttons(tuple(Button(t.name, "theme", f"{value}:{t.id}") for t in themes)),
        )
    )


async def theme_command(turn: Turn, words: str) -> None:
    """`theme 123 Feedback`: the author names an entry's theme."""
    entry_id, _, name = words.strip().lstrip("#").partition(" ")
    themes = await taxonomy(turn.tx, turn.school.id)
    chosen = find(themes, name)
    if chosen is None:
        turn.say(texts.unknown_theme(name.strip()[:40], [t.name for t in themes]))
        return
    await _correct(turn, entry_id, chosen.id)


async def _correct(turn: Turn, entry_id: str, key: str) -> None:
    entry = await turn.own_entry(entry_id, texts.THEME_NOT_YOURS)
    if entry is None:
        return
    chosen = next((t for t in await taxonomy(turn.tx, turn.school.id) if t.id == key), None)
    if chosen is None:
        turn.say(texts.ENTRY_NOT_FOUND)
        return
    await turn.tx.improvements.set_theme(entry.id, chosen.id, by="person")
    await turn.audit("improvement.theme", improvement_id=entry.id, theme=chosen.id)
    turn.say(texts.theme_corrected(chosen.name))


async def config_theme(turn: Turn, value: str) -> None:
    """`config theme add Oracy: pupils talking…`, `config theme rename Oracy to Talk`,
    `config theme retire Talk` (admins; entries keep their themes)."""
    if turn.person.role is not Role.ADMIN:
        turn.say(texts.ADMINS_ONLY)
        return
    verb, _, rest = value.strip().partition(" ")
    themes = await taxonomy(turn.tx, turn.school.id)
    verb = verb.lower()
    if verb == "add" and rest.strip():
        name, _, description = rest.partition(":")
        name = " ".join(name.split())[:80]
        if not key_for(name) or find(themes, name) is not None:
            turn.say(texts.theme_exists(name) if key_for(name) else texts.THEME_HELP)
            return
        change = ThemeChange(key_for(name), name, description.strip()[:500])
    elif verb == "rename" and " to " in rest:
        old, _, new = rest.partition(" to ")
        found = find(themes, old)
        new = " ".join(new.split())[:80]
        if found is None or not new:
            turn.say(texts.unknown_theme(old.strip()[:40], [t.name for t in themes]))
            return
        change = ThemeChange(found.id, new, found.description)
    elif verb == "retire" and rest.strip():
        found = find(themes, rest)
        if found is None:
            turn.say(texts.unknown_theme(rest.strip()[:40], [t.name for t in themes]))
            return
        change = ThemeChange(found.id, found.name, found.description, retired=True)
    else:
        turn.say(texts.THEME_HELP)
        return
    await turn.tx.themes.put(turn.school.id, change, at=turn.now)
    await turn.audit("config.theme", verb=verb, key=change.key, name=change.name)
    turn.say(texts.theme_changed(verb, change.name))


async def config_themes(turn: Turn, _: str) -> None:
    """`config themes`: the school's themes, what each means, and the research they relate to."""
    themes = await taxonomy(turn.tx, turn.school.id)
    turn.say(texts.theme_list([(t.name, t.description, t.strand) for t in themes]))
