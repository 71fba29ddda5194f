"""Write `docs/RELIABILITY.md` from the figures the reliability tests recorded.

    .venv/bin/pytest tests/reliability -m slow -p no:randomly   # records .reliability/results.json
    .venv/bin/python -m tests.reliability.report                 # writes docs/RELIABILITY.md

Never edit `docs/RELIABILITY.md` by hand: every number in it comes from the JSON file, which
the tests write as they run (`tests/reliability/results.py`), failing runs included.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tests.reliability.results import ROOT, load, results_path

OUT = ROOT / "docs" / "RELIABILITY.md"

# The scenarios in the order the document shows them; any other recorded one follows.
ORDER = ("load-20", "load-200", "outage", "kill-replies", "kill-fanout", "sigterm-fanout")

# What each figure is called in the document, in the order shown; others follow by name.
LABELS = {
    "events": "events sent",
    "people": "people",
    "offered_per_second": "offered rate (events/s)",
    "events_per_second": "acknowledged rate (events/s)",
    "tries": "tries (requests sent; for fan-outs, deliverer processes started)",
    "retried": "events that needed a retry",
    "failures": "tries not acknowledged, by reason",
    "faults": "faults injected",
    "acknowledged": "events acknowledged",
    "stored": "events stored",
    "lost": "lost (an acknowledged event not stored; a person never asked)",
    "duplicated": "duplicated (an event stored twice; a person asked twice)",
    "p50_ack_ms": "p50 ack (ms)",
    "p99_ack_ms": "p99 ack (ms)",
    "max_ack_ms": "slowest ack (ms)",
    "p99_until_acked_s": "p99 from first try to acknowledged, retries included (s)",
    "max_until_acked_s": "longest from first try to acknowledged (s)",
    "generator_late_ms": "load generator behind its schedule, at worst (ms)",
    "connections_dropped": "database connections dropped by the proxy",
    "stored_before_acknowledged": "events stored but not yet acknowledged when killed",
    "replies_owed_at_kill": "events whose replies were not yet sent when killed",
    "replies_missing": '"Logged" replies missing',
    "replies_duplicated": '"Logged" replies sent twice',
    "rows_taken_over": "outbox rows taken over from a killed deliverer",
    "sent_before_stop": "questions sent before the stop",
    "handed_back": "outbox rows handed back at SIGTERM",
    "leases_held_after_exit": "leases held after exit",
    "exit_seconds": "SIGTERM to exit (s)",
}

SUMMARY = (
    ("tries", "tries"),
    ("faults", "faults injected"),
    ("lost", "lost"),
    ("duplicated", "duplicated"),
    ("p50_ack_ms", "p50 ack (ms)"),
    ("p99_ack_ms", "p99 ack (ms)"),
    ("events_per_second", "events/s"),
)

MACHINE = (
    ("cores", "cores"),
    ("cpu", "CPU"),
    ("system", "system"),
    ("python", "Python"),
    ("postgresql", "PostgreSQL"),
    ("revision", "code (git)"),
    ("date", "run on"),
    ("load_average_at_start", "load average at the start (1, 5, 15 min)"),
)


def shown(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value) or "none"
    return str(value).replace("|", "\\|")


def ordered(scenarios: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    known = [(key, scenarios[key]) for key in ORDER if key in scenarios]
    return known + [(k, v) for k, v in scenarios.items() if k not in ORDER]


def ordered_figures(figures: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    for key, label in LABELS.items():
        if key in figures:
            yield label, figures[key]
    for key, value in figures.items():
        if key not in LABELS:
            yield key.replace("_", " "), value


def render(data: dict[str, Any]) -> str:
    machine: dict[str, Any] = data.get("machine") or {}
    scenarios = ordered(data.get("scenarios") or {})
    lines = [
        "# Reliability",
        "",
        "<!-- Written by `python -m tests.reliability.report` from the figures the reliability "
        "tests recorded; do not edit by hand. -->",
        "",
        "What Tiny Steps does when it is pushed and broken: real `tinysteps serve` and `tick` "
        "processes on PostgreSQL, signed Slack events over real HTTP, Slack's Web API faked in a "
        "process of its own, and faults injected while they work. The tests are "
        "`tests/reliability/test_load.py` and `tests/reliability/test_faults.py`; they record "
        "these figures as they run, and `python -m tests.reliability.report` writes this page "
        "from them. (The fuzz suite beside them, `tests/reliability/test_fuzz_*.py`, records no "
        "figures: it passes or it fails.) To run them again:",
        "",
        "```sh",
        ".venv/bin/pytest tests/reliability/test_load.py tests/reliability/test_faults.py -p no:randomly",
        ".venv/bin/python -m tests.reliability.report",
        "```",
        "",
        "## The machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {label} | {shown(machine.get(key))} |" for key, label in MACHINE]
    lines += [
        "",
        "Other work shared the machine during the run, so rates and times are noisy; what is "
        "lost or duplicated is not.",
        "",
        "## Summary",
        "",
        "| scenario | outcome | " + " | ".join(label for _, label in SUMMARY) + " |",
        "|---|---|" + "---:|" * len(SUMMARY),
    ]
    for _, scenario in scenarios:
        figures = scenario.get("figures") or {}
        cells = [shown(figures.get(key)) for key, _ in SUMMARY]
        lines.append(f"| {scenario['title']} | {outcome(scenario)} | " + " | ".join(cells) + " |")
    for _, scenario in scenarios:
        lines += [
            "",
            f"## {scenario['title']}",
            "",
            f"**{outcome(scenario)}** in {shown(scenario.get('seconds'))} s "
            f"(`{scenario.get('test', '')}`, {scenario.get('recorded', '')}).",
            "",
            scenario.get("checks", ""),
            "",
            "| figure | value |",
            "|---|---:|",
        ]
        lines += [
            f"| {label} | {shown(value)} |"
            for label, value in ordered_figures(scenario.get("figures") or {})
        ]
        faults = scenario.get("faults") or []
        if faults:
            lines += ["", "Faults injected (seconds into the scenario):", ""]
            lines += [f"- {fault.strip()}" for fault in faults]
    return "\n".join(lines) + "\n"


def outcome(scenario: dict[str, Any]) -> str:
    found = str(scenario.get("outcome") or "")
    return {"passed": "passed", "skipped": "skipped"}.get(found, found.upper() or "not run")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.report", description=__doc__)
    parser.add_argument("--results", type=Path, default=None, help="the tests' JSON figures")
    parser.add_argument("--out", type=Path, default=OUT, help="the page to write")
    args = parser.parse_args(argv)
    path = args.results or results_path()
    if not path.exists():
        parser.error(f"no results at {path}: run the reliability tests first")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(load(path)))
    print(f"wrote {args.out} from {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
