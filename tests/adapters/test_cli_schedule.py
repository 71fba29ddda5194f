"""`tinysteps tick` and `tinysteps calendar import`, run as operators and cron run them.

Each test has its own copy of the demo school (`demo_db`, built once by `tinysteps demo`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.test_cli import tinysteps

TUESDAY = "2026-11-24T15:30:00Z"


def test_dry_run_lists_who_would_be_nudged_and_sends_nothing(demo_db: Path) -> None:
    result = tinysteps("tick", "--dry-run", "--at", TUESDAY, database=demo_db)

    assert result.returncode == 0, result.stderr
    assert "Amira Haddad: prompt: due now" in result.stdout
    assert "Isaac Cohen: not yet: due at 15:30 local time" in result.stdout
    again = tinysteps("tick", "--dry-run", "--at", TUESDAY, database=demo_db)
    assert "prompt: due now" in again.stdout


def test_tick_delivers_and_reports(demo_db: Path) -> None:
    first = tinysteps("tick", "--at", TUESDAY, database=demo_db)
    second = tinysteps("tick", "--at", TUESDAY, database=demo_db)

    assert first.returncode == 0, first.stderr
    assert "planned 8, sent 8" in first.stdout  # the eight London staff; New York is later
    assert "planned 0, sent 0" in second.stdout


def test_dry_run_on_a_holiday_names_it(demo_db: Path) -> None:
    result = tinysteps("tick", "--dry-run", "--at", "2026-12-25T15:30:00Z", database=demo_db)

    assert "public holiday: Christmas Day" in result.stdout


@pytest.mark.parametrize("at", ["yesterday", "2026-11-24T15:30:00"])
def test_a_bad_instant_is_refused(demo_db: Path, at: str) -> None:
    result = tinysteps("tick", "--at", at, database=demo_db)

    assert result.returncode == 2
    assert "--at" in result.stderr


def test_a_calendar_file_is_imported(demo_db: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text(
        "kind,start,end,name\nterm,2026-09-03,2026-12-18,Autumn\nclosed,2026-11-27,2026-11-27,INSET\n"
    )

    result = tinysteps("calendar", "import", str(csv_file), "--school", "1", database=demo_db)

    assert result.returncode == 0, result.stderr
    assert "Imported 1 term and 1 closure" in result.stdout
    friday = tinysteps("tick", "--dry-run", "--at", "2026-11-27T15:30:00Z", database=demo_db)
    assert "school closed: INSET" in friday.stdout


def test_a_malformed_calendar_file_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "calendar.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nthis is not right")

    result = tinysteps("calendar", "import", str(bad), "--school", "1", database=demo_db)

    assert result.returncode == 2
    assert "isn't a calendar file" in result.stderr


def test_importing_into_an_unknown_school_is_refused(demo_db: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("kind,start,end,name\nterm,2026-09-03,2026-12-18,Autumn\n")

    result = tinysteps("calendar", "import", str(csv_file), "--school", "99", database=demo_db)

    assert result.returncode == 2
    assert "can't find that school" in result.stderr
