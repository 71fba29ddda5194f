"""What each command and button does: a small table of plain functions, no hooks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from bot import texts
from bot.conversation import forms, replies, settings_chat
from bot.conversation.commands import DateUnclear, parse, pause_end
from bot.conversation.entries import EntryRejected, clean_entry
from bot.conversation.turn import Turn
from bot.evidence import followups, introductions, theming
from bot.evidence import report as evidence_report
from bot.leaders import chat as leaders_chat
from bot.model import ButtonPress, FormSubmitted, Incoming, Message, OpenForm, Update
from bot.ports import Improvement, NudgeStatus, Status
from bot.sharing import chat as sharing

Action = Callable[[Turn, str], Awaitable[None]]

MAX_PAUSE = timedelta(days=366)


async def log_step(turn: Turn, words: str) -> None:
    """Log an improvement for today; it answers today's prompt if one is waiting."""
    await _log(turn, words, turn.person.department_id)


async def form_submitted(turn: Turn, form: FormSubmitted) -> None:
    """The log form: its words, and the department picked (if any, and still the school's)."""
    if form.form != forms.LOG:
        turn.say(texts.NO_ACTION)
        return
    if not form.get("text").strip():
        turn.say(texts.FORM_NEEDS_TEXT)
        return
    department = turn.person.department_id
    picked = form.get("department")
    if picked:
        known = {str(d.id): d.id for d in await turn.tx.schools.departments(turn.school.id)}
        if picked in known:
            department = known[picked]
        else:
            turn.say(texts.FORM_UNKNOWN_DEPARTMENT)
    await _log(turn, form.get("text"), department)


async def log_form_button(turn: Turn, _: str) -> None:
    """The log form, filled in for this person; where a platform can't show forms, typing is
    just as quick."""
    departments = await turn.tx.schools.departments(turn.school.id)
    form = forms.log_form(departments, turn.person.department_id)
    event = turn.event
    turn.out.append(OpenForm(event.actor, event.place, form, replies.say(texts.TYPE_IT_HERE)))


async def pause_menu(turn: Turn, _: str) -> None:
    turn.reply(replies.pause_menu())


async def _log(turn: Turn, words: str, department_id: int | None) -> None:
    if not words.strip():
        turn.say(texts.LOG_NEEDS_TEXT)
        return
    try:
        text = clean_entry(words)
    except EntryRejected as refusal:
        turn.say(refusal.reply)
        return
    source = _source_of(turn.event)
    if source is not None and not isinstance(turn.event, Message):
        # A card or button logs once: pressed again, it shows what it logged.
        already = await turn.tx.improvements.from_message(turn.person.id, source)
        if already is not None:
            turn.reply(replies.quoted(texts.ALREADY_LOGGED_THIS, already.text))
            return
    nudge = await turn.tx.nudges.for_day(turn.person.id, turn.today)
    entry = await turn.tx.improvements.add(
        person_id=turn.person.id,
        school_id=turn.school.id,
        text=text,
        local_date=turn.today,
        at=turn.now,
        department_id=department_id,
        source_message_id=source,
    )
    if nudge is None:
        # Logging before the prompt counts as today's answer, so no prompt follows it.
        nudge = await turn.tx.nudges.ensure(
            person_id=turn.person.id,
            school_id=turn.school.id,
            local_date=turn.today,
            due_at=turn.now,
        )
    if nudge.status in (NudgeStatus.PLANNED, NudgeStatus.SENT):
        await turn.tx.nudges.set_status(nudge.id, NudgeStatus.ANSWERED)
        if nudge.message_id is not None and turn.event.place.is_direct:
            turn.out.append(
                Update(turn.event.place, nudge.message_id, replies.prompt_answered(entry))
            )
    await turn.audit("improvement.logged", improvement_id=entry.id)
    total = await turn.tx.improvements.count_for(turn.person.id)
    offer, more = await sharing.after_logging(turn, entry)
    more += await theming.theme_new_entry(turn, entry)
    themed = await turn.tx.improvements.get(entry.id) or entry
    more += await introductions.suggest(turn, themed)
    turn.reply(replies.logged(entry, await turn.streak(), total, share=offer, more=tuple(more)))


def _source_of(event: Incoming) -> str | None:
    """The platform message (a person's reply, or the card or button used) an entry came from."""
    if isinstance(event, Message | ButtonPress | FormSubmitted):
        return event.message_id
    return None


async def answer(turn: Turn, words: str) -> None:
    """Plain words: today's answer when a prompt waits, else a helpful nudge towards `log`."""
    nudge = await turn.tx.nudges.for_day(turn.person.id, turn.today)
    if nudge is not None and nudge.status is NudgeStatus.SENT:
        if not words.strip():
            turn.say(texts.EMPTY_ENTRY)
            return
        await log_step(turn, words)
    elif nudge is not None and nudge.status is NudgeStatus.ANSWERED:
        turn.say(texts.already_answered(turn.today))
    else:
        try:
            loggable: str | None = clean_entry(words)
        except EntryRejected:
            loggable = None
        turn.reply(replies.unknown(words.strip(), loggable))


