"""The SQL store: one session and transaction per unit of work, repositories on top."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.ports import Conflict
from storage.calendars import SqlCalendars
from storage.deliveries import SqlDeliveries
from storage.improvements import SqlImprovements
from storage.journal import SqlAudit, SqlEvents
from storage.nudges import SqlNudges
from storage.people import SqlPeople
from storage.schools import SqlSchools
from storage.votes import SqlVotes
from storage.web import SqlWebMessages


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


class SqlStore:
    """Implements `bot.ports.Store` over SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlTransaction]:
        """Commit when the block ends, roll back on any error; a unique clash is a `Conflict`."""
        try:
            async with self._sessions() as session, session.begin():
                yield SqlTransaction(session)
        except IntegrityError as error:
            raise Conflict(str(error.orig)) from error

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            return False
        return True
