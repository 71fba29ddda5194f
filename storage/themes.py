"""A school's changes to the default theme taxonomy (the defaults live in the core)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import ThemeChange
from storage.models import ThemeRow


class SqlThemes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def changes(self, school_id: int) -> Sequence[ThemeChange]:
        rows = await self._session.scalars(
            select(ThemeRow).where(ThemeRow.school_id == school_id).order_by(ThemeRow.id)
        )
        return [
            ThemeChange(row.key, row.name, row.description, row.retired_at is not None)
            for row in rows
        ]

    async def put(self, school_id: int, change: ThemeChange, *, at: datetime) -> None:
        row = await self._session.scalar(
            select(ThemeRow).where(ThemeRow.school_id == school_id, ThemeRow.key == change.key)
        )
        if row is None:
            row = ThemeRow(school_id=school_id, key=change.key)
            self._session.add(row)
        row.name = change.name[:80]
        row.description = change.description[:500]
        row.retired_at = at if change.retired else None
        await self._session.flush()
