"""Sharing in chat: share and unshare, votes, "I'll try this", consent, spotlights, settings.

Every rule is checked here: only an entry's author shares it, takes it back or lets it
travel; votes come from colleagues of the same school, never the author; a leader spotlights
only what they may see; nothing leaves the department before its author says yes.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot import texts
from bot.calendar.schoolcal import TermCalendar
from bot.calendar.zones import local_date_at
from bot.conversation.turn import Turn
from bot.leaders.access import AccessRefused, scope_for
from bot.model import Block, Button, Buttons, Paragraph
from bot.ports import (
    Channel,
    Consent,
    DeliveryKind,
    Improvement,
    NewDelivery,
    Post,
    PostKind,
    Sharing,
    Standout,
    Transaction,
)
from bot.sharing import rules

MAX_IDEA_CHARS = 80
_NUMBER = re.compile(r"^#?(\d{1,12})$")


# --- planning what the outbox sends ---------------------------------------------------------


async def plan_posts(tx: Transaction, posts: list[Post], kind: DeliveryKind, now: datetime) -> int:
    """Posts (or their withdrawals) go through the outbox: once each, whatever happens."""
    return await tx.deliveries.plan(
        [NewDelivery(None, p.school_id, kind, now.date(), now, post_id=p.id) for p in posts]
    )


async def plan_consent(tx: Transaction, standout: Standout, school_id: int, now: datetime) -> None:
    """The author's question, as a DM through the outbox (asked again if asked before)."""
    planned = await tx.deliveries.plan(
        [
            NewDelivery(
                None, school_id, DeliveryKind.CONSENT, now.date(), now, standout_id=standout.id
            )
        ]
    )
    if not planned:
        await tx.deliveries.reopen(DeliveryKind.CONSENT, standout_id=standout.id, due_at=now)


async def share_entry(
    tx: Transaction, entry: Improvement, channels: list[Channel], now: datetime
) -> None:
    new = [p for c in channels if (p := await tx.posts.add(entry.id, PostKind.SHARE, c, at=now))]
    await plan_posts(tx, new, DeliveryKind.POST, now)


async def reword_entry(tx: Transaction, entry_id: int, now: datetime) -> None:
    """An entry edited after it was posted: every post of it that went out changes too."""
    for post in await tx.posts.of_entry(entry_id):
        if post.withdrawn_at is not None or post.message_id is None:
            continue  # withdrawn, or not sent yet (it will go out with the new words)
        new = NewDelivery(
            None, post.school_id, DeliveryKind.REWORD, now.date(), now, post_id=post.id
        )
        if not await tx.deliveries.plan([new]):
            await tx.deliveries.reopen(DeliveryKind.REWORD, post_id=post.id, due_at=now)


async def withdraw_entry(
    tx: Transaction, entry_id: int, now: datetime, *, kind: PostKind | None = None
) -> int:
    """Take an entry back from every channel (or only its reposts): posts not yet sent are
    never sent, those sent are replaced by "withdrawn by its author". How many posts."""
    posts = await tx.posts.withdraw(entry_id, at=now, kind=kind)
    await plan_posts(tx, list(posts), DeliveryKind.WITHDRAW, now)
    standout = await tx.standouts.get(entry_id)
    if kind is None and standout is not None and standout.consent.travels:
        await tx.standouts.answer(entry_id, Consent.WITHDRAWN, at=now)
    return len(posts)


async def repost(tx: Transaction, entry: Improvement, now: datetime) -> int:
    """A consented standout, planned once to each of its channels. How many channels."""
    school = await tx.schools.get(entry.school_id)
    assert school is not None
    targets = await rules.repost_targets(tx, school, entry)
    new = [p for c in targets if (p := await tx.posts.add(entry.id, PostKind.REPOST, c, at=now))]
    await plan_posts(tx, new, DeliveryKind.POST, now)
    return len(targets)


# --- votes --------------------------------------------------------------------------------


async def vote(
    tx: Transaction, entry: Improvement, voter_id: int, kind: str, added: bool, now: datetime
) -> None:
    """One colleague's vote added or taken away; enough votes make a standout, whose author
    is then asked before it goes anywhere."""
    if added:
        await tx.votes.add(entry.id, voter_id, kind[:64], at=now)
    else:
        await tx.votes.remove(entry.id, voter_id, kind[:64])
        return
    school = await tx.schools.get(entry.school_id)
    assert school is not None
    if await tx.votes.count(entry.id) < school.standout_votes:
        return
    today = local_date_at(now, school.timezone)
    calendar = TermCalendar(await tx.calendars.rules(school.id))
    standout = await tx.standouts.choose(
        entry.id, reason="votes", at=now, answer_by=rules.answer_by(calendar, today)
    )
    if standout is not None:
        await plan_consent(tx, standout, school.id, now)


