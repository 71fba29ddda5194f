"""Fixtures shared by adapter tests: a fixed clock, and databases for the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.clock import FixedClock
from tests.adapters.test_cli import tinysteps
from tests.bot.chat import TUESDAY


@pytest.fixture
def clock() -> FixedClock:
    """A Tuesday in term, mid-morning in London."""
    return FixedClock(TUESDAY)


def copy_database(template: Path, database: Path) -> Path:
    """Copy a SQLite database file, with its write-ahead log if one was left behind."""
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copy(source, database.with_name(database.name + suffix))
    return database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school exactly as `tinysteps demo` loads it, built once per test session."""
    database = tmp_path_factory.mktemp("demo") / "cli.db"
    loaded = tinysteps("demo", database=database)
    assert loaded.returncode == 0, loaded.stderr
    return database


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of its own of the database `tinysteps demo` left (copying takes milliseconds;
    loading the demo again in a new process takes seconds)."""
    return copy_database(demo_template, tmp_path / "cli.db")


@pytest.fixture
def migrated_db(sqlite_template: Path, tmp_path: Path) -> Path:
    """A copy of its own of an empty database migrated to head, as `tinysteps db upgrade`
    leaves it."""
    return copy_database(sqlite_template, tmp_path / "cli.db")
