"""A PostgreSQL outage as the engine tells it: one clear error, and one line when it is back."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from adapters.logs import handler
from storage.engine import DATABASE_BACK, DatabaseUnreachable, create_engine, outage
from storage.store import SqlStore
from tests.conftest import POSTGRES_URL, require_postgres

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_server_is_one_clear_error() -> None:
    port = free_port()  # nothing listens there
    engine = create_engine(f"postgresql+asyncpg://tiny:secret@127.0.0.1:{port}/school")
    try:
        with pytest.raises(DatabaseUnreachable) as raised:
            async with SqlStore(engine).transaction() as tx:
                await tx.session.execute(text("SELECT 1"))
        assert await SqlStore(engine).ping() is False
    finally:
        await engine.dispose()

    message = f"Can't reach the database at 127.0.0.1:{port}/school: connection refused"
    assert str(raised.value) == message
    assert "secret" not in str(raised.value)
    assert isinstance(raised.value, ConnectionError)  # code catching OSError still does
    assert outage(RuntimeError("while handling a request")) is None
    wrapped = RuntimeError("while handling a request")
    wrapped.__cause__ = raised.value
    assert outage(wrapped) == message


class Forwarder:
    """A TCP port that forwards to PostgreSQL once opened: the database "coming back"."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._target = make_url(POSTGRES_URL)

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for pipe in self._pipes:
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = self._target.host or "127.0.0.1", self._target.port or 5432
        up_reader, up_writer = await asyncio.open_connection(host, port)
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self._pipes.add(task)

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while chunk := await source.read(65536):
                sink.write(chunk)
                await sink.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            sink.close()


@pytest.fixture
async def flaky() -> AsyncIterator[Forwarder]:
    require_postgres()
    forwarder = Forwarder(free_port())
    yield forwarder
    await forwarder.close()


@pytest.mark.postgres
async def test_the_first_connection_after_failures_says_the_database_is_back(
    flaky: Forwarder,
) -> None:
    url = make_url(POSTGRES_URL).set(port=flaky.port).render_as_string(hide_password=False)
    engine = create_engine(url)
    written = io.StringIO()
    root = logging.getLogger()
    ours = handler("text", stream=written)  # what `configure` installs, on a stream of ours
    root.addHandler(ours)
    try:
        for _ in range(3):  # three requests fail while the database is down
            try:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
            except DatabaseUnreachable:
                log.exception("Error handling request")
        await flaky.open()
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
        async with engine.connect() as connection:  # no second "back" line
            await connection.execute(text("SELECT 1"))
    finally:
        root.removeHandler(ours)
        await engine.dispose()

    lines = written.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].endswith(
        f"Error handling request: Can't reach the database at 127.0.0.1:{flaky.port}/"
        f"{make_url(POSTGRES_URL).database}: connection refused "
        "(further failures like this are counted until the database answers)"
    )
    assert lines[1].endswith("database reachable again after 3 failures in 0 s")


@pytest.mark.postgres
async def test_a_connection_killed_under_a_statement_counts_as_an_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    require_postgres()
    engine = create_engine(POSTGRES_URL)
    try:
        async with engine.connect() as victim, engine.connect() as killer:
            pid = await victim.scalar(text("SELECT pg_backend_pid()"))
            await victim.commit()
            await killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError) as raised:
                await victim.execute(text("SELECT 1"))
        with caplog.at_level(logging.WARNING, logger="storage.engine"):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()

    assert raised.value.connection_invalidated
    reason = outage(raised.value)
    assert reason is not None
    assert reason.startswith("lost the connection to the database")
    [back] = [r for r in caplog.records if getattr(r, DATABASE_BACK, False)]
    assert "answers again after 1 failed connection attempt" in back.getMessage()
