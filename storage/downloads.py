"""Files behind unguessable, expiring links, for platforms that can only show a link.

Teams cards can't carry a CSV, so an export waits here under a random token until someone
opens `/files/{token}` or it expires. The token is the only key: whoever holds the link gets
the file, which is why it is long, random and short-lived, and why an expired one is deleted
rather than served.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DownloadRow


class Downloads:
    """The `download` table: put a file under a token, get it back until it expires."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(
        self,
        token: str,
        person_id: int | None,
        filename: str,
        mime: str,
        data: bytes,
        expires_at: datetime,
    ) -> None:
        """Keep `data` under `token` until `expires_at` (`person_id`: whose it is, so it goes
        when they are forgotten)."""
        self._session.add(
            DownloadRow(
                token=token,
                person_id=person_id,
                filename=filename,
                mime=mime,
                data=data,
                expires_at=expires_at,
            )
        )
        await self._session.flush()

    async def get(self, token: str, now: datetime) -> tuple[str, str, bytes] | None:
        """(filename, mime, data) while the link is valid; None for an unknown or expired
        token (an expired one is deleted on the way)."""
        row = await self._session.get(DownloadRow, token)
        if row is None:
            return None
        if row.expires_at <= now:
            await self._session.delete(row)
            await self._session.flush()
            return None
        return row.filename, row.mime, row.data

    async def purge(self, now: datetime) -> int:
        """Delete every expired file; returns how many went."""
        result = await self._session.execute(
            delete(DownloadRow).where(DownloadRow.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0) or 0)
