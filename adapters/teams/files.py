"""Files for one person on Teams (charts, exports), as cards.

A bot's card can't carry a CSV, and a big image makes a heavy card, so those wait in the
database behind a download link: `{public_url}/files/{token}`, served by `adapters/server.py`.
The token is the only key (32 random bytes) and it expires after a day. Without a public
address there is no link to give, and the card says how else to get the data.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from bot.model import Actor, File, Upload
from bot.ports import Clock

from .references import DownloadStore
from .render import shows_inline, upload_card

DOWNLOAD_LIFETIME = timedelta(hours=24)
DOWNLOAD_PATH = "/files/"


class FileCards:
    """Renders an `Upload` as a card, keeping its file behind a link when the card can't hold it."""

    def __init__(self, store: DownloadStore | None, clock: Clock, public_url: str | None) -> None:
        self._store = store
        self._clock = clock
        self._public_url = public_url.rstrip("/") if public_url else None

    async def card(self, upload: Upload) -> dict[str, Any]:
        link = None
        if not shows_inline(upload.file):
            link = await self.link(upload.recipient, upload.file)
        return upload_card(upload.comment, upload.file, link)

    async def link(self, owner: Actor, file: File) -> str | None:
        """A fresh download link for `file`, valid for a day; None without a public address."""
        if self._store is None or self._public_url is None:
            return None
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        async with self._store.transaction() as tx:
            await tx.downloads.purge(now)  # the table holds only what someone can still fetch
            person = await tx.people.by_identity(owner.platform, owner.workspace_id, owner.user_id)
            await tx.downloads.put(
                token,
                person.id if person is not None else None,
                file.filename,
                file.mime,
                file.data,
                now + DOWNLOAD_LIFETIME,
            )
        return f"{self._public_url}{DOWNLOAD_PATH}{token}"
