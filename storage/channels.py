"""Channels with a purpose, and who gets the weekly digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import Channel, ChannelKind, Digest
from storage.models import ChannelRow, DigestRow

_PERSON = "person:"


def _channel_of(row: ChannelRow) -> Channel:
    return Channel(
        school_id=row.school_id,
        platform=row.platform,
        workspace_id=row.workspace_id,
        channel_id=row.channel_id,
        kind=ChannelKind(row.kind),
        name=row.name,
        department_id=row.department_id,
        id=row.id,
    )


class SqlChannels:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _row(self, platform: str, workspace_id: str, channel_id: str) -> ChannelRow | None:
        row: ChannelRow | None = await self._session.scalar(
            select(ChannelRow).where(
                ChannelRow.platform == platform,
                ChannelRow.workspace_id == workspace_id,
                ChannelRow.channel_id == channel_id,
            )
        )
        return row

    async def set(self, channel: Channel) -> Channel | None:
        row = await self._row(channel.platform, channel.workspace_id, channel.channel_id)
        before = _channel_of(row) if row is not None else None
        if row is None:
            row = ChannelRow(
                platform=channel.platform,
                workspace_id=channel.workspace_id,
                channel_id=channel.channel_id,
            )
            self._session.add(row)
        row.school_id = channel.school_id
        row.kind = channel.kind
        row.name = channel.name[:200]
        row.department_id = channel.department_id
        await self._session.flush()
        return before

    async def remove(self, platform: str, workspace_id: str, channel_id: str) -> Channel | None:
        row = await self._row(platform, workspace_id, channel_id)
        if row is None:
            return None
        await self._session.delete(row)
        await self._session.flush()
        return _channel_of(row)

    async def get(self, platform: str, workspace_id: str, channel_id: str) -> Channel | None:
        row = await self._row(platform, workspace_id, channel_id)
        return _channel_of(row) if row is not None else None

    async def many(self, channel_ids: Sequence[int]) -> dict[int, Channel]:
        if not channel_ids:
            return {}
        rows = await self._session.scalars(select(ChannelRow).where(ChannelRow.id.in_(channel_ids)))
        return {row.id: _channel_of(row) for row in rows}

    async def in_school(self, school_id: int) -> Sequence[Channel]:
        rows = await self._session.scalars(
            select(ChannelRow)
            .where(ChannelRow.school_id == school_id)
            .order_by(ChannelRow.kind, ChannelRow.name)
        )
        return [_channel_of(row) for row in rows]


def _digest_of(row: DigestRow) -> Digest:
    channel = None if row.target.startswith(_PERSON) else row.target
    return Digest(row.id, row.school_id, row.platform, row.workspace_id, row.person_id, channel)


class SqlDigests:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def subscribe(
        self,
        school_id: int,
        platform: str,
        workspace_id: str,
        *,
        at: datetime,
        person_id: int | None = None,
        channel_id: str | None = None,
    ) -> Digest:
        target = f"{_PERSON}{person_id}" if person_id is not None else str(channel_id)
        row: DigestRow | None = await self._session.scalar(
            select(DigestRow).where(
                DigestRow.school_id == school_id,
                DigestRow.platform == platform,
                DigestRow.workspace_id == workspace_id,
                DigestRow.target == target,
            )
        )
        if row is None:
            row = DigestRow(
                school_id=school_id,
                platform=platform,
                workspace_id=workspace_id,
                target=target,
                person_id=person_id,
                created_at=at,
            )
            self._session.add(row)
            await self._session.flush()
        return _digest_of(row)

    async def unsubscribe(
        self, school_id: int, *, person_id: int | None = None, channel_id: str | None = None
    ) -> int:
        target = f"{_PERSON}{person_id}" if person_id is not None else str(channel_id)
        gone = await self._session.execute(
            delete(DigestRow).where(DigestRow.school_id == school_id, DigestRow.target == target)
        )
        return int(gone.rowcount or 0)  # type: ignore[attr-defined]

    async def in_school(self, school_id: int) -> Sequence[Digest]:
        rows = await self._session.scalars(
            select(DigestRow).where(DigestRow.school_id == school_id).order_by(DigestRow.id)
        )
        return [_digest_of(row) for row in rows]

    async def many(self, digest_ids: Sequence[int]) -> dict[int, Digest]:
        if not digest_ids:
            return {}
        rows = await self._session.scalars(select(DigestRow).where(DigestRow.id.in_(digest_ids)))
        return {row.id: _digest_of(row) for row in rows}
