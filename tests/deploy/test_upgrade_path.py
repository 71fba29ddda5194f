"""Upgrading never loses data: from every earlier revision, with data present, to head.

For each starting revision, an empty database is migrated one step at a time up to it, and
after each step one row goes into every table that step's schema has (every column filled:
dates, times, JSON, flags, and the words each column really holds, such as a standout's
`consent`). Then it is upgraded to head in one go, as an operator would from that release.
(The steps are taken once per backend, keeping a copy of the database after each, and each
starting revision's test upgrades a copy of its own.)
At head the schema must equal the models', every row must still be there with what it held
(bar what a migration deliberately changes, checked on its own), and the application must be
able to read it all. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import uuid
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SAWarning
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.ports import Consent
from bot.sharing.report import school_standouts
from storage import migrate
from storage.engine import create_engine
from storage.models import Base, metadata
from storage.store import SqlStore
from tests.conftest import POSTGRES_URL, require_postgres, run_apart

REVISIONS = [
    script.revision
    for script in reversed(
        list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions())
    )
]
HEAD = REVISIONS[-1]
DAY = date(2026, 11, 2)
AT = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


def words(table: str, column: str, step: int, revision: str) -> object | None:
    """What a text column really holds, where any other text would be wrong; None: any."""
    if (table, column) == ("standout", "consent"):
        # "given" meant consent nobody was asked for; 0009 turns it into "expired".
        return "given" if revision < "0009" else Consent.NAMED.value
    known: dict[tuple[str, str], object] = {
        ("person", "status"): "active",
        ("person", "sharing"): "ask",
        ("nudge", "status"): "sent",
        ("delivery", "status"): "sent",
        ("delivery", "kind"): "prompt",
        ("delivery", "claimed_by"): None,
        ("channel", "kind"): "department",
        ("post", "kind"): "share",
        ("reaction", "kind"): "+1",
        ("role_assignment", "role"): "leader",
        ("organisation_role", "role"): "leader",
        ("standout", "reason"): "votes",
        ("web_message", "author"): "bot",
        ("improvement", "outcome"): "keeping",
        ("improvement", "theme"): "feedback",
        ("improvement", "theme_by"): "auto",
        ("teams_conversation", "scope"): "personal",
        ("download", "mime"): "image/png",
        ("school", "timezone"): "Europe/London",
        ("school", "country"): "GB",
        ("school", "subdivision"): "ENG",
        ("school", "nudge_days"): "01234",
        ("school", "share_mode"): "ask",
        ("school", "standout_departments"): "all",
        ("person", "timezone"): "Europe/London",
    }
    if (table, column) in known:
        return known[(table, column)]
    if column == "platform":
        return "web"
    return f"{column[:8]}-{step}"


def value_for(column: sa.Column[Any], step: int, revision: str) -> object:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.DateTime):  # Slack's own tables keep times without a zone
        at = AT + timedelta(days=step)
        return at if kind.timezone else at.replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return DAY + timedelta(days=step)
    if isinstance(kind, sa.Time):
        return time(15, 30)
    if isinstance(kind, sa.JSON):
        return {"step": step, "words": "café ✓"}
    if isinstance(kind, sa.LargeBinary):
        return b"\x89PNG step %d" % step
    if isinstance(kind, sa.Integer):
        return step + 1
    if isinstance(kind, sa.String | sa.Text):
        found = words(str(column.table.name), column.name, step, revision)
        if isinstance(found, str) and kind.length:
            return found[: kind.length]
        return found
    raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


@dataclass
class Inserted:
    """Every row the test wrote, by table, with its key and what it held."""

    rows: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = field(default_factory=dict)


def reflect(connection: Connection) -> sa.MetaData:
    found = sa.MetaData()
    with warnings.catch_warnings():  # SQLite can't reflect every index detail; not needed here
        warnings.simplefilter("ignore", SAWarning)
        found.reflect(connection)
    return found


def insert_everywhere(connection: Connection, step: int, revision: str, inserted: Inserted) -> None:
    """One row in every table of this revision's schema, foreign keys to this step's rows."""
    schema = reflect(connection)
    latest: dict[str, dict[str, Any]] = {}  # table → the row just written (with its id)
    for table in schema.sorted_tables:
        if table.name == "alembic_version":
            continue
        row: dict[str, Any] = {}
        for column in table.columns:
            targets = [fk.column for fk in column.foreign_keys]
            if targets:
                row[column.name] = latest[targets[0].table.name][targets[0].name]
            elif column.primary_key and isinstance(column.type, sa.Integer):
                continue  # the database numbers it
            else:
                row[column.name] = value_for(column, step, revision)
        key = connection.execute(table.insert().values(row)).inserted_primary_key
        assert key is not None
        for column, value in zip(table.primary_key.columns, key, strict=True):
            row[column.name] = value
        latest[table.name] = row
        inserted.rows.setdefault(table.name, []).append((tuple(key), row))


def same(a: object, b: object) -> bool:
    """Equal as stored: SQLite gives back datetimes without their zone (UTC, as written)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(tzinfo=a.tzinfo or UTC) == b.replace(tzinfo=b.tzinfo or UTC)
    return a == b


