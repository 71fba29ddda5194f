"""The Slack app: Bolt (AsyncApp) listeners that hand events to the core and deliver replies.

Listeners finish before Slack gets its answer (`process_before_response`): handling is one
short database transaction, and if the process dies first Slack retries the event, which the
core then recognises by its `event_id`. Bolt verifies every request's signature and timestamp.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation import Conversation
from bot.model import Actor, Ephemeral, Incoming, Outgoing

from . import translate
from .messenger import SlackMessenger
from .render import MAX_BLOCKS, blocks, fallback

log = logging.getLogger(__name__)


class SlackAdapter:
    def __init__(
        self, *, conversation: Conversation, client: AsyncWebClient, signing_secret: str
    ) -> None:
        self.conversation = conversation
        self.client = client
        self.messenger = SlackMessenger(client)
        self.app = AsyncApp(
            client=client,
            signing_secret=signing_secret,
            process_before_response=True,
            raise_error_for_unhandled_request=False,
        )
        self._verifier = SignatureVerifier(signing_secret)
        self._profiles: dict[tuple[str, str], dict[str, Any]] = {}
        self._listen()

    def setup(self, app: web.Application) -> None:
        app.router.add_post("/slack/events", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
        except ValueError:  # a body Bolt cannot parse; answer only genuine Slack requests
            body = await request.text()
            if not self._verifier.is_valid_request(body, dict(request.headers)):
                return web.Response(status=401, text="invalid request")
            log.warning("ignoring a signed Slack request with a malformed body")
            return web.Response(status=200, text="")
        bolt_response = await self.app.async_dispatch(bolt_request)
        if bolt_response.status == 404:  # signed, but nothing we listen to: don't make Slack retry
            log.info("ignoring an unhandled Slack request (%s)", bolt_request.body.get("type"))
            return web.Response(status=200, text="")
        return await to_aiohttp_response(bolt_response)

    def _listen(self) -> None:
        app = self.app

        @app.event("message")
        async def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
            author = translate.author_of(event)
            if not author:
                return
            who = await self._actor(body, author)
            incoming: Incoming | None = translate.direct_message(
                event, body, who
            ) or translate.platform_edit(event, body, who)
            if incoming is not None:
                await self._deliver(await self.conversation.handle(incoming))

        @app.command("/tinysteps")
        async def on_command(ack: AsyncAck, command: dict[str, Any], body: dict[str, Any]) -> None:
            who = await self._actor(body, str(command.get("user_id", "")))
            out = await self.conversation.handle(translate.slash_command(command, who))
            private = [a.content for a in out if isinstance(a, Ephemeral)]
            if private:  # the answer rides on the acknowledgement, seen only by the caller
                await ack(
                    text="\n\n".join(fallback(c) for c in private),
                    blocks=[block for c in private for block in blocks(c)][:MAX_BLOCKS],
                )
            else:
                await ack()
            await self._deliver([a for a in out if not isinstance(a, Ephemeral)])

        @app.action(re.compile(".*"))
        async def on_action(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
            await ack()
            who = await self._actor(body, str((body.get("user") or {}).get("id", "")))
            await self._deliver(
                await self.conversation.handle(translate.button_press(body, action, who))
            )

        @app.event("reaction_added")
        @app.event("reaction_removed")
        async def on_reaction(event: dict[str, Any], body: dict[str, Any]) -> None:
            who = await self._actor(body, str(event.get("user", "")))
            vote: Incoming | None = translate.reaction(event, body, who)
            if vote is not None:
                await self._deliver(await self.conversation.handle(vote))

    async def _actor(self, body: dict[str, Any], user_id: str) -> Actor:
        team = str(body.get("team_id") or (body.get("team") or {}).get("id") or "")
        key = (team, user_id)
        profile = self._profiles.get(key)
        if profile is None:
            try:
                response = await self.client.users_info(user=user_id)
            except SlackApiError as error:  # a profile is nice to have, never a reason to fail
                log.info("no profile for %s: %s", user_id, error.response.get("error"))
                return translate.actor(team, user_id)
            profile = self._profiles[key] = dict(response.get("user") or {})
        return translate.actor(team, user_id, profile)

    async def _deliver(self, out: list[Outgoing]) -> None:
        for action in out:
            await self.messenger.send(action)
