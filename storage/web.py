"""The local web chat's transcript, kept in the database so it survives a restart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.web.transcript import WebMessage
from storage.models import WebMessageRow

TRANSCRIPT_LIMIT = 200


def _message_of(row: WebMessageRow) -> WebMessage:
    return WebMessage(
        id=row.id,
        school_id=row.school_id,
        person_id=row.person_id,
        channel_id=row.channel_id,
        author=row.author,
        content=row.content,
        nudge_id=row.nudge_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        delivery_key=row.delivery_key,
    )


class SqlWebMessages:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        school_id: int,
        author: str,
        content: dict[str, Any],
        at: datetime,
        person_id: int | None = None,
        channel_id: str | None = None,
        nudge_id: int | None = None,
        delivery_key: str | None = None,
    ) -> int:
        row = WebMessageRow(
            school_id=school_id,
            person_id=person_id,
            channel_id=channel_id,
            author=author,
            content=content,
            nudge_id=nudge_id,
            delivery_key=delivery_key,
            created_at=at,
            updated_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def replace(self, message_id: int, content: dict[str, Any], *, at: datetime) -> bool:
        row = await self._session.get(WebMessageRow, message_id)
        if row is None:
            return False
        row.content = content
        row.updated_at = at
        await self._session.flush()
        return True

    async def transcript(self, school_id: int, person_id: int) -> Sequence[WebMessage]:
        """The person's direct messages and their school's channel posts, oldest first."""
        rows = await self._session.scalars(
            select(WebMessageRow)
            .where(WebMessageRow.school_id == school_id)
            .where(or_(WebMessageRow.person_id == person_id, WebMessageRow.person_id.is_(None)))
            .order_by(WebMessageRow.id.desc())
            .limit(TRANSCRIPT_LIMIT)
        )
        return [_message_of(row) for row in reversed(list(rows))]

    async def by_key(self, delivery_key: str) -> int | None:
        """The first message sent under a scheduled delivery's key."""
        return await self._session.scalar(
            select(WebMessageRow.id)
            .where(WebMessageRow.delivery_key == delivery_key)
            .order_by(WebMessageRow.id)
            .limit(1)
        )