def changed_on_purpose(table: str, column: str, before: object, revision: str) -> object:
    """What a migration deliberately made of a value written at `revision`."""
    if (table, column) == ("standout", "consent") and before == "given":
        return Consent.EXPIRED.value
    return before


def check_everything_survived(connection: Connection, inserted: Inserted) -> list[str]:
    """Each inserted row, looked up by its key at head, still holds what was written."""
    schema = reflect(connection)
    problems = []
    for name, rows in inserted.rows.items():
        if name == "repost":  # 0009 made reposts into posts: checked on its own
            assert name not in schema.tables
            continue
        table = schema.tables[name]
        for key, written in rows:
            where = [c == v for c, v in zip(table.primary_key.columns, key, strict=True)]
            found = connection.execute(sa.select(table).where(*where)).mappings().one_or_none()
            if found is None:
                problems.append(f"{name} {key}: gone")
                continue
            for column, before in written.items():
                expected = changed_on_purpose(name, column, before, "")
                if not same(found[column], expected):
                    problems.append(f"{name}.{column} {key}: {expected!r} → {found[column]!r}")
    return problems


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database: no tables, not even alembic's."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/upgrade.db")
        yield engine
        await engine.dispose()
        return
    require_postgres()
    schema = f"tinysteps_upgrade_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(POSTGRES_URL, search_path=schema)
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def run(engine: AsyncEngine, job: Callable[[Connection], Any]) -> Any:
    async with engine.begin() as connection:
        return await connection.run_sync(job)


@dataclass
class Stepped:
    """Copies of one database taken step by step from empty, each step's migration followed by
    a row in every table: for each revision, where the copy is and what had been written."""

    backend: str
    copies: dict[str, str] = field(default_factory=dict)  # a SQLite file or a database's name
    inserted: dict[str, Inserted] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)  # PostgreSQL databases the tests made of them