async def edit_last(turn: Turn, words: str) -> None:
    if not words.strip():
        turn.say(texts.EDIT_NEEDS_TEXT)
        return
    last = await turn.tx.improvements.last_for(turn.person.id)
    if last is None:
        turn.say(texts.NOTHING_TO_EDIT)
        return
    try:
        text = clean_entry(words)
    except EntryRejected as refusal:
        turn.say(refusal.reply)
        return
    entry = await turn.tx.improvements.update_text(last.id, text, at=turn.now)
    await sharing.reword_entry(turn.tx, entry.id, turn.now)
    await turn.audit("improvement.edited", improvement_id=entry.id)
    turn.reply(replies.quoted(texts.edited(), entry.text))


async def follow_edit(turn: Turn, message_id: str, words: str) -> None:
    """An entry follows its message when edited on the platform; other edits pass quietly."""
    entry = await turn.tx.improvements.from_message(turn.person.id, message_id)
    if entry is None:
        return
    parsed = parse(words)
    if parsed is not None and parsed.name == "log":  # re-read as the original was: `log …`
        words = parsed.argument
    try:
        text = clean_entry(words)
    except EntryRejected as refusal:
        turn.say(refusal.reply)
        return
    if text != entry.text:
        await turn.tx.improvements.update_text(entry.id, text, at=turn.now)
        await sharing.reword_entry(turn.tx, entry.id, turn.now)
        await turn.audit("improvement.edited", improvement_id=entry.id, via="platform")


async def follow_delete(turn: Turn, message_id: str) -> None:
    """Deleting the message on the platform removes its entry, and says so."""
    entry = await turn.tx.improvements.from_message(turn.person.id, message_id)
    if entry is not None:
        await _remove(turn, entry)


async def undo_last(turn: Turn, _: str) -> None:
    last = await turn.tx.improvements.last_for(turn.person.id)
    if last is None:
        turn.say(texts.NOTHING_TO_UNDO)
        return
    await _remove(turn, last)


async def undo_button(turn: Turn, value: str) -> None:
    """The Undo button names its entry: refuse it unless the entry is the presser's own."""
    entry = await turn.tx.improvements.get(int(value)) if value.isdecimal() else None
    if entry is None:
        turn.say(texts.ENTRY_GONE)
    elif entry.person_id != turn.person.id:
        await turn.audit("improvement.refused", improvement_id=entry.id, reason="not_owner")
        turn.say(texts.NOT_YOURS)
    else:
        await _remove(turn, entry)


async def _remove(turn: Turn, entry: Improvement) -> None:
    await turn.tx.improvements.remove(entry.id, at=turn.now)
    await sharing.withdraw_entry(turn.tx, entry.id, turn.now)  # gone from every channel too
    await turn.audit("improvement.removed", improvement_id=entry.id)
    reopened = await _reopen_day(turn, entry.local_date)
    turn.reply(replies.quoted(texts.undone(reopened=reopened), entry.text))


async def _reopen_day(turn: Turn, day: date) -> bool:
    """A day whose last entry went is open again: a new answer counts, and `skip` works.

    The question goes back to waiting only if it was asked; otherwise it comes at its time.
    """
    if day in await turn.tx.improvements.dates_for(turn.person.id, since=day):
        return False
    nudge = await turn.tx.nudges.for_day(turn.person.id, day)
    if nudge is None or nudge.status is not NudgeStatus.ANSWERED:
        return False
    asked = nudge.message_id is not None
    await turn.tx.nudges.set_status(nudge.id, NudgeStatus.SENT if asked else NudgeStatus.PLANNED)
    if not asked or day != turn.today:
        return False
    if turn.event.place.is_direct:
        assert nudge.message_id is not None
        turn.out.append(Update(turn.event.place, nudge.message_id, replies.prompt(nudge.id)))
    return True


async def skip_today(turn: Turn, _: str) -> None:
    nudge = await turn.tx.nudges.for_day(turn.person.id, turn.today)
    if nudge is not None and nudge.status is NudgeStatus.ANSWERED:
        turn.say(texts.SKIP_ALREADY_LOGGED)
        return
    if nudge is not None and nudge.status is NudgeStatus.SKIPPED:
        turn.say(texts.ALREADY_SKIPPED)  # a second tap of Skip, or `skip` said twice
        return
    if nudge is None:
        nudge = await turn.tx.nudges.ensure(
            person_id=turn.person.id,
            school_id=turn.school.id,
            local_date=turn.today,
            due_at=turn.now,
        )
    await turn.tx.nudges.set_status(nudge.id, NudgeStatus.SKIPPED)
    await turn.audit("nudge.skipped", day=turn.today.isoformat())
    turn.say(texts.SKIPPED)


