"""Apply and undo migrations from code (`tinysteps db upgrade`, `serve` on SQLite, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations


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
    def on(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config)  # type: ignore[operator]

    async with engine.begin() as connection:
        await connection.run_sync(on)
