"""The `tinysteps` command line, run as operators run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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


def tinysteps_at_once(
    *commands: tuple[str, ...], database: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Commands that only read, each in a process of its own, run side by side."""
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(lambda args: tinysteps(*args, database=database), commands))


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


def test_link_maps_a_tenant_onto_a_school(demo_db: Path) -> None:
    linked = tinysteps("link", "teams", "tenant-9", "--school", "1", database=demo_db)
    again = tinysteps("link", "teams", "tenant-9", "--school", "1", database=demo_db)

    assert linked.returncode == 0, linked.stderr
    assert "will join" in linked.stdout
    assert again.returncode == 2
    assert "already belongs" in again.stderr


def test_export_writes_the_demo_schools_entries_as_csv_for_excel(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "entries.csv"

    result = tinysteps(
        "export", "--school", "1", "--period", "last week", "--out", str(out), database=demo_db
    )

    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "id,date,school,department,person,text,status,outcome,theme"
    assert f"Wrote {len(lines) - 1} entries" in result.stdout
    assert len(lines) > 1


def test_export_with_an_unclear_period_says_what_works(demo_db: Path, tmp_path: Path) -> None:
    result = tinysteps(
        "export", "--school", "1", "--period", "soon", "--out", str(tmp_path / "x.csv"),
        database=demo_db,
    )  # fmt: skip

    assert result.returncode == 2
    assert "couldn't read “soon” as a period" in result.stderr


def test_summary_prints_the_demo_schools_figures_as_json(demo_db: Path) -> None:
    result = tinysteps(
        "summary", "--school", "1", "--period", "last week", "--json", database=demo_db
    )

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["people"] == 12
    assert 0 < figures["participants"] <= 12
    assert figures["entries"] > 0
    assert {d["name"] for d in figures["departments"]} >= {"Maths"}


def test_org_commands_make_a_trust_with_a_leader(demo_db: Path) -> None:
    steps = [
        tinysteps("org", "create", "North Trust", database=demo_db),
        tinysteps("org", "add-school", "North Trust", "--school", "1", database=demo_db),
        tinysteps("people", "--school", "1", database=demo_db),
    ]
    person = steps[-1].stdout.split()[0]
    steps.append(
        tinysteps("org", "role", "North Trust", "leader", "--person", person, database=demo_db)
    )

    assert [s.returncode for s in steps] == [0, 0, 0, 0], [s.stderr for s in steps]
    assert "is now a leader across North Trust" in steps[-1].stdout


def test_org_role_for_an_unknown_trust_is_refused(demo_db: Path) -> None:
    result = tinysteps("org", "role", "Nowhere", "leader", "--person", "1", database=demo_db)

    assert result.returncode == 2
    assert "no trust called Nowhere" in result.stderr


def test_standouts_lists_the_demo_schools_standouts_as_json(demo_db: Path) -> None:
    result = tinysteps("standouts", "--school", "1", "--json", database=demo_db)

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [s["consent"] for s in found] == ["named", "asked"]
    assert (found[0]["adopters"], found[0]["tried"]) == (3, 1)
    assert set(found[0]) >= {"id", "text", "department", "targets", "departments", "schools"}


def test_standouts_for_an_unknown_school_is_refused(migrated_db: Path) -> None:
    result = tinysteps("standouts", "--school", "9", database=migrated_db)

    assert result.returncode == 2
    assert "can't find that school" in result.stderr


def test_schools_add_then_import_entries_from_a_file(migrated_db: Path, tmp_path: Path) -> None:
    records = tmp_path / "past.csv"
    records.write_text("date,person,department,text\n2025-09-08,Priya,Maths,Exit tickets\n")

    added = tinysteps(
        "schools", "add", "Hill Top", "--timezone", "Europe/London", database=migrated_db
    )
    imported = tinysteps("import", "entries", str(records), "--school", "1", database=migrated_db)

    assert added.stdout.strip() == "Added school 1: Hill Top (Europe/London)."
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 entries; 1 new people and 1 new departments." in imported.stdout


def test_themes_and_similar_read_texts_for_operators(demo_db: Path) -> None:
    themes, similar = tinysteps_at_once(
        ("themes", "--school", "1", "--json", "--text", "Quizzed Y8 on last term"),
        ("similar", "--school", "1", "--limit", "2", "--json", "--text", "Exit tickets on fractions"),
        database=demo_db,
    )  # fmt: skip

    assert themes.returncode == 0, themes.stderr
    assert json.loads(themes.stdout)["theme"] == "retrieval"
    assert similar.returncode == 0, similar.stderr
    found = json.loads(similar.stdout)
    assert found["text"] == "Exit tickets on fractions"
    assert len(found["matches"]) == 2
    assert set(found["matches"][0]) == {"id", "text", "person", "score"}


def test_org_sharing_turns_cross_school_suggestions_on(demo_db: Path) -> None:
    result = tinysteps("org", "sharing", "Riverside Learning Trust (demo)", "on", database=demo_db)

    assert result.returncode == 0, result.stderr
    assert "looks across the trust's schools" in result.stdout
