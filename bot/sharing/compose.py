"""What the outbox sends for sharing: posts, withdrawals, consent questions, failure notes
and the week's best. Each is decided when it is sent, so a post withdrawn or an answer given
in the meantime is never sent anyway."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from bot import texts
from bot.calendar.zones import due_at, local_date_at
from bot.model import ChannelPost, Content, DirectMessage
from bot.people.membership import actor_of
from bot.ports import (
    Channel,
    Consent,
    Delivery,
    DeliveryKind,
    Improvement,
    NewDelivery,
    Post,
    PostKind,
    Role,
    Standout,
    Transaction,
)
from bot.sharing import content

SHARING_KINDS = frozenset(
    {
        DeliveryKind.POST,
        DeliveryKind.WITHDRAW,
        DeliveryKind.REWORD,
        DeliveryKind.CONSENT,
        DeliveryKind.FAILED_POSTS,
        DeliveryKind.BEST_OF,
    }
)


async def compose_sharing(
    tx: Transaction, delivery: Delivery, posts: dict[int, Post], channels: dict[int, Channel]
) -> DirectMessage | ChannelPost | None:
    """The message for a sharing row, or None when it is no longer wanted."""
    post = posts.get(delivery.post_id) if delivery.post_id is not None else None
    match delivery.kind:
        case DeliveryKind.POST if post is not None:
            found = await _post(tx, post)
            return replace(found, key=delivery.key) if found is not None else None
        case DeliveryKind.WITHDRAW if post is not None and post.message_id is not None:
            return _place(post, content.withdrawn(), replaces=post.message_id)
        case DeliveryKind.REWORD if post is not None and post.message_id is not None:
            found = await _post(tx, post)  # None once withdrawn, or no longer consented
            return replace(found, replaces=post.message_id) if found is not None else None
        case DeliveryKind.CONSENT if delivery.standout_id is not None:
            return await _consent(tx, delivery, delivery.standout_id)
        case DeliveryKind.FAILED_POSTS if delivery.person_id is not None:
            return await _failed(tx, delivery, delivery.person_id)
        case DeliveryKind.BEST_OF if delivery.channel_ref in channels:
            return await _best_of(tx, delivery, channels[delivery.channel_ref])
    return None


def _place(post: Post, body: Content, *, replaces: str | None = None) -> ChannelPost:
    return ChannelPost(post.platform, post.workspace_id, post.channel_id, body, replaces=replaces)


async def _post(tx: Transaction, post: Post) -> ChannelPost | None:
    """A live entry, shared by its author or with their consent; anything else is not sent."""
    if post.withdrawn_at is not None or post.improvement_id is None:
        return None
    entry = await tx.improvements.get(post.improvement_id)
    if entry is None:
        return None
    if post.kind is PostKind.SHARE:
        author, department, _ = await credit(tx, entry, Consent.NAMED)
        return _place(post, content.shared_post(entry, author or texts.A_COLLEAGUE, department))
    standout = await tx.standouts.get(entry.id)
    if standout is None or not standout.consent.travels:
        return None
    author, department, school = await credit(tx, entry, standout.consent)
    shared = [
        p.message_id
        for p in await tx.posts.of_entry(entry.id)
        if p.kind is PostKind.SHARE
        and (p.platform, p.workspace_id) == (post.platform, post.workspace_id)
        and p.message_id is not None
        and p.withdrawn_at is None
    ]
    repost = _place(post, content.repost(entry, author, department, school))
    return replace(repost, original=shared[0]) if shared else repost


async def credit(
    tx: Transaction, entry: Improvement, consent: Consent
) -> tuple[str | None, str, str]:
    """Who (unless they chose to go without their name), which department, which school."""
    person = await tx.people.get(entry.person_id)
    school = await tx.schools.get(entry.school_id)
    departments = await tx.schools.departments(entry.school_id)
    department = next((d.name for d in departments if d.id == entry.department_id), None)
    named = consent is Consent.NAMED and person is not None and person.display_name
    return (
        person.display_name if named and person is not None else None,
        department or texts.NO_DEPARTMENT,
        school.name if school is not None else "",
    )


async def _consent(tx: Transaction, delivery: Delivery, standout_id: int) -> DirectMessage | None:
    found = await tx.standouts.by_id(standout_id)
    if found is None:
        return None
    standout, entry = found
    if standout.consent is not Consent.ASKED:
        return None  # answered (or expired) before the question went out
    author = await tx.people.get(entry.person_id)
    if author is None:
        return None
    reason = await _reason(tx, standout, entry)
    body = content.consent_question(standout, entry, reason)
    return DirectMessage(actor_of(author), body, key=delivery.key)


async def _reason(tx: Transaction, standout: Standout, entry: Improvement) -> str:
    if standout.reason == "spotlight" and standout.chosen_by is not None:
        leader = await tx.people.get(standout.chosen_by)
        if leader is not None and leader.display_name:
            return texts.consent_reason_spotlight(leader.display_name)
    return texts.consent_reason_votes(await tx.votes.count(entry.id))


async def _failed(tx: Transaction, delivery: Delivery, admin_id: int) -> DirectMessage | None:
    """Today's refused posts, to one of the school's admins (who still is one)."""
    admin = await tx.people.get(admin_id)
    school = await tx.schools.get(delivery.school_id)
    if admin is None or school is None or admin.role is not Role.ADMIN:
        return None
    since = due_at(delivery.local_date, time(0), school.timezone)
    failed = await tx.posts.failed_since(school.id, since)
    if not failed:
        return None
    names = {p.id: p.channel_name for p in failed if p.channel_name}
    return DirectMessage(actor_of(admin), content.failed_posts(failed, names), key=delivery.key)


async def _best_of(tx: Transaction, delivery: Delivery, channel: Channel) -> ChannelPost | None:
    """The week's consented standouts of the channel's school (and its trust's)."""
    school = await tx.schools.get(channel.school_id)
    if school is None:
        return None
    schools = [school]
    if school.organisation_id is not None:
        schools = list(await tx.schools.in_organisation(school.organisation_id))
    monday = delivery.local_date - timedelta(days=delivery.local_date.weekday())
    chosen = await tx.standouts.in_schools([s.id for s in schools], monday, delivery.local_date)
    items = []
    for standout, entry in chosen:
        if standout.consent.travels:
            author, department, school_name = await credit(tx, entry, standout.consent)
            items.append(
                (texts.repost(author or texts.A_COLLEAGUE, department, school_name), entry)
            )
    if not items:
        return None
    return ChannelPost(
        channel.platform,
        channel.workspace_id,
        channel.channel_id,
        content.best_of(items),
        key=delivery.key,
    )


async def plan_failure_notes(tx: Transaction, failed: list[Post], now: datetime) -> int:
    """Each school whose channel refused a post tells its admins, once a day."""
    planned = 0
    for school_id in sorted({p.school_id for p in failed}):
        school = await tx.schools.get(school_id)
        if school is None:
            continue
        today = local_date_at(now, school.timezone)
        admins = [p.id for p in await tx.people.in_school(school.id) if p.role is Role.ADMIN]
        planned += await tx.deliveries.plan(
            [NewDelivery(a, school.id, DeliveryKind.FAILED_POSTS, today, now) for a in admins]
        )
    return planned
