"""Leaders' evidence (`evidence [period] [scope]`, and a section of the weekly digest): the
school's themes side by side, with how many steps and people each has, how those steps went
(kept, changed, dropped) and the Toolkit strand it relates to; and the most-kept practices,
credited only as their authors agreed.

"Most kept": entries their authors are keeping, ranked by the colleagues who said "I'll try
this" and are keeping the step it led to, then by colleagues who said they'd try it, newest
first. Credit: an author who agreed to a standout travelling with their name is named
anywhere; one who chose to go without it is "a colleague" everywhere; one whose share with
their department stands is named inside their own school; anyone else is "a colleague", and
their words are for leaders only (a digest posted to a channel leaves them out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from bot import texts
from bot.calendar.periods import Period
from bot.evidence.taxonomy import DEFAULT_THEMES, TOOLKIT, ThemeInfo, taxonomy
from bot.leaders.access import Scope

# The leaders' `[period] [scope]`, read and refused exactly as `summary` and `export` do.
from bot.leaders.chat import _scoped
from bot.model import (
    Block,
    BulletList,
    Content,
    Fields,
    File,
    Heading,
    Outgoing,
    Paragraph,
    Quote,
    Upload,
)
from bot.ports import Consent, Department, Evidence, Transaction
from bot.texts import evidence_report as etexts

if TYPE_CHECKING:  # the conversation imports its commands; only its type is needed here
    from bot.conversation.turn import Turn

MOST_KEPT = 3
DIGEST_THEMES = 5  # the digest's section stays short: the busiest themes only


@dataclass(frozen=True, slots=True)
class ThemeFigures:
    """One theme's steps and how they went."""

    key: str | None  # the theme's id; None for steps not themed yet
    name: str
    strand: str | None  # the Toolkit strand it relates to, where there is one
    link: str | None
    entries: int
    people: int
    kept: int
    changed: int
    dropped: int
    too_early: int

    @property
    def answered(self) -> int:
        """Steps whose authors said kept, changed or dropped (too early is no answer yet)."""
        return self.kept + self.changed + self.dropped

    @property
    def not_asked(self) -> int:
        return self.entries - self.answered - self.too_early

    @property
    def counts(self) -> tuple[int, int, int, int, int]:
        """As the chart stacks them: kept, changed, dropped, too early, not asked yet."""
        return (self.kept, self.changed, self.dropped, self.too_early, self.not_asked)


@dataclass(frozen=True, slots=True)
class Practice:
    """A kept practice, credited as its author agreed to for this audience."""

    id: int
    text: str
    theme: str | None
    author: str | None  # None: "a colleague"
    department: str
    school: str
    kept_by: int  # colleagues who tried it and are keeping it too
    adopters: int  # colleagues who said they'd try it
    public: bool  # shared, or agreed to travel: its words may go beyond leaders


@dataclass(frozen=True, slots=True)
class EvidenceFigures:
    period: Period
    scope: str  # the department(s), school or trust's name
    themes: tuple[ThemeFigures, ...]  # most steps first; steps not themed yet last
    practices: tuple[Practice, ...]  # most kept first
    as_of: date  # the day they were counted: a period still running says "so far"
    several_schools: bool = False  # a trust's: practices say their school

    @property
    def entries(self) -> int:
        return sum(t.entries for t in self.themes)

    @property
    def kept(self) -> int:
        return sum(t.kept for t in self.themes)

    @property
    def answered(self) -> int:
        return sum(t.answered for t in self.themes)

    @property
    def followed_up(self) -> int:
        return sum(t.answered + t.too_early for t in self.themes)


def may_name(shared: bool, consent: Consent | None, school_id: int, home: int | None) -> bool:
    """Whether an author may be named to people of the `home` school (None: of no school in
    particular). Choosing to travel without their name outweighs a share."""
    if consent is Consent.ANONYMOUS:
        return False
    if consent is Consent.NAMED:
        return True
    return shared and home is not None and school_id == home


