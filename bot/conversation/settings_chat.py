"""Settings in chat: admins configure their school (`config …`), anyone their own (`my …`).

Every change is checked first and written whole, or not at all, with a clear reason.
"""

from __future__ import annotations

import re

from bot import texts
from bot.calendar.importing import parse_closed_command, parse_csv, parse_ics, parse_term_command
from bot.calendar.schoolcal import CalendarInputError, check_new_term, parse_region, parse_weekdays
from bot.calendar.zones import TimeUnclear, is_valid_zone, parse_nudge_time
from bot.conversation import people_chat, school_chat
from bot.conversation.turn import Turn
from bot.evidence import followups, theming
from bot.ports import Clock, Department, Role, Status, Store
from bot.sharing import chat as sharing

_DURATION = re.compile(r"^(\d{1,3})\s*(m|min|mins|minutes|h|hr|hrs|hour|hours)$")
MAX_REMINDER_MINUTES = 8 * 60


async def configure(turn: Turn, words: str) -> None:
    """`config` shows the school's settings; `config <setting> <value>` changes one (admins)."""
    if turn.person.role is not Role.ADMIN:
        turn.say(texts.ADMINS_ONLY)
        return
    setting, _, value = words.strip().partition(" ")
    handler = _SETTINGS.get(setting.lower())
    if handler is None:
        if setting:
            turn.say(texts.unknown_setting(setting[:30]))
        else:
            await _show(turn)
        return
    try:
        await handler(turn, value.strip())
    except (CalendarInputError, TimeUnclear) as refusal:
        turn.say(refusal.reply)


async def _show(turn: Turn) -> None:
    school = await turn.tx.schools.get(turn.school.id)
    assert school is not None
    rules = await turn.tx.calendars.rules(school.id)
    turn.say(texts.school_settings(school, rules))


async def _time(turn: Turn, value: str) -> None:
    at = parse_nudge_time(value)
    await turn.tx.calendars.set_schedule(turn.school.id, nudge_time=at)
    await turn.audit("config.nudge_time", value=at.isoformat(timespec="minutes"))
    turn.say(texts.nudge_time_set(at))


async def _days(turn: Turn, value: str) -> None:
    days = parse_weekdays(value)
    await turn.tx.calendars.set_schedule(turn.school.id, nudge_days=days)
    await turn.audit("config.nudge_days", value=sorted(days))
    turn.say(texts.nudge_days_set(days))


async def _reminder(turn: Turn, value: str) -> None:
    words = value.lower().replace("after", "").strip()
    if words in {"off", "none", "no"}:
        minutes: int | None = None
    elif match := _DURATION.match(words):
        amount, unit = int(match.group(1)), match.group(2)
        minutes = amount * (60 if unit.startswith("h") else 1)
        if not 1 <= minutes <= MAX_REMINDER_MINUTES:
            turn.say(texts.REMINDER_RANGE)
            return
    else:
        turn.say(texts.reminder_unclear(value[:40]))
        return
    await turn.tx.calendars.set_schedule(turn.school.id, reminder_minutes=minutes)
    await turn.audit("config.reminder", minutes=minutes)
    turn.say(texts.reminder_set(minutes))


async def _holidays(turn: Turn, value: str) -> None:
    country, subdivision = parse_region(value)
    await turn.tx.calendars.set_region(turn.school.id, country, subdivision)
    await turn.audit("config.holidays", country=country, subdivision=subdivision)
    turn.say(texts.region_set(country, subdivision))


async def _timezone(turn: Turn, value: str) -> None:
    if not is_valid_zone(value):
        turn.say(texts.unknown_timezone(value[:60]))
        return
    await turn.tx.calendars.set_schedule(turn.school.id, timezone=value)
    await turn.audit("config.timezone", value=value)
    turn.say(texts.school_timezone_set(value))


async def _term(turn: Turn, value: str) -> None:
    term = parse_term_command(value, turn.today)
    rules = await turn.tx.calendars.rules(turn.school.id)
    check_new_term(term, rules.terms)
    await turn.tx.calendars.add_terms(turn.school.id, [term])
    await turn.audit("config.term", start=term.start.isoformat(), end=term.end.isoformat())
    turn.say(texts.term_added(term.name, term.start, term.end))


