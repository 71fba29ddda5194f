"""Owed replies (`bot.ports.Replies`): kept from the event's transaction until sent.

Claims work like the delivery outbox's (`storage/deliveries.py`): an inner SELECT with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas sweeping at once never take the same row;
SQLite has one writer at a time. A row is deleted once sent, so the table holds only what is
owed right now, and a sweep reads a handful of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.model import Outgoing
from bot.ports import OwedReply
from storage import outgoing
from storage.models import ReplyRow

MAX_ERROR_CHARS = 500


def owed_of(row: ReplyRow) -> OwedReply:
    return OwedReply(row.id, row.platform, outgoing.loads(row.actions), row.attempts)


class SqlReplies:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def owe(
        self,
        platform: str,
        event_id: str | None,
        actions: Sequence[Outgoing],
        *,
        worker: str,
        at: datetime,
        until: datetime,
    ) -> int:
        row = ReplyRow(
            platform=platform,
            event_id=event_id,
            actions=outgoing.dumps(actions),
            created_at=at,
            claimed_by=worker,
            claimed_until=until,
            attempts=1,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def add(self, receipt: int, actions: Sequence[Outgoing]) -> None:
        row = await self._session.get(ReplyRow, receipt, with_for_update=True)
        if row is not None:
            row.actions = outgoing.dumps((*outgoing.loads(row.actions), *actions))
            await self._session.flush()

    async def take_over(
        self, platform: str, event_id: str, *, worker: str, now: datetime, until: datetime
    ) -> OwedReply | None:
        row = await self._session.scalar(
            select(ReplyRow)
            .where(
                ReplyRow.platform == platform,
                ReplyRow.event_id == event_id,
                _free(now),
            )
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.claimed_by, row.claimed_until, row.attempts = worker, until, row.attempts + 1
        await self._session.flush()
        return owed_of(row)

    async def claim(
        self, worker: str, *, now: datetime, until: datetime, limit: int
    ) -> Sequence[OwedReply]:
        ids = list(
            await self._session.scalars(
                select(ReplyRow.id)
                .where(_free(now))
                .order_by(ReplyRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        await self._session.execute(
            update(ReplyRow)
            .where(ReplyRow.id.in_(ids))
            .values(claimed_by=worker, claimed_until=until, attempts=ReplyRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        rows = await self._session.scalars(
            select(ReplyRow)
            .where(ReplyRow.id.in_(ids))
            .order_by(ReplyRow.id)
            .execution_options(populate_existing=True)
        )
        return [owed_of(row) for row in rows]

    async def sent(self, receipt: int) -> None:
        await self._session.execute(delete(ReplyRow).where(ReplyRow.id == receipt))

    async def retry_later(self, receipt: int, *, at: datetime, error: str) -> None:
        await self._session.execute(
            update(ReplyRow)
            .where(ReplyRow.id == receipt)
            .values(claimed_by=None, claimed_until=at, last_error=error[:MAX_ERROR_CHARS])
        )

    async def release(self, worker: str) -> int:
        result = await self._session.execute(
            update(ReplyRow)
            .where(ReplyRow.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        return max(0, int(result.rowcount))  # type: ignore[attr-defined]


def _free(now: datetime) -> ColumnElement[bool]:
    """Nobody holds it: handed back, or its sender's lease ran out."""
    return or_(ReplyRow.claimed_until.is_(None), ReplyRow.claimed_until < now)