async def evidence_figures(
    tx: Transaction,
    evidence_repo: Evidence,
    scope: Scope,
    period: Period,
    today: date,
    *,
    home: int | None = None,
) -> EvidenceFigures:
    """A scope's evidence for a period, for people of the `home` school (whose authors who
    shared may be named to them); a one-school scope is its own home unless told."""
    school_ids = [school.id for school in scope.schools]
    if home is None and len(school_ids) == 1:
        home = school_ids[0]
    wanted = scope.department_ids
    themes = await _themes(tx, school_ids, home)
    tallies = await evidence_repo.by_theme(school_ids, period.start, period.end, wanted)
    rows = [_theme(tally, themes) for tally in tallies]
    rows.sort(key=lambda t: (t.key is None, -t.entries, t.name.lower()))
    kept = await evidence_repo.kept(school_ids, period.start, period.end, wanted, limit=MOST_KEPT)
    departments: dict[int, Sequence[Department]] = {}
    practices = []
    for entry, kept_by, adopters, shared, consent in kept:
        if entry.school_id not in departments:
            departments[entry.school_id] = await tx.schools.departments(entry.school_id)
        department = next(
            (d.name for d in departments[entry.school_id] if d.id == entry.department_id),
            texts.NO_DEPARTMENT,
        )
        person = await tx.people.get(entry.person_id)
        named = person is not None and may_name(shared, consent, entry.school_id, home)
        practices.append(
            Practice(
                id=entry.id,
                text=entry.text,
                theme=_name_of(entry.theme, themes),
                author=(person.display_name or None) if named and person is not None else None,
                department=department,
                school=next((s.name for s in scope.schools if s.id == entry.school_id), ""),
                kept_by=kept_by,
                adopters=adopters,
                public=shared or (consent is not None and consent.travels),
            )
        )
    return EvidenceFigures(
        period=period,
        scope=scope.label,
        themes=tuple(rows),
        practices=tuple(practices),
        as_of=min(today, period.end),
        several_schools=len(school_ids) > 1,
    )


async def _themes(
    tx: Transaction, school_ids: Sequence[int], home: int | None
) -> dict[str, ThemeInfo]:
    """Every theme id the scope's entries may carry, named as the home school (else the first)
    names it: its themes, then retired ones by their last name, then the defaults."""
    found: dict[str, ThemeInfo] = {}
    defaults = {t.id: t for t in DEFAULT_THEMES}
    for school_id in sorted(school_ids, key=lambda s: s != home):
        for info in await taxonomy(tx, school_id):
            found.setdefault(info.id, info)
        for change in await tx.themes.changes(school_id):
            base = defaults.get(change.key) or ThemeInfo(change.key, "", "", None, None)
            found.setdefault(change.key, replace(base, name=change.name))
    for info in DEFAULT_THEMES:
        found.setdefault(info.id, info)
    return found


def _name_of(key: str | None, themes: dict[str, ThemeInfo]) -> str | None:
    info = themes.get(key) if key is not None else None
    return info.name if info is not None else key


def _theme(
    tally: tuple[str | None, int, int, int, int, int, int], themes: dict[str, ThemeInfo]
) -> ThemeFigures:
    key, entries, people, kept, changed, dropped, too_early = tally
    info = themes.get(key) if key is not None else None
    name = etexts.EVIDENCE_UNTHEMED if key is None else info.name if info else key
    return ThemeFigures(
        key=key,
        name=name,
        strand=info.strand if info else None,
        link=info.link if info else None,
        entries=entries,
        people=people,
        kept=kept,
        changed=changed,
        dropped=dropped,
        too_early=too_early,
    )


def _theme_line(t: ThemeFigures) -> str:
    mix = etexts.evidence_mix(t.kept, t.changed, t.dropped, t.too_early)
    return etexts.evidence_theme_line(t.name, t.strand, t.entries, t.people, mix)


def _credit(f: EvidenceFigures, p: Practice) -> str:
    where = f"{p.department}, {p.school}" if f.several_schools and p.school else p.department
    return etexts.evidence_credit(p.author, where, p.theme, p.kept_by, p.adopters)