async def pause(turn: Turn, words: str) -> None:
    if not words.strip():
        turn.say(texts.PAUSE_NEEDS_DATE)
        return
    try:
        until = pause_end(words, turn.today, turn.now)
    except DateUnclear:
        turn.say(texts.pause_date_unclear(words.strip()[:60]))
        return
    if until < turn.today:
        turn.say(texts.PAUSE_DATE_PAST)
        return
    if until == turn.today:
        turn.say(texts.PAUSE_AT_LEAST_A_DAY)
        return
    if until - turn.today > MAX_PAUSE:
        turn.say(texts.PAUSE_TOO_LONG)
        return
    turn.person = await turn.tx.people.set_status(turn.person.id, Status.PAUSED, paused_until=until)
    await turn.audit("person.paused", until=until.isoformat())
    turn.say(texts.paused(until))


async def _change_status(
    turn: Turn, to: Status, *, unless: bool, already: str, audit: str, done: str
) -> None:
    if unless:
        turn.say(already)
        return
    turn.person = await turn.tx.people.set_status(turn.person.id, to)
    await turn.audit(audit)
    turn.say(done)


async def resume(turn: Turn, _: str) -> None:
    await _change_status(
        turn,
        Status.ACTIVE,
        unless=turn.person.status is not Status.PAUSED,
        already=texts.NOT_PAUSED,
        audit="person.resumed",
        done=texts.RESUMED,
    )


async def stop(turn: Turn, _: str) -> None:
    await _change_status(
        turn,
        Status.OPTED_OUT,
        unless=turn.person.status is Status.OPTED_OUT,
        already=texts.ALREADY_STOPPED,
        audit="person.opted_out",
        done=texts.STOPPED,
    )


async def start(turn: Turn, _: str) -> None:
    await _change_status(
        turn,
        Status.ACTIVE,
        unless=turn.person.status is Status.ACTIVE,
        already=texts.ALREADY_STARTED,
        audit="person.opted_in",
        done=texts.STARTED_FIRST if turn.person.status is Status.INVITED else texts.STARTED,
    )


async def show_help(turn: Turn, _: str) -> None:
    turn.reply(replies.help_(turn.person.role))


async def forget_ask(turn: Turn, _: str) -> None:
    turn.reply(replies.forget_confirm())


async def forget_cancelled(turn: Turn, _: str) -> None:
    turn.say(texts.FORGET_KEPT)


async def cancel(turn: Turn, _: str) -> None:
    """`no` / `cancel` typed while a question (such as `forget me`) is open changes nothing,
    and is never logged as a step."""
    turn.say(texts.CANCELLED)


async def forget_confirmed(turn: Turn, _: str) -> None:
    """Everything goes: entries, votes, digests and files with the person (the database
    cascades), and their words and name from the audit trail, which keeps only that it
    happened."""
    for entry in await turn.tx.improvements.all_for(turn.person.id):
        await sharing.withdraw_entry(turn.tx, entry.id, turn.now)  # posts say "withdrawn"
    await turn.tx.audit.scrub(turn.person.id, turn.school.id)
    await turn.audit("person.forgotten")
    await turn.tx.people.delete(turn.person.id)
    turn.say(texts.FORGOTTEN)


COMMANDS: dict[str, Action] = {
    "log": log_step,
    "edit": edit_last,
    "undo": undo_last,
    "skip": skip_today,
    "pause": pause,
    "resume": resume,
    "stop": stop,
    "start": start,
    "help": show_help,
    "forget me": forget_ask,
    "config": settings_chat.configure,
    "my": settings_chat.mine,
    "weekly": settings_chat.weekly,
    "cancel": cancel,
    "summary": leaders_chat.summary,
    "export": leaders_chat.export,
    "share": sharing.share,
    "unshare": sharing.unshare,
    "spotlight": sharing.spotlight,
    "outcome": followups.outcome_command,
    "theme": theming.theme_command,
    "similar": introductions.similar,
    "evidence": evidence_report.evidence,
}

BUTTONS: dict[str, Action] = {
    "log": log_step,
    "log_form": log_form_button,
    "pause_menu": pause_menu,
    "stop": stop,
    "config": settings_chat.configure,
    "undo": undo_button,
    "skip": skip_today,
    "pause": pause,
    "resume": resume,
    "start": start,
    "help": show_help,
    "forget_confirm": forget_confirmed,
    "forget_cancel": forget_cancelled,
    "share": sharing.share,
    "unshare": sharing.unshare,
    "helped": sharing.helped,
    "try": sharing.try_this,
    "took": sharing.took,
    "took_no": sharing.took_no,
    "consent_named": sharing.consent_named,
    "consent_anonymous": sharing.consent_anonymous,
    "consent_declined": sharing.consent_declined,
    "spotlight": sharing.spotlight,
    "spotlight_post": sharing.spotlight_post,
    "outcome": followups.outcome_button,
    "theme": theming.theme_button,
    "theme_menu": theming.theme_menu,
    "introduce": introductions.introduce,
}
