"""Nudges: one row per person per local school day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import Nudge, NudgeStatus
from storage.models import NudgeRow
from storage.sql import insert_or_ignore


def nudge_of(row: NudgeRow) -> Nudge:
    return Nudge(
        id=row.id,
        person_id=row.person_id,
        school_id=row.school_id,
        local_date=row.local_date,
        status=NudgeStatus(row.status),
        message_id=row.message_id,
    )


class SqlNudges:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, nudge_id: int) -> Nudge | None:
        row = await self._session.get(NudgeRow, nudge_id)
        return nudge_of(row) if row else None

    async def for_day(self, person_id: int, local_date: date) -> Nudge | None:
        row = await self._session.scalar(
            select(NudgeRow).where(
                NudgeRow.person_id == person_id, NudgeRow.local_date == local_date
            )
        )
        return nudge_of(row) if row else None

    async def ensure(
        self, *, person_id: int, school_id: int, local_date: date, due_at: datetime
    ) -> Nudge:
        await self._session.execute(
            insert_or_ignore(
                self._session,
                NudgeRow.__table__,  # type: ignore[arg-type]
                person_id=person_id,
                school_id=school_id,
                local_date=local_date,
                due_at=due_at,
                status=NudgeStatus.PLANNED,
            )
        )
        nudge = await self.for_day(person_id, local_date)
        assert nudge is not None
        return nudge

    async def set_status(
        self, nudge_id: int, status: NudgeStatus, *, message_id: str | None = None
    ) -> None:
        row = await self._session.get(NudgeRow, nudge_id)
        if row is None:
            return  # the person asked to be forgotten in the meantime
        row.status = status
        if message_id is not None:
            row.message_id = message_id
        await self._session.flush()

    async def skipped_dates(self, person_id: int, *, since: date) -> set[date]:
        rows = await self._session.scalars(
            select(NudgeRow.local_date).where(
                NudgeRow.person_id == person_id,
                NudgeRow.status == NudgeStatus.SKIPPED,
                NudgeRow.local_date >= since,
            )
        )
        return set(rows)
