"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

# A result row of any width, read by column name (`select(*Model.__table__.c)`).
type AnyRow = Row[*tuple[Any, ...]]


def insert_or_ignore(session: AsyncSession, table: Table, **values: Any) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING`: a clash with a unique key is not an error.

    Unlike catching IntegrityError, this keeps a PostgreSQL transaction usable afterwards.
    """
    assert session.bind is not None
    dialect = session.bind.dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table).values(**values).on_conflict_do_nothing()


async def insert_or_ignore_many(
    session: AsyncSession, table: Table, rows: list[dict[str, Any]]
) -> int:
    """Many rows of `INSERT … ON CONFLICT DO NOTHING` in one go; returns how many were new."""
    return len(await insert_or_ignore_returning(session, table, rows, table.c.id))


async def insert_or_ignore_returning(
    session: AsyncSession, table: Table, rows: list[dict[str, Any]], *returning: Any
) -> list[AnyRow]:
    """Many rows of `INSERT … ON CONFLICT DO NOTHING` in one go; the new ones come back.

    One small statement with many parameter sets, which SQLAlchemy batches ("insertmanyvalues")
    from a cached compilation: far cheaper than compiling one huge multi-row VALUES.
    """
    if not rows:
        return []
    assert session.bind is not None
    builder = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    statement = builder(table).on_conflict_do_nothing().returning(*returning)
    return list((await session.execute(statement, rows)).all())
