"""The `tinysteps` command line (the contract in DESIGN.md).

Example: `tinysteps serve --port 3000`, `tinysteps db upgrade`, `tinysteps demo`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from adapters.settings import Settings
from bot import texts

if TYPE_CHECKING:
    from adapters.server import Services

app = typer.Typer(
    help="Tiny Steps: one small improvement a day, shared across your schools.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
calendar_app = typer.Typer(help="School calendar commands.", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
manifest_app = typer.Typer(help="Platform app manifests.", no_args_is_help=True)
app.add_typer(manifest_app, name="manifest")
org_app = typer.Typer(help="Trusts (organisations of schools).", no_args_is_help=True)
app.add_typer(org_app, name="org")
import_app = typer.Typer(help="Load past records.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _settings() -> Settings:
    """Read the settings once, turning a configuration mistake into a plain message."""
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            str(item["msg"]).removeprefix("Value error, ") for item in error.errors()
        )
        typer.echo(f"Configuration problem: {problems}", err=True)
        raise typer.Exit(2) from None
    from adapters.logs import configure

    configure(settings.tinysteps_log_level, settings.log_format)
    return settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 3000,
) -> None:
    """Run the HTTP server with every enabled adapter."""
    from adapters.server import StartupError
    from adapters.server import serve as run_server

    settings = _settings()
    try:
        asyncio.run(run_server(settings, host=host, port=port))
    except StartupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    except OSError as error:
        typer.echo(f"Could not listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations to DATABASE_URL."""
    from sqlalchemy.exc import DBAPIError

    from storage import migrate
    from storage.engine import DatabaseUnreachable, address, create_engine

    settings = _settings()

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except DatabaseUnreachable as error:  # one line, not the driver's long traceback
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    except DBAPIError as error:
        if error.statement is not None:
            raise  # a migration itself failed: its traceback is what a developer needs
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        where = address(settings.database_url)
        typer.echo(f"Can't use the database at {where}: {reason}", err=True)
        raise typer.Exit(1) from None
    typer.echo("Database is up to date.")


@app.command()
def tick(
    at: Annotated[
        str | None,
        typer.Option(help="Act as if it were this instant (ISO 8601, e.g. 2026-11-24T15:30:00Z)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Only list who would be nudged, and why not the others."),
    ] = False,
) -> None:
    """Run one scheduler tick: plan and deliver due nudges, reminders and weekly notes."""
    from adapters.scheduling import record
    from adapters.server import build_services
    from bot.schedule import Decision

    settings = _settings()
    instant = _instant(at) if at else None

    async def run() -> list[Decision] | str:
        services = build_services(settings)
        now = instant or services.clock.now()
        try:
            if dry_run:
                decisions: list[Decision] = []
                await services.scheduler.plan(now, decisions, dry_run=True)
                return decisions
            report = await services.scheduler.tick(now)
            record(report)
        finally:
            await services.close()
        return f"{now.isoformat(timespec='minutes')}: {report.summary()}."

    result = asyncio.run(run())
    if isinstance(result, str):
        typer.echo(result)
        return
    if not result:
        typer.echo("Nobody to consider: add a school and people first.")
    for decision in result:
        when = decision.due_at.strftime("%Y-%m-%d %H:%M UTC") if decision.due_at else ""
        what = f"{decision.kind.value}: " if decision.kind else ""
        typer.echo(f"{decision.school} · {decision.name}: {what}{decision.reason} ({when})")


