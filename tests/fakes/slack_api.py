"""A local fake of the Slack Web API, answering the way Slack does.

An aiohttp app on a random port: every call is recorded; direct-message channels, messages
(with their metadata, readable back from history) and user profiles are kept in memory;
`rate_limit` makes the next calls of a method answer 429 with Retry-After, as Slack does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class FakeSlack:
    team_id: str = "T1"
    bot_user: str = "UBOT"
    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    limits: dict[str, tuple[int, int]] = field(default_factory=dict)
    _ts: int = 1_700_000_000

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        self.limits[method] = (times, retry_after)

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def posted_to(self, channel: str) -> list[dict[str, Any]]:
        return list(self.messages[channel])

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(dict(await request.post()))
        self.calls.append(Call(method, args))
        times, retry_after = self.limits.get(method, (0, 0))
        if times > 0:
            self.limits[method] = (times - 1, retry_after)
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(args))

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{self._ts}.000100"

    def _auth_test(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "team_id": self.team_id, "user_id": self.bot_user, "bot_id": "B1"}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", ""))
        if not user:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": f"D{user}"}}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
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

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        for message in self.messages[str(args.get("channel"))]:
            if message["ts"] == args.get("ts"):
                message.update(text=args.get("text"), blocks=args.get("blocks"))
                return {"ok": True, "channel": args["channel"], "ts": args["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

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
