"""The leaders' commands in chat (`summary`, `export`) and everyone's `export me`.

What a leader may see is decided by `bot.leaders.access`; files (a chart, a CSV) always go to
the person's own direct conversation, wherever they asked.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.calendar.periods import Period, parse_period
from bot.leaders.access import AccessRefused, Scope, scope_for, split_scope
from bot.leaders.export import csv_text
from bot.leaders.summary import Summary, summarise
from bot.model import (
    Block,
    BulletList,
    Button,
    Buttons,
    Content,
    Fields,
    File,
    Heading,
    Outgoing,
    Paragraph,
    Quote,
    Upload,
)
from bot.refusals import Refusal
from bot.sharing.report import Target

if TYPE_CHECKING:  # the conversation imports these commands; only its type is needed here
    from bot.conversation.turn import Turn


async def _scoped(turn: Turn, words: str) -> tuple[Scope, Period] | None:
    """What `[period] [scope]` names and this person may see; None once a refusal is said."""
    period_words, scope_words = split_scope(words)
    try:
        scope = await scope_for(turn.tx, turn.person, turn.school, scope_words)
    except AccessRefused as refusal:
        await turn.audit("leaders.refused", asked=words[:100])
        turn.say(refusal.reply)
        return None
    try:
        rules = await turn.tx.calendars.rules(turn.school.id)
        return scope, parse_period(period_words, turn.today, rules)
    except Refusal as refusal:
        turn.say(refusal.reply)
        return None


async def summary(turn: Turn, words: str) -> None:
    """`summary [period] [scope]`: the figures, a few people's words, and a chart."""
    scoped = await _scoped(turn, words)
    if scoped is None:
        return
    scope, period = scoped
    figures = await summarise(turn.tx, scope, period, turn.today)
    turn.reply(summary_content(figures))
    if figures.days and figures.people:
        turn.later.append(lambda: _chart(turn, figures))


def summary_content(s: Summary) -> Content:
    title = texts.summary_heading(s.scope, s.period.start, s.period.end)
    blocks: list[Block] = [
        Heading(title),
        Fields(
            (
                (texts.FIELD_PARTICIPATION, texts.participation(s.participants, s.people)),
                (texts.FIELD_ENTRIES, texts.entries_trend(s.entries, s.previous_entries)),
                (texts.FIELD_ON_STREAK, str(s.on_streak)),
            )
        ),
    ]
    if len(s.departments) > 1:
        blocks += [
            Paragraph(texts.SUMMARY_SIDE_BY_SIDE),
            BulletList(
                tuple(
                    texts.group_line(d.name, d.participants, d.people, d.entries)
                    for d in s.departments
                )
            ),
        ]
    if s.themes:
        blocks.append(
            Paragraph(texts.recurring(", ".join(f"{t.term} ({t.count})" for t in s.themes)))
        )
    if s.quotes:
        blocks.append(Paragraph(texts.SUMMARY_IN_THEIR_WORDS))
        for words, entry_id in zip(s.quotes, s.quoted, strict=False):
            spotlight = Button(texts.spotlight_button(entry_id), "spotlight", str(entry_id))
            blocks += [Quote(words), Buttons((spotlight,))]
    if s.taxonomy:
        blocks.append(
            Paragraph(texts.themes_line(", ".join(f"{t.term} ({t.count})" for t in s.taxonomy)))
        )
    if s.outcomes:
        counts = [s.outcomes.get(o, 0) for o in ("keeping", "changed", "dropped", "too_early")]
        blocks.append(Paragraph(texts.outcomes_line(*counts)))
    if s.standouts:
        blocks += [
            Paragraph(texts.SUMMARY_STANDOUTS),
            BulletList(tuple(f.line() for f in s.standouts)),
        ]
    if not s.entries:
        blocks.append(Paragraph(texts.SUMMARY_NOTHING_YET))
    headline = texts.summary_headline(
        texts.participation(s.participants, s.people),
        texts.entries_trend(s.entries, s.previous_entries),
    )
    return Content(tuple(blocks), fallback=f"{title}. {headline}")


def _draw(s: Summary, title: str) -> bytes:
    """matplotlib is imported on the first chart, in this worker thread: a second of start-up
    that every `tinysteps` command and server start would otherwise pay."""
    from bot.leaders.chart import participation_chart

    return participation_chart(s.days, s.daily, title=title)


