"""`tinysteps manifest slack` prints a manifest that wires every endpoint Tiny Steps serves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adapters.slack.manifest import ManifestError, slack_manifest
from tests.adapters.test_cli import tinysteps

URL = "https://tinysteps.example.org"


def test_events_interactivity_and_the_command_all_point_at_slack_events() -> None:
    manifest = slack_manifest(URL)

    events = f"{URL}/slack/events"
    assert manifest["settings"]["event_subscriptions"]["request_url"] == events
    assert manifest["settings"]["interactivity"]["request_url"] == events
    assert manifest["features"]["slash_commands"][0]["url"] == events
    assert manifest["oauth_config"]["redirect_urls"] == [f"{URL}/slack/oauth_redirect"]


def test_the_app_can_read_and_write_direct_messages() -> None:
    manifest = slack_manifest(URL)

    assert {"chat:write", "im:history", "im:write", "users:read", "commands"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    assert "message.im" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


@pytest.mark.parametrize("url", ["http://example.org", "example.org", ""])
def test_a_non_https_address_is_refused(url: str) -> None:
    with pytest.raises(ManifestError, match="https"):
        slack_manifest(url)


def test_the_cli_prints_yaml(tmp_path: Path) -> None:
    result = tinysteps("manifest", "slack", "--url", URL, database=tmp_path / "x.db")

    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["display_information"]["name"] == "Tiny Steps"


def test_socket_mode_turns_it_on_and_gives_slack_no_request_urls() -> None:
    manifest = slack_manifest(URL, socket_mode=True)

    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "request_url" not in manifest["settings"]["interactivity"]
    assert "url" not in manifest["features"]["slash_commands"][0]


def test_the_app_hears_about_members_joining_changing_and_uninstalls() -> None:
    events = slack_manifest(URL)["settings"]["event_subscriptions"]["bot_events"]

    assert {"team_join", "user_change", "app_uninstalled", "app_home_opened"} <= set(events)


def test_spotlight_this_is_a_shortcut_on_messages() -> None:
    shortcuts = slack_manifest(URL)["features"]["shortcuts"]

    assert [(s["type"], s["callback_id"], s["name"]) for s in shortcuts] == [
        ("message", "spotlight", "Spotlight this")
    ]
    assert all(s["description"] for s in shortcuts)
