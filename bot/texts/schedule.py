"""Words for reminders, weekly notes and the schedule's reasons."""

from __future__ import annotations

from datetime import date

from bot.texts.format import day_name, plural

# --- reminders, weekly notes and the schedule -------------------------------------------------

REMINDER_HEADING = "A gentle reminder 🌱"
REMINDER_BODY = (
    "If something went a little better today, a few words here is all it takes. "
    "No worries if not: say `skip` and I'll see you next school day."
)
REMINDER_FALLBACK = "A gentle reminder: what's one small thing you improved today?"

WEEKLY_HEADING = "Your week in tiny steps"
WEEKLY_OFF_HINT = "Say `weekly off` if you'd rather not get this note."


def weekly_note(count: int, streak: int) -> str:
    steps = plural(count, "small step", "small steps")
    kind = "Lovely work." if count < 3 else "That adds up to real change."
    run = f" Your streak is {plural(streak, 'school day', 'school days')}." if streak > 1 else ""
    return f"This week you logged {steps}. {kind}{run} Have a restful weekend!"


# Why someone is or isn't nudged (for `tinysteps tick --dry-run`).
WHY_OPTED_OUT = "opted out"
WHY_ANSWERED = "already logged today"
WHY_SKIPPED = "skipped today"
WHY_ALREADY_SENT = "already asked today"
WHY_PLANNED = "due now"


def why_paused(until: date | None) -> str:
    return f"paused until {day_name(until)}" if until else "paused"


def why_not_yet(local: str) -> str:
    return f"not yet: due at {local} local time"
