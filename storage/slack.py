"""Slack installations and OAuth state in our own database, through slack-sdk's own stores.

The tables are created by our migrations (models: `SLACK_BOTS`, `SLACK_INSTALLATIONS`,
`SLACK_OAUTH_STATES`), so both backends and `tinysteps db upgrade` cover them like any other.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES

STATE_EXPIRES_SECONDS = 600  # an install link is good for ten minutes


def installation_store(engine: AsyncEngine, client_id: str) -> AsyncSQLAlchemyInstallationStore:
    return AsyncSQLAlchemyInstallationStore(
        client_id=client_id,
        engine=engine,
        bots_table_name=SLACK_BOTS.name,
        installations_table_name=SLACK_INSTALLATIONS.name,
    )


def oauth_state_store(engine: AsyncEngine) -> AsyncSQLAlchemyOAuthStateStore:
    return AsyncSQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRES_SECONDS,
        engine=engine,
        table_name=SLACK_OAUTH_STATES.name,
    )
