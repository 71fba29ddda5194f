"""Words for leaders: summaries, exports and who may see them."""

from __future__ import annotations

from datetime import date

from bot.texts.format import day_name, plural

NOT_A_TRUST_LEADER = (
    "Trust-wide summaries are for your trust's leaders. Ask your trust's Tiny Steps operator "
    "if you should be one; `summary school` shows your school."
)
SCOPE_UNCLEAR = (
    "Say which part: `summary this week`, `summary last month department Maths`, "
    "`summary this term school` or `summary this term trust`."
)


def leaders_only(admins: list[str]) -> str:
    who = f" ({', '.join(admins)})" if admins else ""
    return (
        "Summaries and exports are for your school's leaders. If you should see them, ask one "
        f"of your Tiny Steps admins{who}. `export me` gives you everything of your own."
    )


def department_leader_only(departments: list[str]) -> str:
    yours = f" {', '.join(departments)}" if departments else " your departments"
    return f"You lead{yours}, so that's what you can see. Ask an admin if you should see more."


FIELD_PARTICIPATION = "Taking part"
FIELD_ENTRIES = "Steps logged"
FIELD_ON_STREAK = "On a 5-day streak"
SUMMARY_SIDE_BY_SIDE = "Side by side:"
SUMMARY_IN_THEIR_WORDS = "In their own words:"
SUMMARY_NOTHING_YET = (
    "Nothing logged in this period yet. A gentle word in a staff meeting often gets it going."
)
SUMMARY_STANDOUTS = "Standouts, and how far they travelled:"


def spotlight_button(entry_id: int) -> str:
    return f"Spotlight #{entry_id}"


CHART_CAPTION = "Share of people who logged a step, each school day."
SENT_TO_YOUR_DM = "I've sent it to our direct messages, so only you can see it."


def summary_heading(scope: str, start: date, end: date) -> str:
    return f"{scope}: {day_name(start)} to {day_name(end)}"


def participation(participants: int, people: int) -> str:
    if not people:
        return "nobody is being asked yet"
    return f"{participants} of {people} ({round(100 * participants / people)}%)"


def entries_trend(entries: int, previous: int) -> str:
    if entries > previous:
        return f"{entries} (up from {previous} the period before)"
    if entries < previous:
        return f"{entries} (down from {previous} the period before)"
    return f"{entries} (the same as the period before)"


def group_line(name: str, participants: int, people: int, entries: int) -> str:
    return f"{name}: {participants} of {people} taking part, {plural(entries, 'step', 'steps')}"


def recurring(terms: str) -> str:
    return f"Coming up again and again: {terms}."


def chart_title(scope: str) -> str:
    return f"Taking part each school day: {scope}"


def exported(rows: int, scope: str, start: date, end: date) -> str:
    return (
        f"Here are {plural(rows, 'entry', 'entries')} from {scope}, {day_name(start)} to "
        f"{day_name(end)}. It opens in Excel; please keep it somewhere safe."
    )


def exported_me(entries: int) -> str:
    return (
        f"Here's everything Tiny Steps keeps about you, including {plural(entries, 'entry', 'entries')}. "
        "Say `forget me` if you'd like it all deleted."
    )


def summary_headline(participation: str, entries: str) -> str:
    return f"Taking part: {participation}; steps logged: {entries}"
