"""The web chat's JSON API under /api/web/, driving the same `Conversation` as Slack and Teams.

The web chat is for trying Tiny Steps locally: anyone who can open the page can act as any
web-chat person, which is why it is served on loopback addresses only, behind `guard.py`.

What the page could never send is refused with a 400 (a 404 for an id no row can have) before
anything is handled: a body that is not UTF-8 JSON, nested too deep or holding half a UTF-16
pair; a control character in a name, zone, role, button or click id; a button naming an id
beyond the database's range.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from aiohttp import web

from adapters.directory import Directory, DirectoryError
from adapters.logs import event_context
from adapters.payload import MAX_DATABASE_INT, Malformed, is_printable, json_body, numbers_in_range
from bot import texts
from bot.conversation import Conversation
from bot.conversation.owed import send_all
from bot.model import ButtonPress, Command, DirectMessage, Incoming, Message, Place
from bot.people.membership import actor_of
from bot.ports import Clock, Person, Role, School
from bot.schedule import Scheduler

from .messenger import WebMessenger
from .render import content_json, typed_json
from .transcript import WebMessage, WebStore

log = logging.getLogger(__name__)

COMMAND_PREFIX = "/tinysteps"
MAX_FIELD_CHARS = 10_000
MAX_CLIENT_ID_CHARS = 64
MAX_ZONE_CHARS = 64  # the longest IANA name is 32; a longer one makes `ZoneInfo` fail (OSError)


def refuse(status: int, reply: str) -> web.HTTPException:
    body = json.dumps({"error": reply})
    kinds: dict[int, type[web.HTTPException]] = {
        400: web.HTTPBadRequest,
        404: web.HTTPNotFound,
        500: web.HTTPInternalServerError,
    }
    return kinds[status](text=body, content_type="application/json")


def school_json(school: School) -> dict[str, Any]:
    return {"id": school.id, "name": school.name, "timezone": school.timezone}


def person_json(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.display_name,
        "role": person.role.value,
        "timezone": person.timezone,
        "status": person.status.value,
    }


def message_json(message: WebMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "channel": message.channel_id,
        "content": message.content,
    }


async def read_json(request: web.Request) -> dict[str, Any]:
    try:
        body = json_body(await request.text())
    except (UnicodeDecodeError, LookupError, Malformed) as error:  # LookupError: no such charset
        raise refuse(400, texts.WEB_BAD_REQUEST) from error
    if not isinstance(body, dict):
        raise refuse(400, texts.WEB_BAD_REQUEST)
    return body


def text_field(
    body: dict[str, Any], name: str, *, required: bool = True, words: bool = False
) -> str:
    """A string field of the body. Only `words` (what someone typed to the bot, which the core
    cleans) may hold control characters; names, zones, roles and buttons may not."""
    value = body.get(name, "")
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not (words or is_printable(value)):
        raise refuse(400, texts.WEB_BAD_REQUEST)
    if len(value) > MAX_FIELD_CHARS:
        raise refuse(400, texts.WEB_TOO_BIG)
    return value


def zone_field(body: dict[str, Any]) -> str | None:
    """The optional `timezone` field; the directory says whether it names a zone."""
    zone = text_field(body, "timezone", required=False)
    if len(zone) > MAX_ZONE_CHARS:
        raise refuse(400, texts.unknown_timezone(zone))
    return zone or None


def path_id(request: web.Request, name: str) -> int:
    """The id in the path; 404 for anything no row can have (PostgreSQL's INTEGER ends at
    2**31 - 1, and a larger number in a query is an error there, not "not found")."""
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) > MAX_DATABASE_INT:
        raise refuse(404, texts.WEB_NO_PERSON)
    return int(raw)


def row_id(value: object) -> str | None:
    """A message id the page sends back (a number it was given), or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DATABASE_INT:
        raise refuse(400, texts.WEB_BAD_REQUEST)
    return str(value)


