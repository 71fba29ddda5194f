"""The SQL store: one session and transaction per unit of work, repositories on top."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ports import Conflict
from storage.calendars import SqlCalendars
from storage.channels import SqlChannels, SqlDigests
from storage.deliveries import SqlDeliveries
from storage.downloads import Downloads
from storage.evidence import SqlEvidence
from storage.improvements import SqlImprovements
from storage.journal import SqlAudit, SqlEvents
from storage.nudges import SqlNudges
from storage.people import SqlPeople
from storage.replies import SqlReplies
from storage.schools import SqlSchools
from storage.sharing import SqlAdoptions, SqlIntroductions, SqlPosts, SqlStandouts
from storage.teams import SqlTeamsConversations
from storage.themes import SqlThemes
from storage.votes import SqlVotes
from storage.web import SqlWebMessages

_WRITING: ContextVar[bool] = ContextVar("tinysteps_sqlite_writing", default=False)


class SqlTransaction:
    """The repositories of one open transaction (implements `bot.ports.Transaction`)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.schools = SqlSchools(session)
        self.people = SqlPeople(session)
        self.improvements = SqlImprovements(session)
        self.nudges = SqlNudges(session)
        self.events = SqlEvents(session)
        self.audit = SqlAudit(session)
        self.web_messages = SqlWebMessages(session)
        self.calendars = SqlCalendars(session)
        self.deliveries = SqlDeliveries(session)
        self.votes = SqlVotes(session)
        self.posts = SqlPosts(session)
        self.standouts = SqlStandouts(session)
        self.adoptions = SqlAdoptions(session)
        self.themes = SqlThemes(session)
        self.introductions = SqlIntroductions(session)
        self.evidence = SqlEvidence(session)
        self.channels = SqlChannels(session)
        self.digests = SqlDigests(session)
        self.replies = SqlReplies(session)
        self.teams_conversations = SqlTeamsConversations(session)  # the Teams adapter's own
        self.downloads = Downloads(session)  # the adapters' files behind links


class SqlStore:
    """Implements `bot.ports.Store` over SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer at a time. Queueing our own transactions here is fair and
        # immediate; left to SQLite's busy handler they would sleep and poll (1, 2, 5… ms).
        self._one_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlTransaction]:
        """Commit when the block ends, roll back on any error; a unique clash is a `Conflict`."""
        try:
            async with self._turn(), self._sessions() as session, session.begin():
                yield SqlTransaction(session)
        except IntegrityError as error:
            raise Conflict(str(error.orig)) from error

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """This task's turn to write (SQLite). A transaction opened inside another one by the
        same task does not queue behind itself: SQLite's own locking applies, as before."""
        if self._one_writer is None or _WRITING.get():
            yield
            return
        async with self._one_writer:
            token = _WRITING.set(True)
            try:
                yield
            finally:
                _WRITING.reset(token)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return False
        return True
