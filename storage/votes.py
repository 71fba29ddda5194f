"""Broadcast improvements (reposted standouts) and the votes people give them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReactionRow, RepostRow, StandoutRow


class SqlVotes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_broadcast(
        self,
        improvement_id: int,
        *,
        platform: str,
        workspace_id: str,
        channel_id: str,
        message_id: str,
        at: datetime,
        reason: str = "leader",
    ) -> None:
        standout = await self._session.scalar(
            select(StandoutRow).where(StandoutRow.improvement_id == improvement_id)
        )
        if standout is None:
            standout = StandoutRow(
                improvement_id=improvement_id, reason=reason, consent="given", created_at=at
            )
            self._session.add(standout)
            await self._session.flush()
        self._session.add(
            RepostRow(
                standout_id=standout.id,
                platform=platform,
                workspace_id=workspace_id,
                channel_id=channel_id,
                message_id=message_id,
                posted_at=at,
            )
        )
        await self._session.flush()

    async def broadcast_improvement(
        self, platform: str, workspace_id: str, message_id: str
    ) -> int | None:
        improvement: int | None = await self._session.scalar(
            select(StandoutRow.improvement_id)
            .join(RepostRow, RepostRow.standout_id == StandoutRow.id)
            .where(
                RepostRow.platform == platform,
                RepostRow.workspace_id == workspace_id,
                RepostRow.message_id == message_id,
            )
        )
        return improvement

    async def add(self, improvement_id: int, person_id: int, kind: str, *, at: datetime) -> bool:
        """True when this is a new vote (a repeated one is ignored, never an error)."""
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