class WebChat:
    def __init__(
        self,
        conversation: Conversation,
        directory: Directory,
        store: WebStore,
        clock: Clock,
        scheduler: Scheduler,
    ) -> None:
        self.conversation = conversation
        self.scheduler = scheduler
        self.directory = directory
        self.store = store
        self.clock = clock
        self.messenger = WebMessenger(store, clock)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/web/schools", self.list_schools),
            web.post("/api/web/schools", self.create_school),
            web.get("/api/web/schools/{school}/people", self.list_people),
            web.post("/api/web/schools/{school}/people", self.add_person),
            web.get("/api/web/people/{person}/messages", self.transcript),
            web.post("/api/web/people/{person}/messages", self.say),
            web.post("/api/web/people/{person}/buttons", self.press),
            web.post("/api/web/people/{person}/ask", self.ask),
            web.get("/api/web/people/{person}/home", self.home),
        ]

    async def list_schools(self, _: web.Request) -> web.Response:
        return web.json_response([school_json(s) for s in await self.directory.web_schools()])

    async def create_school(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        try:
            school = await self.directory.create_school(text_field(body, "name"), zone_field(body))
        except DirectoryError as refusal:
            raise refuse(400, refusal.reply) from refusal
        return web.json_response(school_json(school), status=201)

    async def list_people(self, request: web.Request) -> web.Response:
        people = await self.directory.people(path_id(request, "school"))
        return web.json_response([person_json(p) for p in people])

    async def add_person(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        role_name = text_field(body, "role", required=False) or Role.STAFF.value
        if role_name not in {role.value for role in Role}:
            raise refuse(400, texts.WEB_UNKNOWN_ROLE)
        try:
            person = await self.directory.add_person(
                path_id(request, "school"),
                text_field(body, "name"),
                role=Role(role_name),
                timezone=zone_field(body),
            )
        except DirectoryError as refusal:
            raise refuse(400, refusal.reply) from refusal
        return web.json_response(person_json(person), status=201)

    async def transcript(self, request: web.Request) -> web.Response:
        person = await self._person(request)
        async with self.store.transaction() as tx:
            messages = await tx.web_messages.transcript(person.school_id, person.id)
        return web.json_response([message_json(m) for m in messages])

    async def say(self, request: web.Request) -> web.Response:
        person = await self._person(request)
        body = await read_json(request)
        text = text_field(body, "text", words=True)
        if not text.strip():
            raise refuse(400, texts.WEB_TEXT_NEEDED)
        event_id = self._event_id(body)
        place = self._direct(person)
        event: Incoming
        if text.strip().lower().startswith(COMMAND_PREFIX):
            command = text.strip()[len(COMMAND_PREFIX) :]
            event = Command(actor_of(person), place, command.strip(), event_id=event_id)
        else:
            event = Message(actor_of(person), place, text, event_id=event_id)
        await self._handle(person, event, typed=text)
        return await self.transcript(request)

    async def press(self, request: web.Request) -> web.Response:
        person = await self._person(request)
        body = await read_json(request)
        action = text_field(body, "action")
        value = text_field(body, "value", required=False)
        if not action or not numbers_in_range(value):  # not a button the page was given
            raise refuse(400, texts.WEB_BAD_REQUEST)
        event = ButtonPress(
            actor_of(person),
            self._direct(person),
            action,
            value,
            message_id=row_id(body.get("message_id")),
            event_id=self._event_id(body),
        )
        await self._handle(person, event, typed=None)
        return await self.transcript(request)

    async def ask(self, request: web.Request) -> web.Response:
        """Today's question now, through the outbox as at the nudge time; or why not."""
        person = await self._person(request)
        note = await self.scheduler.ask_now(person.id)
        if note is not None:
            await self.messenger.send(DirectMessage(actor_of(person), note))
        return await self.transcript(request)

    async def home(self, request: web.Request) -> web.Response:
        """The person's own page, as Slack's App Home shows it: streak, recent steps, controls."""
        person = await self._person(request)
        return web.json_response(content_json(await self.conversation.home(actor_of(person))))

    async def _handle(self, person: Person, event: Incoming, *, typed: str | None) -> None:
        with event_context(event.event_id):
            await self._answer(person, event, typed=typed)

    async def _answer(self, person: Person, event: Incoming, *, typed: str | None) -> None:
        answer = await self.conversation.handle(event)
        if not answer.actions:
            return  # a repeated request (same client id): already answered once
        if typed is not None and answer.attempts == 1:  # not again for a retried request
            async with self.store.transaction() as tx:
                await tx.web_messages.add(
                    school_id=person.school_id,
                    person_id=person.id,
                    author="person",
                    content=typed_json(typed),
                    at=self.clock.now(),
                )
        async with self.conversation.owed.settling(answer):
            await send_all(answer, self.messenger)

    async def _person(self, request: web.Request) -> Person:
        person = await self.directory.person(path_id(request, "person"))
        if person is None:
            raise refuse(404, texts.WEB_NO_PERSON)
        return person

    @staticmethod
    def _direct(person: Person) -> Place:
        return Place(f"web-dm-{person.id}", is_direct=True)

    @staticmethod
    def _event_id(body: dict[str, Any]) -> str:
        """The page sends a fresh id per action, so a double click or a retry counts once."""
        client_id = body.get("client_id")
        if client_id is None:
            return f"web-{uuid.uuid4().hex}"
        if (
            not isinstance(client_id, str)
            or not 0 < len(client_id) <= MAX_CLIENT_ID_CHARS
            or not is_printable(client_id)
        ):
            raise refuse(400, texts.WEB_BAD_REQUEST)
        return f"web-{client_id}"
