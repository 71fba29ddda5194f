"""The conversation core: one incoming event in, neutral outgoing actions out.

Each event is handled inside one transaction, so a crash or error leaves nothing half-written,
and a platform's retry of an event it already delivered is recognised and not handled again.
What the core says back is kept in that same transaction until it is sent (`owed.py`): the
retry of an event whose answer never went out gets that answer, once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from bot import texts
from bot.calendar.schoolcal import SchoolCalendar, TermCalendar
from bot.calendar.zones import local_today
from bot.conversation import actions, home, replies
from bot.conversation.commands import DateUnclear, parse, pause_end
from bot.conversation.owed import LEASE, Answer, Owed, answer_of, keyed
from bot.conversation.turn import Turn
from bot.model import (
    Actor,
    ButtonPress,
    Command,
    Content,
    DirectMessage,
    FormSubmitted,
    Incoming,
    Message,
    MessageDeleted,
    MessageEdited,
    Outgoing,
    Reaction,
)
from bot.people import membership
from bot.people.roster import left_out
from bot.ports import (
    Clock,
    Conflict,
    Person,
    Role,
    School,
    Status,
    Store,
    Transaction,
)
from bot.sharing import chat as sharing

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CoreConfig:
    """Defaults for schools created on first contact from an unknown workspace."""

    default_timezone: str = "Europe/London"
    default_school_name: str = membership.DEFAULT_SCHOOL_NAME


class Conversation:
    """Handles what people say and press; adapters deliver what it returns."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        calendar: SchoolCalendar | None = None,
        config: CoreConfig | None = None,
        worker: str | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._calendar = calendar  # None: each school's own terms, holidays and closures
        self._config = config or CoreConfig()
        # The name on the replies this process owes (a graceful stop hands them back).
        self.owed = Owed(store, clock, worker=worker or f"conversation-{uuid.uuid4().hex[:8]}")

    async def handle(self, event: Incoming) -> Answer:
        """Answer one event; the adapter sends `answer.actions`, then settles them with
        `conversation.owed`. Example: `await conversation.handle(Message(actor, place, "hi"))`."""
        try:
            return await self._handle_once(event)
        except Conflict:
            # Two events from a brand-new person raced to create them; the retry finds them.
            log.info("retrying %s after a concurrent write", type(event).__name__)
            return await self._handle_once(event)

    async def home(self, actor: Actor) -> Content:
        """A person's own page: streak, recent steps, controls; leaders also see the school."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            person, school = await self._resolve(tx, actor, now)
            calendar = self._calendar or TermCalendar(await tx.calendars.rules(school.id))
            return await home.home(tx, person, school, local_today(person, school, now), calendar)

    async def welcome(self, actor: Actor) -> list[Outgoing]:
        """Someone added Tiny Steps for themselves: say hello now, once, rather than leaving
        them with a silent chat until their first question (which then comes on its own)."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            person, _ = await self._resolve(tx, actor, now)
            if person.welcomed_at is not None:
                return []
            await tx.people.mark_welcomed(person.id, now)
            invited = person.status is Status.INVITED
            return [DirectMessage(actor, replies.welcome(person.display_name, invited=invited))]

    async def _handle_once(self, event: Incoming) -> Answer:
        now = self._clock.now()
        platform = event.actor.platform
        async with self._store.transaction() as tx:
            if event.event_id is not None and not await tx.events.first_time(
                platform, event.event_id, at=now
            ):
                owed = await tx.replies.take_over(
                    platform, event.event_id, worker=self.owed.worker, now=now, until=now + LEASE
                )
                if owed is None:
                    log.info("ignoring repeated %s event %s", platform, event.event_id)
                    return Answer([])
                log.info("sending what is still owed to repeated %s event", platform)
                return answer_of(owed)
            if isinstance(event, Reaction):
                await self._vote(tx, event, now)
                return Answer([])  # a vote needs no reply
            out = await self._turn(tx, event, now)
            receipt = await self._owe(tx, event, out.out, now)
        later = [await job() for job in out.later]  # charts: drawn outside the transaction
        if later and receipt is not None:
            async with self._store.transaction() as tx:
                await tx.replies.add(receipt, later)
        actions = out.out + later
        return Answer(keyed(receipt, actions) if receipt is not None else actions, receipt)

    async def _turn(self, tx: Transaction, event: Incoming, now: datetime) -> Turn:
        """The event handled: what to say is in the turn's `out` (and `later`)."""
        person, school = await self._resolve(tx, event.actor, now)
        turn = Turn(
            tx=tx,
            person=person,
            school=school,
            event=event,
            now=now,
            today=local_today(person, school, now),
            calendar=self._calendar or TermCalendar(await tx.calendars.rules(school.id)),
        )
        if left_out(person, school):
            turn.out.append(replies.to(event, replies.say(texts.GUEST_LEFT_OUT)))
            return turn
        if person.welcomed_at is None:
            await tx.people.mark_welcomed(person.id, now)
            invited = person.status is Status.INVITED
            turn.reply(replies.welcome(person.display_name, invited=invited))
        await _catch_up_pause(turn)
        await _dispatch(turn, event)
        return turn

    async def _owe(
        self, tx: Transaction, event: Incoming, actions: list[Outgoing], now: datetime
    ) -> int | None:
        """Keep what is to be said until it is sent; None when there is nothing to say."""
        if not actions:
            return None
        return await tx.replies.owe(
            event.actor.platform,
            event.event_id,
            actions,
            worker=self.owed.worker,
            at=now,
            until=now + LEASE,
        )

    async def _vote(self, tx: Transaction, event: Reaction, now: datetime) -> None:
        """A reaction on a shared or reposted entry is a vote from a colleague of the same
        school (never its author's own); other reactions pass quietly."""
        actor = event.actor
        post = await tx.posts.for_message(actor.platform, actor.workspace_id, event.message_id)
        if post is None or post.improvement_id is None or post.withdrawn_at is not None:
            return
        person, _ = await self._resolve(tx, actor, now)
        entry = await tx.improvements.get(post.improvement_id)
        if entry is None or entry.person_id == person.id or entry.school_id != person.school_id:
            return
        await sharing.vote(tx, entry, person.id, event.emoji, event.added, now)

    async def _resolve(self, tx: Transaction, actor: Actor, now: datetime) -> tuple[Person, School]:
        """The person behind an identity, created on first contact."""
        person = await tx.people.by_identity(actor.platform, actor.workspace_id, actor.user_id)
        if person is not None:
            person = (
                await membership.refresh_profile(
                    tx, person, display_name=actor.display_name, timezone=actor.timezone
                )
                or person
            )
            if person.status is Status.LEFT:  # back in the workspace: a fresh start
                person = await tx.people.set_status(person.id, Status.ACTIVE)
            return person, await _school_of(tx, person)
        school, new_school = await membership.school_for(
            tx,
            actor.platform,
            actor.workspace_id,
            name=self._config.default_school_name,
            timezone=self._config.default_timezone,
            at=now,
        )
        person = await membership.join(
            tx,
            school,
            platform=actor.platform,
            workspace_id=actor.workspace_id,
            user_id=actor.user_id,
            display_name=actor.display_name,
            timezone=actor.timezone,
            at=now,
            role=Role.ADMIN if new_school else Role.STAFF,  # the first person looks after it
            guest=actor.guest,
        )
        return person, school


