"""A local fake of the Slack Web API, answering the way Slack does.

An aiohttp app on a random port: every call is recorded with the token it carried;
direct-message channels, messages (with their metadata, readable back from history), users
(paginated like `users.list`), OAuth installs, `response_url`s, uploaded files (the three steps
of `files_upload_v2`, the upload URL served here too) and a Socket Mode WebSocket are kept in
memory. `rate_limit` makes the next calls of a method answer 429 with Retry-After;
`per_second` enforces a steady ceiling the way Slack's tiers do. With `require_membership` on,
channels behave as they do for a bot without `chat:write.public`: a post into a public channel
it hasn't joined answers `not_in_channel`, into a private one `channel_not_found`, and
`conversations.join` lets it into public channels only.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""


@dataclass
class Ceiling:
    """At most `per_second` accepted calls in any one-second window; 429 beyond it."""

    per_second: int
    window_start: float = 0.0
    used: int = 0
    refused: int = 0

    def admit(self) -> float | None:
        now = time.monotonic()
        if now - self.window_start >= 1.0:
            self.window_start, self.used = now, 0
        if self.used < self.per_second:
            self.used += 1
            return None
        self.refused += 1
        return max(0.0, 1.0 - (now - self.window_start))


@dataclass
class UploadedFile:
    """A file announced by `files.getUploadURLExternal`; shared once its upload completes."""

    id: str
    filename: str
    length: int
    token: str  # only the token that asked for the upload URL may complete it
    data: bytes | None = None  # what was posted to the upload URL
    title: str = ""
    channel: str | None = None  # where `files.completeUploadExternal` shared it
    initial_comment: str = ""


@dataclass
class FakeSlack:
    team_id: str = "T1"
    bot_user: str = "UBOT"
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)  # accounts Slack won't open a DM with
    limits: dict[str, tuple[int, int]] = field(default_factory=dict)
    ceiling: Ceiling | None = None  # applies to chat.postMessage
    latency: float = 0.0  # seconds before each answer, as a network round trip would take
    # While set, chat.postMessage waits until it is opened (`hold.set()`): a slow Slack.
    hold: asyncio.Event | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # bot token → team id
    client_id: str = "1111.2222"
    client_secret: str = "oauth-secret"
    oauth_codes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # code → team
    responses: list[dict[str, Any]] = field(default_factory=list)  # posted to response_urls
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    uploads: dict[str, UploadedFile] = field(default_factory=dict)  # by file id
    require_membership: bool = False  # posts only into DMs and channels the bot is in
    members_of: set[str] = field(default_factory=set)  # channels the bot is in
    private_channels: set[str] = field(default_factory=set)  # besides any `G…` channel
    join_refusals: dict[str, str] = field(default_factory=dict)  # channel → join's error
    _ts: int = 1_700_000_000
    _envelopes: itertools.count[int] = field(default_factory=itertools.count)

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        self.limits[method] = (times, retry_after)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def posted_to(self, channel: str) -> list[dict[str, Any]]:
        return list(self.messages[channel])

    def is_private(self, channel: str) -> bool:
        return channel.startswith("G") or channel in self.private_channels

    def files_in(self, channel: str) -> list[UploadedFile]:
        """The files shared in a channel (uploaded and completed), oldest first."""
        return [f for f in self.uploads.values() if f.channel == channel]

    def add_user(self, user_id: str, name: str, **fields: Any) -> dict[str, Any]:
        user = {"id": user_id, "name": name.lower(), "real_name": name, **fields}
        self.users[user_id] = user
        return user

    def authorize_install(self, code: str, team_id: str, team_name: str, installer: str) -> None:
        """Slack will exchange `code` for a bot token of this team, installed by `installer`."""
        self.oauth_codes[code] = (team_id, team_name, installer)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_post("/upload/{id}", self._upload)
        app.router.add_get("/socket", self._socket)
        return app

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Push one Socket Mode envelope to the connected app and wait for its ack."""
        envelope_id = f"env-{next(self._envelopes)}"
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self.sockets[-1].send_json(message)
        while True:
            ack = await asyncio.wait_for(self.acks.get(), timeout=10)
            if ack.get("envelope_id") == envelope_id:
                return ack

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        async for message in ws:
            if message.type.name == "TEXT":
                await self.acks.put(json.loads(message.data))
        return ws

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: the file's bytes as the whole body, exactly as long as announced.
        Like Slack's, it is pre-signed (the file id is the secret) and answers in plain text."""
        upload = self.uploads.get(request.match_info["id"])
        if upload is None or upload.data is not None:
            return web.Response(status=404, text="upload_url_not_found")
        data = await request.read()
        if len(data) != upload.length:
            return web.Response(
                status=400, text=f"length_mismatch: announced {upload.length}, got {len(data)}"
            )
        upload.data = data
        return web.Response(text=f"OK - {len(data)}")

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        return web.Response(text="ok")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Basic "):  # oauth.v2.access: client id and secret
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            args.update(client_id=client_id, client_secret=secret)
            authorization = ""
        token = authorization.removeprefix("Bearer ") or str(args.get("token", ""))
        self.calls.append(Call(method, args, token))
        if self.latency:
            await asyncio.sleep(self.latency)
        if method == "chat.postMessage" and self.hold is not None:
            await self.hold.wait()
        if method == "apps.connections.open":
            url = f"ws://{request.host}/socket"
            return web.json_response({"ok": True, "url": url})
        if method == "chat.postMessage" and self.ceiling is not None:
            wait = self.ceiling.admit()
            if wait is not None:
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(math.ceil(wait))},
                )
        times, retry_after = self.limits.get(method, (0, 0))
        if times > 0:
            self.limits[method] = (times - 1, retry_after)
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        if method == "files.getUploadURLExternal":
            return web.json_response(
                self._get_upload_url(args, token, base=f"http://{request.host}")
            )
        if method == "files.completeUploadExternal":
            return web.json_response(self._complete_upload(args, token))
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(args))

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts}.000100"

    @staticmethod
    def _refuse_token(token: str) -> dict[str, Any] | None:
        """Slack's answer to a call that needs a bot token and has none (or another kind)."""
        if not token:
            return {"ok": False, "error": "not_authed"}
        if not token.startswith("xoxb-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        return None

    def _get_upload_url(self, args: dict[str, Any], token: str, *, base: str) -> dict[str, Any]:
        refused = self._refuse_token(token)
        if refused is not None:
            return refused
        filename, length = str(args.get("filename") or ""), str(args.get("length") or "")
        if not filename or not length.isdigit() or int(length) < 1:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.uploads) + 1:04d}"
        self.uploads[file_id] = UploadedFile(file_id, filename, int(length), token)
        return {"ok": True, "upload_url": f"{base}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict[str, Any], token: str) -> dict[str, Any]:
        refused = self._refuse_token(token)
        if refused is not None:
            return refused
        try:
            wanted = json.loads(str(args.get("files") or ""))
        except json.JSONDecodeError:
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(wanted, list) or not wanted:
            return {"ok": False, "error": "invalid_arguments"}
        found = [self.uploads.get(str(item.get("id"))) for item in wanted]
        ready = [f for f in found if f is not None and f.data is not None and f.token == token]
        if len(ready) != len(wanted):
            return {"ok": False, "error": "file_not_found"}  # not uploaded, or someone else's
        channel = str(args.get("channel_id") or "") or None
        comment = str(args.get("initial_comment") or "")
        for upload, item in zip(ready, wanted, strict=True):
            upload.title = str(item.get("title") or upload.filename)
            upload.channel, upload.initial_comment = channel, comment
        if channel is not None:  # sharing posts a message with the files, as in Slack
            self.messages[channel].append(
                {
                    "ts": self._next_ts(),
                    "text": comment,
                    "files": [{"id": f.id, "title": f.title} for f in ready],
                    "user": self.bot_user,
                }
            )
        return {
            "ok": True,
            "files": [
                {"id": f.id, "name": f.filename, "title": f.title, "size": f.length} for f in ready
            ],
        }

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "team_id": self.team_id,
            "team": "Hillside Academy",
            "user_id": self.bot_user,
            "bot_id": "B1",
        }

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        if (args.get("client_id"), args.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return {"ok": False, "error": "invalid_client_id"}
        found = self.oauth_codes.pop(str(args.get("code")), None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, team_name, installer = found
        token = f"xoxb-{team_id}-installed"
        self.tokens[token] = team_id
        return {
            "ok": True,
            "app_id": "A1",
            "access_token": token,
            "token_type": "bot",
            "scope": "chat:write,commands,im:history,im:write,users:read",
            "bot_user_id": self.bot_user,
            "team": {"id": team_id, "name": team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": installer},
        }

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        everyone = list(self.users.values())
        page = everyone[start : start + limit]
        more = start + limit < len(everyone)
        return {
            "ok": True,
            "members": page,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return {"ok": True, "view": {"id": "VMODAL"}}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", ""))
        if not user:
            return {"ok": False, "error": "users_list_not_supplied"}
        if user in self.disabled:
            return {"ok": False, "error": "user_disabled"}
        return {"ok": True, "channel": {"id": f"D{user}"}}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        refused = self._refuse_outsider(channel)
        if refused is not None:
            return refused
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = {
            "ts": self._next_ts(),
            "text": args.get("text", ""),
            "blocks": args.get("blocks"),
            "metadata": metadata,
            "user": self.bot_user,
        }
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        """Only public channels can be joined without an invite."""
        channel = str(args.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.join_refusals:
            return {"ok": False, "error": self.join_refusals[channel]}
        if channel.startswith("D") or self.is_private(channel):
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        answer: dict[str, Any] = {"ok": True}
        if channel in self.members_of:
            answer.update(warning="already_in_channel")
        self.members_of.add(channel)
        answer["channel"] = {
            "id": channel,
            "is_channel": True,
            "is_private": False,
            "is_member": True,
        }
        return answer

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        """In a DM or a channel; only the bot's own messages can be changed, as in Slack."""
        channel = str(args.get("channel", ""))
        for message in self.messages[channel]:
            if message["ts"] == args.get("ts"):
                if message.get("user") != self.bot_user:
                    return {"ok": False, "error": "cant_update_message"}
                message.update(text=args.get("text"), blocks=args.get("blocks"))
                return {
                    "ok": True,
                    "channel": channel,
                    "ts": message["ts"],
                    "text": message["text"],
                    "message": message,
                }
        return {"ok": False, "error": "message_not_found"}

    def _chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("message_ts", ""))
        if not any(m["ts"] == ts for m in self.messages[channel]):
            return {"ok": False, "error": "message_not_found"}
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        refused = self._refuse_outsider(str(args.get("channel", "")))
        if refused is not None:
            return refused
        return {"ok": True, "message_ts": self._next_ts()}

    def _refuse_outsider(self, channel: str) -> dict[str, Any] | None:
        """Slack's answer to a post into a channel the bot isn't in (`require_membership`)."""
        if not self.require_membership or channel.startswith("D") or channel in self.members_of:
            return None
        # A private channel is invisible to the bot until someone invites it.
        error = "channel_not_found" if self.is_private(channel) else "not_in_channel"
        return {"ok": False, "error": error}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        limit = int(args.get("limit", 100))
        newest_first = list(reversed(self.messages[str(args.get("channel"))]))[:limit]
        include = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
        shown = [
            m if include else {k: v for k, v in m.items() if k != "metadata"} for m in newest_first
        ]
        return {"ok": True, "messages": shown, "has_more": False}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V1"}}


async def start(fake: FakeSlack) -> tuple[TestServer, str]:
    """Serve the fake on a random local port; returns the server and its API base URL."""
    server = TestServer(fake.app())
    await server.start_server()
    return server, str(server.make_url("/api/"))
