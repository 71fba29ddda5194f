"""What the Teams adapter keeps: conversation references, rosters and memberships, and files
waiting behind download links.

`storage/teams.py` and `storage/downloads.py` implement these protocols and `adapters/server.py`
hands the stores in, so the adapter depends on what it needs, not on SQLAlchemy or the whole
store.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.ports import People, Transaction


class ConversationReferences(Protocol):
    async def remember(
        self,
        *,
        tenant_id: str,
        conversation_id: str,
        scope: str,
        reference: dict[str, Any],
        at: datetime,
        user_id: str | None = None,
    ) -> None:
        """Keep the newest reference for a conversation (service URLs can move)."""
        ...

    async def remember_roster(
        self, tenant_id: str, members: dict[str, dict[str, Any]], *, at: datetime
    ) -> None:
        """Team members by user id, each with what opening their 1:1 chat needs."""
        ...

    async def join(
        self, tenant_id: str, group: str, user_ids: Iterable[str], *, at: datetime
    ) -> None:
        """These people are in this team or group chat, where Tiny Steps is."""
        ...

    async def leave(self, tenant_id: str, group: str, user_ids: Iterable[str]) -> list[str]:
        """They left `group`; those now in no team or group chat with Tiny Steps."""
        ...

    async def disband(self, tenant_id: str, group: str) -> list[str]:
        """Tiny Steps left `group`; who is now in no team or group chat with it."""
        ...

    async def roster_entry(self, tenant_id: str, user_id: str) -> dict[str, Any] | None: ...

    async def personal_all(self, tenant_id: str) -> dict[str, dict[str, Any]]: ...

    async def conversation(self, tenant_id: str, conversation_id: str) -> dict[str, Any] | None: ...


class TeamsTransaction(Transaction, Protocol):
    @property
    def teams_conversations(self) -> ConversationReferences: ...


class TeamsStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[TeamsTransaction]: ...


class Downloads(Protocol):
    async def put(
        self,
        token: str,
        person_id: int | None,
        filename: str,
        mime: str,
        data: bytes,
        expires_at: datetime,
    ) -> None:
        """Keep a file under an unguessable token until it expires."""
        ...

    async def get(self, token: str, now: datetime) -> tuple[str, str, bytes] | None:
        """(filename, mime, data) while the link is valid; None once expired or unknown."""
        ...

    async def purge(self, now: datetime) -> int:
        """Delete every expired file."""
        ...


class DownloadsTransaction(Protocol):
    @property
    def people(self) -> People: ...

    @property
    def downloads(self) -> Downloads: ...


class DownloadStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[DownloadsTransaction]: ...
