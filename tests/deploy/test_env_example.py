""".env.example names every setting, so it cannot fall behind adapters/settings.py."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / ".env.example"
# Read by compose.yaml, not by Tiny Steps.
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "TINYSTEPS_PORT"}
ASSIGNMENT = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$")


def listed() -> set[str]:
    """Every variable .env.example shows, set or commented out (`# NAME=default`)."""
    found = (ASSIGNMENT.match(line) for line in EXAMPLE.read_text().splitlines())
    return {match.group(1) for match in found if match}


def setting_names() -> set[str]:
    """The environment variables Settings reads (field names, case-insensitive, no prefix)."""
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add((alias if isinstance(alias, str) else name).upper())
    return names


def test_every_setting_is_in_env_example() -> None:
    missing = setting_names() - listed()

    assert not missing, f"add these to .env.example: {', '.join(sorted(missing))}"


def test_env_example_names_nothing_that_is_not_read() -> None:
    unknown = listed() - setting_names() - COMPOSE_ONLY

    assert not unknown, f"nothing reads these: {', '.join(sorted(unknown))}"


def test_each_setting_is_shown_once_below_a_comment_saying_what_it_is_for() -> None:
    lines = EXAMPLE.read_text().splitlines()
    names = [m.group(1) for m in map(ASSIGNMENT.match, lines) if m]
    assert len(names) == len(set(names)), "a setting shown twice"
    for number, line in enumerate(lines):
        if not ASSIGNMENT.match(line):
            continue
        above = number - 1  # a group of related settings shares one explanation
        while ASSIGNMENT.match(lines[above]):
            above -= 1
        assert lines[above].startswith("# "), f"{line}: say what it is for, above it"


def test_env_example_as_it_stands_is_a_valid_configuration() -> None:
    """Copied to .env unchanged, it parses (uncommented lines hold valid values)."""
    Settings(_env_file=EXAMPLE)  # type: ignore[call-arg]


def test_uncommented_lines_set_something() -> None:
    """`NAME=` with nothing after it sets the empty string, which few settings accept."""
    for line in EXAMPLE.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            assert value.strip(), f"{name}: comment it out to keep the default"
