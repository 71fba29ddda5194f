"""What the web chat keeps: each person's transcript, in the database so a restart loses
nothing. `storage/web.py` implements the protocol; `adapters/server.py` hands the store in."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.ports import Transaction


@dataclass(frozen=True, slots=True)
class WebMessage:
    id: int
    school_id: int
    person_id: int | None
    channel_id: str | None
    author: str
    content: dict[str, Any]
    nudge_id: int | None
    created_at: datetime
    updated_at: datetime
    delivery_key: str | None = None


class Transcript(Protocol):
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
    ) -> int: ...

    async def replace(self, message_id: int, content: dict[str, Any], *, at: datetime) -> bool:
        """Change a message in place (an answered question); False if it is gone."""
        ...

    async def transcript(self, school_id: int, person_id: int) -> Sequence[WebMessage]:
        """The person's direct messages and their school's channel posts, oldest first."""
        ...

    async def by_key(self, delivery_key: str) -> int | None:
        """The first message sent under a scheduled delivery's key."""
        ...


class WebTransaction(Transaction, Protocol):
    @property
    def web_messages(self) -> Transcript: ...


class WebStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[WebTransaction]: ...
