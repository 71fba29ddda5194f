"""What repositories return and take: plain frozen records and their enums."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum, StrEnum

from bot.calendar.defaults import SCHOOL_DEFAULTS
from bot.model import Outgoing

# --- a school's calendar rules (read by bot/calendar/schoolcal.py) -------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    start: date
    end: date
    name: str = ""


@dataclass(frozen=True, slots=True)
class Closure:
    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class CalendarRules:
    weekdays: frozenset[int] = SCHOOL_DEFAULTS.nudge_days
    country: str = SCHOOL_DEFAULTS.country
    subdivision: str | None = SCHOOL_DEFAULTS.subdivision
    terms: tuple[Term, ...] = ()  # none set: every nudge weekday is in term
    closures: tuple[Closure, ...] = ()


class Unchanged(Enum):
    """Marks a setting left as it is, where None has a meaning of its own (e.g. "off")."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


class Role(StrEnum):
    STAFF = "staff"
    LEADER = "leader"
    ADMIN = "admin"


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    OPTED_OUT = "opted_out"
    INVITED = "invited"  # an opt-in school's member who has not said `start` yet
    LEFT = "left"  # deactivated on the platform; kept for the school's history


class ChannelKind(StrEnum):
    DEPARTMENT = "department"  # a department's own channel
    SCHOOL = "school"
    SHOWCASE = "showcase"  # where the school's standouts go
    LEADERS = "leaders"  # digests and leaders' notices


class DeliveryKind(StrEnum):
    PROMPT = "prompt"
    REMINDER = "reminder"
    WEEKLY = "weekly"
    DIGEST = "digest"  # a school's weekly summary, to a leader or a channel
    POST = "post"  # an entry to a channel: shared with its department, or a standout's repost
    WITHDRAW = "withdraw"  # the same post, replaced by "withdrawn by its author"
    REWORD = "reword"  # the same post, changed to the entry's words as its author edited them
    CONSENT = "consent"  # asking an author whether their standout may travel
    FAILED_POSTS = "failed_posts"  # telling a school's admins a channel refused a post
    INTRO = "intro"  # introducing two people trying the same thing to each other
    BEST_OF = "best_of"  # the week's standouts, to a showcase channel


class Sharing(StrEnum):
    """A person's standing choice about sharing each entry with their department."""

    ALWAYS = "always"
    ASK = "ask"
    NEVER = "never"


class Consent(StrEnum):
    """An author's answer about a standout travelling beyond their department."""

    ASKED = "asked"
    NAMED = "named"  # share with my name
    ANONYMOUS = "anonymous"  # share without my name
    DECLINED = "declined"  # not this one
    EXPIRED = "expired"  # no answer in time: no
    WITHDRAWN = "withdrawn"  # said yes, then took it back

    @property
    def travels(self) -> bool:
        return self in (Consent.NAMED, Consent.ANONYMOUS)


class Outcome(StrEnum):
    """How a step went, asked some school days later."""

    KEEPING = "keeping"
    CHANGED = "changed"
    DROPPED = "dropped"
    TOO_EARLY = "too_early"


class PostKind(StrEnum):
    SHARE = "share"  # to the author's own department's channel, by the author
    REPOST = "repost"  # a standout, to another channel, with consent


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


