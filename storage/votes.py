"""Votes: colleagues' reactions on a posted entry, or its "This helped me" button."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ImprovementRow, ReactionRow


class SqlVotes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, improvement_id: int, person_id: int, kind: str, *, at: datetime) -> bool:
        """True when this is a new vote (a repeated one is ignored, never an error).

        Votes for one entry queue behind a lock on its row, so the transaction that counts
        the deciding vote sees every earlier one: without it, three votes at once on three
        replicas could each count only themselves, and the threshold would pass unseen."""
        await self._session.execute(
            select(ImprovementRow.id).where(ImprovementRow.id == improvement_id).with_for_update()
        )
        insert = (
            pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        result = await self._session.execute(
            insert(ReactionRow)
            .values(improvement_id=improvement_id, person_id=person_id, kind=kind, created_at=at)
            .on_conflict_do_nothing(index_elements=["improvement_id", "person_id", "kind"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def remove(self, improvement_id: int, person_id: int, kind: str) -> bool:
        result = await self._session.execute(
            delete(ReactionRow).where(
                ReactionRow.improvement_id == improvement_id,
                ReactionRow.person_id == person_id,
                ReactionRow.kind == kind,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def count(self, improvement_id: int) -> int:
        """Distinct people who voted for an improvement, whatever emoji they used."""
        total = await self._session.scalar(
            select(func.count(ReactionRow.person_id.distinct())).where(
                ReactionRow.improvement_id == improvement_id
            )
        )
        return int(total or 0)
