"""The `tinysteps` command line (the contract in DESIGN.md).

Example: `tinysteps serve --port 3000`, `tinysteps db upgrade`, `tinysteps demo`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from pydantic import ValidationError

from bot.settings import Settings

app = typer.Typer(
    help="Tiny Steps: one small improvement a day, shared across your schools.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")


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
    logging.basicConfig(
        level=settings.tinysteps_log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
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
    from storage import migrate
    from storage.engine import create_engine

    settings = _settings()

    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    typer.echo("Database is up to date.")


@app.command()
def demo() -> None:
    """Load a small sample school so the web chat and summaries have something to show."""
    from adapters.server import build_services
    from bot.demo import load_demo
    from storage import migrate

    settings = _settings()

    async def run() -> str:
        services = build_services(settings)
        try:
            if settings.is_sqlite:
                await migrate.upgrade(services.engine)
            result = await load_demo(services.store, services.clock)
        finally:
            await services.engine.dispose()
        return result.describe()

    typer.echo(asyncio.run(run()))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
