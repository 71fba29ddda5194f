"""A person's own page (Slack's App Home): their streak and steps, their daily-question
controls, and for leaders this week's school glance."""

from __future__ import annotations

from datetime import date, timedelta

from bot import texts
from bot.calendar.periods import Period
from bot.calendar.schoolcal import SchoolCalendar
from bot.conversation.turn import current_streak
from bot.leaders.access import AccessRefused, Scope, scope_for
from bot.leaders.summary import summarise
from bot.model import Block, BulletList, Button, Buttons, Content, Fields, Heading, Paragraph
from bot.ports import Person, Role, School, Status, Transaction

RECENT = 5


async def home(
    tx: Transaction, person: Person, school: School, today: date, calendar: SchoolCalendar
) -> Content:
    week_start = today - timedelta(days=today.weekday())
    run = await current_streak(tx, person.id, today, calendar)
    total = await tx.improvements.count_for(person.id)
    this_week = len(await tx.improvements.dates_for(person.id, since=week_start))
    recent = await tx.improvements.recent_for(person.id, RECENT)
    blocks: list[Block] = [
        Heading(texts.HOME_HEADING),
        Fields(
            (
                (texts.FIELD_STREAK, texts.streak_value(run)),
                (texts.FIELD_THIS_WEEK, str(this_week)),
                (texts.FIELD_TOTAL, str(total)),
            )
        ),
    ]
    if recent:
        blocks += [
            Paragraph(texts.HOME_RECENT),
            BulletList(tuple(texts.home_entry(e.local_date, e.text) for e in recent)),
        ]
    else:
        blocks.append(Paragraph(texts.HOME_NOTHING_YET))
    blocks += [Heading(texts.HOME_QUESTION_HEADING), *_question(person, school)]
    try:  # leaders see this week for what they lead: a department, the school or the trust
        scope: Scope | None = await scope_for(tx, person, school, "")
    except AccessRefused:
        scope = None
    if scope is not None:
        week = await summarise(tx, scope, Period(week_start, today), today)
        blocks += [
            Heading(texts.home_school_heading(scope.label)),
            Fields(
                (
                    (texts.FIELD_TAKING_PART, texts.taking_part(week.participants, week.people)),
                    (texts.FIELD_TOTAL, str(week.entries)),
                )
            ),
        ]
    if person.role is Role.ADMIN:
        blocks += [
            Paragraph(texts.HOME_ADMIN),
            Buttons((Button(texts.BUTTON_SETTINGS, "config"),)),
        ]
    return Content(blocks=tuple(blocks), fallback=texts.HOME_HEADING)


def _question(person: Person, school: School) -> list[Block]:
    match person.status:
        case Status.ACTIVE | Status.LEFT:
            at = person.nudge_time or school.nudge_time
            zone = person.timezone or school.timezone
            return [
                Paragraph(texts.home_asked(at, zone, school.nudge_days)),
                Paragraph(texts.HOME_MY_TIME),
                Buttons(
                    (
                        Button(texts.BUTTON_PAUSE_MENU, "pause_menu"),
                        Button(texts.BUTTON_STOP, "stop"),
                    )
                ),
            ]
        case Status.PAUSED:
            return [
                Paragraph(texts.home_paused(person.paused_until)),
                Buttons((Button(texts.BUTTON_RESUME, "resume", style="primary"),)),
            ]
        case Status.OPTED_OUT | Status.INVITED:
            words = (
                texts.HOME_OPTED_OUT if person.status is Status.OPTED_OUT else texts.HOME_INVITED
            )
            return [
                Paragraph(words),
                Buttons((Button(texts.BUTTON_START, "start", style="primary"),)),
            ]
