"""Processed platform events (for de-duplication) and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import AuditEntry
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

    async def recent(self, school_id: int, limit: int) -> Sequence[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow)
            .where(AuditRow.school_id == school_id)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
        return [AuditEntry(r.at, r.action, r.person_id, dict(r.detail or {})) for r in rows]

    async def scrub(self, person_id: int, school_id: int) -> None:
        rows = await self._session.scalars(
            select(AuditRow).where(
                AuditRow.detail.is_not(None),
                or_(AuditRow.person_id == person_id, AuditRow.school_id == school_id),
            )
        )
        for row in rows:
            detail = dict(row.detail or {})
            if row.person_id == person_id:
                row.detail = None  # what they did stays; their words and names go
            elif detail.get("target_id") == person_id:
                detail.pop("target", None)
                row.detail = detail
        await self._session.flush()
