"""The settings object: defaults, normalised URLs and clear errors for half-set platforms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from adapters.settings import Settings


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults_serve_the_web_chat_on_sqlite() -> None:
    s = settings()
    assert s.database_url == "sqlite+aiosqlite:///tinysteps.db"
    assert s.adapters == {"web"}


def test_configured_platforms_are_enabled_by_default() -> None:
    s = settings(
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        microsoft_app_id="a",
        microsoft_app_password="p",
    )
    assert s.adapters == {"slack", "teams"}


def test_adapters_can_be_listed_explicitly() -> None:
    assert settings(tinysteps_adapters=" Web , ").adapters == {"web"}


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(given: str, normalised: str) -> None:
    assert settings(database_url=given).database_url == normalised


def test_secrets_do_not_show_when_printed() -> None:
    s = settings(slack_bot_token="xoxb-secret", slack_signing_secret="shh")
    assert "xoxb-secret" not in repr(s)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"slack_client_id": "1"}, "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"),
        ({"slack_client_secret": "1"}, "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"),
        ({"slack_bot_token": "xoxb"}, "SLACK_SIGNING_SECRET"),
        ({"slack_app_token": "xapp"}, "also needs SLACK_BOT_TOKEN"),
        ({"microsoft_app_id": "a"}, "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD"),
        (
            {
                "microsoft_app_id": "a",
                "microsoft_app_password": "p",
                "tinysteps_teams_insecure_local": True,
            },
            "turns authentication off",
        ),
        ({"tinysteps_adapters": "web,fax"}, "unknown adapter(s) fax"),
        ({"tinysteps_adapters": "slack"}, "no Slack credentials"),
        ({"tinysteps_adapters": "teams"}, "neither MICROSOFT_APP_ID"),
        ({"database_url": "mysql://x"}, "sqlite+aiosqlite"),
        ({"tinysteps_default_timezone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"tinysteps_public_url": "http://tinysteps.example.org"}, "TINYSTEPS_PUBLIC_URL"),
        ({"tinysteps_public_url": "tinysteps.example.org"}, "TINYSTEPS_PUBLIC_URL"),
        ({"tinysteps_public_url": "https://"}, "TINYSTEPS_PUBLIC_URL"),
    ],
)
def test_invalid_combinations_are_refused_with_a_clear_message(
    values: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        settings(**values)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://tinysteps.example.org/", "https://tinysteps.example.org"),
        ("https://example.org/tinysteps", "https://example.org/tinysteps"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),  # this machine only
        ("  ", None),
    ],
)
def test_the_public_address_is_kept_without_a_trailing_slash(given: str, kept: str | None) -> None:
    assert settings(tinysteps_public_url=given).public_url == kept


def test_there_is_no_public_address_unless_one_is_set() -> None:
    assert settings().public_url is None


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # The one place a test touches the environment: proving the entry point reads it.
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@h/db")
    assert Settings(_env_file=None).database_url == "postgresql+asyncpg://env@h/db"  # type: ignore[call-arg]
