"""Replies are owed until they are sent, so a crash between storing an event and answering it
loses no "Logged".

The core keeps what it says back to an event in the event's own transaction (`Answer.receipt`),
held by this process for a short lease. The adapter acknowledges the platform, sends, and then
says so (`Owed.sent`). If the process dies in between, the platform's retry of the event takes
the reply over once the lease has run out (`Conversation.handle`), and so does any process's
sweep (`Owed.resend`: every few seconds in `tinysteps serve`, and in `tinysteps tick`).

Each direct message of a reply carries a key (`reply-<receipt>-<n>`), so a sender taking over
first asks the platform whether it arrived (`Messenger.find`) and never sends it twice where
the platform can tell (Slack and the web chat; Teams keeps no history for bots).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from bot.model import DirectMessage, Outgoing
from bot.ports import Clock, Messenger, OwedReply, RateLimited, Store, Unreachable

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)  # a reply is sent within a second or two; pacing can take longer
RETRY_AFTER = timedelta(seconds=30)  # after a failed send (the platform down, a rate limit)
MAX_ATTEMPTS = 5  # then the reply is given up, with a warning in the log
SWEEP_BATCH = 50


@dataclass(frozen=True, slots=True)
class Answer:
    """What the core says back to one event; `receipt` names it in the owed replies."""

    actions: list[Outgoing]
    receipt: int | None = None
    # More than 1: an earlier sender may have sent some of it (a retry after a crash).
    attempts: int = 1


def keyed(receipt: int, actions: Sequence[Outgoing]) -> list[Outgoing]:
    """The actions as sent: each direct message with its key, for `Messenger.find`."""
    return [
        dataclasses.replace(action, key=f"reply-{receipt}-{n}")
        if isinstance(action, DirectMessage) and action.key is None
        else action
        for n, action in enumerate(actions)
    ]


def answer_of(owed: OwedReply) -> Answer:
    return Answer(keyed(owed.id, owed.actions), owed.id, owed.attempts)


class Owed:
    """Settles owed replies: sent, failed for now, or swept up after a crash."""

    def __init__(self, store: Store, clock: Clock, *, worker: str) -> None:
        self._store = store
        self._clock = clock
        self.worker = worker

    async def sent(self, answer: Answer) -> None:
        """Everything in `answer` went out (or was given up): it is no longer owed."""
        if answer.receipt is None:
            return
        async with self._store.transaction() as tx:
            await tx.replies.sent(answer.receipt)

    async def failed(self, answer: Answer, error: BaseException) -> None:
        """Sending failed part-way: try again later, unless that has been tried enough."""
        if answer.receipt is None:
            return
        if answer.attempts >= MAX_ATTEMPTS:
            log.warning("giving up a reply after %d attempts: %r", answer.attempts, error)
            await self.sent(answer)
            return
        log.info("a reply could not be sent (%r); it will be tried again", error)
        retry = RETRY_AFTER
        if isinstance(error, RateLimited):
            retry = max(retry, timedelta(seconds=error.retry_after))
        async with self._store.transaction() as tx:
            await tx.replies.retry_later(
                answer.receipt, at=self._clock.now() + retry, error=repr(error)
            )

    @asynccontextmanager
    async def settling(self, answer: Answer) -> AsyncIterator[None]:
        """Around an adapter's sending of `answer`: sent when the block ends, owed still (to
        be tried again) when it raises."""
        try:
            yield
        except Exception as error:
            await self.failed(answer, error)
            raise
        await self.sent(answer)

    async def deliver(self, answer: Answer, messenger: Messenger) -> None:
        """Send `answer` through `messenger` and settle it: how a sweep, and an adapter with
        nothing special to do per action, sends what is owed."""
        try:
            await send_all(answer, messenger)
        except Exception as error:
            await self.failed(answer, error)
            return
        await self.sent(answer)

    async def resend(self, messenger: Messenger) -> int:
        """Send the replies nobody is sending (their sender died, or a send failed earlier);
        returns how many were taken."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            owed = await tx.replies.claim(
                self.worker, now=now, until=now + LEASE, limit=SWEEP_BATCH
            )
        for reply in owed:
            await self.deliver(answer_of(reply), messenger)
        if owed:
            log.info("sent %d owed replies left by an earlier sender", len(owed))
        return len(owed)


async def send_all(answer: Answer, messenger: Messenger) -> None:
    """Each action in order. After a crash (`attempts > 1`), a keyed message that already
    arrived is not sent again; someone the platform won't let us reach is skipped."""
    for action in answer.actions:
        if answer.attempts > 1 and await arrived(action, messenger):
            continue
        try:
            await messenger.send(action)
        except Unreachable as error:
            log.info("a reply could not reach its recipient: %s", error)


async def arrived(action: Outgoing, messenger: Messenger) -> bool:
    """Whether a keyed message was delivered already, as far as the platform can tell."""
    if isinstance(action, DirectMessage) and action.key is not None:
        return await messenger.find(action.recipient, action.key) is not None
    return False
