"""The delivery outbox and its claim protocol.

Planning inserts with ON CONFLICT DO NOTHING on (person, kind, day), so any number of replicas
can plan the same minute. Delivering claims rows in one UPDATE whose inner SELECT uses
`FOR UPDATE SKIP LOCKED` on PostgreSQL: concurrent deliverers never take the same row, and none
waits for another. A claim is a lease: if its process dies, the row becomes claimable again
when `claimed_until` passes. SQLite has one writer at a time (BEGIN IMMEDIATE), so the same
statement is safe there without row locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import Delivery, DeliveryKind, DeliveryStatus, Finished, NewDelivery
from storage.models import DeliveryRow
from storage.sql import AnyRow, insert_or_ignore_many

MAX_ERROR_CHARS = 500


def delivery_of(row: DeliveryRow | AnyRow) -> Delivery:
    return Delivery(
        id=row.id,
        person_id=row.person_id,
        school_id=row.school_id,
        kind=DeliveryKind(row.kind),
        local_date=row.local_date,
        due_at=row.due_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        nudge_id=row.nudge_id,
        message_id=row.message_id,
        digest_id=row.digest_id,
        post_id=row.post_id,
        channel_ref=row.channel_ref,
        standout_id=row.standout_id,
    )


class SqlDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def planned(
        self, school_id: int, local_dates: set[date]
    ) -> set[tuple[int | None, str, date]]:
        if not local_dates:
            return set()
        rows = await self._session.execute(
            select(DeliveryRow.person_id, DeliveryRow.kind, DeliveryRow.local_date).where(
                DeliveryRow.school_id == school_id, DeliveryRow.local_date.in_(local_dates)
            )
        )
        return {(person, kind, day) for person, kind, day in rows}

    async def count(self, school_id: int, status: DeliveryStatus) -> int:
        total = await self._session.scalar(
            select(func.count()).where(
                DeliveryRow.school_id == school_id, DeliveryRow.status == status
            )
        )
        return int(total or 0)

    async def plan(self, rows: Sequence[NewDelivery]) -> int:
        return await insert_or_ignore_many(
            self._session,
            DeliveryRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "person_id": new.person_id,
                    "school_id": new.school_id,
                    "kind": new.kind,
                    "local_date": new.local_date,
                    "due_at": new.due_at,
                    "status": DeliveryStatus.PENDING,
                    "nudge_id": new.nudge_id,
                    "digest_id": new.digest_id,
                    "post_id": new.post_id,
                    "channel_ref": new.channel_ref,
                    "standout_id": new.standout_id,
                    "attempts": 0,
                }
                for new in rows
            ],
        )

    async def reopen(
        self,
        kind: DeliveryKind,
        *,
        due_at: datetime,
        standout_id: int | None = None,
        post_id: int | None = None,
    ) -> None:
        which = (
            DeliveryRow.standout_id == standout_id
            if standout_id is not None
            else DeliveryRow.post_id == post_id
        )
        await self._session.execute(
            update(DeliveryRow)
            .where(which, DeliveryRow.kind == kind)
            .values(
                status=DeliveryStatus.PENDING,
                due_at=due_at,
                attempts=0,
                claimed_by=None,
                claimed_until=None,
                message_id=None,
                sent_at=None,
                last_error=None,
            )
        )

    async def claim(
        self, worker: str, *, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[Delivery]:
        claimable = (
            select(DeliveryRow.id)
            .where(
                or_(
                    and_(DeliveryRow.status == DeliveryStatus.PENDING, DeliveryRow.due_at <= now),
                    and_(
                        DeliveryRow.status == DeliveryStatus.SENDING,
                        DeliveryRow.claimed_until < now,
                    ),
                )
            )
            .order_by(DeliveryRow.due_at, DeliveryRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(await self._session.scalars(claimable))
        if not ids:
            return []
        await self._session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(ids))
            .values(
                status=DeliveryStatus.SENDING,
                claimed_by=worker,
                claimed_until=lease_until,
                attempts=DeliveryRow.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        rows = await self._session.execute(  # plain rows: cheaper than ORM instances
            select(*DeliveryRow.__table__.c)
            .where(DeliveryRow.id.in_(ids))
            .order_by(DeliveryRow.due_at, DeliveryRow.id)
        )
        return [delivery_of(row) for row in rows]

    async def finish_many(self, worker: str, finished: Sequence[Finished], *, at: datetime) -> int:
        """Record a batch's outcomes; returns how many rows this worker still held.

        The rows still held are locked first (`FOR UPDATE`, in id order) and counted: an
        executemany UPDATE's rowcount can't say it, since asyncpg reports -1 for a batch
        (SQLAlchemy's `supports_sane_multi_rowcount` is False there). Once locked, no other
        replica can take them over before this transaction commits, so the count is exact.
        """
        if not finished:
            return 0
        table: Table = DeliveryRow.__table__  # type: ignore[assignment]  # Core executemany
        held = set(
            await self._session.scalars(
                select(table.c.id)
                .where(
                    table.c.id.in_([f.delivery.id for f in finished]),
                    table.c.claimed_by == worker,
                    table.c.status == DeliveryStatus.SENDING,
                )
                .order_by(table.c.id)
                .with_for_update()
            )
        )
        kept = [f for f in finished if f.delivery.id in held]
        if not kept:
            return 0
        await self._session.execute(
            update(table)
            .where(
                table.c.id == bindparam("b_id"),
                table.c.claimed_by == worker,
                table.c.status == DeliveryStatus.SENDING,
            )
            .values(
                status=bindparam("b_status"),
                claimed_by=None,
                claimed_until=None,
                sent_at=bindparam("b_sent_at"),
                message_id=bindparam("b_message_id"),
                last_error=bindparam("b_error"),
                due_at=bindparam("b_due_at"),
            ),
            [
                {
                    "b_id": f.delivery.id,
                    "b_status": f.status,
                    "b_sent_at": at if f.status is DeliveryStatus.SENT else None,
                    "b_message_id": f.message_id,
                    "b_error": f.error[:MAX_ERROR_CHARS] if f.error else None,
                    "b_due_at": f.retry_at or f.delivery.due_at,
                }
                for f in kept
            ],
        )
        return len(held)
