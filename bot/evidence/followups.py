""" "Did it work?": some school days after a step, that day's question asks how it went.

The rules: at most one follow-up a day (it takes the place of that day's question, which a
person gets once, however many replicas run); never for an undone step; a "too early" answer
is asked about once more as many school days later; paused people aren't asked anything.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

from bot import texts
from bot.calendar.schoolcal import TermCalendar, school_days_earlier
from bot.calendar.zones import due_at
from bot.conversation import replies
from bot.conversation.turn import Turn
from bot.model import Button, Buttons, Content, Heading, Paragraph, Quote
from bot.ports import Improvement, Nudge, Outcome, Person, School, Transaction

MAX_FOLLOWUP_DAYS = 60
WINDOW = timedelta(days=28)  # older steps than this aren't followed up (imports, a late start)
MAX_NOTE_CHARS = 500
_OUTCOME = re.compile(
    r"^#?(?P<id>\d{1,12})\s+(?P<word>keeping|keep|kept|changed|change|dropped|drop|"
    r"too\s+early)(?:\s+(?:it|to\s+say))?(?:\s*[,:.-]?\s*(?:because\s+)?(?P<note>.+))?$",
    re.IGNORECASE | re.DOTALL,
)
_WORDS = {
    "keeping": Outcome.KEEPING,
    "keep": Outcome.KEEPING,
    "kept": Outcome.KEEPING,
    "changed": Outcome.CHANGED,
    "change": Outcome.CHANGED,
    "dropped": Outcome.DROPPED,
    "drop": Outcome.DROPPED,
}


async def for_prompt(
    tx: Transaction, person: Person, school: School, nudge: Nudge
) -> Improvement | None:
    """The step this day's question asks about instead, chosen once for the day."""
    if nudge.followup_id is not None:
        chosen = await tx.improvements.get(nudge.followup_id)
        return chosen if chosen is not None and chosen.person_id == person.id else None
    if school.followup_days is None:
        return None
    calendar = TermCalendar(await tx.calendars.rules(school.id))
    cutoff = school_days_earlier(calendar, nudge.local_date, school.followup_days)
    entry = await tx.improvements.due_followup(
        person.id,
        logged_from=cutoff - WINDOW,
        logged_by=cutoff,
        too_early_by=due_at(cutoff + timedelta(days=1), time(0), school.timezone),
    )
    if entry is not None:
        await tx.nudges.set_followup(nudge.id, entry.id)
        await tx.improvements.followed_up(entry.id)
    return entry


def question(entry: Improvement, nudge_id: int) -> Content:
    """The follow-up in place of the day's question: how it went, and room for today's step."""
    value = str(entry.id)
    asked = replies.prompt(nudge_id)
    intro = texts.followup_intro(entry.local_date)
    return Content(
        blocks=(
            Heading(texts.FOLLOWUP_HEADING),
            Paragraph(intro),
            Quote(entry.text),
            Buttons(
                (
                    Button(texts.BUTTON_KEEPING, "outcome", f"{value}:keeping", style="primary"),
                    Button(texts.BUTTON_CHANGED, "outcome", f"{value}:changed"),
                    Button(texts.BUTTON_DROPPED, "outcome", f"{value}:dropped"),
                    Button(texts.BUTTON_TOO_EARLY, "outcome", f"{value}:too_early"),
                )
            ),
            Paragraph(texts.FOLLOWUP_ALSO),
            *(b for b in asked.blocks if isinstance(b, Buttons)),
        ),
        fallback=f"{texts.FOLLOWUP_HEADING} {intro} {entry.text}",
    )


async def outcome_button(turn: Turn, value: str) -> None:
    entry_id, _, word = value.partition(":")
    try:
        outcome = Outcome(word)
    except ValueError:
        turn.say(texts.OUTCOME_USAGE)
        return
    await _record(turn, entry_id, outcome, None)


async def outcome_command(turn: Turn, words: str) -> None:
    """`outcome 123 keeping it because they remember it`: say (or change) how a step went."""
    match = _OUTCOME.match(words.strip())
    if match is None:
        turn.say(texts.OUTCOME_USAGE)
        return
    word = " ".join(match.group("word").lower().split())
    outcome = Outcome.TOO_EARLY if word == "too early" else _WORDS[word]
    note = (match.group("note") or "").strip()[:MAX_NOTE_CHARS] or None
    await _record(turn, match.group("id"), outcome, note)


async def _record(turn: Turn, entry_id: str, outcome: Outcome, note: str | None) -> None:
    entry = await turn.own_entry(entry_id, texts.OUTCOME_NOT_YOURS)
    if entry is None:
        return
    await turn.tx.improvements.set_outcome(entry.id, outcome, note, at=turn.now)
    await turn.audit("improvement.outcome", improvement_id=entry.id, outcome=outcome)
    turn.say(texts.outcome_noted(outcome, entry.id, with_note=note is not None))


async def config_followup(turn: Turn, value: str) -> None:
    """`config followup 10 days` or `config followup off` (admins)."""
    words = value.strip().lower().split()
    if words == ["off"]:
        days: int | None = None
    elif (
        words
        and words[0].isdecimal()
        and 1 <= int(words[0]) <= MAX_FOLLOWUP_DAYS
        and words[1:] in ([], ["days"], ["day"], ["school", "days"])
    ):
        days = int(words[0])
    else:
        turn.say(texts.FOLLOWUP_HELP)
        return
    before = turn.school.followup_days
    turn.school = await turn.tx.schools.set_followup(turn.school.id, days)
    await turn.audit("config.followup", before=before, after=days)
    turn.say(texts.followup_set(days) if days else texts.FOLLOWUP_OFF)