def database_url(database: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def stepped(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stepped]:
    """Every earlier revision, reached as the tests below describe, once per backend."""
    found = Stepped(request.param)
    folder = tmp_path_factory.mktemp("stepped")
    if found.backend == "postgres":
        require_postgres()
        name = f"tinysteps_steps_{uuid.uuid4().hex[:10]}"
        run_apart(lambda: admin(f'CREATE DATABASE "{name}"'))
        url = database_url(name)
    else:
        url = f"sqlite+aiosqlite:///{folder}/stepping.db"

    async def step_by_step() -> None:
        engine, inserted = create_engine(url), Inserted()
        for step, revision in enumerate(REVISIONS[:-1]):
            await migrate.upgrade(engine, revision)
            await run(
                engine, partial(insert_everywhere, step=step, revision=revision, inserted=inserted)
            )
            await engine.dispose()  # no connection left open while the copy is taken
            if found.backend == "postgres":
                copied = f"{name}_{revision}"
                await admin(f'CREATE DATABASE "{copied}" TEMPLATE "{name}"')
            else:
                assert not (folder / "stepping.db-wal").exists(), "the file holds every row"
                copied = str(shutil.copy(folder / "stepping.db", folder / f"{revision}.db"))
            found.copies[revision] = copied
            found.inserted[revision] = copy.deepcopy(inserted)

    async def drop_them() -> None:  # together at the end: each drop waits for a checkpoint
        for database in [*found.made, *found.copies.values(), name]:
            await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    try:
        run_apart(step_by_step)
        yield found
    finally:
        if found.backend == "postgres":
            run_apart(drop_them)


@pytest.fixture
async def at_start(
    stepped: Stepped, start: str, tmp_path: Path
) -> AsyncIterator[tuple[AsyncEngine, Inserted]]:
    """A database of this test's own at `start`, with a row in every table after each step up
    to it (a copy of `stepped`'s), and what those rows held."""
    if stepped.backend == "postgres":
        name = f"tinysteps_upgrade_{uuid.uuid4().hex[:10]}"
        stepped.made.append(name)
        await admin(f'CREATE DATABASE "{name}" TEMPLATE "{stepped.copies[start]}"')
        engine = create_engine(database_url(name))
    else:
        path = shutil.copy(stepped.copies[start], tmp_path / "upgrade.db")
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
    yield engine, copy.deepcopy(stepped.inserted[start])
    await engine.dispose()


@pytest.mark.parametrize("start", REVISIONS[:-1])
async def test_a_database_at_any_earlier_revision_upgrades_to_head_keeping_its_data(
    at_start: tuple[AsyncEngine, Inserted],
) -> None:
    database, inserted = at_start

    await migrate.upgrade(database)

    assert await run(database, differences) == []
    assert await run(database, lambda c: check_everything_survived(c, inserted)) == []
    await check_reposts_became_posts(database, inserted)
    await check_the_application_reads_it_all(database, inserted)


async def test_step_by_step_to_head_with_data_at_every_step_including_head(
    empty: AsyncEngine, request: pytest.FixtureRequest
) -> None:
    inserted = Inserted()
    for step, revision in enumerate(REVISIONS):
        await migrate.upgrade(empty, revision)
        await run(
            empty, partial(insert_everywhere, step=step, revision=revision, inserted=inserted)
        )

    assert await run(empty, differences) == []
    assert await run(empty, lambda c: check_everything_survived(c, inserted)) == []
    await check_reposts_became_posts(empty, inserted)
    await check_the_application_reads_it_all(empty, inserted)


async def test_upgrading_a_database_already_at_head_changes_nothing(empty: AsyncEngine) -> None:
    inserted = Inserted()
    await migrate.upgrade(empty)
    await run(empty, lambda c: insert_everywhere(c, 0, HEAD, inserted))

    await migrate.upgrade(empty)

    assert await run(empty, lambda c: check_everything_survived(c, inserted)) == []


async def check_reposts_became_posts(engine: AsyncEngine, inserted: Inserted) -> None:
    """0009: every earlier repost is now a post of its standout's entry, in the same channel."""
    reposts = inserted.rows.get("repost", [])

    def posts(connection: Connection) -> set[tuple[Any, ...]]:
        post = reflect(connection).tables["post"]
        rows = connection.execute(
            sa.select(post.c.improvement_id, post.c.channel_id, post.c.message_id).where(
                post.c.kind == "repost"
            )
        )
        return {tuple(r) for r in rows}

    standouts = {key[0]: row for key, row in inserted.rows.get("standout", [])}
    expected = {
        (standouts[r["standout_id"]]["improvement_id"], r["channel_id"], r["message_id"])
        for _, r in reposts
    }
    assert await run(engine, posts) == expected


async def check_the_application_reads_it_all(engine: AsyncEngine, inserted: Inserted) -> None:
    """Every row through the models at head, and the people and standouts through the
    repositories, which turn stored words into the core's enums."""
    async with AsyncSession(engine) as session:
        for mapper in Base.registry.mappers:
            name = str(mapper.class_.__tablename__)
            loaded = (await session.scalars(sa.select(mapper.class_))).all()  # each value decodes
            made = len(inserted.rows.get("repost", [])) if name == "post" else 0
            assert len(loaded) == len(inserted.rows.get(name, [])) + made, name
    store = SqlStore(engine)
    async with store.transaction() as tx:
        schools = await tx.schools.all()
        for school in schools:
            for person in await tx.people.in_school(school.id):
                assert person.status.value == "active"
    assert len(schools) == len(inserted.rows["school"])
    for school in schools:
        for standout in await school_standouts(store, school.id):
            assert standout.consent in {Consent.NAMED, Consent.EXPIRED}


@pytest.mark.postgres
@pytest.mark.slow
def test_replicas_starting_together_on_one_postgresql_all_migrate_cleanly() -> None:
    """Each replica's start command runs `tinysteps db upgrade`: several at once must not
    fail on a fresh database (or on a new release's migrations) because another got there
    first: the first migrates, the others wait for it and find nothing left to do."""
    require_postgres()
    name = f"tinysteps_test_{uuid.uuid4().hex[:10]}"

    run_apart(lambda: admin(f'CREATE DATABASE "{name}"'))
    try:
        url = database_url(name)
        env = {**os.environ, "DATABASE_URL": url, "TINYSTEPS_LOG_LEVEL": "WARNING"}
        replicas = [
            subprocess.Popen(
                [sys.executable, "-m", "adapters.cli", "db", "upgrade"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(4)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in replicas]

        assert [p.returncode for p in replicas] == [0] * 4, "\n".join(outputs)
    finally:
        run_apart(lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