async def _shared_entry(turn: Turn, value: str) -> Improvement | None:
    """The live entry a post's button names, if it is posted somewhere and not withdrawn."""
    entry = await turn.tx.improvements.get(int(value)) if value.isdecimal() else None
    posts = await turn.tx.posts.of_entry(entry.id) if entry is not None else []
    if entry is None or not any(p.withdrawn_at is None for p in posts):
        turn.say(texts.ENTRY_NOT_FOUND)
        return None
    return entry


async def helped(turn: Turn, value: str) -> None:
    """*This helped me too* on a shared post: a vote, like a reaction."""
    entry = await _shared_entry(turn, value)
    if entry is None:
        return
    if entry.person_id == turn.person.id:
        turn.say(texts.VOTE_OWN)
        return
    if entry.school_id != turn.school.id:
        turn.say(texts.ENTRY_NOT_FOUND)
        return
    await vote(turn.tx, entry, turn.person.id, "button", True, turn.now)
    turn.say(texts.VOTED)


# --- "I'll try this" ----------------------------------------------------------------------


async def try_this(turn: Turn, value: str) -> None:
    entry = await _shared_entry(turn, value)
    if entry is None:
        return
    if entry.person_id == turn.person.id:
        turn.say(texts.TRY_OWN)
        return
    until = rules.adoption_until(turn.calendar, turn.today)
    if await turn.tx.adoptions.add(entry.id, turn.person.id, at=turn.now, until=until):
        await turn.audit("improvement.adopted", improvement_id=entry.id)
        turn.say(texts.tried(_idea(entry)))
    else:
        turn.say(texts.TRY_ALREADY)


async def took(turn: Turn, value: str) -> None:
    """ "Yes, it was my take on it": the adoption and the new entry, linked."""
    adoption_id, _, entry_id = value.partition(":")
    adoption = await turn.tx.adoptions.get(int(adoption_id)) if adoption_id.isdecimal() else None
    entry = await turn.tx.improvements.get(int(entry_id)) if entry_id.isdecimal() else None
    if (
        adoption is None
        or entry is None
        or adoption.person_id != turn.person.id
        or entry.person_id != turn.person.id
    ):
        turn.say(texts.NOT_YOUR_QUESTION)
        return
    if adoption.taken_id is not None:
        turn.say(texts.TOOK_ALREADY)
        return
    await turn.tx.adoptions.take(adoption.id, entry.id)
    await turn.audit("improvement.tried", improvement_id=adoption.improvement_id, taken=entry.id)
    turn.say(texts.TOOK_YES)


async def took_no(turn: Turn, _: str) -> None:
    turn.say(texts.TOOK_NO)


# --- after logging ------------------------------------------------------------------------


async def after_logging(turn: Turn, entry: Improvement) -> tuple[bool, list[Block]]:
    """What the confirmation adds: whether to offer *Share with my department* (or that it
    was shared, for someone who always shares), and "was this your take on …?"."""
    blocks: list[Block]
    offer, blocks = False, []
    if rules.offers_share(turn.school, turn.person):
        channels = await rules.department_channels(turn.tx, turn.school.id, entry.department_id)
        if channels and turn.person.sharing is Sharing.ALWAYS:
            await share_entry(turn.tx, entry, channels, turn.now)
            await turn.audit("improvement.shared", improvement_id=entry.id, automatic=True)
            names = await _department_names(turn, entry)
            blocks.append(Paragraph(texts.shared_automatically(names)))
        else:
            offer = bool(channels)
    for adoption, idea in (await turn.tx.adoptions.open_for(turn.person.id, turn.today))[:1]:
        blocks += [
            Paragraph(texts.was_it_your_take(_idea(idea))),
            Buttons(
                (
                    Button(texts.BUTTON_TOOK_YES, "took", f"{adoption.id}:{entry.id}"),
                    Button(texts.BUTTON_TOOK_NO, "took_no", str(adoption.id)),
                )
            ),
        ]
    return offer, blocks


# --- share and unshare --------------------------------------------------------------------


async def _own_entry(turn: Turn, value: str, *, usage: str) -> Improvement | None:
    """The entry `value` names (blank: the person's last), if it is theirs and still there."""
    words = value.strip()
    if not words:
        entry = await turn.tx.improvements.last_for(turn.person.id)
        if entry is None:
            turn.say(texts.NOTHING_TO_SHARE)
        return entry
    match = _NUMBER.match(words)
    if match is None:
        turn.say(usage)
        return None
    return await turn.own_entry(match.group(1), texts.NOT_YOUR_ENTRY)


