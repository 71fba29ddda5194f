"""One Web API client per Slack workspace: a fixed bot token, or each installation's own.

Every client of a workspace shares one `RateLimitGate`, so a 429 pauses that workspace only.
Once `open`, all clients share one aiohttp session, so connections to Slack are kept alive
rather than opened afresh for every call (slack-sdk's default without a session).
"""

from __future__ import annotations

import aiohttp
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import RateLimitGate

from .pacing import GateRetryHandler

CONNECTIONS = 64  # open connections to Slack at most, across workspaces


class NotInstalled(LookupError):
    """Tiny Steps has no bot token for this workspace (never installed, or uninstalled)."""


def new_client(
    api_url: str, token: str | None = None, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        session=session,
        retry_handlers=[GateRetryHandler(RateLimitGate())],
    )


class Workspaces:
    def __init__(
        self,
        api_url: str,
        *,
        token: str | None = None,
        installations: AsyncInstallationStore | None = None,
    ) -> None:
        if (token is None) == (installations is None):
            raise ValueError("give either one bot token or an installation store")
        self._api_url = api_url
        self._installations = installations
        self._fixed = new_client(api_url, token) if token else None
        self._clients: dict[str, AsyncWebClient] = {}
        self._session: aiohttp.ClientSession | None = None

    def open(self, *also: AsyncWebClient) -> None:
        """Share one connection pool from now on (call inside the running event loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONNECTIONS))
        for client in (self._fixed, *self._clients.values(), *also):
            if client is not None:
                client.session = self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def single(self) -> AsyncWebClient | None:
        """The one client of single-workspace mode."""
        return self._fixed

    async def client(self, team_id: str) -> AsyncWebClient:
        if self._fixed is not None:
            return self._fixed
        if team_id in self._clients:
            return self._clients[team_id]
        assert self._installations is not None
        bot = await self._installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise NotInstalled(team_id)
        client = self._clients[team_id] = new_client(self._api_url, bot.bot_token, self._session)
        return client

    def forget(self, team_id: str) -> None:
        """After an uninstall or a revoked token, look the token up again next time."""
        self._clients.pop(team_id, None)
