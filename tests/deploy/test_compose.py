"""compose.yaml is a valid Compose file and deploys what the README promises.

No Docker engine runs here, so the file is checked against the Compose Specification's own JSON
schema: `compose-spec.json` beside this test, Apache-2.0 (`LICENSE.compose-spec`), taken from
the copy PyPI's check-jsonschema 0.39.0 vendors (`check_jsonschema/builtin_schemas/vendor/`).
To refresh it: `pip download --no-deps check-jsonschema` and copy that file over this one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from adapters.settings import Settings
from tests.deploy.test_env_example import listed
from tests.test_dockerfile import parse

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).parent / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_schema_is_the_compose_specification() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "Compose Specification"


def test_compose_yaml_is_valid_against_the_compose_specification(
    compose: dict[str, Any],
) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(compose)]

    assert errors == []


def test_the_schema_would_catch_a_mistake(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    broken = {**compose, "services": {**compose["services"], "app": {"imag": "tinysteps"}}}

    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_postgresql_16_keeps_its_data_in_a_named_volume_and_reports_its_health(
    compose: dict[str, Any],
) -> None:
    db = compose["services"]["db"]

    assert db["image"].split(":")[1].startswith("16")
    named = [v.split(":")[0] for v in db["volumes"] if v.endswith(":/var/lib/postgresql/data")]
    assert named, "PostgreSQL's data folder is a volume"
    assert named[0] in compose["volumes"], "a named volume, not a host folder"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_the_app_starts_once_the_database_is_healthy_and_migrates_first(
    compose: dict[str, Any],
) -> None:
    app = compose["services"]["app"]
    dockerfile = parse(ROOT / "Dockerfile")

    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "command" not in app, "the image's own start command"
    assert "entrypoint" not in app
    assert app["build"] == "."
    assert dockerfile.cmd[-1].startswith("tinysteps db upgrade && exec tinysteps serve")


def test_the_app_reports_its_health_on_healthz() -> None:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    [healthcheck] = [line for line in text.splitlines() if line.startswith("HEALTHCHECK")]

    assert "http://127.0.0.1:3000/healthz" in healthcheck


def test_the_app_uses_the_compose_database_with_the_async_driver(
    compose: dict[str, Any],
) -> None:
    db, app = compose["services"]["db"], compose["services"]["app"]
    url = app["environment"]["DATABASE_URL"].replace("${POSTGRES_PASSWORD}", "secret")

    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]

    user, database = db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_DB"]
    assert settings.database_url == f"postgresql+asyncpg://{user}:secret@db:5432/{database}"


def test_stopping_waits_longer_than_serve_takes_to_stop(compose: dict[str, Any]) -> None:
    grace = compose["services"]["app"]["stop_grace_period"]

    assert re.fullmatch(r"\d+s", grace)
    assert int(grace[:-1]) >= 10


def test_every_variable_compose_yaml_uses_is_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "compose.yaml").read_text()))

    assert used <= listed(), used - listed()
