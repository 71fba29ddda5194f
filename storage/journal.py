"""Processed platform events (for de-duplication) and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditRow, ProcessedEventRow
from storage.sql import insert_or_ignore


class SqlEvents:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def first_time(self, platform: str, event_id: str, *, at: datetime) -> bool:
        result = await self._session.execute(
            insert_or_ignore(
                self._session,
                ProcessedEventRow.__table__,  # type: ignore[arg-type]
                platform=platform,
                event_id=event_id,
                processed_at=at,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class SqlAudit:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self,
        action: str,
        *,
        at: datetime,
        person_id: int | None = None,
        school_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._session.add(
            AuditRow(at=at, action=action, person_id=person_id, school_id=school_id, detail=detail)
        )
        await self._session.flush()
