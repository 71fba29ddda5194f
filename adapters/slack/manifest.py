"""The Slack app manifest: paste it into "Create an app → From a manifest" to get a working app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import yaml

BOT_SCOPES = (
    "app_mentions:read",
    "channels:join",  # `config channel showcase` in a public channel joins it
    "channels:read",
    "chat:write",
    "commands",
    "files:write",  # leaders' charts and CSV exports, uploaded into their DM
    "im:history",
    "im:read",
    "im:write",
    "reactions:read",
    "users:read",
    "team:read",
)
BOT_EVENTS = (
    "app_home_opened",
    "app_mention",
    "app_uninstalled",
    "message.im",
    "reaction_added",
    "reaction_removed",
    "team_join",
    "tokens_revoked",
    "user_change",
)

# "Spotlight this" in a message's menu: a leader picks a shared step as a standout.
SPOTLIGHT_SHORTCUT = "spotlight"


class ManifestError(ValueError):
    pass


def slack_manifest(
    base_url: str, *, name: str = "Tiny Steps", socket_mode: bool = False
) -> dict[str, Any]:
    """Everything Slack needs, pointing at `base_url` (the public https address of the bot).

    With `socket_mode`, events, commands and buttons arrive over Socket Mode, so Slack is
    given no request URLs; `base_url` is still where `/slack/install` lives (OAuth).
    """
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.netloc:
        raise ManifestError(
            f"Slack needs a public https address, like https://tinysteps.example.org, not {base_url!r}"
        )
    events_url = f"{base_url.rstrip('/')}/slack/events"
    manifest: dict[str, Any] = {
        "display_information": {
            "name": name,
            "description": "One small improvement a day, shared across your school.",
            "background_color": "#2f7d5b",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [
                {
                    "command": "/tinysteps",
                    "url": events_url,
                    "description": "Log a tiny step, skip or pause, change settings",
                    "usage_hint": "help | log <what you improved> | skip | pause until <date>",
                    "should_escape": True,  # mentions arrive as <@U…|name>: `config role @Sam …`
                }
            ],
            "shortcuts": [
                {
                    "name": "Spotlight this",
                    "type": "message",
                    "callback_id": SPOTLIGHT_SHORTCUT,
                    "description": "Make a shared step a standout (its author is asked first)",
                }
            ],
        },
        "oauth_config": {
            "redirect_urls": [f"{base_url.rstrip('/')}/slack/oauth_redirect"],
            "scopes": {"bot": list(BOT_SCOPES)},
        },
        "settings": {
            "event_subscriptions": {"request_url": events_url, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": events_url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
    if socket_mode:
        del manifest["features"]["slash_commands"][0]["url"]
        del manifest["settings"]["event_subscriptions"]["request_url"]
        del manifest["settings"]["interactivity"]["request_url"]
    return manifest


def slack_manifest_yaml(base_url: str, *, socket_mode: bool = False) -> str:
    manifest = slack_manifest(base_url, socket_mode=socket_mode)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
