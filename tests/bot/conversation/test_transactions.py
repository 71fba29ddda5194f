"""Each handled event is one transaction: an error part-way leaves nothing behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.ports import Store, Transaction
from tests.bot.chat import Chat, actor, entries_of


class BrokenAudit:
    async def record(self, action: str, **_: Any) -> None:
        raise RuntimeError(f"disk full while auditing {action}")


@dataclass
class TxWithBrokenAudit:
    inner: Transaction

    def __getattr__(self, name: str) -> Any:
        return BrokenAudit() if name == "audit" else getattr(self.inner, name)


@dataclass
class StoreThatFailsLate:
    """The real store, except that writing the audit row (the last step) fails."""

    inner: Store

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self.inner.transaction() as tx:
            yield TxWithBrokenAudit(tx)

    async def ping(self) -> bool:
        return True


async def test_a_failure_after_logging_leaves_no_entry(store: Store, clock: FixedClock) -> None:
    who = actor("U1")
    await Chat(Conversation(store, clock), who).say("help")
    failing = Chat(Conversation(StoreThatFailsLate(store), clock), who)

    with pytest.raises(RuntimeError, match="disk full"):
        await failing.say("log half-written?", event_id="Ev-crash")

    assert await entries_of(store, who) == []


async def test_a_failed_event_is_not_marked_processed_so_its_retry_works(
    store: Store, clock: FixedClock
) -> None:
    who = actor("U1")
    await Chat(Conversation(store, clock), who).say("help")
    with pytest.raises(RuntimeError):
        await Chat(Conversation(StoreThatFailsLate(store), clock), who).say(
            "log retry me", event_id="Ev-retry"
        )

    await Chat(Conversation(store, clock), who).say("log retry me", event_id="Ev-retry")

    assert await entries_of(store, who) == ["retry me"]
