"""What a planned outbox row says when it is sent, through the conversation's own replies."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.calendar.periods import parse_period
from bot.calendar.schoolcal import TermCalendar
from bot.conversation import replies
from bot.conversation.turn import current_streak
from bot.evidence import followups
from bot.evidence.report import digest_section, evidence_figures
from bot.leaders.access import AccessRefused, Scope, scope_for
from bot.leaders.chat import summary_content
from bot.leaders.summary import summarise
from bot.model import ChannelPost, Content, DirectMessage
from bot.people.membership import actor_of
from bot.ports import (
    Delivery,
    DeliveryKind,
    Digest,
    Nudge,
    NudgeStatus,
    Person,
    Transaction,
)
from bot.schedule.rules import resting


async def compose(
    tx: Transaction, delivery: Delivery, person: Person | None, nudge: Nudge | None
) -> DirectMessage | None:
    """The message for a row, or None when it is no longer wanted."""
    if person is None or resting(person, delivery.local_date):
        return None
    content: Content
    if delivery.kind is DeliveryKind.PROMPT:
        if nudge is None or nudge.status not in (NudgeStatus.PLANNED, NudgeStatus.SENT):
            return None
        if nudge.status is NudgeStatus.SENT and delivery.attempts <= 1:
            return None  # asked already, outside the outbox (`Conversation.prompt`)
        school = await tx.schools.get(person.school_id)
        assert school is not None
        followup = await followups.for_prompt(tx, person, school, nudge)
        if followup is None:
            content = replies.question(
                person.display_name, nudge.id, welcomed=person.welcomed_at is not None
            )
        else:  # "did it work?" takes the place of the day's question
            asked = followups.question(followup, nudge.id)
            welcomed = person.welcomed_at is not None
            content = asked if welcomed else replies.welcome_then(person.display_name, asked)
    elif delivery.kind is DeliveryKind.REMINDER:
        if nudge is None or nudge.status is not NudgeStatus.SENT:
            return None
        content = replies.reminder(nudge.id)
    else:
        week_start = delivery.local_date - timedelta(days=delivery.local_date.weekday())
        days = await tx.improvements.dates_for(person.id, since=week_start)
        if not days:
            return None
        school = await tx.schools.get(person.school_id)
        assert school is not None
        calendar = TermCalendar(await tx.calendars.rules(school.id))
        run = await current_streak(tx, person.id, delivery.local_date, calendar)
        content = replies.weekly_note(len(days), run)
    return DirectMessage(
        actor_of(person),
        content,
        nudge_id=nudge.id if nudge and delivery.kind is DeliveryKind.PROMPT else None,
        key=delivery.key,
    )


Sendable = DirectMessage | ChannelPost


async def compose_digest(
    tx: Transaction, delivery: Delivery, digest: Digest | None, person: Person | None
) -> Sendable | None:
    """The school's week in figures, to a channel or to a leader (who still is one)."""
    school = await tx.schools.get(delivery.school_id)
    if digest is None or school is None:
        return None
    scope = Scope("school", school.name, (school,))
    if digest.person_id is not None:
        if person is None:
            return None
        try:
            scope = await scope_for(tx, person, school, "")
        except AccessRefused:  # no longer a leader: the digest stops with the role
            return None
    rules = await tx.calendars.rules(school.id)
    period = parse_period("this week", delivery.local_date, rules)
    figures = await summarise(tx, scope, period, delivery.local_date)
    found = await evidence_figures(
        tx, tx.evidence, scope, period, delivery.local_date, home=school.id
    )
    if person is not None:
        content = summary_content(figures)
        content = replace(content, blocks=content.blocks + digest_section(found))
        return DirectMessage(actor_of(person), content, key=delivery.key)
    assert digest.channel_id is not None
    # Everyone in a channel reads it: figures only, never anyone's words without their say.
    content = summary_content(replace(figures, quotes=()))
    content = replace(content, blocks=content.blocks + digest_section(found, public=True))
    return ChannelPost(
        digest.platform, digest.workspace_id, digest.channel_id, content, key=delivery.key
    )
