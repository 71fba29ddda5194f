"""`tinysteps manifest teams` writes an app package that Microsoft's schema accepts.

The schema is Microsoft's own MicrosoftTeams.schema.json v1.17, shipped beside this test
(taken from the MIT-licensed npm package @microsoft/app-manifest 1.1.2).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from adapters.teams.package import PackageError, app_package, teams_manifest
from tests.adapters.test_cli import tinysteps

APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
URL = "https://tinysteps.example.org"
SCHEMA = Path(__file__).parent / "schema" / "MicrosoftTeams.v1.17.schema.json"


def unpacked(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def manifest_of(files: dict[str, bytes]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(files["manifest.json"])
    return loaded


def test_the_manifest_is_valid_against_microsofts_schema() -> None:
    schema = json.loads(SCHEMA.read_text())

    jsonschema.validate(manifest_of(unpacked(app_package(APP_ID, URL))), schema)


def test_the_package_holds_the_manifest_and_both_icons_at_their_sizes() -> None:
    files = unpacked(app_package(APP_ID, URL))

    assert set(files) == {"manifest.json", "color.png", "outline.png"}
    assert Image.open(io.BytesIO(files["color.png"])).size == (192, 192)
    outline = Image.open(io.BytesIO(files["outline.png"]))
    assert outline.size == (32, 32)
    assert outline.mode == "RGBA"  # white on transparent, as Teams requires


def test_the_bot_works_in_chats_teams_and_group_chats_with_its_commands() -> None:
    bot = teams_manifest(APP_ID, URL)["bots"][0]

    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert {"help", "log", "skip"} <= {c["title"] for c in bot["commandLists"][0]["commands"]}


def test_the_bots_host_is_a_valid_domain() -> None:
    assert teams_manifest(APP_ID, URL)["validDomains"] == ["tinysteps.example.org"]


@pytest.mark.parametrize("app_id", ["", "not-a-guid", "1234"])
def test_an_app_id_that_is_not_a_guid_is_refused(app_id: str) -> None:
    with pytest.raises(PackageError, match="GUID"):
        teams_manifest(app_id, URL)


def test_a_non_https_address_is_refused() -> None:
    with pytest.raises(PackageError, match="https"):
        teams_manifest(APP_ID, "http://tinysteps.example.org")


def test_the_command_writes_the_zip(tmp_path: Path) -> None:
    out = tmp_path / "package.zip"

    result = tinysteps(
        *("manifest", "teams", "--app-id", APP_ID, "--url", URL, "--out", str(out)),
        database=tmp_path / "x.db",
    )

    assert result.returncode == 0, result.stderr
    assert "manifest.json" in unpacked(out.read_bytes())


def test_spotlight_this_is_an_action_on_messages() -> None:
    [extension] = teams_manifest(APP_ID, URL)["composeExtensions"]
    [command] = extension["commands"]

    assert extension["botId"] == APP_ID
    assert (command["id"], command["type"], command["title"]) == (
        "spotlight",
        "action",
        "Spotlight this",
    )
    assert (command["context"], command["fetchTask"]) == (["message"], False)
    assert [p["inputType"] for p in command["parameters"]] == ["toggle"]
