"""The core stays platform-neutral: bot/ imports no platform library, no SQLAlchemy and no
settings library, and names no platform in its code (its user-facing words in `texts` may)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents",
    "botbuilder",
    "sqlalchemy",
    "aiohttp",
    "storage",
    "adapters",
    "pydantic",
    "pydantic_settings",
)
PLATFORM_WORDS = re.compile(r"\b(slack|teams|msteams|microsoft|web)\b", re.IGNORECASE)
PLATFORM_NAMES = re.compile(r"SLACK|MICROSOFT|TEAMS", re.IGNORECASE)
CORE_MODULES = sorted((ROOT / "bot").rglob("*.py"))


def module_name(path: Path) -> str:
    """`bot/ports/records.py` → `bot.ports.records` (a package's `__init__` → the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE_MODULES, ids=module_name)
def test_core_module_imports_nothing_platform_specific(path: Path) -> None:
    offending = {name for name in imported_names(path) if name.split(".")[0] in FORBIDDEN}
    assert not offending, f"{path.name} imports {sorted(offending)}"


def test_importing_the_whole_core_loads_no_platform_library() -> None:
    modules = ", ".join(module_name(p) for p in CORE_MODULES)
    probe = (
        f"import sys, {modules}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def platform_mentions(path: Path) -> list[str]:
    """Platform names in a module's code: string values and identifiers (not docstrings)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and PLATFORM_WORDS.search(node.value)
        ):
            found.append(repr(node.value))
        elif isinstance(node, ast.Name | ast.Attribute | ast.arg | ast.FunctionDef):
            name = (
                getattr(node, "id", None)
                or getattr(node, "attr", None)
                or getattr(node, "arg", None)
                or getattr(node, "name", "")
            )
            if PLATFORM_NAMES.search(str(name)):
                found.append(str(name))
    return found


@pytest.mark.parametrize(
    "path", [p for p in CORE_MODULES if "texts" not in p.parts], ids=module_name
)
def test_core_module_names_no_platform(path: Path) -> None:
    assert platform_mentions(path) == []


def test_the_platform_check_would_catch_a_settings_field(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.py"
    leaky.write_text('slack_bot_token = None\nADAPTERS = ("slack", "web")\n')

    assert len(platform_mentions(leaky)) == 3
