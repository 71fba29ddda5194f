"""`tinysteps db upgrade` against a database it can't reach: one clear line, exit status 1."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.test_cli import tinysteps


def test_db_upgrade_with_an_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    result = tinysteps(
        "db",
        "upgrade",
        database=tmp_path / "unused.db",
        DATABASE_URL="postgresql+asyncpg://tiny:secret@127.0.0.1:1/school",
    )

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Can't reach the database at 127.0.0.1:1/school: connection refused"
    ]
    assert result.stdout == ""
