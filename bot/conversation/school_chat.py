"""Admins' school-wide settings in chat: channels with a purpose, weekly digests, how long
entries are kept, and the audit trail of every change."""

from __future__ import annotations

import re

from bot import texts
from bot.conversation import replies
from bot.conversation.turn import Turn
from bot.model import ChannelPost
from bot.ports import Channel, ChannelKind

MAX_AUDIT = 50
DEFAULT_AUDIT = 10
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 50 * 366
_RETENTION = re.compile(r"^(\d{1,4})\s*(day|days|month|months|year|years)$")
_DAYS_IN = {"day": 1, "month": 31, "year": 366}  # generous: never deletes a day too soon


async def channel(turn: Turn, value: str) -> None:
    """`config channel department Maths|showcase|leaders|school|none`, said in that channel."""
    place, actor = turn.event.place, turn.event.actor
    if place.is_direct:
        turn.say(texts.CHANNEL_SAY_IT_THERE)
        return
    kind_word, _, rest = value.strip().partition(" ")
    kind_word = kind_word.lower()
    if kind_word in {"none", "off", "nothing"}:
        gone = await turn.tx.channels.remove(actor.platform, actor.workspace_id, place.channel_id)
        await turn.audit("config.channel", channel=place.channel_id, before=_what(gone), after="")
        turn.say(texts.CHANNEL_CLEARED if gone else texts.CHANNEL_WAS_NOTHING)
        return
    try:
        kind = ChannelKind(kind_word)
    except ValueError:
        turn.say(texts.CHANNEL_HELP)
        return
    department = None
    if kind is ChannelKind.DEPARTMENT:
        name = " ".join(rest.split())
        department = await turn.tx.schools.department_named(turn.school.id, name) if name else None
        if department is None:
            known = [d.name for d in await turn.tx.schools.departments(turn.school.id)]
            turn.say(texts.unknown_department(name[:60], known) if name else texts.CHANNEL_HELP)
            return
    chosen = Channel(
        school_id=turn.school.id,
        platform=actor.platform,
        workspace_id=actor.workspace_id,
        channel_id=place.channel_id,
        kind=kind,
        name=department.name if department else "",
        department_id=department.id if department else None,
    )
    before = await turn.tx.channels.set(chosen)
    await turn.audit(
        "config.channel", channel=place.channel_id, before=_what(before), after=_what(chosen)
    )
    announcement = texts.channel_is_now(kind, chosen.name)
    # Said in the channel itself: the platform shows whether Tiny Steps can post there.
    turn.out.append(
        ChannelPost(actor.platform, actor.workspace_id, place.channel_id, replies.say(announcement))
    )


def _what(channel: Channel | None) -> str:
    if channel is None:
        return ""
    return f"{channel.kind} {channel.name}".strip()


async def channels(turn: Turn, _: str) -> None:
    found = await turn.tx.channels.in_school(turn.school.id)
    if not found:
        turn.say(texts.NO_CHANNELS)
        return
    turn.say(texts.channel_list([(c.channel_id, c.kind, c.name) for c in found]))


async def digest(turn: Turn, value: str) -> None:
    """`config digest weekly here|me`, `config digest off` (here, or for me in a DM)."""
    words = " ".join(value.lower().split())
    place, actor = turn.event.place, turn.event.actor
    here = not place.is_direct
    schools = turn.school.id
    if words in {"weekly here", "weekly channel"}:
        if not here:
            turn.say(texts.DIGEST_HERE_IN_A_CHANNEL)
            return
        await turn.tx.digests.subscribe(
            schools, actor.platform, actor.workspace_id, at=turn.now, channel_id=place.channel_id
        )
        await turn.audit("config.digest", after="weekly", channel=place.channel_id)
        turn.say(texts.DIGEST_HERE_ON)
    elif words == "weekly me":
        await turn.tx.digests.subscribe(
            schools, actor.platform, actor.workspace_id, at=turn.now, person_id=turn.person.id
        )
        await turn.audit("config.digest", after="weekly", to="me")
        turn.say(texts.DIGEST_ME_ON)
    elif words in {"off", "off here", "off me"}:
        if here and words != "off me":
            gone = await turn.tx.digests.unsubscribe(schools, channel_id=place.channel_id)
        else:
            gone = await turn.tx.digests.unsubscribe(schools, person_id=turn.person.id)
        await turn.audit("config.digest", after="off", removed=gone)
        turn.say(texts.DIGEST_OFF if gone else texts.DIGEST_WAS_OFF)
    else:
        turn.say(texts.DIGEST_HELP)


async def retention(turn: Turn, value: str) -> None:
    """`config retention 3 years` (entries older are deleted each day) or `config retention off`."""
    words = " ".join(value.lower().split())
    before = turn.school.retention_days
    if words in {"off", "keep", "forever", "none"}:
        days = None
    elif match := _RETENTION.match(words):
        amount, unit = int(match.group(1)), match.group(2).rstrip("s")
        days = amount * _DAYS_IN[unit]
        if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
            turn.say(texts.RETENTION_RANGE)
            return
    else:
        turn.say(texts.RETENTION_HELP)
        return
    turn.school = await turn.tx.schools.set_retention(turn.school.id, days)
    await turn.audit("config.retention", before=before, after=days)
    turn.say(texts.retention_set(words if days else None))


async def audit(turn: Turn, value: str) -> None:
    """`config audit [n]`: the last n changes: who, what, before, after, when."""
    words = value.strip()
    if words and not words.isdecimal():
        turn.say(texts.AUDIT_HELP)
        return
    limit = min(int(words or DEFAULT_AUDIT), MAX_AUDIT) or DEFAULT_AUDIT
    entries = await turn.tx.audit.recent(turn.school.id, limit)
    if not entries:
        turn.say(texts.AUDIT_EMPTY)
        return
    people = await turn.tx.people.many([e.person_id for e in entries if e.person_id is not None])
    lines = [
        texts.audit_line(
            e.at,
            people[e.person_id].display_name if e.person_id in people else texts.SOMEONE,
            e.action,
            e.detail,
        )
        for e in entries
    ]
    turn.reply(replies.listed(texts.audit_heading(len(lines)), lines))
