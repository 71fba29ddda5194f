"""Real databases for every test that stores something: SQLite and PostgreSQL.

`store` and `engine` are parametrised over both backends. PostgreSQL tests use a fresh schema
per test session, migrated once and emptied before each test (`empty_postgres`). Outside CI an
unreachable PostgreSQL skips those tests with a reason; in CI (CI=true) it fails them, so they
can never be skipped silently.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.engine import create_engine
from storage.models import metadata
from storage.store import SqlStore

# One BLAS thread per process, here and in every server and command a test starts (they inherit
# the environment). OpenBLAS otherwise keeps a thread per core spinning while it waits for work:
# the theme classifier's small matrices gain nothing from it, and on a two-core machine, with a
# server starting beside the test that runs, the spinning doubled the CPU time (and more than
# doubled the wall time) that training the classifier took. A value set by the caller wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

POSTGRES_URL = os.environ.get(
    "TINYSTEPS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def run_apart[T](job: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on its own loop in a worker thread.

    Session fixtures are first requested from inside a test's running loop, where
    `asyncio.run` is not allowed.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(job())).result()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


async def _postgres_answers() -> bool:
    try:
        connection = await asyncpg.connect(
            POSTGRES_URL.replace("postgresql+asyncpg", "postgresql"), timeout=5
        )
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def require_postgres() -> None:
    """Skip with a reason when PostgreSQL is down, except in CI, where that is a failure."""
    if not run_apart(_postgres_answers):
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}"
        if in_ci():
            pytest.fail(message + " (CI must not skip PostgreSQL tests)")
        pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of our own on the shared server, migrated to head once per test session."""
    require_postgres()
    schema = f"tinysteps_test_{uuid.uuid4().hex[:10]}"

    async def run(sql: str, *, migrate_it: bool = False) -> None:
        engine = create_engine(POSTGRES_URL)
        async with engine.begin() as connection:
            await connection.execute(text(sql))
        await engine.dispose()
        if migrate_it:
            scoped = create_engine(POSTGRES_URL, search_path=schema)
            await migrate.upgrade(scoped)
            await scoped.dispose()

    run_apart(lambda: run(f'CREATE SCHEMA "{schema}"', migrate_it=True))
    yield schema
    run_apart(lambda: run(f'DROP SCHEMA "{schema}" CASCADE'))


_emptying: dict[str, str] = {}


async def empty_postgres(engine: AsyncEngine, schema: str) -> None:
    """Every table emptied and every sequence restarted, as `TRUNCATE … RESTART IDENTITY` does,
    in a few milliseconds rather than tens (TRUNCATE gives each table and index a new file).

    Rows go children first (the models' tables in reverse dependency order), so no foreign key
    ever points at a deleted row; the whole reset is one statement, one round trip.
    """
    async with engine.begin() as connection:
        if schema not in _emptying:
            sequences = (
                await connection.execute(
                    text(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                        "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = :schema"
                    ),
                    {"schema": schema},
                )
            ).scalars()
            deletes = "".join(f'DELETE FROM "{t.name}"; ' for t in reversed(metadata.sorted_tables))
            restarts = "".join(f'ALTER SEQUENCE "{name}" RESTART; ' for name in sequences)
            _emptying[schema] = f"DO $$ BEGIN {deletes}{restarts}END $$"
        await connection.execute(text(_emptying[schema]))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate.upgrade(engine)
        await engine.dispose()

    run_apart(build)
    return path


@pytest.fixture(params=BACKENDS)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "tinysteps.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
    else:
        schema = request.getfixturevalue("postgres_schema")
        engine = create_engine(POSTGRES_URL, search_path=schema)
        await empty_postgres(engine, schema)
    yield engine
    await engine.dispose()


@pytest.fixture
async def replica_engines(postgres_schema: str) -> AsyncIterator[list[AsyncEngine]]:
    """Three replicas' own connection pools on one emptied PostgreSQL schema."""
    engines = [create_engine(POSTGRES_URL, search_path=postgres_schema) for _ in range(3)]
    await empty_postgres(engines[0], postgres_schema)
    yield engines
    for engine in engines:
        await engine.dispose()


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A whole fresh, migrated PostgreSQL database, for tests that start other processes."""
    require_postgres()
    name = f"tinysteps_test_{uuid.uuid4().hex[:10]}"
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    server = POSTGRES_URL.replace("postgresql+asyncpg", "postgresql")

    async def create() -> None:
        connection = await asyncpg.connect(server)
        await connection.execute(f'CREATE DATABASE "{name}"')
        await connection.close()
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await engine.dispose()

    async def drop() -> None:
        connection = await asyncpg.connect(server)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()

    run_apart(create)
    yield url
    run_apart(drop)
