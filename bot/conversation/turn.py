"""The context of one handled event: who, where, when, and the open transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot import texts
from bot.calendar.schoolcal import SchoolCalendar
from bot.calendar.streaks import LOOKBACK_DAYS, streak
from bot.conversation import replies
from bot.model import Content, Incoming, Outgoing
from bot.ports import Improvement, NudgeStatus, Person, School, Transaction


@dataclass
class Turn:
    tx: Transaction
    person: Person
    school: School
    event: Incoming
    now: datetime
    today: date
    calendar: SchoolCalendar
    out: list[Outgoing] = field(default_factory=list)
    # Slow work with no database in it (drawing a chart), done once the transaction is over.
    later: list[Callable[[], Awaitable[Outgoing]]] = field(default_factory=list)

    def reply(self, content: Content) -> None:
        self.out.append(replies.to(self.event, content))

    def say(self, text: str) -> None:
        self.reply(replies.say(text))

    async def streak(self) -> int:
        return await current_streak(self.tx, self.person.id, self.today, self.calendar)

    async def open_prompt_id(self) -> int | None:
        """Today's prompt if it was sent and still waits for an answer."""
        nudge = await self.tx.nudges.for_day(self.person.id, self.today)
        return nudge.id if nudge is not None and nudge.status is NudgeStatus.SENT else None

    async def own_entry(self, value: str, not_yours: str) -> Improvement | None:
        """The live entry `value` names if it is this person's; otherwise None, once they
        have been told why (a refusal for someone else's is audited)."""
        entry = await self.tx.improvements.get(int(value)) if value.isdecimal() else None
        if entry is None:
            self.say(texts.ENTRY_NOT_FOUND)
            return None
        if entry.person_id != self.person.id:
            await self.audit("improvement.refused", improvement_id=entry.id, reason="not_owner")
            self.say(not_yours)
            return None
        return entry

    async def audit(self, action: str, **detail: object) -> None:
        await self.tx.audit.record(
            action,
            at=self.now,
            person_id=self.person.id,
            school_id=self.school.id,
            detail=dict(detail) or None,
        )


async def current_streak(
    tx: Transaction, person_id: int, today: date, calendar: SchoolCalendar
) -> int:
    since = today - timedelta(days=LOOKBACK_DAYS)
    logged = await tx.improvements.dates_for(person_id, since=since)
    skipped = await tx.nudges.skipped_dates(person_id, since=since)
    return streak(logged, today, calendar, excused=skipped)
