"""Apply and undo migrations from code (`tinysteps db upgrade`, `serve` on SQLite, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import migrations

# Any fixed number: the PostgreSQL advisory lock held by whoever is migrating.
MIGRATION_LOCK = 7_203_417


def alembic_config() -> Config:
    folder = Path(migrations.__file__).parent
    config = Config(folder / "alembic.ini")
    config.set_main_option("script_location", str(folder))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _run(engine, lambda config: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _run(engine, lambda config: command.downgrade(config, revision))


async def _run(engine: AsyncEngine, step: object) -> None:
    """One transaction. On PostgreSQL, replicas starting together each run `tinysteps db
    upgrade`: the first takes the lock and migrates, the others wait for it, then find
    nothing left to do. On SQLite, foreign keys are off meanwhile (`_foreign_keys`)."""

    def on(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config)  # type: ignore[operator]

    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await _foreign_keys(connection, on=False)
        try:
            async with connection.begin():
                if not sqlite:
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                    )
                await connection.run_sync(on)
                if sqlite:
                    broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"migrating left rows pointing nowhere: {broken[:5]}")
        finally:
            if sqlite:
                await _foreign_keys(connection, on=True)


async def _foreign_keys(connection: AsyncConnection, *, on: bool) -> None:
    """SQLite alters a table by copying it and dropping the old one (Alembic's batch mode).
    With foreign keys on, that DROP deletes every row that points at the table through an
    ON DELETE CASCADE (0010 rebuilding `nudge` deleted the outbox's prompts). The pragma only
    changes outside a transaction, so it is set on the driver's connection, before BEGIN."""
    raw = await connection.get_raw_connection()
    assert raw.driver_connection is not None
    await raw.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