async def share(turn: Turn, value: str) -> None:
    """`share`, `share 123`, or the confirmation's *Share with my department*."""
    entry = await _own_entry(turn, value, usage=texts.SHARE_USAGE)
    if entry is None:
        return
    if turn.school.share_mode == "never":
        turn.say(texts.SHARE_NOT_OFFERED)
        return
    if entry.department_id is None:
        turn.say(texts.SHARE_NEEDS_DEPARTMENT)
        return
    channels = await rules.department_channels(turn.tx, turn.school.id, entry.department_id)
    names = await _department_names(turn, entry)
    if not channels:
        turn.say(texts.no_department_channel(names[0] if names else texts.NO_DEPARTMENT))
        return
    await share_entry(turn.tx, entry, channels, turn.now)
    await turn.audit("improvement.shared", improvement_id=entry.id)
    turn.say(texts.shared(names))


async def unshare(turn: Turn, value: str) -> None:
    """`unshare [ID]` or *Take it back*: from the department and everywhere it travelled."""
    entry = await _own_entry(turn, value, usage=texts.UNSHARE_USAGE)
    if entry is None:
        return
    if not await turn.tx.posts.of_entry(entry.id):
        standout = await turn.tx.standouts.get(entry.id)
        if standout is None or not standout.consent.travels:
            turn.say(texts.NOTHING_SHARED)
            return
    posts = await withdraw_entry(turn.tx, entry.id, turn.now)
    await turn.audit("improvement.unshared", improvement_id=entry.id, posts=posts)
    turn.say(texts.unshared(posts))


async def _department_names(turn: Turn, entry: Improvement) -> list[str]:
    departments = await turn.tx.schools.departments(turn.school.id)
    return [d.name for d in departments if d.id == entry.department_id]


# --- consent ------------------------------------------------------------------------------


async def _consent(turn: Turn, value: str, consent: Consent) -> None:
    entry = await turn.own_entry(value, texts.NOT_YOUR_QUESTION)
    if entry is None:
        return
    standout = await turn.tx.standouts.get(entry.id)
    if standout is None:
        turn.say(texts.ENTRY_NOT_FOUND)
        return
    await turn.tx.standouts.answer(entry.id, consent, at=turn.now)
    await turn.audit(
        "standout.consent", improvement_id=entry.id, before=standout.consent, after=consent
    )
    if consent.travels:
        targets = await repost(turn.tx, entry, turn.now)
        turn.say(texts.consent_given(consent is Consent.NAMED, targets))
        return
    if standout.consent.travels:  # yes before, no now: the reposts come back
        await withdraw_entry(turn.tx, entry.id, turn.now, kind=PostKind.REPOST)
    turn.say(texts.CONSENT_DECLINED)


async def consent_named(turn: Turn, value: str) -> None:
    await _consent(turn, value, Consent.NAMED)


async def consent_anonymous(turn: Turn, value: str) -> None:
    await _consent(turn, value, Consent.ANONYMOUS)


async def consent_declined(turn: Turn, value: str) -> None:
    await _consent(turn, value, Consent.DECLINED)


# --- spotlight ----------------------------------------------------------------------------


async def spotlight(turn: Turn, value: str) -> None:
    """`spotlight 123` (or its button): a leader picks any entry they may see."""
    match = _NUMBER.match(value.strip())
    if match is None:
        turn.say(texts.SPOTLIGHT_USAGE)
        return
    await _spotlight(turn, await turn.tx.improvements.get(int(match.group(1))))


async def spotlight_post(turn: Turn, message_id: str) -> None:
    """*Spotlight this* on a shared post (a Slack message shortcut, a Teams message action)."""
    actor = turn.event.actor
    post = await turn.tx.posts.for_message(actor.platform, actor.workspace_id, message_id)
    if post is None or post.improvement_id is None:
        turn.say(texts.SPOTLIGHT_NOT_A_STEP)
        return
    await _spotlight(turn, await turn.tx.improvements.get(post.improvement_id))


