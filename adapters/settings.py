"""The one settings object, read from the environment and `.env` at the entry point only.

Tests build `Settings(...)` with explicit values (`_env_file=None`) instead of patching
`os.environ`. Secrets are `SecretStr`, so they never show in logs or error messages.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.loopback import is_loopback
from bot.calendar.zones import is_valid_zone

KNOWN_ADAPTERS = ("slack", "teams", "web")

_DRIVERS = {
    "postgres://": "postgresql+asyncpg://",
    "postgresql://": "postgresql+asyncpg://",
    "sqlite://": "sqlite+aiosqlite://",
}


class Settings(BaseSettings):
    """Every variable of the public contract (DESIGN.md), with sensible defaults."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = "sqlite+aiosqlite:///tinysteps.db"
    tinysteps_adapters: str | None = None

    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    microsoft_app_id: str | None = None
    microsoft_app_password: SecretStr | None = None
    microsoft_app_tenant_id: str | None = None
    tinysteps_teams_insecure_local: bool = False
    # The https address platforms reach this server at (`https://tinysteps.example.org`):
    # Teams download links for exports and big charts point here.
    tinysteps_public_url: str | None = None
    # Prometheus scrapes `/metrics` with this as a bearer token; unset, only this machine may.
    tinysteps_metrics_token: SecretStr | None = None

    tinysteps_default_timezone: str = Field(default="Europe/London")
    tinysteps_log_level: str = "INFO"
    # `text` (default): one readable line per event; `json`: one JSON object per line, with
    # time, level, logger, message and the event being handled (see `adapters/logs.py`).
    log_format: Literal["text", "json"] = "text"
    # `serve` ticks the scheduler each minute; turn off where cron runs `tinysteps tick`.
    tinysteps_scheduler: bool = True

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        """Accept the plain URLs hosting providers hand out, with the async driver we ship."""
        for plain, with_driver in _DRIVERS.items():
            if url.startswith(plain):
                return with_driver + url[len(plain) :]
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "DATABASE_URL must be a sqlite+aiosqlite:// or postgresql+asyncpg:// URL"
            )
        return url

    @field_validator("tinysteps_public_url")
    @classmethod
    def _public_address(cls, url: str | None) -> str | None:
        """Links go to people's browsers: https only (plain http just for this machine)."""
        if url is None or not url.strip():
            return None
        url = url.strip().rstrip("/")
        host = url.partition("://")[2].partition("/")[0]
        secure = url.startswith("https://") and host
        local = url.startswith("http://") and is_loopback(host)
        if not (secure or local) or "?" in url or "#" in url:
            raise ValueError(
                "TINYSTEPS_PUBLIC_URL must be the https:// address this server is reached at, "
                "such as https://tinysteps.example.org"
            )
        return url

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        choice = value.strip().lower() if isinstance(value, str) else value
        if choice not in ("text", "json"):
            raise ValueError(f"LOG_FORMAT must be text or json, not {value!r}")
        return choice

    @field_validator("tinysteps_default_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        if not is_valid_zone(name):
            raise ValueError(f"TINYSTEPS_DEFAULT_TIMEZONE {name!r} is not an IANA time zone")
        return name

    @model_validator(mode="after")
    def _complete(self) -> Self:
        """Refuse half-configured platforms at start-up rather than failing on first use."""
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must be set together")
        if (self.slack_bot_token or self.slack_client_id) and not (
            self.slack_signing_secret or self.slack_app_token
        ):
            raise ValueError(
                "Slack needs SLACK_SIGNING_SECRET to verify requests "
                "(or SLACK_APP_TOKEN for Socket Mode)"
            )
        if self.slack_app_token and not (self.slack_bot_token or self.slack_client_id):
            raise ValueError("SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN")
        if bool(self.microsoft_app_id) != bool(self.microsoft_app_password):
            raise ValueError("MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD must be set together")
        if self.microsoft_app_id and self.tinysteps_teams_insecure_local:
            raise ValueError(
                "TINYSTEPS_TEAMS_INSECURE_LOCAL turns authentication off; "
                "unset it when MICROSOFT_APP_ID is configured"
            )
        chosen = self.adapters
        unknown = chosen - set(KNOWN_ADAPTERS)
        if unknown:
            raise ValueError(
                f"TINYSTEPS_ADAPTERS: unknown adapter(s) {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(KNOWN_ADAPTERS)}"
            )
        if "slack" in chosen and not self.slack_configured:
            raise ValueError("TINYSTEPS_ADAPTERS includes slack, but no Slack credentials are set")
        if "teams" in chosen and not self.teams_configured:
            raise ValueError(
                "TINYSTEPS_ADAPTERS includes teams, but neither MICROSOFT_APP_ID nor "
                "TINYSTEPS_TEAMS_INSECURE_LOCAL=1 is set"
            )
        return self

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)

    @property
    def teams_configured(self) -> bool:
        return bool(self.microsoft_app_id or self.tinysteps_teams_insecure_local)

    @property
    def adapters(self) -> frozenset[str]:
        """The adapters to run: as listed, else each configured platform, else the web chat."""
        if self.tinysteps_adapters and self.tinysteps_adapters.strip():
            return frozenset(
                part.strip().lower() for part in self.tinysteps_adapters.split(",") if part.strip()
            )
        configured = {
            name
            for name, on in (("slack", self.slack_configured), ("teams", self.teams_configured))
            if on
        }
        return frozenset(configured or {"web"})

    @property
    def public_url(self) -> str | None:
        """Where platforms reach this server (no trailing slash), if it is reachable at all."""
        return self.tinysteps_public_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
