"""The Teams app package: manifest.json and two icons in a zip, ready for "Upload an app".

Manifest schema 1.17 (Microsoft's JSON schema ships in tests/ and the package is validated
against it). The command list holds the same words as Slack's `/tinysteps` and the chat `help`;
the message extension holds one action on messages, *Spotlight this*.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

MANIFEST_VERSION = "1.17"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = "#2F7D5B"
COLOR_SIZE = 192
OUTLINE_SIZE = 32
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")

COMMANDS = (
    ("help", "Everything Tiny Steps understands"),
    ("log", "Log a small improvement: log <what you improved>"),
    ("skip", "Skip today's question"),
    ("undo", "Remove your last entry"),
    ("pause", "Take a break: pause until <date>"),
    ("resume", "End a pause now"),
    ("stop", "Stop the daily question"),
    ("start", "Start the daily question"),
    ("my time", "When you're asked: my time 16:00"),
    ("config", "School settings (admins)"),
)
# "Spotlight this" in a message's "..." menu: a message extension's action command. With
# `fetchTask` off, Teams shows its parameters as a small dialog, and its submit reaches the bot
# as a `composeExtension/submitAction` invoke.
SPOTLIGHT_COMMAND = "spotlight"
SPOTLIGHT_ASK = "ask_author"  # the dialog's one toggle; turned off, nothing is done


class PackageError(ValueError):
    pass


def teams_manifest(app_id: str, base_url: str, *, version: str = "1.0.0") -> dict[str, Any]:
    if not _GUID.match(app_id):
        raise PackageError(
            f"The app id must be the bot's Microsoft App ID (a GUID), not {app_id!r}"
        )
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"Teams needs a public https address, not {base_url!r}")
    site = f"https://{parts.netloc}"
    commands = [{"title": title, "description": text} for title, text in COMMANDS]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Tiny Steps",
            "websiteUrl": site,
            "privacyUrl": f"{site}/privacy",
            "termsOfUseUrl": f"{site}/terms",
        },
        "name": {"short": "Tiny Steps", "full": "Tiny Steps: one small improvement a day"},
        "description": {
            "short": "One small improvement a day, shared across your school.",
            "full": (
                "Tiny Steps asks staff one gentle question each school day: what's one small "
                "thing you improved today? Answers take seconds, and each person sees their "
                "streak and recent steps. Admins set the school's days, times and terms in chat."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal", "team", "groupChat"], "commands": commands}
                ],
            }
        ],
        "composeExtensions": [
            {
                "botId": app_id,
                "commands": [
                    {
                        "id": SPOTLIGHT_COMMAND,
                        "type": "action",
                        "title": "Spotlight this",
                        "description": "Make a shared step a standout (its author is asked first)",
                        "context": ["message"],
                        "fetchTask": False,
                        "parameters": [
                            {
                                "name": SPOTLIGHT_ASK,
                                "title": "Ask its author",
                                "description": "Ask whether the step may travel beyond its "
                                "department",
                                "inputType": "toggle",
                                "value": "true",
                            }
                        ],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [parts.netloc],
    }


def _icon(size: int, *, outline: bool) -> bytes:
    """Colour: a white sprout on the accent colour. Outline: white on transparent."""
    background = (0, 0, 0, 0) if outline else ACCENT
    image = Image.new("RGBA", (size, size), background)
    draw = ImageDraw.Draw(image)
    white = (255, 255, 255, 255)
    s = size / 32
    draw.line([(16 * s, 27 * s), (16 * s, 13 * s)], fill=white, width=max(1, round(2 * s)))
    draw.ellipse([(6 * s, 7 * s), (16 * s, 15 * s)], outline=white, width=max(1, round(2 * s)))
    draw.ellipse([(16 * s, 4 * s), (27 * s, 13 * s)], outline=white, width=max(1, round(2 * s)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def app_package(app_id: str, base_url: str) -> bytes:
    manifest = teams_manifest(app_id, base_url)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2))
        package.writestr("color.png", _icon(COLOR_SIZE, outline=False))
        package.writestr("outline.png", _icon(OUTLINE_SIZE, outline=True))
    return out.getvalue()
