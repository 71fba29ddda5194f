"""The composition root: settings → engine → store → core → adapters → one aiohttp server.

Nothing else constructs these, so every entry point (serve, tests, demo) wires them the same way.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import time
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.directory import WEB, Directory
from adapters.loopback import is_loopback
from adapters.messengers import PlatformMessenger
from adapters.scheduling import Ticker, worker_name
from adapters.settings import Settings
from adapters.slack.app import SlackAdapter, SlackConfig
from adapters.teams.app import TeamsAdapter, TeamsConfig
from adapters.teams.files import DOWNLOAD_PATH
from adapters.web.messenger import WebMessenger
from bot.clock import SystemClock
from bot.conversation import Conversation, CoreConfig
from bot.evidence import school_classifier
from bot.people.roster import Roster
from bot.ports import Clock, Messenger
from bot.schedule import Scheduler
from storage import migrate
from storage import slack as slack_store
from storage.engine import create_engine
from storage.shutdown import StoppableStore

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 256 * 1024
MAX_TOKEN_CHARS = 64  # the download table's key; download links carry 43
INLINE_MIMES = frozenset({"image/png"})  # shown in the browser; anything else is saved
NO_SUCH_FILE = "No such file, or its link has expired."
# A graceful stop (SIGTERM, Ctrl+C) must end well inside the 10 s that Docker, Compose and most
# orchestrators wait before SIGKILL: requests and sends under way get GRACE_SECONDS, closing
# everything else at most until STOP_SECONDS, handing back held outbox rows RELEASE_SECONDS.
GRACE_SECONDS = 4.0
STOP_SECONDS = 6.0
RELEASE_SECONDS = 1.0


class StartupError(RuntimeError):
    """A configuration that cannot run; the message tells the operator what to change."""


@dataclass(frozen=True)
class Services:
    """Everything a running Tiny Steps shares, built once."""

    settings: Settings
    engine: AsyncEngine
    store: StoppableStore
    clock: Clock
    conversation: Conversation
    directory: Directory
    scheduler: Scheduler
    worker: str  # the scheduler's name on the outbox rows it claims
    roster: Roster
    slack: SlackAdapter | None = None
    teams: TeamsAdapter | None = None

    async def close(self) -> None:
        """Let go of every connection: the database's and the platforms' HTTP sessions."""
        if self.teams is not None:
            await self.teams.messenger.close()
        if self.slack is not None:
            await self.slack.workspaces.close()
        await self.engine.dispose()


SERVICES = web.AppKey("services", Services)


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    store = StoppableStore(engine)
    config = CoreConfig(default_timezone=settings.tinysteps_default_timezone)
    worker = worker_name()
    conversation = Conversation(store, clock, config=config, worker=worker)
    messengers: dict[str, Messenger] = {}
    if "web" in settings.adapters:
        messengers[WEB] = WebMessenger(store, clock)
    roster = Roster(store, clock, default_timezone=settings.tinysteps_default_timezone)
    slack = None
    if "slack" in settings.adapters and settings.slack_configured:
        slack = _slack_adapter(settings, engine, conversation, roster)
        messengers["slack"] = slack.messenger
    teams = (
        _teams_adapter(settings, conversation, roster, store, clock)
        if "teams" in settings.adapters
        else None
    )
    if teams is not None:
        messengers["teams"] = teams.messenger
    return Services(
        settings=settings,
        engine=engine,
        store=store,
        clock=clock,
        conversation=conversation,
        directory=Directory(store, clock, default_timezone=settings.tinysteps_default_timezone),
        scheduler=Scheduler(
            store, PlatformMessenger(messengers), clock, worker=worker, owed=conversation.owed
        ),
        worker=worker,
        roster=roster,
        slack=slack,
        teams=teams,
    )


def _teams_adapter(
    settings: Settings,
    conversation: Conversation,
    roster: Roster,
    store: StoppableStore,
    clock: Clock,
) -> TeamsAdapter | None:
    if not settings.teams_configured:
        return None
    config = TeamsConfig(
        app_id=settings.microsoft_app_id,
        app_password=_secret(settings.microsoft_app_password),
        tenant_id=settings.microsoft_app_tenant_id,
        insecure_local=settings.tinysteps_teams_insecure_local,
    )
    return TeamsAdapter(
        conversation=conversation,
        roster=roster,
        store=store,
        clock=clock,
        config=config,
        downloads=store,
        public_url=settings.public_url,
    )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _slack_adapter(
    settings: Settings, engine: AsyncEngine, conversation: Conversation, roster: Roster
) -> SlackAdapter:
    config = SlackConfig(
        api_url=settings.slack_api_url,
        signing_secret=_secret(settings.slack_signing_secret),
        bot_token=_secret(settings.slack_bot_token),
        client_id=settings.slack_client_id,
        client_secret=_secret(settings.slack_client_secret),
        app_token=_secret(settings.slack_app_token),
    )
    oauth = bool(config.client_id) and not config.bot_token
    return SlackAdapter(
        conversation=conversation,
        roster=roster,
        config=config,
        installations=slack_store.installation_store(engine, config.client_id or "")
        if oauth
        else None,
        oauth_states=slack_store.oauth_state_store(engine) if oauth else None,
    )


def build_app(services: Services) -> web.Application:
    """The HTTP application with health checks and every enabled adapter."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[SERVICES] = services

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        if await services.store.ping():
            return web.json_response({"status": "ready"})
        return web.json_response({"status": "database unreachable"}, status=503)

    async def metrics(request: web.Request) -> web.Response:
        if not metrics_allowed(request, services.settings.tinysteps_metrics_token):
            return web.json_response(
                {"error": "metrics need TINYSTEPS_METRICS_TOKEN as a bearer token"},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get(DOWNLOAD_PATH + "{token}", FileDownloads(services).handle)
    if services.slack is not None:
        services.slack.setup(app)
    if services.teams is not None:
        services.teams.setup(app)
    if "web" in services.settings.adapters:
        import adapters.web

        adapters.web.setup(
            app,
            conversation=services.conversation,
            directory=services.directory,
            store=services.store,
            clock=services.clock,
            scheduler=services.scheduler,
        )

    async def close(_: web.Application) -> None:
        await services.engine.dispose()

    app.on_cleanup.append(close)
    return app


class FileDownloads:
    """`GET /files/{token}`: a file behind a download link (see `adapters/teams/files.py`).

    The token is the whole authentication: 32 random bytes, expiring after a day. An unknown
    and an expired token get the same 404, so the answer tells nothing about which it was.
    """

    def __init__(self, services: Services) -> None:
        self._store = services.store
        self._clock = services.clock

    async def handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        found = None
        if len(token) <= MAX_TOKEN_CHARS:
            async with self._store.transaction() as tx:
                found = await tx.downloads.get(token, self._clock.now())
        if found is None:
            return web.Response(
                status=404,
                text=NO_SUCH_FILE,
                headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
            )
        filename, mime, data = found
        return web.Response(
            body=data,
            headers={
                "Content-Type": mime,
                "Content-Disposition": content_disposition(
                    "inline" if mime in INLINE_MIMES else "attachment", filename
                ),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )


def metrics_allowed(request: web.Request, token: SecretStr | None) -> bool:
    """`/metrics` with `TINYSTEPS_METRICS_TOKEN` set: only with it as the bearer token. Without
    one: only to this machine, asked directly (a loopback peer, and no proxy's forwarding
    header), so a Prometheus beside the app needs no set-up and nobody else reads it."""
    if token is not None:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.get_secret_value().encode())
    forwarded = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return not forwarded and request.remote is not None and is_loopback(request.remote)


def content_disposition(kind: str, filename: str) -> str:
    """`attachment; filename="…"` with an ASCII fallback, and the real name (RFC 6266) for
    browsers that read `filename*`, so a quote or a newline in a name can't break the header."""
    plain = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    header = f'{kind}; filename="{plain}"'
    if plain != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def check_startup(settings: Settings, host: str) -> None:
    """Refuse to start in a way that would be unsafe or silently do nothing."""
    if "web" in settings.adapters and not is_loopback(host):
        raise StartupError(
            "The local web chat has no sign-in (whoever reaches it can act as anyone in it), "
            f"so it only runs on a loopback address (127.0.0.1, ::1, localhost), not {host}. "
            "To serve Slack or Teams on this address, set their credentials (SLACK_… or "
            "MICROSOFT_APP_…) and leave web out of TINYSTEPS_ADAPTERS."
        )
    if settings.tinysteps_teams_insecure_local and not is_loopback(host):
        raise StartupError(
            "TINYSTEPS_TEAMS_INSECURE_LOCAL=1 turns Teams authentication off, so it only runs "
            f"on a loopback address (127.0.0.1, ::1, localhost), not {host}."
        )


async def serve(settings: Settings, *, host: str, port: int) -> None:
    """Run until SIGINT/SIGTERM, then stop gracefully (`Stopping`). On SQLite, migrations are
    applied first."""
    check_startup(settings, host)
    services = build_services(settings)
    if settings.is_sqlite:
        await migrate.upgrade(services.engine)
    # The shipped theme classifier is trained before the first request, not during it.
    await school_classifier.warm_up()
    ticker = Ticker(services.scheduler, services.clock, ticking=settings.tinysteps_scheduler)
    stopping = Stopping(services, ticker)
    app = build_app(services)
    app.on_cleanup.insert(0, stopping.settle)  # before the adapters and the engine close
    # aiohttp waits `shutdown_timeout` for a request in flight, then as long again before it
    # cancels the handler: half of GRACE_SECONDS each, so a request gets GRACE_SECONDS in all.
    runner = web.AppRunner(app, shutdown_timeout=GRACE_SECONDS / 2)
    await runner.setup()
    signalled = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # before listening: a stop is never missed
        loop.add_signal_handler(sig, signalled.set)
    try:
        ticker.start()
        await web.TCPSite(runner, host, port).start()
        shown = f"[{host}]" if ":" in host else host
        print(f"Tiny Steps is running at http://{shown}:{port}  (press Ctrl+C to stop)", flush=True)
        await signalled.wait()
    finally:
        await stopping.stop(runner)


class Stopping:
    """A graceful stop, so a deploy or a scale-down loses nothing and holds nothing up.

    1. Take no more work: the listening socket closes, idle connections close, the clock
       starts no tick and the outbox gives out no more rows (`StoppableStore.stop_claiming`),
       so a tick or an "Ask me" under way finishes the batch it holds and ends.
    2. Finish what is under way: requests are answered and sends finish, for GRACE_SECONDS;
       whatever is still running then is cut short.
    3. Hand back what is held: outbox rows still claimed by this process are pending again at
       once (`StoppableStore.release`), for another replica to take without waiting for the
       lease to run out; then the platforms' sessions and the database connections close.
    """

    def __init__(self, services: Services, ticker: Ticker) -> None:
        self._services = services
        self._ticker = ticker
        self._ticks: asyncio.Task[int] | None = None
        self._released = False

    async def stop(self, runner: web.AppRunner) -> None:
        started = time.monotonic()
        log.info("stopping: taking no more work, finishing what is under way")
        self._services.store.stop_claiming()
        self._ticks = asyncio.create_task(self._ticker.stop(GRACE_SECONDS))
        try:
            await asyncio.wait_for(runner.cleanup(), STOP_SECONDS)
        except TimeoutError:
            log.warning("stopping: closing took longer than %.0f s; leaving anyway", STOP_SECONDS)
        finally:
            await self._release()
            await self._services.engine.dispose()
        log.info("stopped in %.1f s", time.monotonic() - started)

    async def settle(self, _: web.Application) -> None:
        """Every request has been answered (or cut short): wait for the tick, then release."""
        if self._ticks is not None:
            try:
                if await self._ticks:
                    log.warning("stopping: a tick was still sending after %.0f s", GRACE_SECONDS)
            except Exception:  # the clock failing to stop must not keep the rows held
                log.exception("stopping: the scheduler's clock did not stop cleanly")
        await self._release()

    async def _release(self) -> None:
        if self._released:
            return
        try:
            released = await asyncio.wait_for(
                self._services.store.release(self._services.worker), RELEASE_SECONDS
            )
        except Exception:  # leaving anyway: the leases then run out by themselves
            log.exception("stopping: could not hand back held deliveries")
            return
        self._released = True
        if released:
            log.info("stopping: %d deliveries handed back for another replica", released)
