"""Words for leaders' evidence (`evidence [period] [scope]` and the weekly digest's section):
themes side by side, how their steps went, the Toolkit strand each relates to, and the
practices most kept. Every name starts with EVIDENCE_ (or evidence_) so none clashes with
another audience's words once `bot.texts` gathers them."""

from __future__ import annotations

from datetime import date

from bot.texts.format import day_name, plural

EVIDENCE_BY_THEME = "Themes side by side:"
EVIDENCE_MOST_KEPT = "The most-kept practices:"
EVIDENCE_NO_KEPT_YET = (
    "Nobody has said they're keeping a step from this period yet. People are asked how a "
    "step went a couple of weeks after logging it."
)
EVIDENCE_NOTHING_YET = (
    "Nothing logged in this period yet, so there's no evidence to show. A gentle word in a "
    "staff meeting often gets it going."
)
EVIDENCE_UNTHEMED = "Not themed yet"
EVIDENCE_NOT_ASKED_NOTE = (
    "“Not asked yet” are steps whose authors haven't been asked how they went: recent "
    "steps, or a school that doesn't follow up."
)
EVIDENCE_CHART_CAPTION = "How steps went, theme by theme."
EVIDENCE_FIELD_STEPS = "Steps logged"
EVIDENCE_FIELD_FOLLOWED_UP = "Followed up"
EVIDENCE_FIELD_KEPT = "Kept"
EVIDENCE_DIGEST_HEADING = "What's working"
EVIDENCE_A_COLLEAGUE = "A colleague"
EVIDENCE_HELP_LINE = (
    "`evidence` (or `evidence this term school`) for what's working: themes side by side, "
    "how steps went, and the most-kept practices"
)

# The chart's legend, in the order the bars are stacked.
EVIDENCE_KEPT = "Kept"
EVIDENCE_CHANGED = "Changed"
EVIDENCE_DROPPED = "Dropped"
EVIDENCE_TOO_EARLY = "Too early to say"
EVIDENCE_NOT_ASKED = "Not asked yet"
EVIDENCE_CHART_STEPS = "Steps"


def evidence_heading(scope: str, start: date, end: date, *, so_far: bool = False) -> str:
    later = " (so far)" if so_far else ""
    return f"What's working in {scope}: {day_name(start)} to {day_name(end)}{later}"


def evidence_chart_title(scope: str) -> str:
    return f"How steps went, by theme: {scope}"


def evidence_followed_up(answered: int, entries: int) -> str:
    return f"{answered} of {entries}"


def evidence_kept(kept: int, answered: int) -> str:
    if not answered:
        return "none asked yet"
    return f"{kept} ({round(100 * kept / answered)}% of those followed up)"


def evidence_mix(kept: int, changed: int, dropped: int, too_early: int) -> str:
    """How a theme's steps went, in words: "4 kept, 1 changed, 0 dropped, 2 too early"."""
    if not (kept or changed or dropped or too_early):
        return "not followed up yet"
    early = f", {too_early} too early to say" if too_early else ""
    return f"{kept} kept, {changed} changed, {dropped} dropped{early}"


def evidence_theme_line(
    name: str,
    strand: str | None,
    entries: int,
    people: int,
    mix: str,
) -> str:
    toolkit = f" [EEF Toolkit: {strand}]" if strand else ""
    return (
        f"{name}{toolkit}: {plural(entries, 'step', 'steps')} by "
        f"{plural(people, 'person', 'people')}; {mix}"
    )


def evidence_credit(
    author: str | None, where: str, theme: str | None, kept_by: int, adopters: int
) -> str:
    """Who is behind a kept practice (or "A colleague"), where, and who else kept it."""
    about = f" · {theme}" if theme else ""
    who = f"{author or EVIDENCE_A_COLLEAGUE} · {where}{about}."
    if not adopters:
        return f"{who} Kept by its author."
    took_up = plural(adopters, "colleague", "colleagues")
    if not kept_by:
        return f"{who} Kept by its author; {took_up} said they'd try it."
    if kept_by == adopters:
        everyone = "the colleague" if adopters == 1 else f"all {took_up}"
        return f"{who} Kept by its author and {everyone} who took it up."
    return f"{who} Kept by its author and {kept_by} of the {took_up} who took it up."


def evidence_toolkit_note(link: str) -> str:
    return f"Strands are from the Education Endowment Foundation's Teaching and Learning Toolkit: {link}"


def evidence_headline(entries: int, kept: int, answered: int) -> str:
    if not answered:
        return f"{plural(entries, 'step', 'steps')} logged; none followed up yet"
    return f"{plural(entries, 'step', 'steps')} logged; {kept} of {answered} followed up were kept"


def evidence_digest_line(name: str, entries: int, kept: int) -> str:
    return f"{name}: {plural(entries, 'step', 'steps')}, {kept} kept"
