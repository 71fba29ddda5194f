"""The schema as SQLAlchemy models. Alembic migrations are generated from and checked against these.

Deleting a person (`forget me`) cascades to everything they wrote; the audit log keeps plain ids
without foreign keys, so it survives and records that the deletion happened.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names, so migrations can alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PLATFORM = 20
PLATFORM_ID = 255


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


def _cascade(target: str) -> Any:
    return ForeignKey(target, ondelete="CASCADE")


class OrganisationRow(Base):
    """A group of schools (a trust or district): standouts travel between its schools."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Whether "who else is trying this" looks across its schools (`tinysteps org sharing on`).
    sharing: Mapped[bool] = mapped_column(Boolean(), default=False, server_default="0")


class SchoolRow(Base):
    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    nudge_time: Mapped[time] = mapped_column(Time())
    # A new school's values come from bot.calendar.defaults (storage/schools.py passes them);
    # the server defaults below are only what the migrations that added a column filled in.
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    # Nudge days as ISO weekday digits, Monday = 0: "01234" is Monday to Friday.
    nudge_days: Mapped[str] = mapped_column(String(7), server_default="01234")
    # Minutes after the nudge for the one reminder; NULL turns reminders off.
    reminder_minutes: Mapped[int | None] = mapped_column(Integer(), server_default="120")
    weekly_note: Mapped[bool] = mapped_column(Boolean(), server_default="1")
    opt_in: Mapped[bool] = mapped_column(Boolean(), server_default="0")
    # Whether the workspace's guests (Slack single- and multi-channel guests) take part.
    guests: Mapped[bool] = mapped_column(Boolean(), server_default="0")
    # Entries older than this many days are deleted by the daily retention job; None: keep.
    retention_days: Mapped[int | None] = mapped_column(Integer())
    # Sharing: `ask` offers "Share with my department" after logging, `never` doesn't.
    share_mode: Mapped[str] = mapped_column(String(8), default="ask", server_default="ask")
    # School days after a step that its author is asked how it went; None: never.
    followup_days: Mapped[int | None] = mapped_column(Integer(), default=10, server_default="10")
    # Votes from colleagues that make a shared entry a standout.
    standout_votes: Mapped[int] = mapped_column(Integer(), default=3, server_default="3")
    # Which other departments' channels get the school's standouts: all, none, or ids "3,5".
    standout_departments: Mapped[str] = mapped_column(
        String(1000), default="all", server_default="all"
    )