async def _chart(turn: Turn, s: Summary) -> Outgoing:
    title = texts.chart_title(s.scope)
    png = await asyncio.to_thread(_draw, s, title)
    name = f"tinysteps-{s.period.start.isoformat()}-{s.period.end.isoformat()}.png"
    return Upload(
        turn.event.actor,
        File(name, "image/png", png, title),
        Content((Paragraph(texts.CHART_CAPTION),), fallback=title),
    )


async def export(turn: Turn, words: str) -> None:
    """`export [period] [scope]` for leaders; `export me` for anyone."""
    if words.strip().lower() in {"me", "mine", "my data"}:
        await export_me(turn)
        return
    scoped = await _scoped(turn, words)
    if scoped is None:
        return
    scope, period = scoped
    names = {d.name for d in scope.departments}
    rows = []
    for school in scope.schools:
        found = await turn.tx.improvements.export(school.id, period.start, period.end)
        rows += [r for r in found if not names or r.department in names]
    await turn.audit(
        "leaders.exported", scope=scope.label, start=period.start.isoformat(), rows=len(rows)
    )
    name = f"tinysteps-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    data = csv_text(rows).encode("utf-8-sig")
    words_ = texts.exported(len(rows), scope.label, period.start, period.end)
    turn.out.append(
        Upload(
            turn.event.actor,
            File(name, "text/csv", data, name),
            Content((Paragraph(words_),), words_),
        )
    )
    if not turn.event.place.is_direct:
        turn.say(texts.SENT_TO_YOUR_DM)


async def _shared(turn: Turn, entry_id: int) -> dict[str, Any]:
    """Where an entry was posted, and the answer its author gave about it travelling."""
    posts = await turn.tx.posts.of_entry(entry_id)
    standout = await turn.tx.standouts.get(entry_id)
    return {
        "posts": [
            {
                "kind": str(p.kind),
                "platform": p.platform,
                "channel": p.channel_name or p.channel_id,
                "status": Target.of(p).status,
            }
            for p in posts
        ],
        "standout": None
        if standout is None
        else {"reason": standout.reason, "consent": str(standout.consent)},
    }


async def export_me(turn: Turn) -> None:
    """Everything stored about the person, as JSON (UK GDPR's right of access)."""
    person = turn.person
    entries = await turn.tx.improvements.all_for(person.id)
    departments = {d.id: d.name for d in await turn.tx.schools.departments(turn.school.id)}
    leads = await turn.tx.people.leads(person.id)
    digests = [
        d for d in await turn.tx.digests.in_school(turn.school.id) if d.person_id == person.id
    ]
    data = {
        "exported_at": turn.now.isoformat(),
        "person": {
            "name": person.display_name,
            "platform": person.platform,
            "workspace": person.workspace_id,
            "user": person.user_id,
            "school": turn.school.name,
            "role": str(person.role),
            "leads": sorted(departments.get(d, str(d)) for d in leads),
            "department": departments.get(person.department_id or 0),
            "status": str(person.status),
            "paused_until": person.paused_until.isoformat() if person.paused_until else None,
            "timezone": person.timezone,
            "nudge_time": person.nudge_time.isoformat() if person.nudge_time else None,
            "weekly_note": person.weekly_note,
            "weekly_digest": bool(digests),
            "sharing": str(person.sharing),
        },
        "entries": [
            {
                "id": e.id,
                "date": e.local_date.isoformat(),
                "text": e.text,
                "department": departments.get(e.department_id or 0),
                "logged_at": e.created_at.isoformat(),
                "edited_at": e.updated_at.isoformat(),
                **await _shared(turn, e.id),
            }
            for e in entries
        ],
        "organisation_roles": [
            asdict(r) for r in await turn.tx.people.organisation_roles(person.id)
        ],
    }
    blob = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await turn.audit("person.exported", entries=len(entries))
    words = texts.exported_me(len(entries))
    turn.out.append(
        Upload(
            turn.event.actor,
            File(
                "tinysteps-me.json",
                "application/json",
                blob,
                "Everything Tiny Steps keeps about you",
            ),
            Content((Paragraph(words),), words),
        )
    )
    if not turn.event.place.is_direct:
        turn.say(texts.SENT_TO_YOUR_DM)
