"""Words for the evidence base: "did it work?" follow-ups and their outcomes."""

from __future__ import annotations

from datetime import date

from bot.texts.format import day_name, plural

FOLLOWUP_HEADING = "How did it go?"
FOLLOWUP_ALSO = "Anything new today? Just reply here, as always."
BUTTON_KEEPING = "Keeping it"
BUTTON_CHANGED = "Changed it"
BUTTON_DROPPED = "Dropped it"
BUTTON_TOO_EARLY = "Too early to say"
OUTCOME_USAGE = (
    "Say `outcome 123 keeping it` (or `changed it`, `dropped it`, `too early`), and add "
    "`because …` if you like. The number is the step's ID, in `export me`."
)
OUTCOME_NOT_YOURS = "Only the person who logged a step can say how it went."
FOLLOWUP_HELP = "Say `config followup 10 days` (1 to 60 school days), or `config followup off`."
FOLLOWUP_OFF = "Done: nobody will be asked how their steps went."
SUMMARY_OUTCOMES = "How steps went"


def followup_intro(day: date) -> str:
    return f"On {day_name(day)} you tried:"


def outcome_noted(outcome: str, entry_id: int, *, with_note: bool) -> str:
    if outcome == "too_early":
        return "Fair enough. I'll ask again in a couple of weeks."
    said = {"keeping": "keeping it", "changed": "changed it", "dropped": "dropped it"}[outcome]
    thanks = f"Thank you: {said}. Knowing what works helps everyone."
    if with_note:
        return thanks
    return f"{thanks} To add why, say `outcome {entry_id} {said} because …`."


def followup_set(days: int) -> str:
    return (
        f"Done: {plural(days, 'school day', 'school days')} after a step, its author is asked "
        "how it went (instead of that day's question)."
    )


def outcomes_line(kept: int, changed: int, dropped: int, too_early: int) -> str:
    answered = kept + changed + dropped
    if not answered:
        return f"{plural(too_early, 'step', 'steps')} followed up: too early to say."
    share = {
        name: round(100 * n / answered)
        for name, n in (("kept", kept), ("changed", changed), ("dropped", dropped))
    }
    early = f"; {too_early} too early to say" if too_early else ""
    return (
        f"Of {plural(answered, 'step', 'steps')} followed up, {share['kept']}% kept, "
        f"{share['changed']}% changed, {share['dropped']}% dropped{early}."
    )


# --- themes ------------------------------------------------------------------------------------

BUTTON_OTHER_THEME = "Another theme…"
WHICH_THEME = "Which theme is it closest to?"
THEME_NOT_YOURS = "Only the person who logged a step can change its theme."
THEME_HELP = (
    "Say `config theme add Oracy: pupils talking to learn`, `config theme rename Oracy to Talk` "
    "or `config theme retire Talk`; `config themes` lists them."
)


def theme_line(name: str) -> str:
    return f"Theme: {name}. Not quite? Pick another:"


def theme_corrected(name: str) -> str:
    return f"Thanks: it's {name} now. Tiny Steps learns from that."


def unknown_theme(name: str, known: list[str]) -> str:
    return f"I don't know a theme “{name}”. Themes here: {', '.join(known)}."


def theme_exists(name: str) -> str:
    return f"There's already a theme called {name}."


def theme_changed(verb: str, name: str) -> str:
    done = {"add": "Added", "rename": "Renamed to", "retire": "Retired"}[verb]
    note = " Steps already logged keep it." if verb == "retire" else ""
    return f"{done} the theme {name}.{note}" if verb != "rename" else f"{done} {name}."


def theme_list(themes: list[tuple[str, str, str | None]]) -> str:
    lines = [
        f"• {name}: {description}" + (f" (relates to the EEF Toolkit's {strand})" if strand else "")
        for name, description, strand in themes
    ]
    return "Your school's themes:\n" + "\n".join(lines)


def themes_line(themes: str) -> str:
    return f"Themes: {themes}."


# --- who else is trying this -------------------------------------------------------------------

BUTTON_INTRODUCE = "Introduce us"
SIMILAR_USAGE = "Say `similar 123`: the number is one of your steps' IDs (see `export me`)."
NOTHING_SIMILAR = "Nobody has shared anything close to that yet. Yours may be the first!"
SIMILAR_FALLBACK = "Colleagues tried something similar."
INTRODUCED = "Done: you'll both get a short message introducing you to each other."
AND_YOU_TRIED = "And you tried:"
INTRO_FALLBACK = "An introduction: a colleague tried something like your step."
_OUTCOME_WORDS = {
    "keeping": "kept it",
    "changed": "changed it",
    "dropped": "dropped it",
    "too_early": "too early to say",
}


def similar_person(name: str, where: str, outcome: str | None, *, elsewhere: bool) -> str:
    """Priya (Maths, kept it), or a colleague at Oakfield (dropped it)."""
    how = _OUTCOME_WORDS.get(outcome or "")
    if name == "a colleague":
        return f"a colleague {'at' if elsewhere else 'in'} {where}" + (f" ({how})" if how else "")
    return f"{name} ({where}, {how})" if how else f"{name} ({where})"


def similar_found(people: list[str]) -> str:
    count = {1: "A colleague", 2: "Two colleagues", 3: "Three colleagues"}.get(len(people))
    who = " and ".join([", ".join(people[:-1]), people[-1]] if len(people) > 1 else people)
    return f"{count or 'Colleagues'} tried something similar: {who}. Want an introduction?"


def introduction(name: str, *, asked: bool) -> str:
    if asked:
        return f"As you asked, meet {name}. They tried:"
    return f"{name} would like to meet you: they're trying something like your step. They tried:"
