"""A local fake of the Bot Connector service that Teams bots send to.

Records every activity posted or updated (`POST /v3/conversations/{id}/activities[/{replyTo}]`,
`PUT /v3/conversations/{id}/activities/{activityId}`) and answers with the activity's id, as
the real service does: a new one for a post, the same one for an update (404 once deleted).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Sent:
    method: str
    conversation: str
    activity: dict[str, Any]
    reply_to: str | None = None
    id: str = ""  # what the connector answered: the id to update or reply to it by


@dataclass
class FakeConnector:
    sent: list[Sent] = field(default_factory=list)
    roster: list[dict[str, Any]] = field(default_factory=list)  # a team's members
    roster_pages: int = 0  # pages of the roster asked for
    unreachable: set[str] = field(default_factory=set)  # member ids Teams won't open a chat with
    created: list[dict[str, Any]] = field(default_factory=list)  # POST /v3/conversations bodies
    refuse_creates: int = 0  # the next N conversation creations answer 429
    hold_creates: asyncio.Event | None = None  # chats are created only once this is set
    removed: set[str] = field(default_factory=set)  # conversations whose member removed the app
    deleted: set[str] = field(default_factory=set)  # activity ids someone deleted: PUT gets 404
    latency: float = 0.0  # seconds before each answer, as a network round trip would take
    refuse: int = 0  # the next N posts answer 429 with `retry_after`
    retry_after: int = 1
    refused: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_get("/v3/conversations/{conversation}/pagedMembers", self._members)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._members)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._put)
        return app

    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards sent or updated, oldest first."""
        return [
            attachment["content"]
            for sent in self.sent
            for attachment in sent.activity.get("attachments") or []
        ]

    def texts(self) -> str:
        """Every text run and fact in every card, for searching."""
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key in ("text", "value", "title"):
                    if isinstance(node.get(key), str):
                        found.append(node[key])
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                for child in node:
                    walk(child)

        walk(self.cards())
        return "\n".join(found)

    async def _members(self, request: web.Request) -> web.Response:
        """One page of the roster; the continuation token is where the next page starts."""
        size = int(request.query.get("pageSize") or 100)
        start = int(request.query.get("continuationToken") or 0)
        page: dict[str, Any] = {"members": self.roster[start : start + size]}
        if start + size < len(self.roster):
            page["continuationToken"] = str(start + size)
        self.roster_pages += 1
        return web.json_response(page)

    async def _member(self, request: web.Request) -> web.Response:
        """One member of the roster, by their 29: id or Entra object id."""
        wanted = request.match_info["member"]
        for member in self.roster:
            if wanted in (member.get("id"), member.get("aadObjectId")):
                return web.json_response(member)
        return web.json_response(
            {"error": {"code": "MemberNotFoundInConversation", "message": "Not found"}}, status=404
        )

    async def _create(self, request: web.Request) -> web.Response:
        if self.hold_creates is not None:
            await self.hold_creates.wait()
        body = await request.json()
        self.created.append(body)
        if self.refuse_creates > 0:
            self.refuse_creates -= 1
            return web.json_response(
                {"error": {"code": "ConversationThrottled", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": "0"},
            )
        member = (body.get("members") or [{}])[0].get("id", "")
        if member in self.unreachable:
            return web.json_response(
                {"error": {"code": "Forbidden", "message": "The bot is not part of the roster"}},
                status=403,
            )
        return web.json_response({"id": f"a:1on1-{member}"})

    def rate_limit(self, times: int = 1, retry_after: int = 1) -> None:
        self.refuse, self.retry_after = times, retry_after

    async def _post(self, request: web.Request) -> web.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        if request.match_info["conversation"] in self.removed:
            return web.json_response(
                {"error": {"code": "BotNotInConversationRoster", "message": "not in roster"}},
                status=403,
            )
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return web.json_response(
                {"error": {"code": "ConversationThrottled", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        sent = Sent(
            "POST",
            request.match_info["conversation"],
            await request.json(),
            request.match_info.get("reply_to"),
            f"activity-{next(self._ids)}",
        )
        self.sent.append(sent)
        return web.json_response({"id": sent.id})

    def updates(self) -> list[Sent]:
        """The activities changed in place (`PUT`), oldest first; `id` is the one changed."""
        return [sent for sent in self.sent if sent.method == "PUT"]

    async def _put(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        activity_id = request.match_info["activity"]
        if conversation in self.removed:
            return web.json_response(
                {"error": {"code": "BotNotInConversationRoster", "message": "not in roster"}},
                status=403,
            )
        if activity_id in self.deleted:
            return web.json_response(
                {"error": {"code": "NotFound", "message": "The message was deleted"}}, status=404
            )
        self.sent.append(Sent("PUT", conversation, await request.json(), id=activity_id))
        return web.json_response({"id": activity_id})


async def start(fake: FakeConnector) -> tuple[TestServer, str]:
    server = TestServer(fake.app())
    await server.start_server()
    return server, str(server.make_url("/"))
