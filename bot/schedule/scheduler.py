"""Daily nudges, reminders and weekly notes: who is due, and delivering each exactly once.

`Scheduler.tick(now)` is the whole job. APScheduler calls it each minute in `tinysteps serve`,
`tinysteps tick --at` calls it from cron or tests. A tick first *plans* (one outbox row per
person, kind and local day; a unique key makes a second impossible, so replicas may plan the
same minute) and then *delivers* (claiming rows under a lease, see `storage/deliveries.py`).

Exactly once, as people see it: a row is marked sent only after the platform accepted it. If a
process dies between the two, its lease expires, another deliverer claims the row with
`attempts > 1`, and first asks the platform whether a message with the row's key arrived
(`Messenger.find`) before sending again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot import texts
from bot.calendar.schoolcal import TermCalendar
from bot.calendar.zones import due_at, local_date_at, local_today, zone_name
from bot.conversation import replies
from bot.conversation.owed import Owed
from bot.evidence import introductions
from bot.model import Content, DirectMessage
from bot.people.roster import left_out
from bot.ports import (
    ChannelKind,
    Clock,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Finished,
    Messenger,
    NewDelivery,
    NudgeStatus,
    RateLimited,
    School,
    Store,
    Transaction,
    Unreachable,
)
from bot.schedule.compose import Sendable, compose, compose_digest
from bot.schedule.records import Decision, Outcome, Planning, ScheduleConfig, TickReport, Wanted
from bot.schedule.rules import skip_reason, wanted
from bot.sharing.compose import SHARING_KINDS, compose_sharing, plan_failure_notes

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        store: Store,
        messenger: Messenger,
        clock: Clock,
        *,
        worker: str,
        config: ScheduleConfig | None = None,
        owed: Owed | None = None,
    ) -> None:
        self._store = store
        self._messenger = messenger
        self._clock = clock
        self._worker = worker
        # Replies whose sender died before sending them go out with the scheduled messages.
        self._owed = owed or Owed(store, clock, worker=worker)
        self._config = config or ScheduleConfig()
        self._retained: dict[int, date] = {}  # school → the local day retention last ran

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Plan and deliver at once: the first nudges leave while a big school is still being
        planned, rather than after everyone has been."""
        now = now or self._clock.now()
        report = TickReport()
        planning = Planning()

        async def plan() -> None:
            try:
                report.planned = await self.plan(now, report.decisions, planning=planning)
            finally:
                planning.finish()

        _, delivered, _ = await asyncio.gather(
            plan(), self.deliver(now, planning), self.resend_owed()
        )
        report.add(delivered)
        log.info("tick %s: %s", now.isoformat(timespec="minutes"), report.summary())
        return report

    async def resend_owed(self) -> int:
        """Send the replies to events that nobody is sending any more (`bot.conversation.owed`):
        `tinysteps serve` calls this every few seconds, and each tick does."""
        return await self._owed.resend(self._messenger)

    async def ask_now(self, person_id: int) -> Content | None:
        """Today's question for one person at once (the web chat's "Ask me" button), through
        the outbox like any other; what to tell them instead when there is nothing to ask."""
        now = self._clock.now()
        async with self._store.transaction() as tx:
            person = await tx.people.get(person_id)
            if person is None:
                return None
            school = await tx.schools.get(person.school_id)
            assert school is not None
            today = local_today(person, school, now)
            nudge = await tx.nudges.ensure(
                person_id=person.id, school_id=school.id, local_date=today, due_at=now
            )
            if nudge.status is NudgeStatus.ANSWERED:
                return replies.say(texts.already_answered(today))
            if nudge.status is NudgeStatus.SKIPPED:
                return replies.say(texts.ALREADY_SKIPPED)
            if nudge.status is NudgeStatus.SENT:
                return replies.say(texts.QUESTION_WAITING)
            new = NewDelivery(person.id, school.id, DeliveryKind.PROMPT, today, now, nudge.id)
            await tx.deliveries.plan([new])
        await self.deliver(now)
        return None

    # --- planning ---------------------------------------------------------------------------

    async def plan(
        self,
        now: datetime,
        decisions: list[Decision] | None = None,
        *,
        dry_run: bool = False,
        planning: Planning | None = None,
    ) -> int:
        """Write the outbox rows due by `now`; with `dry_run`, only explain."""
        async with self._store.transaction() as tx:
            schools = await tx.schools.all()
        planned = 0
        for school in schools:
            planned += await self._plan_school(school, now, decisions, dry_run, planning)
            if not dry_run:
                planned += await self._plan_digests(school, now)
                await self._upkeep(school, now)
        return planned

    async def _plan_digests(self, school: School, now: datetime) -> int:
        """The school's weekly summary, and its showcases' week of standouts, once, on the last
        school day of the week."""
        today = local_date_at(now, school.timezone)
        if now < due_at(today, self._config.digest_at, school.timezone):
            return 0
        async with self._store.transaction() as tx:
            digests = await tx.digests.in_school(school.id)
            showcases = [
                c for c in await tx.channels.in_school(school.id) if c.kind is ChannelKind.SHOWCASE
            ]
            if not digests and not showcases:
                return 0
            calendar = TermCalendar(await tx.calendars.rules(school.id))
            if not calendar.last_school_day_of_week(today):
                return 0
            return await tx.deliveries.plan(
                [
                    NewDelivery(
                        d.person_id, school.id, DeliveryKind.DIGEST, today, now, digest_id=d.id
                    )
                    for d in digests
                ]
                + [
                    NewDelivery(None, school.id, DeliveryKind.BEST_OF, today, now, channel_ref=c.id)
                    for c in showcases
                ]
            )

    async def _upkeep(self, school: School, now: datetime) -> None:
        """Once a school day for each school: silence about a standout becomes a no, and a
        school that keeps entries for a while loses older ones."""
        today = local_date_at(now, school.timezone)
        if self._retained.get(school.id) == today:
            return
        async with self._store.transaction() as tx:
            expired = await tx.standouts.expire(school.id, today)
            if expired:
                await tx.audit.record(
                    "standout.expired", at=now, school_id=school.id, detail={"standouts": expired}
                )
            if school.retention_days is not None:
                gone = await tx.improvements.purge_before(
                    school.id, today - timedelta(days=school.retention_days)
                )
                if gone:
                    await tx.audit.record(
                        "retention.deleted", at=now, school_id=school.id, detail={"entries": gone}
                    )
        self._retained[school.id] = today

    async def _plan_school(
        self,
        school: School,
        now: datetime,
        decisions: list[Decision] | None,
        dry_run: bool,
        planning: Planning | None,
    ) -> int:
        """Read once, then write in chunks, each its own transaction, so delivery can begin.

        A crash between chunks loses nothing: the next tick plans the rest (rows are unique).
        """
        async with self._store.transaction() as tx:
            calendar = TermCalendar(await tx.calendars.rules(school.id))
            people = await tx.people.in_school(school.id)
            days = {local_date_at(now, zone_name(p, school)) for p in people}
            done = await tx.deliveries.planned(school.id, days)
            nudges = await tx.nudges.in_school(school.id, days)
            due_today: list[Wanted] = []
            for person in people:
                zone = zone_name(person, school)
                today = local_date_at(now, zone)
                due = due_at(today, person.nudge_time or school.nudge_time, zone)
                decision = (
                    texts.WHY_GUEST
                    if left_out(person, school)
                    else skip_reason(person, calendar, today, now, due, zone)
                )
                kind: DeliveryKind | None = None
                if decision is None:
                    nudge = nudges.get((person.id, today))
                    status = nudge.status if nudge else NudgeStatus.PLANNED
                    kinds = wanted(person, school, calendar, today, now, due, status, self._config)
                    new = [k for k in kinds if (person.id, k.value, today) not in done]
                    if status is NudgeStatus.ANSWERED:
                        decision = texts.WHY_ANSWERED
                    elif status is NudgeStatus.SKIPPED:
                        decision = texts.WHY_SKIPPED
                    elif not new:
                        decision = texts.WHY_ALREADY_SENT
                    else:
                        decision, kind = texts.WHY_PLANNED, new[0]
                    if new and not dry_run:
                        due_today.append(Wanted(person.id, today, due, new, nudge))
                if decisions is not None:
                    decisions.append(
                        Decision(person.id, person.display_name, school.name, decision, kind, due)
                    )
        planned = 0
        for chunk in itertools.batched(due_today, self._config.plan_chunk):
            async with self._store.transaction() as tx:
                planned += await self._write_plan(tx, school, chunk, now)
            if planning is not None:
                planning.advance()
        return planned

    async def _write_plan(
        self, tx: Transaction, school: School, wanted: Sequence[Wanted], now: datetime
    ) -> int:
        """Today's nudge for whoever has none yet, then the outbox rows."""
        new_nudges = [
            (w.person_id, w.day, w.due)
            for w in wanted
            if w.nudge is None and DeliveryKind.PROMPT in w.kinds
        ]
        created = await tx.nudges.ensure_many(school.id, new_nudges) if new_nudges else {}
        rows: list[NewDelivery] = []
        for w in wanted:
            nudge = created.get((w.person_id, w.day)) or w.nudge
            nudge_id = nudge.id if nudge is not None else None
            rows.extend(
                NewDelivery(w.person_id, school.id, kind, w.day, now, nudge_id) for kind in w.kinds
            )
        return await tx.deliveries.plan(rows)

    # --- delivering -------------------------------------------------------------------------

    async def deliver(self, now: datetime, planning: Planning | None = None) -> TickReport:
        """Deliver every due row until none is left for this worker (and, while `planning`
        is still going, until it has finished).

        Each lane claims a batch, reads what to send in one transaction, sends concurrently,
        and records every outcome in one more: three short transactions per batch, not per
        message. Two lanes overlap one batch's database work with another's sending.
        """
        limit = asyncio.Semaphore(self._config.concurrency)
        lanes = (self._lane(now, limit, planning) for _ in range(self._config.lanes))
        reports = await asyncio.gather(*lanes)
        total = TickReport()
        for report in reports:
            total.add(report)
        return total

    async def _lane(
        self, now: datetime, limit: asyncio.Semaphore, planning: Planning | None
    ) -> TickReport:
        report = TickReport()
        while True:
            seen = planning.progress if planning is not None else 0
            async with self._store.transaction() as tx:
                batch = await tx.deliveries.claim(
                    self._worker,
                    now=now,
                    lease_until=now + self._config.lease,
                    limit=self._config.batch,
                )
                messages = await self._compose_batch(tx, batch)
            if not batch:
                if planning is None or planning.finished:
                    return report
                await planning.beyond(seen)
                continue

            async def one(delivery: Delivery, message: Sendable | None) -> Outcome:
                async with limit:
                    return await self._send(delivery, message, now)

            outcomes = await asyncio.gather(
                *(one(d, m) for d, m in zip(batch, messages, strict=True))
            )
            async with self._store.transaction() as tx:
                await self._record(tx, outcomes, now)
            for outcome in outcomes:
                report.add(outcome.report)

    async def _send(self, delivery: Delivery, message: Sendable | None, now: datetime) -> Outcome:
        if message is None:
            return Outcome(
                Finished(delivery, DeliveryStatus.CANCELLED), None, TickReport(cancelled=1)
            )
        try:
            if delivery.attempts > 1:
                found = await self._already_sent(message, delivery.key)
                if found is not None:
                    done = Finished(delivery, DeliveryStatus.SENT, message_id=found)
                    return Outcome(done, message, TickReport(recovered=1))
            message_id = await self._messenger.send(message)
        except RateLimited as limited:
            retry = now + timedelta(seconds=max(1.0, limited.retry_after))
            later = Finished(delivery, DeliveryStatus.PENDING, error=str(limited), retry_at=retry)
            return Outcome(later, message, TickReport(deferred=1))
        except Unreachable as error:  # retrying won't help; tomorrow's row tries afresh
            log.info("delivery %s: %s", delivery.id, error)
            gone = Finished(delivery, DeliveryStatus.FAILED, error=f"unreachable: {error}")
            return Outcome(gone, message, TickReport(unreachable=1))
        except Exception as error:  # a platform failure must not stop everyone else's nudge
            log.warning("delivery %s failed: %s", delivery.id, error, exc_info=True)
            if delivery.attempts >= self._config.max_attempts:
                failed = Finished(delivery, DeliveryStatus.FAILED, error=repr(error))
                return Outcome(failed, message, TickReport(failed=1))
            retry = now + self._config.retry_base * 2 ** (delivery.attempts - 1)
            later = Finished(delivery, DeliveryStatus.PENDING, error=repr(error), retry_at=retry)
            return Outcome(later, message, TickReport(deferred=1))
        sent = Finished(delivery, DeliveryStatus.SENT, message_id=message_id)
        return Outcome(sent, message, TickReport(sent=1))

    async def _already_sent(self, message: Sendable, key: str) -> str | None:
        """After a crash mid-send: the platform's copy of what an earlier try delivered."""
        if isinstance(message, DirectMessage):
            return await self._messenger.find(message.recipient, key)
        if message.key is not None and message.replaces is None:
            return await self._messenger.find_post(message)
        return None  # changing a post twice changes it to the same words

    async def _compose_batch(
        self, tx: Transaction, batch: Sequence[Delivery]
    ) -> list[Sendable | None]:
        people = await tx.people.many([d.person_id for d in batch if d.person_id is not None])
        nudges = await tx.nudges.for_people(
            [(d.person_id, d.local_date) for d in batch if d.person_id is not None]
        )
        digests = await tx.digests.many([d.digest_id for d in batch if d.digest_id is not None])
        posts = await tx.posts.many([d.post_id for d in batch if d.post_id is not None])
        channels = await tx.channels.many(
            [d.channel_ref for d in batch if d.channel_ref is not None]
        )
        out: list[Sendable | None] = []
        for d in batch:
            if d.kind in SHARING_KINDS:
                out.append(await compose_sharing(tx, d, posts, channels))
            elif d.kind is DeliveryKind.INTRO:
                person = people.get(d.person_id) if d.person_id is not None else None
                out.append(await introductions.compose_intro(tx, d, person))
            elif d.kind is DeliveryKind.DIGEST:
                digest = digests.get(d.digest_id) if d.digest_id is not None else None
                person = people.get(d.person_id) if d.person_id is not None else None
                out.append(await compose_digest(tx, d, digest, person))
            elif d.person_id is not None:
                person, nudge = people.get(d.person_id), nudges.get((d.person_id, d.local_date))
                out.append(await compose(tx, d, person, nudge))
            else:
                out.append(None)
        return out

    async def _record(self, tx: Transaction, outcomes: Sequence[Outcome], now: datetime) -> None:
        """A batch's outcomes in one transaction: outbox rows, then the prompts now sent."""
        kept = await tx.deliveries.finish_many(self._worker, [o.finished for o in outcomes], at=now)
        if kept < len(outcomes):
            log.warning(
                "%d deliveries lost their lease before being recorded", len(outcomes) - kept
            )
        await _record_posts(tx, outcomes, now)
        prompts = [
            (o.finished, o.message.nudge_id)
            for o in outcomes
            if o.finished.status is DeliveryStatus.SENT
            and isinstance(o.message, DirectMessage)
            and o.message.nudge_id is not None
            and o.finished.delivery.kind is DeliveryKind.PROMPT
        ]
        await tx.nudges.mark_sent_many([(nudge, f.message_id) for f, nudge in prompts])
        await tx.people.mark_welcomed_many(
            [f.delivery.person_id for f, _ in prompts if f.delivery.person_id is not None], now
        )


async def _record_posts(tx: Transaction, outcomes: Sequence[Outcome], now: datetime) -> None:
    """Where a post went (its message id: votes on it find it), or that its channel refused
    it, which its school's admins then hear about."""
    failed = []
    for o in outcomes:
        delivery = o.finished.delivery
        if delivery.kind is not DeliveryKind.POST or delivery.post_id is None:
            continue
        if o.finished.status is DeliveryStatus.SENT:
            await tx.posts.posted(delivery.post_id, o.finished.message_id, at=now)
        elif o.finished.status is DeliveryStatus.FAILED:
            await tx.posts.failed(delivery.post_id, o.finished.error or "", at=now)
            post = await tx.posts.get(delivery.post_id)
            if post is not None:
                failed.append(post)
    if failed:
        await plan_failure_notes(tx, failed, now)
