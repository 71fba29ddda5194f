"""Where shared entries and standouts go, and when a question's time is up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.calendar.schoolcal import SchoolCalendar, school_days_later
from bot.ports import Channel, ChannelKind, Improvement, Person, School, Sharing, Transaction

CONSENT_SCHOOL_DAYS = 5  # no answer in five school days means no
ADOPTION_SCHOOL_DAYS = 10  # "I'll try this" looks for the entry it led to this long
MAX_STANDOUT_VOTES = 100
SHARE_MODES = ("ask", "never")


def answer_by(calendar: SchoolCalendar, today: date) -> date:
    return school_days_later(calendar, today, CONSENT_SCHOOL_DAYS)


def adoption_until(calendar: SchoolCalendar, today: date) -> date:
    return school_days_later(calendar, today, ADOPTION_SCHOOL_DAYS)


def offers_share(school: School, person: Person) -> bool:
    """Whether logging offers "Share with my department" (or, for `always`, just shares)."""
    return school.share_mode != "never" and person.sharing is not Sharing.NEVER


async def department_channels(
    tx: Transaction, school_id: int, department_id: int | None
) -> list[Channel]:
    if department_id is None:
        return []
    return [
        c
        for c in await tx.channels.in_school(school_id)
        if c.kind is ChannelKind.DEPARTMENT and c.department_id == department_id
    ]


def chosen_departments(setting: str) -> frozenset[int] | None:
    """The school's `standout departments` setting: None for all, else the ids named."""
    if setting == "all":
        return None
    return frozenset(int(part) for part in setting.split(",") if part.strip().isdecimal())


async def repost_targets(tx: Transaction, school: School, entry: Improvement) -> list[Channel]:
    """A consented standout's channels: the school's showcases, the other departments' the
    school opted into, and the showcases of the trust's other schools, on any platform."""
    own = await tx.channels.in_school(school.id)
    wanted = chosen_departments(school.standout_departments)
    targets = [c for c in own if c.kind is ChannelKind.SHOWCASE]
    targets += [
        c
        for c in own
        if c.kind is ChannelKind.DEPARTMENT
        and c.department_id is not None
        and c.department_id != entry.department_id
        and (wanted is None or c.department_id in wanted)
    ]
    if school.organisation_id is not None:
        for other in await tx.schools.in_organisation(school.organisation_id):
            if other.id != school.id:
                targets += [
                    c
                    for c in await tx.channels.in_school(other.id)
                    if c.kind is ChannelKind.SHOWCASE
                ]
    return _unique(targets)


def _unique(channels: Sequence[Channel]) -> list[Channel]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for c in channels:
        key = (c.platform, c.workspace_id, c.channel_id)
        if key not in seen:
            seen.add(key)
            kept.append(c)
    return kept
