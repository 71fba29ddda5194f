"""Nudges: one row per person per local school day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import Nudge, NudgeStatus
from storage.models import NudgeRow
from storage.sql import AnyRow, insert_or_ignore, insert_or_ignore_returning


def nudge_of(row: NudgeRow | AnyRow) -> Nudge:
    return Nudge(
        id=row.id,
        person_id=row.person_id,
        school_id=row.school_id,
        local_date=row.local_date,
        status=NudgeStatus(row.status),
        message_id=row.message_id,
        followup_id=row.followup_id,
    )


# Plain rows rather than ORM instances where a fan-out reads thousands at once.
_COLUMNS = NudgeRow.__table__.c


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

    async def in_school(
        self, school_id: int, local_dates: set[date]
    ) -> dict[tuple[int, date], Nudge]:
        if not local_dates:
            return {}
        rows = await self._session.execute(
            select(*_COLUMNS).where(
                NudgeRow.school_id == school_id, NudgeRow.local_date.in_(local_dates)
            )
        )
        return {(row.person_id, row.local_date): nudge_of(row) for row in rows}

    async def for_people(self, wanted: Sequence[tuple[int, date]]) -> dict[tuple[int, date], Nudge]:
        if not wanted:
            return {}
        keys = set(wanted)
        rows = await self._session.execute(
            select(*_COLUMNS).where(
                NudgeRow.person_id.in_({person for person, _ in keys}),
                NudgeRow.local_date.in_({day for _, day in keys}),
            )
        )
        found = {(row.person_id, row.local_date): nudge_of(row) for row in rows}
        return {key: nudge for key, nudge in found.items() if key in keys}

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]]) -> None:
        if not sent:
            return
        table: Table = NudgeRow.__table__  # type: ignore[assignment]  # Core executemany
        await self._session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.status == NudgeStatus.PLANNED)
            .values(status=NudgeStatus.SENT, message_id=bindparam("b_message")),
            [{"b_id": nudge_id, "b_message": message_id} for nudge_id, message_id in sent],
        )

    async def ensure_many(
        self, school_id: int, wanted: Sequence[tuple[int, date, datetime]]
    ) -> dict[tuple[int, date], Nudge]:
        created = await insert_or_ignore_returning(
            self._session,
            NudgeRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "person_id": person_id,
                    "school_id": school_id,
                    "local_date": day,
                    "due_at": due,
                    "status": NudgeStatus.PLANNED,
                }
                for person_id, day, due in wanted
            ],
            *_COLUMNS,
        )
        found = {(row.person_id, row.local_date): nudge_of(row) for row in created}
        others = [(person_id, day) for person_id, day, _ in wanted if (person_id, day) not in found]
        found.update(await self.for_people(others))  # made meanwhile, e.g. by another replica
        return found

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

    async def set_followup(self, nudge_id: int, improvement_id: int) -> None:
        await self._session.execute(
            update(NudgeRow).where(NudgeRow.id == nudge_id).values(followup_id=improvement_id)
        )

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

    async def skipped_days(self, school_id: int, start: date, end: date) -> dict[int, set[date]]:
        rows = await self._session.execute(
            select(NudgeRow.person_id, NudgeRow.local_date).where(
                NudgeRow.school_id == school_id,
                NudgeRow.local_date >= start,
                NudgeRow.local_date <= end,
                NudgeRow.status == NudgeStatus.SKIPPED,
            )
        )
        found: dict[int, set[date]] = {}
        for person_id, day in rows:
            found.setdefault(person_id, set()).add(day)
        return found

    async def skipped_dates(self, person_id: int, *, since: date) -> set[date]:
        rows = await self._session.scalars(
            select(NudgeRow.local_date).where(
                NudgeRow.person_id == person_id,
                NudgeRow.status == NudgeStatus.SKIPPED,
                NudgeRow.local_date >= since,
            )
        )
        return set(rows)