def _practices(f: EvidenceFigures, practices: Sequence[Practice]) -> list[Block]:
    blocks: list[Block] = [Paragraph(etexts.EVIDENCE_MOST_KEPT)]
    for p in practices:
        blocks += [Quote(p.text), Paragraph(_credit(f, p))]
    return blocks


def evidence_content(f: EvidenceFigures) -> Content:
    """The leaders' reply: figures, themes side by side, and the most-kept practices."""
    title = etexts.evidence_heading(
        f.scope, f.period.start, f.period.end, so_far=f.as_of < f.period.end
    )
    if not f.entries:
        return Content(
            (Heading(title), Paragraph(etexts.EVIDENCE_NOTHING_YET)),
            fallback=f"{title}. {etexts.EVIDENCE_NOTHING_YET}",
        )
    blocks: list[Block] = [
        Heading(title),
        Fields(
            (
                (etexts.EVIDENCE_FIELD_STEPS, str(f.entries)),
                (
                    etexts.EVIDENCE_FIELD_FOLLOWED_UP,
                    etexts.evidence_followed_up(f.followed_up, f.entries),
                ),
                (etexts.EVIDENCE_FIELD_KEPT, etexts.evidence_kept(f.kept, f.answered)),
            )
        ),
        Paragraph(etexts.EVIDENCE_BY_THEME),
        BulletList(tuple(_theme_line(t) for t in f.themes)),
    ]
    if f.practices:
        blocks += _practices(f, f.practices)
    else:
        blocks.append(Paragraph(etexts.EVIDENCE_NO_KEPT_YET))
    if any(t.strand for t in f.themes):
        blocks.append(Paragraph(etexts.evidence_toolkit_note(TOOLKIT)))
    headline = etexts.evidence_headline(f.entries, f.kept, f.answered)
    return Content(tuple(blocks), fallback=f"{title}. {headline}")


def digest_section(f: EvidenceFigures, *, public: bool = False) -> tuple[Block, ...]:
    """The weekly digest's few lines on what's working; `public` for a digest posted to a
    channel, where only words their authors shared or let travel are quoted."""
    if not f.entries:
        return ()
    blocks: list[Block] = [
        Heading(etexts.EVIDENCE_DIGEST_HEADING),
        BulletList(tuple(_theme_line(t) for t in f.themes[:DIGEST_THEMES])),
    ]
    shown = [p for p in f.practices if p.public or not public]
    if shown:
        blocks += _practices(f, shown)
    return tuple(blocks)


async def evidence(turn: Turn, words: str) -> None:
    """`evidence [period] [scope]`: themes side by side, the most-kept practices, a chart.

    Example: `evidence this term department Maths`."""
    scoped = await _scoped(turn, words)
    if scoped is None:
        return
    scope, period = scoped
    figures = await evidence_figures(
        turn.tx, turn.tx.evidence, scope, period, turn.today, home=turn.school.id
    )
    turn.reply(evidence_content(figures))
    if figures.entries:
        turn.later.append(lambda: _chart(turn, figures))


def _draw(f: EvidenceFigures, title: str) -> bytes:
    """matplotlib is imported on the first chart, in this worker thread (see `_chart`)."""
    from bot.evidence.chart import outcomes_chart

    return outcomes_chart([(t.name, t.counts) for t in f.themes], title)


async def _chart(turn: Turn, f: EvidenceFigures) -> Outgoing:
    title = etexts.evidence_chart_title(f.scope)
    png = await asyncio.to_thread(_draw, f, title)
    name = f"tinysteps-evidence-{f.period.start.isoformat()}-{f.period.end.isoformat()}.png"
    caption = etexts.EVIDENCE_CHART_CAPTION
    if any(t.not_asked for t in f.themes):
        caption = f"{caption} {etexts.EVIDENCE_NOT_ASKED_NOTE}"
    return Upload(
        turn.event.actor,
        File(name, "image/png", png, title),
        Content((Paragraph(caption),), fallback=title),
    )