async def _spotlight(turn: Turn, entry: Improvement | None) -> None:
    try:
        scope = await scope_for(turn.tx, turn.person, turn.school, "")
    except AccessRefused as refused:
        turn.say(refused.reply)
        return
    wanted = scope.department_ids
    if entry is None:
        turn.say(texts.ENTRY_NOT_FOUND)
        return
    if entry.school_id not in {s.id for s in scope.schools} or (
        wanted is not None and entry.department_id not in wanted
    ):
        await turn.audit("standout.refused", improvement_id=entry.id, reason="out_of_scope")
        turn.say(texts.SPOTLIGHT_NOT_YOURS_TO_SEE)
        return
    if entry.person_id == turn.person.id:
        turn.say(texts.SPOTLIGHT_OWN)
        return
    school = await turn.tx.schools.get(entry.school_id)
    assert school is not None
    today = local_date_at(turn.now, school.timezone)
    calendar = TermCalendar(await turn.tx.calendars.rules(school.id))
    answer_by = rules.answer_by(calendar, today)
    existing = await turn.tx.standouts.get(entry.id)
    if existing is None:
        standout = await turn.tx.standouts.choose(
            entry.id, reason="spotlight", at=turn.now, answer_by=answer_by, chosen_by=turn.person.id
        )
    elif existing.consent is Consent.EXPIRED:
        standout = await turn.tx.standouts.ask_again(
            entry.id, at=turn.now, answer_by=answer_by, chosen_by=turn.person.id
        )
    else:
        turn.say(_already(existing))
        return
    assert standout is not None
    await plan_consent(turn.tx, standout, school.id, turn.now)
    await turn.audit("standout.spotlit", improvement_id=entry.id)
    author = await turn.tx.people.get(entry.person_id)
    turn.say(texts.spotlit(author.display_name if author else texts.A_COLLEAGUE))


def _already(standout: Standout) -> str:
    if standout.consent is Consent.ASKED:
        return texts.SPOTLIGHT_ALREADY_ASKED
    if standout.consent.travels:
        return texts.SPOTLIGHT_ALREADY_TRAVELLING
    return texts.SPOTLIGHT_DECLINED


# --- settings -----------------------------------------------------------------------------


async def my_sharing(turn: Turn, value: str) -> None:
    """`my sharing always|ask|never`."""
    try:
        choice = Sharing(value.strip().lower())
    except ValueError:
        turn.say(texts.SHARING_HELP)
        return
    turn.person = await turn.tx.people.set_preferences(turn.person.id, sharing=choice)
    await turn.audit("person.sharing", after=choice)
    turn.say(texts.sharing_set(choice))


async def config_share(turn: Turn, value: str) -> None:
    """`config share ask|never` (admins)."""
    mode = value.strip().lower()
    if mode not in rules.SHARE_MODES:
        turn.say(texts.SHARE_SETTING_HELP)
        return
    before = turn.school.share_mode
    turn.school = await turn.tx.schools.set_sharing(turn.school.id, share_mode=mode)
    await turn.audit("config.share", before=before, after=mode)
    turn.say(texts.share_mode_set(mode))


async def config_standout(turn: Turn, value: str) -> None:
    """`config standout votes 3` or `config standout departments all|none|Maths, Science`."""
    what, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if what.lower() == "votes" and rest.isdecimal() and 1 <= int(rest) <= rules.MAX_STANDOUT_VOTES:
        before = turn.school.standout_votes
        turn.school = await turn.tx.schools.set_sharing(turn.school.id, standout_votes=int(rest))
        await turn.audit("config.standout_votes", before=before, after=int(rest))
        turn.say(texts.standout_votes_set(int(rest)))
        return
    if what.lower() != "departments" or not rest:
        turn.say(texts.STANDOUT_SETTING_HELP)
        return
    setting, names = await _departments_setting(turn, rest)
    if setting is None:
        return
    previous = turn.school.standout_departments
    turn.school = await turn.tx.schools.set_sharing(turn.school.id, standout_departments=setting)
    await turn.audit("config.standout_departments", before=previous, after=setting)
    turn.say(texts.standout_departments_set(names))


async def _departments_setting(turn: Turn, words: str) -> tuple[str | None, list[str] | None]:
    lowered = words.lower()
    if lowered == "all":
        return "all", None
    if lowered == "none":
        return "none", []
    chosen = []
    for name in (n.strip() for n in re.split(r",|\band\b", words) if n.strip()):
        department = await turn.tx.schools.department_named(turn.school.id, name)
        if department is None:
            known = [d.name for d in await turn.tx.schools.departments(turn.school.id)]
            turn.say(texts.unknown_department(name[:60], known))
            return None, None
        chosen.append(department)
    return ",".join(str(d.id) for d in chosen), [d.name for d in chosen]


def _idea(entry: Improvement) -> str:
    text = " ".join(entry.text.split())
    return text if len(text) <= MAX_IDEA_CHARS else text[: MAX_IDEA_CHARS - 1] + "…"
