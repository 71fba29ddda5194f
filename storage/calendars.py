"""A school's calendar: nudge days, public-holiday region, terms and closures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import UNCHANGED, CalendarRules, Closure, Term, Unchanged
from storage.models import ClosureRow, SchoolRow, TermRow


def days_text(days: frozenset[int]) -> str:
    return "".join(str(d) for d in sorted(days))


class SqlCalendars:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rules(self, school_id: int) -> CalendarRules:
        school = await self._school(school_id)
        terms = await self._session.scalars(
            select(TermRow).where(TermRow.school_id == school_id).order_by(TermRow.start_date)
        )
        closures = await self._session.scalars(
            select(ClosureRow)
            .where(ClosureRow.school_id == school_id)
            .order_by(ClosureRow.start_date)
        )
        return CalendarRules(
            weekdays=frozenset(int(d) for d in school.nudge_days),
            country=school.country,
            subdivision=school.subdivision,
            terms=tuple(Term(t.start_date, t.end_date, t.name) for t in terms),
            closures=tuple(Closure(c.start_date, c.end_date, c.reason) for c in closures),
        )

    async def add_terms(self, school_id: int, terms: Sequence[Term]) -> None:
        self._session.add_all(
            TermRow(school_id=school_id, start_date=t.start, end_date=t.end, name=t.name)
            for t in terms
        )
        await self._session.flush()

    async def add_closures(self, school_id: int, closures: Sequence[Closure]) -> None:
        self._session.add_all(
            ClosureRow(school_id=school_id, start_date=c.start, end_date=c.end, reason=c.reason)
            for c in closures
        )
        await self._session.flush()

    async def set_region(self, school_id: int, country: str, subdivision: str | None) -> None:
        school = await self._school(school_id)
        school.country, school.subdivision = country, subdivision
        await self._session.flush()

    async def set_schedule(
        self,
        school_id: int,
        *,
        nudge_time: time | None = None,
        nudge_days: frozenset[int] | None = None,
        reminder_minutes: int | Unchanged | None = UNCHANGED,
        timezone: str | None = None,
    ) -> None:
        school = await self._school(school_id)
        if nudge_time is not None:
            school.nudge_time = nudge_time
        if nudge_days is not None:
            school.nudge_days = days_text(nudge_days)
        if not isinstance(reminder_minutes, Unchanged):
            school.reminder_minutes = reminder_minutes
        if timezone is not None:
            school.timezone = timezone
        await self._session.flush()

    async def _school(self, school_id: int) -> SchoolRow:
        school = await self._session.get(SchoolRow, school_id)
        if school is None:
            raise LookupError(f"no school {school_id}")
        return school