async def _closed(turn: Turn, value: str) -> None:
    closure = parse_closed_command(value, turn.today)
    await turn.tx.calendars.add_closures(turn.school.id, [closure])
    await turn.audit("config.closed", start=closure.start.isoformat(), end=closure.end.isoformat())
    turn.say(texts.closure_added(closure.reason, closure.start, closure.end))


async def _join(turn: Turn, value: str) -> None:
    choice = value.lower().replace("_", "-").replace(" ", "-")
    if choice in {"opt-in", "optin"}:
        await turn.tx.schools.set_opt_in(turn.school.id, True)
        await turn.audit("config.join", value="opt-in")
        turn.say(texts.JOIN_OPT_IN)
    elif choice in {"everyone", "all", "default"}:
        await turn.tx.schools.set_opt_in(turn.school.id, False)
        invited = [
            p for p in await turn.tx.people.in_school(turn.school.id) if p.status is Status.INVITED
        ]
        for person in invited:
            await turn.tx.people.set_status(person.id, Status.ACTIVE)
        await turn.audit("config.join", value="everyone", started=len(invited))
        turn.say(texts.join_everyone(len(invited)))
    else:
        turn.say(texts.JOIN_UNCLEAR)


async def _guests(turn: Turn, value: str) -> None:
    choice = value.lower().strip()
    if choice not in {"on", "off"}:
        turn.say(texts.GUESTS_UNCLEAR)
        return
    await turn.tx.schools.set_guests(turn.school.id, choice == "on")
    await turn.audit("config.guests", value=choice)
    turn.say(texts.GUESTS_ON if choice == "on" else texts.GUESTS_OFF)


MAX_DEPARTMENT_CHARS = 60


def _department_name(raw: str) -> str | None:
    name = " ".join(raw.split())
    return name if 0 < len(name) <= MAX_DEPARTMENT_CHARS else None


async def _department(turn: Turn, value: str) -> None:
    """`config department add|rename|remove …`: the school's departments."""
    verb, _, rest = value.strip().partition(" ")
    verb = verb.lower()
    schools = turn.tx.schools
    if verb == "add":
        name = _department_name(rest)
        if name is None:
            turn.say(texts.DEPARTMENT_NAME_NEEDED)
        elif await schools.department_named(turn.school.id, name) is not None:
            turn.say(texts.department_exists(name))
        else:
            await schools.add_department(turn.school.id, name)
            await turn.audit("config.department_added", name=name)
            turn.say(texts.department_added(name))
        return
    if verb == "rename":
        old_words, _, new_words = rest.partition(" to ")
        old, new = await _known_department(turn, old_words), _department_name(new_words)
        if old is None:
            return
        if new is None:
            turn.say(texts.DEPARTMENT_NAME_NEEDED)
        elif (same := await schools.department_named(turn.school.id, new)) and same != old:
            turn.say(texts.department_exists(new))
        else:
            await schools.rename_department(old.id, new)
            await turn.audit("config.department_renamed", before=old.name, after=new)
            turn.say(texts.department_renamed(old.name, new))
        return
    if verb == "remove":
        gone = await _known_department(turn, rest)
        if gone is not None:
            people = await schools.remove_department(gone.id, at=turn.now)
            await turn.audit("config.department_removed", name=gone.name, people=people)
            turn.say(texts.department_removed(gone.name, people))
        return
    turn.say(texts.DEPARTMENT_HELP)


async def _known_department(turn: Turn, words: str) -> Department | None:
    """The department named, or None after saying which ones there are."""
    name = " ".join(words.split())
    found = await turn.tx.schools.department_named(turn.school.id, name) if name else None
    if found is None:
        known = [d.name for d in await turn.tx.schools.departments(turn.school.id)]
        turn.say(texts.unknown_department(name[:60], known))
    return found


