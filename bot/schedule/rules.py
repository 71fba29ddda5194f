"""Who is due today, and why the others are not: the planning rules of one person's day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.calendar.schoolcal import TermCalendar
from bot.people.roster import NOT_TAKING_PART
from bot.ports import (
    DeliveryKind,
    NudgeStatus,
    Person,
    School,
    Status,
)
from bot.schedule.records import ScheduleConfig

_WHY_NOT_TAKING_PART = {
    Status.OPTED_OUT: texts.WHY_OPTED_OUT,
    Status.INVITED: texts.WHY_NOT_STARTED,
    Status.LEFT: texts.WHY_LEFT,
}


def resting(person: Person, day: date) -> bool:
    """Not taking part, or paused with the pause still running on `day` (it ends on its date)."""
    if person.status in NOT_TAKING_PART:
        return True
    return person.status is Status.PAUSED and (
        person.paused_until is None or person.paused_until > day
    )


def skip_reason(
    person: Person, calendar: TermCalendar, today: date, now: datetime, due: datetime, zone: str
) -> str | None:
    """Why nobody should be asked today, or None when the person is due (or will be)."""
    if person.status in NOT_TAKING_PART:
        return _WHY_NOT_TAKING_PART[person.status]
    if resting(person, today):
        return texts.why_paused(person.paused_until)
    reason = calendar.why_not(today)
    if reason is not None:
        return reason
    if now < due:
        return texts.why_not_yet(due.astimezone(ZoneInfo(zone)).strftime("%H:%M"))
    return None


def wanted(
    person: Person,
    school: School,
    calendar: TermCalendar,
    today: date,
    now: datetime,
    due: datetime,
    status: NudgeStatus,
    config: ScheduleConfig,
) -> Sequence[DeliveryKind]:
    """The kinds of message due for this person by now, today."""
    kinds: list[DeliveryKind] = []
    if status is NudgeStatus.PLANNED:
        kinds.append(DeliveryKind.PROMPT)
    if (
        status is NudgeStatus.SENT
        and school.reminder_minutes is not None
        and now >= due + timedelta(minutes=school.reminder_minutes)
    ):
        kinds.append(DeliveryKind.REMINDER)
    if (
        school.weekly_note
        and person.weekly_note
        and calendar.last_school_day_of_week(today)
        and now >= due + config.weekly_after
    ):
        kinds.append(DeliveryKind.WEEKLY)
    return kinds