class NudgeStatus(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    FAILED = "failed"


# --- records (what repositories return) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class School:
    id: int
    name: str
    timezone: str
    nudge_time: time
    organisation_id: int | None = None
    country: str = SCHOOL_DEFAULTS.country
    subdivision: str | None = SCHOOL_DEFAULTS.subdivision
    nudge_days: frozenset[int] = SCHOOL_DEFAULTS.nudge_days
    reminder_minutes: int | None = SCHOOL_DEFAULTS.reminder_minutes
    weekly_note: bool = SCHOOL_DEFAULTS.weekly_note
    opt_in: bool = SCHOOL_DEFAULTS.opt_in  # True: nudged only once they say `start`
    guests: bool = SCHOOL_DEFAULTS.guests  # True: the workspace's guests take part like staff
    retention_days: int | None = None  # entries older than this are deleted; None: kept
    share_mode: str = "ask"  # "ask": offer "Share with my department" after logging; "never"
    followup_days: int | None = 10  # school days until "did it work?"; None: never asked
    standout_votes: int = 3  # colleagues' votes that make a shared entry a standout
    standout_departments: str = "all"  # other departments reposted to: all, none, or "3,5"


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    school_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    school_id: int
    platform: str
    workspace_id: str
    user_id: str
    display_name: str
    timezone: str | None
    role: Role
    status: Status
    paused_until: date | None
    welcomed_at: datetime | None
    department_id: int | None = None
    nudge_time: time | None = None
    weekly_note: bool = True
    guest: bool = False  # a workspace guest: takes part only where the school includes guests
    sharing: Sharing = Sharing.ASK


@dataclass(frozen=True, slots=True)
class Improvement:
    id: int
    person_id: int
    school_id: int
    text: str
    local_date: date
    created_at: datetime
    updated_at: datetime
    department_id: int | None = None
    source_message_id: str | None = None
    outcome: Outcome | None = None  # "did it work?", once its author said
    outcome_note: str | None = None
    outcome_at: datetime | None = None
    followups: int = 0  # how often its author was asked how it went
    theme: str | None = None  # its theme's id in the school's taxonomy
    theme_by: str | None = None  # "auto" (read from the words) or "person" (chosen by them)


@dataclass(frozen=True, slots=True)
class Nudge:
    id: int
    person_id: int
    school_id: int
    local_date: date
    status: NudgeStatus
    message_id: str | None = None
    followup_id: int | None = None  # the entry this day's question follows up instead


@dataclass(frozen=True, slots=True)
class NewDelivery:
    person_id: int | None
    school_id: int
    kind: DeliveryKind
    local_date: date
    due_at: datetime
    nudge_id: int | None = None
    digest_id: int | None = None
    post_id: int | None = None
    channel_ref: int | None = None
    standout_id: int | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One scheduled message in the outbox; `attempts > 1` means an earlier try may have sent it."""

    id: int
    person_id: int | None  # None: a post to a channel (see `digest_id`)
    school_id: int
    kind: DeliveryKind
    local_date: date
    due_at: datetime
    status: DeliveryStatus
    attempts: int
    nudge_id: int | None = None
    message_id: str | None = None
    digest_id: int | None = None
    post_id: int | None = None
    channel_ref: int | None = None
    standout_id: int | None = None

    @property
    def key(self) -> str:
        """Travels with the message (Slack metadata, web transcript) so recovery can find it."""
        return f"tinysteps-{self.kind}-{self.id}"


@dataclass(frozen=True, slots=True)
class Finished:
    """The outcome of one claimed outbox row, recorded with the rest of its batch."""

    delivery: Delivery
    status: DeliveryStatus
    message_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OwedReply:
    """What the core said back to one event and is not yet known to have been sent."""

    id: int
    platform: str
    actions: tuple[Outgoing, ...]
    attempts: int  # claims so far: more than one means an earlier sender may have sent some


@dataclass(frozen=True, slots=True)
class NewPerson:
    """What is known about someone when they are first seen or added."""

    school_id: int
    platform: str
    workspace_id: str
    user_id: str
    display_name: str
    timezone: str | None = None
    role: Role = Role.STAFF
    department_id: int | None = None
    status: Status = Status.ACTIVE
    guest: bool = False


@dataclass(frozen=True, slots=True)
class Standout:
    """An entry chosen to travel, and where its author's consent stands."""

    id: int
    improvement_id: int
    reason: str  # "votes" or "spotlight"
    consent: Consent
    created_at: datetime
    chosen_by: int | None = None  # the leader who spotlighted it
    answer_by: date | None = None  # silence until the end of this day means no
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """An entry the bot posted (or will post) to a channel."""

    id: int
    improvement_id: int | None  # None once the entry was deleted (`forget me`)
    school_id: int  # the channel's school
    kind: PostKind
    platform: str
    workspace_id: str
    channel_id: str
    channel_name: str = ""
    message_id: str | None = None
    posted_at: datetime | None = None
    withdrawn_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Spread:
    """How far one idea went: who said they'd try it, where they are, and who did."""

    adopters: int = 0
    departments: int = 0
    schools: int = 0
    tried: int = 0


@dataclass(frozen=True, slots=True)
class Adoption:
    """Someone said "I'll try this"; `taken_id` is the entry they later said it led to."""

    id: int
    improvement_id: int
    person_id: int
    until: date
    taken_id: int | None = None


@dataclass(frozen=True, slots=True)
class ThemeChange:
    """A school's change to the default taxonomy: a new theme, a new name, or retired."""

    key: str
    name: str
    description: str = ""
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Tally:
    """A period's entries counted by the database, so a trust's year never crosses the wire."""

    # (school id, person id, the entry's department) -> entries
    entries: Mapping[tuple[int, int, int | None], int]
    # (day, school id, the person's department now) -> how many of the people asked logged
    loggers: Mapping[tuple[date, int, int | None], int]


@dataclass(frozen=True, slots=True)
class WordRule:
    """What counts as a meaningful word: letters only, this long or longer, not a stop word."""

    min_length: int
    stop_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One entry as an export shows it: names rather than ids."""

    id: int
    day: date
    school: str
    department: str
    person: str
    text: str
    status: str = "logged"
    outcome: str = ""
    theme: str = ""


@dataclass(frozen=True, slots=True)
class Channel:
    """A platform channel an admin gave a purpose."""

    school_id: int
    platform: str
    workspace_id: str
    channel_id: str
    kind: ChannelKind
    name: str = ""
    department_id: int | None = None
    id: int | None = None  # known once stored


@dataclass(frozen=True, slots=True)
class Digest:
    """A weekly summary asked for: to a person's DM (`person_id`) or to a channel."""

    id: int
    school_id: int
    platform: str
    workspace_id: str
    person_id: int | None = None
    channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: str
    person_id: int | None
    detail: dict[str, object]


@dataclass(frozen=True, slots=True)
class OrganisationRole:
    organisation_id: int
    name: str
    role: Role
