"""Back up and restore the way the README says: `pg_dump --format=custom`, then
`pg_restore --clean --if-exists` over the database (its tables already there, its rows changed
since), gives back every row; `tinysteps db upgrade` afterwards finds nothing to do.

Needs PostgreSQL and its client tools (pg_dump, pg_restore): outside CI, missing tools skip
with a reason; in CI that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from adapters.demo import load_demo
from bot.clock import SystemClock
from storage.engine import create_engine
from storage.store import SqlStore
from tests.conftest import in_ci, run_apart

pytestmark = pytest.mark.postgres


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install postgresql-client)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def everything(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order."""
    schema = sa.MetaData()
    schema.reflect(connection)
    return {
        name: [
            tuple(row) for row in connection.execute(sa.select(table).order_by(*table.primary_key))
        ]
        for name, table in schema.tables.items()
    }


async def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        found = await connection.run_sync(everything)
    await engine.dispose()
    return found


async def load(url: str) -> None:
    engine = create_engine(url)
    await load_demo(SqlStore(engine), SystemClock())
    await engine.dispose()


async def change_after_the_backup(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(sa.text("DELETE FROM improvement WHERE id % 2 = 0"))
        await connection.execute(sa.text("UPDATE school SET name = 'Renamed'"))
    await engine.dispose()


def test_a_backup_restored_over_the_database_gives_back_every_row(
    postgres_database: str, tmp_path: Path
) -> None:
    libpq = postgres_database.replace("postgresql+asyncpg://", "postgresql://")
    dump = tmp_path / "tinysteps.dump"
    run_apart(lambda: load(postgres_database))
    before = run_apart(lambda: snapshot(postgres_database))
    assert len(before["improvement"]) > 10, "the demo school has entries to lose"

    subprocess.run([tool("pg_dump"), "--format=custom", f"--file={dump}", libpq], check=True)
    run_apart(lambda: change_after_the_backup(postgres_database))
    subprocess.run(
        [tool("pg_restore"), "--clean", "--if-exists", f"--dbname={libpq}", str(dump)],
        check=True,
    )

    assert run_apart(lambda: snapshot(postgres_database)) == before
    upgrade = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "db", "upgrade"],
        env={**os.environ, "DATABASE_URL": postgres_database},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Running upgrade" not in upgrade.stderr + upgrade.stdout
    assert "Database is up to date." in upgrade.stdout
