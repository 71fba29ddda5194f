"""Small SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_or_ignore(session: AsyncSession, table: Table, **values: Any) -> Any:
    """`INSERT … ON CONFLICT DO NOTHING`: a clash with a unique key is not an error.

    Unlike catching IntegrityError, this keeps a PostgreSQL transaction usable afterwards.
    """
    assert session.bind is not None
    dialect = session.bind.dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table).values(**values).on_conflict_do_nothing()