async def _departments(turn: Turn, _: str) -> None:
    departments = await turn.tx.schools.departments(turn.school.id)
    if not departments:
        turn.say(texts.NO_DEPARTMENTS)
        return
    sizes = await turn.tx.schools.department_sizes(turn.school.id)
    turn.say(texts.department_list([(d.name, sizes.get(d.id, 0)) for d in departments]))


_SETTINGS = {
    "join": _join,
    "guests": _guests,
    "time": _time,
    "days": _days,
    "reminder": _reminder,
    "holidays": _holidays,
    "timezone": _timezone,
    "term": _term,
    "closed": _closed,
    "department": _department,
    "departments": _departments,
    "role": people_chat.role,
    "person": people_chat.person,
    "channel": school_chat.channel,
    "channels": school_chat.channels,
    "digest": school_chat.digest,
    "retention": school_chat.retention,
    "audit": school_chat.audit,
    "share": sharing.config_share,
    "standout": sharing.config_standout,
    "followup": followups.config_followup,
    "theme": theming.config_theme,
    "themes": theming.config_themes,
}


async def mine(turn: Turn, words: str) -> None:
    """`my time 16:00` / `my time school`, `my department Maths`: anyone may set their own."""
    setting, _, value = words.strip().partition(" ")
    if setting.lower() == "department" and value.strip():
        await _my_department(turn, value)
        return
    if setting.lower() == "sharing":
        await sharing.my_sharing(turn, value)
        return
    if setting.lower() != "time" or not value.strip():
        turn.say(texts.MY_HELP)
        return
    if value.strip().lower() in {"school", "default", "reset"}:
        await turn.tx.people.set_preferences(turn.person.id, nudge_time=None)
        turn.say(texts.MY_TIME_RESET)
        return
    try:
        at = parse_nudge_time(value)
    except TimeUnclear as refusal:
        turn.say(refusal.reply)
        return
    await turn.tx.people.set_preferences(turn.person.id, nudge_time=at)
    turn.say(texts.my_time_set(at))


async def _my_department(turn: Turn, value: str) -> None:
    if value.strip().lower() in {"none", "no", "off"}:
        await turn.tx.people.set_preferences(turn.person.id, department_id=None)
        turn.say(texts.MY_DEPARTMENT_NONE)
        return
    department = await _known_department(turn, value)
    if department is not None:
        await turn.tx.people.set_preferences(turn.person.id, department_id=department.id)
        await turn.audit("person.department", name=department.name)
        turn.say(texts.my_department_set(department.name))


async def weekly(turn: Turn, words: str) -> None:
    """`weekly off` / `weekly on`: the Friday note."""
    choice = words.strip().lower()
    if choice not in {"on", "off"}:
        turn.say(texts.WEEKLY_HELP)
        return
    await turn.tx.people.set_preferences(turn.person.id, weekly_note=choice == "on")
    turn.say(texts.WEEKLY_ON if choice == "on" else texts.WEEKLY_OFF)


async def import_calendar(
    store: Store, clock: Clock, school_id: int, name: str, data: bytes
) -> str:
    """Add a school's terms and closures from an .ics or .csv file: all of it, or nothing."""
    if name.lower().endswith(".csv"):
        try:
            imported = parse_csv(data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise CalendarInputError(texts.IMPORT_NOT_CSV) from error
    else:
        imported = parse_ics(data)
    async with store.transaction() as tx:
        if await tx.schools.get(school_id) is None:
            raise CalendarInputError(texts.NO_SUCH_SCHOOL)
        existing = list((await tx.calendars.rules(school_id)).terms)
        for term in imported.terms:
            check_new_term(term, existing)
            existing.append(term)
        await tx.calendars.add_terms(school_id, imported.terms)
        await tx.calendars.add_closures(school_id, imported.closures)
        await tx.audit.record(
            "config.calendar_imported",
            at=clock.now(),
            school_id=school_id,
            detail={"terms": len(imported.terms), "closures": len(imported.closures)},
        )
    return texts.calendar_imported(len(imported.terms), len(imported.closures))
