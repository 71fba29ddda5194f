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
