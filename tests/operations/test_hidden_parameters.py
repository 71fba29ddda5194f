"""A failing statement's logged error names the statement, never its values (people's words)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import String, bindparam, insert, text
from sqlalchemy.exc import StatementError

from bot.ports import Conflict
from storage.engine import create_engine
from storage.models import ImprovementRow
from storage.store import SqlStore
from tests.conftest import POSTGRES_URL, require_postgres

SECRET = "zz-my-private-words-about-Year-9-zz"
AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
log = logging.getLogger(__name__)


async def failed_insert(store: SqlStore, caplog: pytest.LogCaptureFixture, day: object) -> str:
    """Everything logged when an insert of SECRET fails and the error is logged, traceback and
    causes included, as a log file would show it."""
    with caplog.at_level(logging.INFO):
        try:
            async with store.transaction() as tx:
                await tx.session.execute(
                    insert(ImprovementRow).values(
                        person_id=987_654,  # no such person or school
                        school_id=987_654,
                        text=SECRET,
                        local_date=day,
                        created_at=AT,
                        updated_at=AT,
                    )
                )
        except (Conflict, StatementError):
            log.exception("logging an entry failed")
    return "\n".join(logging.Formatter().format(record) for record in caplog.records)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 11, 24), id="foreign-key"),
        pytest.param(None, id="not-null"),  # PostgreSQL's DETAIL quotes the whole failing row
    ],
)
async def test_a_failed_insert_logs_no_parameter_values(
    store: SqlStore, caplog: pytest.LogCaptureFixture, day: date | None
) -> None:
    logged = await failed_insert(store, caplog, day)

    assert "INSERT INTO improvement" in logged  # the whole error, traceback and causes
    assert "SQL parameters hidden due to hide_parameters=True" in logged
    assert SECRET not in logged
    assert "987654" not in logged


async def test_a_value_the_driver_cannot_encode_is_not_quoted(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    logged = await failed_insert(store, caplog, SECRET)  # words where a date belongs

    assert "INSERT INTO improvement" in logged
    assert SECRET[:12] not in logged


@pytest.mark.postgres
async def test_an_input_postgresql_refuses_is_not_quoted(caplog: pytest.LogCaptureFixture) -> None:
    require_postgres()
    engine = create_engine(POSTGRES_URL)
    try:
        with caplog.at_level(logging.INFO):
            try:
                async with engine.connect() as connection:
                    words = bindparam("day", SECRET, type_=String())  # the server parses them
                    await connection.execute(text("SELECT CAST(:day AS date)").bindparams(words))
            except StatementError:
                log.exception("reading a date failed")
    finally:
        await engine.dispose()

    logged = "\n".join(logging.Formatter().format(record) for record in caplog.records)
    assert "invalid input syntax for type date: (value hidden)" in logged
    assert SECRET[:12] not in logged
