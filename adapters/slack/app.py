"""The Slack app: Bolt (AsyncApp) listeners that hand events to the core and deliver replies.

Listeners finish before Slack gets its answer (`process_before_response`): handling is one
short database transaction, and if the process dies first Slack retries the event, which the
core then recognises by its `event_id`. Bolt verifies every request's signature and timestamp.

One workspace (`SLACK_BOT_TOKEN`) or many (`SLACK_CLIENT_ID`: OAuth install, tokens in our
database); events over HTTP (`/slack/events`) or Socket Mode (`SLACK_APP_TOKEN`).

A request over HTTP is checked before Bolt reads it: a body that is not UTF-8 gets a 400, a
missing or wrong signature (or a timestamp that is not a whole number) a 401. A signed
request Slack would never send (`translate.check`) gets a 200, so Slack doesn't retry it, and
one line in the log; nothing in it is handled or stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import build_normalized_headers
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.background import Background
from adapters.logs import event_context
from adapters.pacing import ChannelPacer
from adapters.payload import Malformed, obj
from bot import texts
from bot.conversation import Answer, Conversation, replies
from bot.conversation.owed import arrived
from bot.model import (
    Actor,
    ChannelPost,
    Command,
    DirectMessage,
    Ephemeral,
    Incoming,
    OpenForm,
    Outgoing,
)
from bot.people.roster import Roster
from bot.ports import RateLimited, Unreachable

from . import translate
from .install import Installs
from .manifest import BOT_SCOPES, SPOTLIGHT_SHORTCUT
from .messenger import SlackMessenger
from .profiles import Profiles
from .render import FORM_CALLBACK_PREFIX, MAX_BLOCKS, blocks, fallback, home_view, modal
from .workspaces import Workspaces, new_client

log = logging.getLogger(__name__)

COMMAND_ACK_WITHIN = 2.0  # Slack wants an ack within 3 s; slower answers follow by response_url
# `X-Slack-Request-Timestamp`: whole seconds since 1970, in ASCII digits (`int()` would also
# take " 1", "١٢" or "1_0", and raises on "1.5", which became a 500 before).
TIMESTAMP = re.compile(r"[0-9]{1,12}")

# Says something privately to the person whose command is being answered.
Tell = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SlackConfig:
    api_url: str
    signing_secret: str | None = None
    bot_token: str | None = None  # single workspace
    client_id: str | None = None  # many workspaces, installed by OAuth
    client_secret: str | None = None
    app_token: str | None = None  # Socket Mode
    command_ack_within: float = COMMAND_ACK_WITHIN


class SlackAdapter:
    def __init__(
        self,
        *,
        conversation: Conversation,
        roster: Roster,
        config: SlackConfig,
        installations: AsyncInstallationStore | None = None,
        oauth_states: AsyncOAuthStateStore | None = None,
    ) -> None:
        self.conversation = conversation
        self.roster = roster
        self.config = config
        self.workspaces = (
            Workspaces(config.api_url, token=config.bot_token)
            if config.bot_token
            else Workspaces(config.api_url, installations=installations)
        )
        self.pacer = ChannelPacer()
        self.messenger = SlackMessenger(self.workspaces.client, pacer=self.pacer)
        self._background = Background("Slack")
        self.installs = Installs(roster, self.workspaces, self._background)
        oauth = None
        if config.client_id and not config.bot_token:
            oauth = AsyncOAuthSettings(
                client_id=config.client_id,
                client_secret=config.client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=installations,
                state_store=oauth_states,
                callback_options=AsyncCallbackOptions(
                    success=self.installs.installed, failure=_default_failure
                ),
            )
        self.app = AsyncApp(
            client=self.workspaces.single or new_client(config.api_url),
            signing_secret=config.signing_secret or "",
            request_verification_enabled=bool(config.signing_secret),
            process_before_response=True,
            raise_error_for_unhandled_request=False,
            oauth_settings=oauth,
        )
        self._verifier = SignatureVerifier(config.signing_secret) if config.signing_secret else None
        self.profiles = Profiles()
        self._socket: AsyncSocketModeHandler | None = None
        self._listen()

    # --- serving ------------------------------------------------------------------------------

    def setup(self, app: web.Application) -> None:
        if self.config.signing_secret:  # never serve events we cannot verify
            app.router.add_post("/slack/events", self.handle)
        flow = self.app.oauth_flow
        if flow is not None:
            app.router.add_get(flow.install_path, self.handle_oauth)
            app.router.add_get(flow.redirect_uri_path, self.handle_oauth)
        app.on_startup.append(self._on_startup)
        app.on_cleanup.append(self._on_cleanup)

    async def handle(self, request: web.Request) -> web.Response:
        """`POST /slack/events`: verified, decoded and checked here, then handed to Bolt."""
        raw = await request.read()
        try:
            text = raw.decode("utf-8")  # Slack sends UTF-8; Bolt would fail on anything else
        except UnicodeDecodeError:
            return web.Response(status=400, text="the body must be UTF-8")
        # Bolt keeps the last of repeated headers: read them its way, so both check the same.
        headers = build_normalized_headers(_last_of_each(request.headers.items()))
        if not self._signed(text, headers):
            return web.Response(status=401, text="invalid request")
        try:
            translate.check(translate.parse(text, headers))
        except Malformed as why:  # a 500 would make Slack send it three more times
            log.warning("ignoring a signed Slack request Slack would not send: %s", why)
            return web.Response(status=200, text="")
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        body = bolt_request.body
        with event_context(body.get("event_id") or body.get("trigger_id")):
            bolt_response = await self.app.async_dispatch(bolt_request)
        if bolt_response.status == 404:  # signed, but nothing we listen to: don't make Slack retry
            log.info("ignoring an unhandled Slack request (%s)", bolt_request.body.get("type"))
            return web.Response(status=200, text="")
        return await to_aiohttp_response(bolt_response)

    def _signed(self, body: str, headers: Mapping[str, Sequence[str]]) -> bool:
        """Whether Slack signed this body within the last five minutes."""
        timestamp = headers.get("x-slack-request-timestamp", [""])[0]
        signature = headers.get("x-slack-signature", [""])[0]
        if not TIMESTAMP.fullmatch(timestamp) or not signature:
            return False
        assert self._verifier is not None  # the route exists only with a signing secret
        return self._verifier.is_valid(body, timestamp, signature)

    async def handle_oauth(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path == flow.install_path:
            response: BoltResponse = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)

    async def _on_startup(self, _: web.Application) -> None:
        await self.start()

    async def _on_cleanup(self, _: web.Application) -> None:
        await self.stop()

    async def start(self) -> None:
        """Single workspace: it becomes a school and its members staff. Socket Mode: connect."""
        self.workspaces.open(self.app.client)
        if self.workspaces.single is not None:
            self._background.spawn(self.installs.adopt(self.workspaces.single))
        if self.config.app_token:
            self._socket = AsyncSocketModeHandler(self.app, self.config.app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        await self._background.cancel()
        await self.workspaces.close()

    async def wait_idle(self) -> None:
        """Until background work (member syncs, slow commands) is done; for tests and shutdown."""
        await self._background.wait_idle()

    # --- workspaces and members -----------------------------------------------------------------

    # --- listeners ------------------------------------------------------------------------------

    async def _only_ours(
        self, body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Every event, command and interaction passes here first: other workspaces' and other
        organisations' requests are answered (so Slack doesn't retry) and otherwise ignored."""
        try:  # over HTTP `handle` checked this already; Socket Mode comes straight here
            translate.check(body)
        except Malformed as why:
            log.warning("ignoring a Slack request Slack would not send: %s", why)
            return BoltResponse(status=200, body="")
        authorized = context.authorize_result
        home = authorized.team_id if self.workspaces.single is not None and authorized else None
        reason = translate.outsider(body, home)
        if reason is None:
            await next()
            return None
        log.info("ignoring a Slack %s: %s", body.get("type") or "command", reason)
        return BoltResponse(status=200, body="")

    async def _on_error(
        self, error: Exception, body: dict[str, Any], client: AsyncWebClient
    ) -> BoltResponse:
        """A handler failed. Its transaction was rolled back, so nothing was half-written.

        Slack retries an event it wasn't acknowledged for, and the retry starts clean, so an
        event gets a 500. A command or button is never retried: the person is told at once.
        """
        log.error("a Slack %s failed", body.get("type") or "command", exc_info=error)
        if body.get("type") == "event_callback":
            return BoltResponse(status=500, body="")
        if body.get("command"):  # the answer rides on the acknowledgement
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": texts.SOMETHING_WENT_WRONG}),
                headers={"content-type": "application/json"},
            )
        user = str(obj(body.get("user")).get("id") or "")
        if user:
            sorry = DirectMessage(
                translate.actor(translate.team_of(body), user),
                replies.say(texts.SOMETHING_WENT_WRONG),
            )
            try:
                await SlackMessenger.fixed(client, pacer=self.pacer).send(sorry)
            except SlackApiError as unsent:
                log.warning("could not tell %s: %s", user, unsent.response.get("error"))
        return BoltResponse(status=200, body="")

    def _listen(self) -> None:
        """Every listener is a named method below, registered here."""
        app = self.app
        app.use(self._only_ours)
        app.error(self._on_error)
        events = {
            "message": self._on_message,
            "app_mention": self._on_mention,
            "app_home_opened": self._on_home,
            "reaction_added": self._on_reaction,
            "reaction_removed": self._on_reaction,
            "team_join": self._on_member,
            "user_change": self._on_member,
            "app_uninstalled": self._on_uninstalled,
            "tokens_revoked": self._on_uninstalled,
        }
        for event, listener in events.items():
            app.event(event)(listener)
        app.command("/tinysteps")(self._on_command)
        app.action(re.compile(".*"))(self._on_action)
        app.message_shortcut(SPOTLIGHT_SHORTCUT)(self._on_spotlight)
        app.view(re.compile("^" + re.escape(FORM_CALLBACK_PREFIX)))(self._on_submit)

    async def _on_message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        author = translate.author_of(event)
        if not author:
            return
        who = await self.profiles.actor(client, body, author)
        names = await self.profiles.names(client, body, translate.text_of(event))
        incoming: Incoming | None = translate.direct_message(
            event, body, who, names
        ) or translate.platform_edit(event, body, who, names)
        if incoming is not None:
            self._reply_after_ack(client, await self.conversation.handle(incoming))

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        who = await self.profiles.actor(client, body, str(event.get("user", "")))
        names = await self.profiles.names(client, body, translate.text_of(event))
        command = translate.mention(event, body, who, names)
        answer = await self.conversation.handle(command)
        self._reply_after_ack(client, answer, tell=self._ephemeral_teller(client, command))

    async def _on_command(
        self,
        ack: AsyncAck,
        respond: AsyncRespond,
        command: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
    ) -> None:
        who = await self.profiles.actor(client, body, str(command.get("user_id", "")))
        names = await self.profiles.names(client, body, str(command.get("text") or ""))
        work = asyncio.ensure_future(
            self.conversation.handle(translate.slash_command(command, who, names))
        )

        async def tell(words: str) -> None:  # the response_url works in any channel
            content = replies.say(words)
            await respond(text=fallback(content), blocks=blocks(content), response_type="ephemeral")

        done, _ = await asyncio.wait({work}, timeout=self.config.command_ack_within)
        if not done:  # answer Slack in time; the result follows through response_url
            await ack(text=texts.WORKING_ON_IT)
            self._background.spawn(self._answer_later(work, respond, client, tell))
            return
        answer = work.result()
        async with self.conversation.owed.settling(answer):
            private = [a.content for a in answer.actions if isinstance(a, Ephemeral)]
            if private:  # the answer rides on the acknowledgement, seen only by the caller
                await ack(
                    text="\n\n".join(fallback(c) for c in private),
                    blocks=[block for c in private for block in blocks(c)][:MAX_BLOCKS],
                )
            else:
                await ack()
            public = [a for a in answer.actions if not isinstance(a, Ephemeral)]
            await self._deliver(client, public, tell=tell)

    async def _on_action(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        who = await self.profiles.actor(client, body, str((body.get("user") or {}).get("id", "")))
        press = translate.button_press(body, action, who)
        answer = await self.conversation.handle(press)
        async with self.conversation.owed.settling(answer):
            out = answer.actions
            opened = [a for a in out if isinstance(a, OpenForm)]
            if opened and body.get("trigger_id"):  # the form itself, as a modal
                view = modal(opened[0].form, private_metadata=press.place.channel_id)
                await client.views_open(trigger_id=body["trigger_id"], view=view)
                out = [a for a in out if not isinstance(a, OpenForm)]
            await self._deliver(client, out)
        if (body.get("view") or {}).get("type") == "home":  # show the change at once
            await self._publish_home(client, who)

    async def _on_spotlight(
        self, ack: AsyncAck, respond: AsyncRespond, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """*Spotlight this* from a message's menu; the answer is seen only by who asked.

        The shortcut is in every message's menu, also in channels Tiny Steps isn't in, where
        Slack takes no ephemeral message from it: there the answer goes by `response_url`."""
        await ack()
        who = await self.profiles.actor(client, body, str(obj(body.get("user")).get("id") or ""))
        answer = await self.conversation.handle(translate.spotlight(body, who))
        messenger = SlackMessenger.fixed(client, pacer=self.pacer)
        async with self.conversation.owed.settling(answer):
            for action in answer.actions:
                try:
                    await messenger.send(action)
                except (SlackApiError, Unreachable) as error:
                    if not isinstance(action, Ephemeral):
                        raise
                    log.info("answering a spotlight by response_url: %s", error)
                    content = action.content
                    await respond(
                        text=fallback(content), blocks=blocks(content), response_type="ephemeral"
                    )

    async def _on_home(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        await self._publish_home(
            client, await self.profiles.actor(client, body, str(event.get("user", "")))
        )

    async def _on_submit(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # closes the modal; the confirmation arrives in the DM
        callback = str((body.get("view") or {}).get("callback_id", ""))
        who = await self.profiles.actor(client, body, str((body.get("user") or {}).get("id", "")))
        form = translate.submission(body, callback.removeprefix(FORM_CALLBACK_PREFIX), who)
        answer = await self.conversation.handle(form)
        async with self.conversation.owed.settling(answer):
            await self._deliver(client, answer.actions)

    async def _on_reaction(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        who = await self.profiles.actor(client, body, str(event.get("user", "")))
        vote: Incoming | None = translate.reaction(event, body, who)
        if vote is not None:
            self._reply_after_ack(client, await self.conversation.handle(vote))

    async def _on_member(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event.get("user") or {}
        team = translate.team_of(body)
        member = translate.member(user, team)
        if member is None or not team:
            return
        self.profiles.remember(team, user)
        await self.roster.member(translate.PLATFORM, team, member)

    async def _on_uninstalled(self, body: dict[str, Any]) -> None:
        self.workspaces.forget(translate.team_of(body))

    async def _answer_later(
        self,
        work: asyncio.Future[Answer],
        respond: AsyncRespond,
        client: AsyncWebClient,
        tell: Tell,
    ) -> None:
        try:
            answer = await work
        except Exception:  # "On it…" was said: it must be followed by an answer
            log.exception("a slow Slack command failed")
            await respond(text=texts.SOMETHING_WENT_WRONG, response_type="ephemeral")
            return
        async with self.conversation.owed.settling(answer):
            for action in answer.actions:
                if isinstance(action, Ephemeral):
                    await respond(
                        text=fallback(action.content),
                        blocks=blocks(action.content),
                        response_type="ephemeral",
                    )
            public = [a for a in answer.actions if not isinstance(a, Ephemeral)]
            await self._deliver(client, public, tell=tell)

    def _reply_after_ack(
        self, client: AsyncWebClient, answer: Answer, *, tell: Tell | None = None
    ) -> None:
        """Send an event's answer once Slack has its acknowledgement: the answer is kept until
        sent (`bot.conversation.owed`), so the ack need not wait for pacing, and a crash before
        the send loses nothing."""
        if answer.actions:
            self._background.spawn(self._reply(client, answer, tell=tell))

    async def _reply(self, client: AsyncWebClient, answer: Answer, *, tell: Tell | None) -> None:
        try:
            async with self.conversation.owed.settling(answer):
                await self._deliver(client, answer.actions, tell=tell, retried=answer.attempts > 1)
        except (SlackApiError, RateLimited, Unreachable, aiohttp.ClientError) as unsent:
            log.warning("an answer could not be sent yet (%s); it stays owed", unsent)

    async def _publish_home(self, client: AsyncWebClient, who: Actor) -> None:
        content = await self.conversation.home(who)
        await client.views_publish(user_id=who.user_id, view=home_view(content))

    async def _deliver(
        self,
        client: AsyncWebClient,
        out: Sequence[Outgoing],
        *,
        tell: Tell | None = None,
        retried: bool = False,
    ) -> None:
        """Send what the core said. Answering a command (`tell` given), a post Slack won't take
        in the channel it was typed in is not a failure: the person is told how to invite us.
        An answer `retried` after a crash skips what already arrived (`owed.arrived`)."""
        messenger = SlackMessenger.fixed(client, pacer=self.pacer)
        for action in out:
            if retried and await arrived(action, messenger):
                continue
            try:
                await messenger.send(action)
            except Unreachable as error:
                if tell is None or not isinstance(action, ChannelPost):
                    raise
                log.info("could not post in %s: %s", action.channel_id, error)
                await tell(texts.CANNOT_POST_HERE)

    def _ephemeral_teller(self, client: AsyncWebClient, command: Command) -> Tell:
        """Tell the author of `command`, in its channel, where only they see it."""

        async def tell(words: str) -> None:
            private = Ephemeral(command.actor, command.place, replies.say(words))
            try:
                await SlackMessenger.fixed(client, pacer=self.pacer).send(private)
            except (SlackApiError, RateLimited, Unreachable) as unsent:
                log.warning("could not tell %s: %s", command.actor.user_id, unsent)

        return tell


def _last_of_each(pairs: Iterable[tuple[str, str]]) -> dict[str, str | Sequence[str]]:
    """Headers by lower-case name, the last one winning where a name repeats, as in Bolt."""
    return {name.lower(): value for name, value in pairs}


async def _default_failure(args: Any) -> BoltResponse:
    response: BoltResponse = await args.default.failure(args)
    return response