class WorkspaceLinkRow(Base):
    """A Slack team, Teams tenant or web-chat workspace that belongs to a school."""

    __tablename__ = "workspace_link"
    __table_args__ = (UniqueConstraint("platform", "workspace_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    workspace_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)


class DepartmentRow(Base):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"))
    name: Mapped[str] = mapped_column(String(200))
    # Removed departments stay, so entries logged in them keep their history.
    removed_at: Mapped[datetime | None]


class PersonRow(Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    workspace_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    display_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    paused_until: Mapped[date | None] = mapped_column(Date())
    nudge_time: Mapped[time | None] = mapped_column(Time())
    welcomed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    weekly_note: Mapped[bool] = mapped_column(Boolean(), default=True, server_default="1")
    guest: Mapped[bool] = mapped_column(Boolean(), default=False, server_default="0")
    # A standing choice about sharing each entry with the department: always, ask or never.
    sharing: Mapped[str] = mapped_column(String(8), default="ask", server_default="ask")


class RoleAssignmentRow(Base):
    """A person's role in one school: a trust leader can lead several schools."""

    __tablename__ = "role_assignment"
    person_id: Mapped[int] = mapped_column(_cascade("person.id"), primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))


class LeaderDepartmentRow(Base):
    """A leader who leads some departments only; a leader with no rows leads the school."""

    __tablename__ = "leader_department"
    person_id: Mapped[int] = mapped_column(_cascade("person.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(_cascade("department.id"), primary_key=True)


class OrganisationRoleRow(Base):
    """A trust-wide leader or admin: sees (or looks after) every school of the organisation."""

    __tablename__ = "organisation_role"
    organisation_id: Mapped[int] = mapped_column(_cascade("organisation.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(_cascade("person.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))


class DigestRow(Base):
    """A weekly summary someone asked for: to a leader's DM (`person_id`) or a channel."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("school_id", "platform", "workspace_id", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"))
    person_id: Mapped[int | None] = mapped_column(_cascade("person.id"))  # to this person
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    workspace_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    target: Mapped[str] = mapped_column(String(PLATFORM_ID))  # "person:<id>" or a channel id
    created_at: Mapped[datetime]


class DownloadRow(Base):
    """A file made for one person (a CSV export, a chart) behind an unguessable, expiring link,
    for platforms that can only show a link or an image URL."""

    __tablename__ = "download"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(_cascade("person.id"))
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary())
    expires_at: Mapped[datetime] = mapped_column(index=True)


class TermRow(Base):
    """A term: school days fall only inside one (when a school has set any)."""

    __tablename__ = "school_term"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date())
    end_date: Mapped[date] = mapped_column(Date())
    name: Mapped[str] = mapped_column(String(100))


class ClosureRow(Base):
    """Days the school is shut besides public holidays: INSET days, snow days."""

    __tablename__ = "school_closure"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date())
    end_date: Mapped[date] = mapped_column(Date())
    reason: Mapped[str] = mapped_column(String(100))


class ChannelRow(Base):
    """A platform channel an admin gave a purpose: department, school or showcase."""

    __tablename__ = "channel"
    __table_args__ = (UniqueConstraint("platform", "workspace_id", "channel_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    workspace_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))


class NudgeRow(Base):
    """One person's prompt for one local school day: the unique key makes a second impossible."""

    __tablename__ = "nudge"
    __table_args__ = (
        UniqueConstraint("person_id", "local_date"),
        # A school's nudges on some days: every tick, and the summary's streaks.
        Index("ix_nudge_school_day", "school_id", "local_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(_cascade("person.id"))
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    local_date: Mapped[date] = mapped_column(Date())
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    # The entry this day's question follows up instead ("did it work?"), chosen once.
    followup_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement.id", ondelete="SET NULL")
    )


class DeliveryRow(Base):
    """The outbox: one message to deliver (prompt, reminder, weekly note) per person per day.

    The unique key makes planning idempotent across replicas; deliverers claim rows with a
    lease (`claimed_until`) so a crashed process's rows are taken over, and `attempts > 1`
    tells the next one to check whether the message already arrived before sending again.
    """

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("person_id", "kind", "local_date"),
        UniqueConstraint("digest_id", "local_date"),
        UniqueConstraint("post_id", "kind"),
        UniqueConstraint("standout_id", "kind"),
        UniqueConstraint("channel_ref", "kind", "local_date"),
        Index("ix_delivery_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a post to a channel (a channel's digest): `digest_id` says where.
    person_id: Mapped[int | None] = mapped_column(_cascade("person.id"))
    digest_id: Mapped[int | None] = mapped_column(_cascade("digest.id"))
    # An entry's post to a channel (shared, reposted, or withdrawn): `kind` says which.
    post_id: Mapped[int | None] = mapped_column(_cascade("post.id"))
    # A standout whose author is asked for consent (the DM's recipient is its author).
    standout_id: Mapped[int | None] = mapped_column(_cascade("standout.id"))
    # A post to a channel with a purpose (the week's best, to a showcase).
    channel_ref: Mapped[int | None] = mapped_column(_cascade("channel.id"))
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    local_date: Mapped[date] = mapped_column(Date())
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    nudge_id: Mapped[int | None] = mapped_column(ForeignKey("nudge.id", ondelete="CASCADE"))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer(), default=0)
    message_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


class ImprovementRow(Base):
    """What someone improved, in their exact words. Undo sets `removed_at`; the row stays."""

    __tablename__ = "improvement"
    __table_args__ = (
        Index("ix_improvement_person_day", "person_id", "local_date"),
        Index("ix_improvement_school_day", "school_id", "local_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(_cascade("person.id"))
    school_id: Mapped[int] = mapped_column(_cascade("school.id"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text())
    local_date: Mapped[date] = mapped_column(Date())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    source_message_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    # "Did it work?": keeping, changed, dropped or too_early, a sentence why, and when.
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_note: Mapped[str | None] = mapped_column(String(500))
    outcome_at: Mapped[datetime | None]
    followups: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    # Its theme's id in the school's taxonomy, and whether the author chose it or it was read.
    theme: Mapped[str | None] = mapped_column(String(40))
    theme_by: Mapped[str | None] = mapped_column(String(8))


class ThemeRow(Base):
    """A school's change to the default theme taxonomy: a theme added, renamed or retired."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("school_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="", server_default="")
    retired_at: Mapped[datetime | None]


class IntroductionRow(Base):
    """Someone asked to be introduced to a colleague trying something similar."""

    __tablename__ = "introduction"
    __table_args__ = (UniqueConstraint("entry_id", "other_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(_cascade("improvement.id"))  # the asker's
    other_id: Mapped[int] = mapped_column(_cascade("improvement.id"), index=True)
    created_at: Mapped[datetime]


class ReactionRow(Base):
    """A vote (emoji reaction or button) for an improvement, once per person and kind."""

    __tablename__ = "reaction"
    __table_args__ = (UniqueConstraint("improvement_id", "person_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    improvement_id: Mapped[int] = mapped_column(_cascade("improvement.id"))
    person_id: Mapped[int] = mapped_column(_cascade("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class StandoutRow(Base):
    """An improvement chosen to travel (by votes or a leader's spotlight) and its author's
    answer: `asked` until they choose `named`, `anonymous` or `declined`; `expired` when
    `answer_by` passed in silence; `withdrawn` when they took it back later."""

    __tablename__ = "standout"
    id: Mapped[int] = mapped_column(primary_key=True)
    improvement_id: Mapped[int] = mapped_column(_cascade("improvement.id"), unique=True)
    chosen_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(16))
    consent: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    answer_by: Mapped[date | None] = mapped_column(Date())
    answered_at: Mapped[datetime | None]


class PostRow(Base):
    """An entry posted by the bot to a channel: shared with its department, or reposted as
    a standout. Unique per entry and channel, so replicas and retries never post twice."""

    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("improvement_id", "platform", "workspace_id", "channel_id"),
        Index("ix_post_message", "platform", "workspace_id", "message_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # None once the entry is deleted (`forget me`): the row stays until the post on the
    # platform has been replaced by "withdrawn".
    improvement_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement.id", ondelete="SET NULL"), index=True
    )
    school_id: Mapped[int] = mapped_column(_cascade("school.id"))  # the channel's school
    kind: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    workspace_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    channel_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    message_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    created_at: Mapped[datetime]
    posted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
    failed_at: Mapped[datetime | None]  # when the channel refused it: admins hear that day


class AdoptionRow(Base):
    """Someone said "I'll try this" about an entry; `taken_id` is the entry it led to."""

    __tablename__ = "adoption"
    __table_args__ = (UniqueConstraint("improvement_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    improvement_id: Mapped[int] = mapped_column(_cascade("improvement.id"))
    person_id: Mapped[int] = mapped_column(_cascade("person.id"), index=True)
    created_at: Mapped[datetime]
    until: Mapped[date] = mapped_column(Date())  # asked about entries logged up to this day
    taken_id: Mapped[int | None] = mapped_column(ForeignKey("improvement.id", ondelete="SET NULL"))


class ProcessedEventRow(Base):
    """Platform event ids already handled, so a retried delivery is stored once."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    event_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    processed_at: Mapped[datetime] = mapped_column(index=True)


class ReplyRow(Base):
    """Replies owed to an event, written in the event's own transaction and deleted once sent.

    So a reply outlives a crash between storing an event and answering it: a retry of the
    event, or any process once the lease (`claimed_until`) has run out, sends what is owed.
    """

    __tablename__ = "reply"
    __table_args__ = (
        UniqueConstraint("platform", "event_id"),
        Index("ix_reply_claimed_until", "claimed_until"),
        # Ids name replies' messages (`reply-<id>-<n>`): SQLite must not reuse a deleted one.
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(PLATFORM))
    event_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    actions: Mapped[str] = mapped_column(Text())  # JSON, `storage/outgoing.py`
    created_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer(), server_default="1")
    last_error: Mapped[str | None] = mapped_column(String(500))


class AuditRow(Base):
    """Who changed what, when. Plain ids (no foreign keys) so it outlives what it describes."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(Integer())
    school_id: Mapped[int | None] = mapped_column(Integer(), index=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON())


class WebMessageRow(Base):
    """The local web chat's transcript: what the bot sent and what people typed there."""

    __tablename__ = "web_message"
    __table_args__ = (Index("ix_web_message_person_id", "person_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(_cascade("school.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(_cascade("person.id"))
    channel_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))
    author: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON())
    nudge_id: Mapped[int | None] = mapped_column(Integer())
    # The delivery key a scheduled message was sent under, so recovery can look for it.
    delivery_key: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


metadata = Base.metadata


# Slack's OAuth tables, defined by slack-sdk itself so that its SQLAlchemy installation and
# state stores (storage/slack.py) read exactly what our migrations create.
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, "slack_oauth_states"
)


class TeamsConversationRow(Base):
    """Where Tiny Steps can reach someone in Teams: the stored conversation reference.

    Teams lets a bot message a person only in a conversation it was installed in, so every
    reference seen (personal chats, team channels, group chats) is kept for proactive sends.
    Scope "roster" rows are not conversations yet: a team member's account, service URL and
    bot, enough to open their 1:1 chat later (`conversation_id` is "roster:<user id>").
    """

    __tablename__ = "teams_conversation"
    __table_args__ = (
        UniqueConstraint("tenant_id", "conversation_id"),
        Index("ix_teams_conversation_person", "tenant_id", "user_id", "scope"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    conversation_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    user_id: Mapped[str | None] = mapped_column(String(PLATFORM_ID))  # personal chats only
    scope: Mapped[str] = mapped_column(String(16))  # personal, channel, groupChat
    reference: Mapped[dict[str, Any]] = mapped_column(JSON())
    updated_at: Mapped[datetime]
