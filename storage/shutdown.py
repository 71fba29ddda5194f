"""The outbox side of a graceful stop: take no more rows, then hand back the ones still held.

A claim is a five-minute lease (`storage/deliveries.py`). A replica that simply went away on
SIGTERM (a deploy, a scale-down) would keep the rows it held from everyone for that long. So
`tinysteps serve`, when told to stop, first stops claiming: its claims come back empty, and a
tick or an "Ask me" under way finishes the batch it holds and ends. Once what it was sending has
finished or been cut short, it releases what it still holds: those rows are pending again at
once, their attempt counted, so whoever takes one next first asks the platform whether it
arrived (`Messenger.find`), exactly as after a crash, and never sends it twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import Delivery, DeliveryStatus, OwedReply
from storage.deliveries import SqlDeliveries
from storage.models import DeliveryRow
from storage.replies import SqlReplies
from storage.store import SqlStore, SqlTransaction


class _NoNewClaims(SqlDeliveries):
    """The outbox of a stopping process: everything as usual, except it takes nothing more."""

    async def claim(
        self, worker: str, *, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[Delivery]:
        return []


class _NoNewReplies(SqlReplies):
    """Owed replies of a stopping process: it sweeps up none of others' any more."""

    async def claim(
        self, worker: str, *, now: datetime, until: datetime, limit: int
    ) -> Sequence[OwedReply]:
        return []


class StoppableStore(SqlStore):
    """`SqlStore` that can be told to stop claiming outbox rows, and release those it holds."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._claiming = True

    @property
    def claiming(self) -> bool:
        return self._claiming

    def stop_claiming(self) -> None:
        """From now on every claim comes back empty; nothing else changes."""
        self._claiming = False

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlTransaction]:
        async with super().transaction() as tx:
            if not self._claiming:
                tx.deliveries = _NoNewClaims(tx.session)
                tx.replies = _NoNewReplies(tx.session)
            yield tx

    async def release(self, worker: str) -> int:
        """The rows `worker` still holds (deliveries and owed replies), pending again for any
        replica to take at once.

        Call it only when nothing of that worker's is sending any more: a row it finished
        sending but could not record is then taken by someone who asks the platform first.
        """
        async with super().transaction() as tx:
            result = await tx.session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.claimed_by == worker,
                    DeliveryRow.status == DeliveryStatus.SENDING,
                )
                .values(status=DeliveryStatus.PENDING, claimed_by=None, claimed_until=None)
                .execution_options(synchronize_session=False)
            )
            replies = await tx.replies.release(worker)
        return max(0, int(result.rowcount)) + replies  # type: ignore[attr-defined]
