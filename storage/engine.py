"""Engines for SQLite (default) and PostgreSQL, with the settings each needs to be safe.

Every engine hides statement parameters (`hide_parameters=True`): SQLAlchemy's error messages
would otherwise carry them, and they include people's own words, into ERROR log lines. For the
same reason the values PostgreSQL and asyncpg quote in their own errors (a DETAIL's failing
row, a refused input) are taken out.

A PostgreSQL engine also speaks plainly about outages. A server that can't be reached raises
`DatabaseUnreachable` ("Can't reach the database at 127.0.0.1:5432/test: connection refused")
instead of the driver's bare `ConnectionRefusedError`; `outage(error)` tells any error caused by
an unreachable or vanished server apart from other failures, so logging can collapse a flood of
them into one line; and the first connection that works after failures logs one WARNING with
`extra={DATABASE_BACK: True}`, which `adapters/logs.py` turns into the outage's summary.
"""

from __future__ import annotations

import errno
import logging
import socket
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

log = logging.getLogger(__name__)

SQLITE_BUSY_MS = 10_000

# The attribute on the log record that says the database answers again after failures.
DATABASE_BACK = "tinysteps_database_back"

HIDDEN_DETAIL = "(hidden: it can quote stored values)"
_BAD_ARGUMENT = "invalid input for query argument "
_ASYNCPG_MESSAGES = (asyncpg.PostgresError, asyncpg.InterfaceError)

# Errors of a server that went away or is not accepting connections (restarting, shutting down).
_SERVER_GONE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08, e.g. the connection does not exist
    asyncpg.CannotConnectNowError,  # "the database system is starting up"
    asyncpg.AdminShutdownError,  # "terminating connection due to administrator command"
    asyncpg.CrashShutdownError,
    asyncpg.ConnectionDoesNotExistError,
)


class DatabaseUnreachable(ConnectionError):
    """The database server could not be reached: refused, no such host, or no answer.

    A `ConnectionError` (so an `OSError`), as the driver's own error was, so code that catches
    those still does; its message is one line an operator can act on.
    """

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"Can't reach the database at {where}: {reason}")
        self.where = where
        self.reason = reason


def create_engine(url: str, *, search_path: str | None = None) -> AsyncEngine:
    """An async engine. `search_path` puts PostgreSQL tables in one schema (tests, tenants)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite(url)
    connect_args: dict[str, Any] = {}
    if search_path:
        connect_args["server_settings"] = {"search_path": search_path}
    engine = create_async_engine(
        url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
    )
    _hide_details(engine)
    _report_outages(engine, address(parsed))
    return engine


def address(url: str | URL) -> str:
    """Where a database lives, for messages: `host:port/database`, never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def outage(error: BaseException) -> str | None:
    """One line saying the database can't be reached, when that is what `error` (or what
    caused it) means; None for any other failure (a bad statement, a unique clash…)."""
    for current in _chain(error):
        if isinstance(current, DatabaseUnreachable):
            return str(current)
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return f"lost the connection to the database: {_first_line(current.orig)}"
        if isinstance(current, _SERVER_GONE):
            return f"lost the connection to the database: {_first_line(current)}"
    return None


def _hide_details(engine: AsyncEngine) -> None:
    """Values that reach an error's text by other ways than the statement's parameters.

    PostgreSQL's DETAIL can quote a whole row ("Failing row contains (…, 'their words', …)")
    and asyncpg puts it in the error's text: it is replaced by a note. A data exception quotes
    the input it refused (`invalid input syntax for type date: "their words"`), and asyncpg an
    argument it can't encode (`invalid input for query argument $3: 'their words…' (why)`):
    the value is taken out of those, and of the errors SQLAlchemy builds on them.
    """

    @event.listens_for(engine.sync_engine, "handle_error")
    def _hide(context: ExceptionContext) -> None:
        chain = _chain(context.original_exception)
        replaced: list[tuple[str, str]] = []
        for error in chain:
            if not isinstance(error, _ASYNCPG_MESSAGES):
                continue
            if getattr(error, "detail", None):
                error.detail = HIDDEN_DETAIL
            said = _first_arg(error)
            hidden = _without_values(said, error)
            if hidden != said:
                error.args = (hidden, *error.args[1:])
                replaced.append((said, hidden))
        built_on = [context.sqlalchemy_exception, *chain]  # messages that quote those
        for outer in (e for e in built_on if e is not None):
            for said, hidden in replaced:
                first = _first_arg(outer)
                if said in first:
                    outer.args = (first.replace(said, hidden), *outer.args[1:])


def _without_values(said: str, error: BaseException) -> str:
    """asyncpg's or PostgreSQL's message without the value it quotes."""
    if said.startswith(_BAD_ARGUMENT):  # asyncpg: `…argument $3: 'their words…' (why)`
        position = said[len(_BAD_ARGUMENT) :].partition(": ")[0]
        why = f" ({error.__cause__})" if error.__cause__ is not None else ""
        return f"{_BAD_ARGUMENT}{position}: (value hidden){why}"
    if str(getattr(error, "sqlstate", "")).startswith("22") and said.count('"') >= 2:
        # A data exception: `invalid input syntax for type date: "their words"`.
        return said[: said.index('"')] + "(value hidden)" + said[said.rindex('"') + 1 :]
    return said


def _chain(error: BaseException | None) -> list[BaseException]:
    """`error` and what caused it, outermost first."""
    found: list[BaseException] = []
    while error is not None and all(error is not seen for seen in found):
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def _first_arg(error: BaseException) -> str:
    return error.args[0] if error.args and isinstance(error.args[0], str) else ""


def _report_outages(engine: AsyncEngine, where: str) -> None:
    """Name the server in connection failures, count them, and say once when it answers."""
    failures = [0]  # connection attempts that failed since the last one that worked

    @event.listens_for(engine.sync_engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except OSError as error:  # refused, no such host, timed out: the driver's bare errors
            failures[0] += 1
            raise DatabaseUnreachable(where, _reason(error)) from error
        except Exception as error:  # e.g. "the database system is starting up"
            if outage(error) is not None:
                failures[0] += 1
            raise

    @event.listens_for(engine.sync_engine, "handle_error")
    def _failed(context: ExceptionContext) -> None:
        # A connection lost under a statement or a pre-ping (failed connects count above).
        if context.is_disconnect and (context.connection is not None or context.is_pre_ping):
            failures[0] += 1

    @event.listens_for(engine.sync_engine, "checkout")
    def _answered(*_: Any) -> None:
        # With pool_pre_ping, a checkout means a fresh connection or one that just answered.
        if failures[0]:
            count, failures[0] = failures[0], 0
            log.warning(
                "the database at %s answers again after %d failed connection %s",
                where,
                count,
                "attempt" if count == 1 else "attempts",
                extra={DATABASE_BACK: True},
            )


def _reason(error: OSError) -> str:
    text = str(error)
    if isinstance(error, ConnectionRefusedError) or f"[Errno {errno.ECONNREFUSED}]" in text:
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "no such host"
    if isinstance(error, TimeoutError):
        return "no answer (timed out)"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    return _first_line(error)


def _first_line(error: BaseException | None) -> str:
    text = str(error).strip() if error is not None else ""
    return text.splitlines()[0] if text else type(error).__name__


def _sqlite(url: str) -> AsyncEngine:
    engine = create_async_engine(
        url, hide_parameters=True, connect_args={"timeout": SQLITE_BUSY_MS / 1000}
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front: two deferred transactions that both later write
        # would otherwise deadlock and one would fail with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