async def _school_of(tx: Transaction, person: Person) -> School:
    school = await tx.schools.get(person.school_id)
    if school is None:  # foreign keys make this impossible; say so loudly if it happens
        raise LookupError(f"person {person.id} has no school {person.school_id}")
    return school


async def _catch_up_pause(turn: Turn) -> None:
    """A pause ends by itself on its date."""
    person = turn.person
    if (
        person.status is Status.PAUSED
        and person.paused_until is not None
        and person.paused_until <= turn.today
    ):
        turn.person = await turn.tx.people.set_status(person.id, Status.ACTIVE)


async def _dispatch(turn: Turn, event: Incoming) -> None:
    if isinstance(event, FormSubmitted):
        await actions.form_submitted(turn, event)
        return
    if isinstance(event, MessageEdited):
        await actions.follow_edit(turn, event.message_id, event.text)
        return
    if isinstance(event, MessageDeleted):
        await actions.follow_delete(turn, event.message_id)
        return
    if isinstance(event, ButtonPress):
        button = actions.BUTTONS.get(event.action)
        if button is None:
            turn.say(texts.NO_ACTION)
        else:
            await button(turn, event.value)
        return
    if isinstance(event, Command):
        parsed = parse(event.text)
        if parsed is None and not event.text.strip():
            await actions.show_help(turn, "")
        elif parsed is None:
            turn.say(texts.unknown(event.text.strip()))
        else:
            await actions.COMMANDS[parsed.name](turn, parsed.argument)
        return
    if isinstance(event, Message):
        if event.attachments and not event.text.strip():
            turn.say(texts.WORDS_ONLY)  # a photo alone: the question stays open for words
            return
        parsed = parse(event.text)
        if parsed is None or await _is_answer_not_command(turn, parsed.name, parsed.argument):
            await actions.answer(turn, event.text)
        else:
            await actions.COMMANDS[parsed.name](turn, parsed.argument)


async def _is_answer_not_command(turn: Turn, name: str, argument: str) -> bool:
    """Words that start like a command but answer an open prompt: "pause before asking
    questions" (no date in it), "my department meeting was calmer" (no such department)."""
    if name == "pause" and argument:
        try:
            pause_end(argument, turn.today, turn.now)
        except DateUnclear:
            return await turn.open_prompt_id() is not None
        return False
    if name == "my" and argument.lower().startswith("department "):
        wanted = argument.split(" ", 1)[1].strip()
        if wanted.lower() in {"none", "no", "off"}:
            return False
        known = await turn.tx.schools.department_named(turn.school.id, wanted)
        return known is None and await turn.open_prompt_id() is not None
    return False
