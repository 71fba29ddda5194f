"""The `tinysteps` command line, run as operators run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def tinysteps(*args: str, database: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SLACK_", "MICROSOFT_", "TINYSTEPS_"))
            },
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            **env,
        },
        cwd=database.parent,
        timeout=120,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def test_db_upgrade_creates_the_schema(database: Path) -> None:
    result = tinysteps("db", "upgrade", database=database)

    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert database.exists()


def test_demo_loads_a_sample_school_once(database: Path) -> None:
    first = tinysteps("demo", database=database)
    second = tinysteps("demo", database=database)

    assert first.returncode == 0, first.stderr
    assert "12 people" in first.stdout
    assert "already loaded" in second.stdout


def test_a_configuration_mistake_is_a_plain_message(database: Path) -> None:
    result = tinysteps("db", "upgrade", database=database, SLACK_CLIENT_ID="123")

    assert result.returncode == 2
    assert "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must be set together" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_anonymous_teams_on_a_public_address(database: Path) -> None:
    result = tinysteps(
        "serve",
        "--host",
        "0.0.0.0",
        database=database,
        TINYSTEPS_TEAMS_INSECURE_LOCAL="1",
        TINYSTEPS_ADAPTERS="web",
    )

    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_link_maps_a_tenant_onto_a_school(database: Path) -> None:
    tinysteps("demo", database=database)

    linked = tinysteps("link", "teams", "tenant-9", "--school", "1", database=database)
    again = tinysteps("link", "teams", "tenant-9", "--school", "1", database=database)

    assert linked.returncode == 0, linked.stderr
    assert "will join" in linked.stdout
    assert again.returncode == 2
    assert "already belongs" in again.stderr