def _instant(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        typer.echo(f"--at {text!r} isn't an ISO 8601 time, e.g. 2026-11-24T15:30:00Z", err=True)
        raise typer.Exit(2) from None
    if parsed.tzinfo is None:
        typer.echo("--at needs a time zone, e.g. 2026-11-24T15:30:00Z or +00:00", err=True)
        raise typer.Exit(2)
    return parsed.astimezone(UTC)


@calendar_app.command("import")
def calendar_import(
    path: Annotated[
        Path, typer.Argument(help="An iCalendar (.ics) or CSV (kind,start,end,name) file.")
    ],
    school: Annotated[
        int, typer.Option(help="The school's number, as `tinysteps schools` lists it.")
    ],
) -> None:
    """Add term dates and closures from a file: all of it, or nothing with the reason."""
    from adapters.server import build_services
    from bot.calendar.importing import MAX_IMPORT_BYTES
    from bot.calendar.schoolcal import CalendarInputError
    from bot.conversation.settings_chat import import_calendar

    settings = _settings()
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CalendarInputError(texts.import_too_big(MAX_IMPORT_BYTES))
        data = path.read_bytes()
    except OSError as error:
        typer.echo(f"Could not read {path}: {error.strerror or error}", err=True)
        raise typer.Exit(2) from None
    except CalendarInputError as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None

    async def run() -> str:
        services = build_services(settings)
        try:
            return await import_calendar(services.store, services.clock, school, path.name, data)
        finally:
            await services.close()

    try:
        typer.echo(asyncio.run(run()))
    except CalendarInputError as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None


@manifest_app.command("slack")
def manifest_slack(
    url: Annotated[
        str, typer.Option(help="The bot's public https address, e.g. https://tinysteps.example.org")
    ],
    socket_mode: Annotated[
        bool, typer.Option(help="Events over Socket Mode (SLACK_APP_TOKEN): no request URLs")
    ] = False,
) -> None:
    """Print the Slack app manifest (YAML) for "Create an app → From a manifest"."""
    from adapters.slack.manifest import ManifestError, slack_manifest_yaml

    try:
        typer.echo(slack_manifest_yaml(url, socket_mode=socket_mode), nl=False)
    except ManifestError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


@manifest_app.command("teams")
def manifest_teams(
    app_id: Annotated[
        str, typer.Option(help="The bot's Microsoft App ID (Azure Bot registration)")
    ],
    url: Annotated[
        str, typer.Option(help="The bot's public https address, e.g. https://tinysteps.example.org")
    ],
    out: Annotated[Path, typer.Option(help="Where to write the zip")] = Path("tinysteps-teams.zip"),
) -> None:
    """Write the Teams app package (manifest.json and icons) to upload in Teams."""
    from adapters.teams.package import PackageError, app_package

    try:
        out.write_bytes(app_package(app_id, url))
    except PackageError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Wrote {out}: upload it in Teams under Apps → Manage your apps → Upload an app.")


@app.command()
def schools(
    action: Annotated[str | None, typer.Argument(help="`add` to add a school")] = None,
    name: Annotated[str | None, typer.Argument(help="The new school's name")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Its time zone (default: TINYSTEPS_DEFAULT_TIMEZONE)")
    ] = None,
) -> None:
    """List schools with their numbers, or `tinysteps schools add NAME [--timezone …]` to add
    one (it prints the new school's number)."""
    from adapters.directory import DirectoryError
    from adapters.server import build_services
    from bot import texts

    if action not in (None, "add") or (action == "add" and not name):
        typer.echo("Say `tinysteps schools` or `tinysteps schools add NAME`.", err=True)
        raise typer.Exit(2)
    settings = _settings()

    async def run() -> list[str]:
        services = build_services(settings)
        try:
            if action == "add":
                assert name is not None
                added = await services.directory.create_school(name, timezone)
                return [texts.school_added(added.id, added.name, added.timezone)]
            return [f"{s.id}  {s.name}  ({s.timezone})" for s in await services.directory.schools()]
        finally:
            await services.close()

    try:
        lines = asyncio.run(run())
    except DirectoryError as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None
    typer.echo("\n".join(lines) if lines else "No schools yet.")


@import_app.command("entries")
def import_entries(
    file: Annotated[Path, typer.Argument(help="A CSV file: date, person, department, text")],
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
) -> None:
    """Load a school's past entries: people and departments are created by name; all or
    nothing, with every problem named by its line number."""
    from adapters.importing import import_entries as load

    if not file.is_file():
        typer.echo(f"There is no file {file}.", err=True)
        raise typer.Exit(2)
    text = file.read_text(encoding="utf-8-sig")
    done = _run_refusable(_settings(), lambda s: load(s.store, s.clock, school, text))
    typer.echo(done.describe())


@app.command()
def link(
    platform: Annotated[str, typer.Argument(help="slack or teams")],
    workspace: Annotated[str, typer.Argument(help="The Slack team id (T…) or Teams tenant id")],
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
) -> None:
    """Map a Slack workspace or Teams tenant onto an existing school, before it installs."""
    from adapters.directory import DirectoryError
    from adapters.server import build_services
    from bot.texts import workspace_linked

    if platform not in ("slack", "teams"):
        typer.echo("The platform is slack or teams.", err=True)
        raise typer.Exit(2)
    settings = _settings()

    async def run() -> str:
        services = build_services(settings)
        try:
            found = await services.directory.link_workspace(school, platform, workspace)
        finally:
            await services.close()
        return workspace_linked(platform, workspace, found.name)

    try:
        typer.echo(asyncio.run(run()))
    except DirectoryError as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None


@app.command()
def demo() -> None:
    """Load a small sample school so the web chat and summaries have something to show."""
    from adapters.demo import load_demo
    from adapters.server import build_services
    from storage import migrate

    settings = _settings()

    async def run() -> str:
        services = build_services(settings)
        try:
            if settings.is_sqlite:
                await migrate.upgrade(services.engine)
            result = await load_demo(services.store, services.clock)
        finally:
            await services.close()
        return result.describe()

    typer.echo(asyncio.run(run()))


@app.command()
def export(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
    out: Annotated[Path, typer.Option(help="The CSV file to write.")],
    period: Annotated[
        str, typer.Option(help="this week, last month, this term, or 2026-09-01 to 2026-12-18")
    ] = "this week",
) -> None:
    """Write a school's entries in a period as CSV (UTF-8 for Excel, formula-safe).

    Example: `tinysteps export --school 1 --period "last month" --out entries.csv`.
    """
    from adapters.server import build_services
    from bot.leaders.export import export_school
    from bot.refusals import Refusal

    settings = _settings()

    async def run() -> tuple[str, int]:
        services = build_services(settings)
        try:
            return await export_school(services.store, services.clock, school, period)
        finally:
            await services.close()

    try:
        text, entries = asyncio.run(run())
    except Refusal as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None
    out.write_text(text, encoding="utf-8-sig", newline="")
    typer.echo(f"Wrote {entries} entries to {out}.")


@app.command()
def summary(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
    period: Annotated[
        str, typer.Option(help="this week, last month, this term, or 2026-09-01 to 2026-12-18")
    ] = "this week",
    department: Annotated[str | None, typer.Option(help="Only this department.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """A school's figures for a period: people, who logged, entries and the trend, departments,
    recurring words. Example: `tinysteps summary --school 1 --period "last month" --json`."""
    from adapters.server import build_services
    from bot.leaders.summary import Summary, school_summary
    from bot.refusals import Refusal

    settings = _settings()

    async def run() -> Summary:
        services = build_services(settings)
        try:
            return await school_summary(
                services.store, services.clock, school, period, department=department
            )
        finally:
            await services.close()

    try:
        found = asyncio.run(run())
    except Refusal as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{found.period.start.isoformat()} to {found.period.end.isoformat()}")
    typer.echo(
        f"{found.participants} of {found.people} people logged "
        f"({found.participation_rate:.0%}); {found.entries} entries "
        f"({found.previous_entries} in the period before)"
    )
    for d in found.departments:
        typer.echo(f"  {d.name}: {d.participants} of {d.people} people, {d.entries} entries")
    if found.themes:
        typer.echo("Recurring words: " + ", ".join(f"{t.term} ({t.count})" for t in found.themes))


@app.command()
def standouts(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """A school's standouts: consent, where each was reposted (and whether it arrived), and
    who said they'd try it. Example: `tinysteps standouts --school 1 --json`."""
    from bot.sharing.report import school_standouts

    found = _run_refusable(_settings(), lambda s: school_standouts(s.store, school))
    if as_json:
        typer.echo(json.dumps([f.as_json() for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("No standouts yet.")
    for f in found:
        who = f.author or "a colleague"
        typer.echo(f"{f.line()} ({who}, {f.department}; {f.reason}; consent {f.consent})")
        for target in f.targets:
            typer.echo(f"    {target.platform} {target.channel}: {target.status}")


@org_app.command("sharing")
def org_sharing(
    org: Annotated[str, typer.Argument(help="The trust's name")],
    setting: Annotated[str, typer.Argument(help="on or off")],
) -> None:
    """Whether "who else is trying this" suggests colleagues in the trust's other schools."""
    from bot.leaders import organisations

    typer.echo(
        _run_refusable(
            _settings(), lambda s: organisations.set_sharing(s.store, s.clock, org, setting)
        )
    )


def _lines(text: str | None) -> list[str]:
    """`--text`, or one text per non-blank line of standard input."""
    source = [text] if text is not None else sys.stdin.read().splitlines()
    return [line.strip() for line in source if line.strip()]


@app.command()
def themes(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
    text: Annotated[str | None, typer.Option(help="One text (default: each line of stdin)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
) -> None:
    """The theme of each text, as the school's classifier reads it (with its corrections)."""
    from bot.evidence.operator import themes_for

    lines = _lines(text)
    found = _run_refusable(_settings(), lambda s: themes_for(s.store, school, lines))
    for item in found:
        shown = json.dumps(item.as_json(), ensure_ascii=False)
        typer.echo(shown if as_json else f"{item.theme}\t{item.score:.2f}\t{item.text}")


@app.command()
def similar(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
    limit: Annotated[int, typer.Option(help="Matches per text.")] = 3,
    text: Annotated[str | None, typer.Option(help="One text (default: each line of stdin)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
) -> None:
    """The school's stored entries closest to each text (every entry: an operator's view)."""
    from bot.evidence.operator import similar_for

    lines = _lines(text)
    found = _run_refusable(
        _settings(), lambda s: similar_for(s.store, school, lines, max(1, min(limit, 20)))
    )
    for item in found:
        if as_json:
            typer.echo(json.dumps(item, ensure_ascii=False))
            continue
        typer.echo(item["text"])
        for match in item["matches"]:
            typer.echo(f"  {match['score']:.2f}  #{match['id']} {match['person']}: {match['text']}")


def _run_refusable[T](settings: Settings, job: Callable[[Services], Awaitable[T]]) -> T:
    """Run one job against the configured database; a refusal is printed, exit status 2."""
    from adapters.server import build_services
    from bot.refusals import Refusal

    async def run() -> T:
        services = build_services(settings)
        try:
            return await job(services)
        finally:
            await services.close()

    try:
        return asyncio.run(run())
    except Refusal as refusal:
        typer.echo(refusal.reply, err=True)
        raise typer.Exit(2) from None


@org_app.command("create")
def org_create(name: Annotated[str, typer.Argument(help="The trust's name")]) -> None:
    """Create a trust. Example: `tinysteps org create "North Trust"`."""
    from bot.leaders import organisations

    number = _run_refusable(_settings(), lambda s: organisations.create(s.store, s.clock, name))
    typer.echo(texts.org_created(name, number))


@org_app.command("add-school")
def org_add_school(
    org: Annotated[str, typer.Argument(help="The trust's name")],
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
) -> None:
    """Put a school in a trust. Example: `tinysteps org add-school "North Trust" --school 2`."""
    from bot.leaders import organisations

    typer.echo(
        _run_refusable(
            _settings(), lambda s: organisations.add_school(s.store, s.clock, org, school)
        )
    )


@org_app.command("role")
def org_role(
    org: Annotated[str, typer.Argument(help="The trust's name")],
    role: Annotated[str, typer.Argument(help="leader, admin, or none")],
    person: Annotated[int, typer.Option(help="The person's number (see `tinysteps people`)")],
) -> None:
    """A trust-wide leader or admin sees every school of the trust in `summary … trust`.
    Example: `tinysteps org role "North Trust" leader --person 17`."""
    from bot.leaders import organisations

    typer.echo(
        _run_refusable(
            _settings(), lambda s: organisations.set_role(s.store, s.clock, org, person, role)
        )
    )


@app.command()
def people(
    school: Annotated[int, typer.Option(help="The school's number (see `tinysteps schools`)")],
) -> None:
    """List a school's people with their numbers and roles (for `tinysteps org role --person`)."""

    async def listed(services: Services) -> list[str]:
        async with services.store.transaction() as tx:
            found = await tx.people.in_school(school)
        return [f"{p.id}  {p.display_name}  ({p.role}, {p.platform})" for p in found]

    for line in _run_refusable(_settings(), listed):
        typer.echo(line)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
