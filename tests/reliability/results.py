"""The figures the reliability tests record as they run, kept in one JSON file.

`.reliability/results.json` (git-ignored; `TINYSTEPS_RELIABILITY_RESULTS` puts it elsewhere)
holds the machine the run was on and, per scenario, the test's outcome, its duration, what it
checks and its figures. Each test replaces its own scenario's entry, so the file always shows
the latest run of every scenario. `python -m tests.reliability.report` turns it into
`docs/RELIABILITY.md`.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RESULTS = ROOT / ".reliability" / "results.json"

Figure = int | float | str | list[str] | dict[str, int]


def results_path() -> Path:
    return Path(os.environ.get("TINYSTEPS_RELIABILITY_RESULTS") or DEFAULT_RESULTS)


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or results_path()
    if not path.exists():
        return {"machine": {}, "scenarios": {}}
    data: dict[str, Any] = json.loads(path.read_text())
    data.setdefault("machine", {})
    data.setdefault("scenarios", {})
    return data


def save(data: dict[str, Any], path: Path | None = None) -> None:
    path = path or results_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    partial.replace(path)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def revision() -> str:
    """The code measured: `TINYSTEPS_RELIABILITY_REVISION`, else git's HEAD (read only), noting
    uncommitted changes to tracked files."""
    named = os.environ.get("TINYSTEPS_RELIABILITY_REVISION")
    if named:
        return named

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=30
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} with uncommitted changes" if changed else head


def machine(postgres: str) -> dict[str, Any]:
    """What the figures depend on: the machine, the software, and how busy it was."""
    try:
        load_average = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load_average = []
    return {
        "cores": os.cpu_count() or 0,
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "system": f"{platform.system()} {platform.release()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": revision(),
        "load_average_at_start": load_average,
    }


@dataclass
class Scenario:
    """One test's entry: set `key`, `title` and `checks`, fill `figures`; the results fixture
    records it with the test's outcome when the test ends (passed or not)."""

    key: str = ""
    title: str = ""
    checks: str = ""
    figures: dict[str, Figure] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)  # each fault injected, with its time
    began: float = field(default_factory=time.monotonic)

    def describe(self, key: str, title: str, checks: str) -> None:
        self.key, self.title, self.checks = key, title, checks

    def fault(self, at: float, what: str) -> None:
        """Note a fault injected `at` seconds into the scenario."""
        self.faults.append(f"{at:5.1f} s: {what}")

    def record(self, *, test: str, outcome: str, machine_info: dict[str, Any]) -> None:
        if not self.key:
            return
        data = load()
        data["machine"] = machine_info
        data["scenarios"][self.key] = {
            "title": self.title,
            "test": test,
            "outcome": outcome,
            "seconds": round(time.monotonic() - self.began, 1),
            "recorded": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "checks": self.checks,
            "figures": self.figures,
            "faults": self.faults,
        }
        save(data)
