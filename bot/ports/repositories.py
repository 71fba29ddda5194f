"""The repositories the core reads and writes through, one transaction at a time."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime, time
from typing import Any, Protocol

from bot.calendar.defaults import SCHOOL_DEFAULTS, SchoolDefaults
from bot.model import Outgoing
from bot.ports.records import (
    UNCHANGED,
    Adoption,
    AuditEntry,
    CalendarRules,
    Channel,
    Closure,
    Consent,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Department,
    Digest,
    ExportRow,
    Finished,
    Improvement,
    NewDelivery,
    NewPerson,
    Nudge,
    NudgeStatus,
    OrganisationRole,
    Outcome,
    OwedReply,
    Person,
    Post,
    PostKind,
    Role,
    School,
    Sharing,
    Spread,
    Standout,
    Status,
    Tally,
    Term,
    ThemeChange,
    Unchanged,
    WordRule,
)

# --- repositories -------------------------------------------------------------------------


class Schools(Protocol):
    async def get(self, school_id: int) -> School | None: ...

    async def for_workspace(self, platform: str, workspace_id: str) -> School | None:
        """The school a platform workspace/tenant belongs to, if one was linked."""
        ...

    async def create(
        self,
        name: str,
        *,
        timezone: str,
        organisation_id: int | None = None,
        settings: SchoolDefaults = SCHOOL_DEFAULTS,
    ) -> School:
        """A new school with `settings` (the defaults unless a caller chooses others)."""
        ...

    async def link_workspace(self, school_id: int, platform: str, workspace_id: str) -> None:
        """Make a platform workspace/tenant belong to a school (unique per platform)."""
        ...

    async def all(self, *, platform: str | None = None) -> Sequence[School]:
        """Every school, or those with a workspace on one platform."""
        ...

    async def set_opt_in(self, school_id: int, opt_in: bool) -> School: ...

    async def set_guests(self, school_id: int, guests: bool) -> School: ...

    async def add_department(self, school_id: int, name: str) -> Department:
        """A new department, or a removed one of that name brought back."""
        ...

    async def departments(self, school_id: int) -> Sequence[Department]:
        """The school's departments (not removed ones), by name."""
        ...

    async def department_named(self, school_id: int, name: str) -> Department | None:
        """A current department, its name matched without regard to case."""
        ...

    async def rename_department(self, department_id: int, name: str) -> Department: ...

    async def remove_department(self, department_id: int, *, at: datetime) -> int:
        """Remove a department: its people have none now (how many), its entries stay."""
        ...

    async def department_sizes(self, school_id: int) -> dict[int, int]:
        """How many people are in each department."""
        ...

    async def add_organisation(self, name: str) -> int: ...

    async def organisation_named(self, name: str) -> int | None:
        """An organisation (trust) by name, without regard to case."""
        ...

    async def join_organisation(self, school_id: int, organisation_id: int | None) -> School: ...

    async def organisation_sharing(self, organisation_id: int) -> bool:
        """Whether the trust lets "who else is trying this" look across its schools."""
        ...

    async def set_organisation_sharing(self, organisation_id: int, sharing: bool) -> None: ...

    async def in_organisation(self, organisation_id: int) -> Sequence[School]: ...

    async def set_retention(self, school_id: int, days: int | None) -> School: ...

    async def set_followup(self, school_id: int, days: int | None) -> School:
        """School days until "did it work?" is asked; None: never."""
        ...

    async def set_sharing(
        self,
        school_id: int,
        *,
        share_mode: str | None = None,
        standout_votes: int | None = None,
        standout_departments: str | None = None,
    ) -> School:
        """The school's sharing settings; None leaves one as it is."""
        ...


class People(Protocol):
    async def get(self, person_id: int) -> Person | None: ...

    async def by_identity(
        self, platform: str, workspace_id: str, user_id: str
    ) -> Person | None: ...

    async def create(self, new: NewPerson, *, at: datetime) -> Person:
        """Add a person; their role applies to `new.school_id`."""
        ...

    async def in_school(self, school_id: int) -> Sequence[Person]: ...

    async def set_status(
        self, person_id: int, status: Status, *, paused_until: date | None = None
    ) -> Person: ...

    async def mark_welcomed(self, person_id: int, at: datetime) -> None: ...

    async def mark_welcomed_many(self, person_ids: Sequence[int], at: datetime) -> None:
        """Those not yet welcomed are welcomed now."""
        ...

    async def many(self, person_ids: Sequence[int]) -> dict[int, Person]: ...

    async def set_profile(
        self, person_id: int, *, display_name: str, timezone: str | None
    ) -> Person: ...

    async def set_role(self, person_id: int, school_id: int, role: Role) -> None: ...

    async def leads(self, person_id: int) -> frozenset[int]:
        """The departments a department leader leads; empty: the whole school (or not a leader)."""
        ...

    async def set_leads(self, person_id: int, department_ids: Sequence[int]) -> None:
        """Replace the departments a leader leads (none: the whole school)."""
        ...

    async def organisation_roles(self, person_id: int) -> Sequence[OrganisationRole]: ...

    async def set_organisation_role(
        self, organisation_id: int, person_id: int, role: Role | None
    ) -> None:
        """A trust-wide role (leader or admin), or None to take it away."""
        ...

    async def set_preferences(
        self,
        person_id: int,
        *,
        nudge_time: time | Unchanged | None = UNCHANGED,
        weekly_note: bool | None = None,
        department_id: int | Unchanged | None = UNCHANGED,
        sharing: Sharing | None = None,
    ) -> Person:
        """A person's own nudge time (None: the school's), weekly-note and sharing choices."""
        ...

    async def delete(self, person_id: int) -> None:
        """Forget a person and everything they logged (`forget me`)."""
        ...

    async def set_guest(self, person_id: int, guest: bool) -> Person:
        """Whether the platform lists the person as a guest rather than a full member."""
        ...


class Improvements(Protocol):
    async def add(
        self,
        *,
        person_id: int,
        school_id: int,
        text: str,
        local_date: date,
        at: datetime,
        department_id: int | None = None,
        source_message_id: str | None = None,
    ) -> Improvement: ...

    async def get(self, improvement_id: int) -> Improvement | None:
        """A live (not undone) improvement."""
        ...

    async def last_for(self, person_id: int) -> Improvement | None:
        """The person's most recently logged live improvement."""
        ...

    async def update_text(self, improvement_id: int, text: str, *, at: datetime) -> Improvement: ...

    async def from_message(self, person_id: int, source_message_id: str) -> Improvement | None:
        """The live entry logged from one of the person's platform messages."""
        ...

    async def remove(self, improvement_id: int, *, at: datetime) -> None:
        """Undo: hide the improvement; the row is kept so the audit trail stays whole."""
        ...

    async def dates_for(self, person_id: int, *, since: date) -> set[date]:
        """The local dates on which the person logged at least one live improvement."""
        ...

    async def count_for(self, person_id: int) -> int: ...

    async def recent_for(self, person_id: int, limit: int) -> Sequence[Improvement]: ...

    async def tally(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        *,
        people: Collection[int],
        department_ids: Collection[int] | None = None,
    ) -> Tally:
        """The schools' live entries from `start` to `end` (inclusive) counted by school,
        person and department, and per day how many of `people` logged; only these
        departments' entries when given."""
        ...

    async def frequent_words(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        rule: WordRule,
        *,
        department_ids: Collection[int] | None = None,
        limit: int,
    ) -> Sequence[tuple[str, int]]:
        """The words of the rule used in most live entries (each counted once per entry),
        lower-cased, most used first and ties a to z."""
        ...

    async def newest_per_person(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        *,
        department_ids: Collection[int] | None = None,
        limit: int,
    ) -> Sequence[Improvement]:
        """Each person's newest live entry in the period, newest first, for `limit` people."""
        ...

    async def count_between(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> int:
        """How many of those there are, counting only these departments' when given."""
        ...

    async def days_logged(self, school_id: int, start: date, end: date) -> dict[int, set[date]]:
        """Person id → the days from `start` to `end` (inclusive) they logged a live entry."""
        ...

    async def export(self, school_id: int, start: date, end: date) -> Sequence[ExportRow]:
        """The school's live entries from `start` to `end` (inclusive), oldest first."""
        ...

    async def all_for(self, person_id: int) -> Sequence[Improvement]:
        """Everything a person logged and kept, oldest first (`export me`)."""
        ...

    async def due_followup(
        self, person_id: int, *, logged_from: date, logged_by: date, too_early_by: datetime
    ) -> Improvement | None:
        """The person's oldest live entry due a "did it work?": logged from `logged_from` to
        `logged_by` and never asked, or answered "too early" by `too_early_by` and asked once."""
        ...

    async def followed_up(self, improvement_id: int) -> None:
        """One more "did it work?" asked about it."""
        ...

    async def set_outcome(
        self, improvement_id: int, outcome: Outcome, note: str | None, *, at: datetime
    ) -> Improvement:
        """How it went (and why, when `note` is given; None keeps the earlier sentence)."""
        ...

    async def set_theme(self, improvement_id: int, theme: str, *, by: str) -> None: ...

    async def outcomes(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> dict[Outcome, int]:
        """How the period's live entries went, among those whose authors said."""
        ...

    async def corrections(self, school_id: int) -> Sequence[tuple[str, str]]:
        """(text, theme) of the school's live entries whose authors chose the theme: the
        school's own training examples."""
        ...

    async def theme_counts(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> dict[str, int]:
        """Live entries per theme id in the period (entries not yet themed left out)."""
        ...

    async def purge_before(self, school_id: int, before: date) -> int:
        """Delete (for good) a school's entries from before `before`: retention. How many."""
        ...


class Nudges(Protocol):
    async def get(self, nudge_id: int) -> Nudge | None: ...

    async def for_day(self, person_id: int, local_date: date) -> Nudge | None: ...

    async def in_school(
        self, school_id: int, local_dates: set[date]
    ) -> dict[tuple[int, date], Nudge]:
        """A school's nudges on some days, by (person id, day): one query for a whole tick."""
        ...

    async def for_people(self, wanted: Sequence[tuple[int, date]]) -> dict[tuple[int, date], Nudge]:
        """The nudges of some (person id, day) pairs, in one query."""
        ...

    async def mark_sent_many(self, sent: Sequence[tuple[int, str | None]]) -> None:
        """(nudge id, message id): planned nudges become sent, remembering the message."""
        ...

    async def ensure_many(
        self, school_id: int, wanted: Sequence[tuple[int, date, datetime]]
    ) -> dict[tuple[int, date], Nudge]:
        """`ensure` for many (person id, day, due at) at once."""
        ...

    async def ensure(
        self, *, person_id: int, school_id: int, local_date: date, due_at: datetime
    ) -> Nudge:
        """The person's one nudge row for that day, created if missing (never two)."""
        ...

    async def set_status(
        self, nudge_id: int, status: NudgeStatus, *, message_id: str | None = None
    ) -> None: ...

    async def set_followup(self, nudge_id: int, improvement_id: int) -> None:
        """The entry this day's question asks about instead."""
        ...

    async def skipped_dates(self, person_id: int, *, since: date) -> set[date]: ...

    async def skipped_days(self, school_id: int, start: date, end: date) -> dict[int, set[date]]:
        """Person id → the school's days from `start` to `end` (inclusive) they skipped."""
        ...


class Calendars(Protocol):
    """A school's calendar settings: nudge days, holiday region, terms and closures."""

    async def rules(self, school_id: int) -> CalendarRules: ...

    async def add_terms(self, school_id: int, terms: Sequence[Term]) -> None: ...

    async def add_closures(self, school_id: int, closures: Sequence[Closure]) -> None: ...

    async def set_region(self, school_id: int, country: str, subdivision: str | None) -> None: ...

    async def set_schedule(
        self,
        school_id: int,
        *,
        nudge_time: time | None = None,
        nudge_days: frozenset[int] | None = None,
        reminder_minutes: int | Unchanged | None = UNCHANGED,
        timezone: str | None = None,
    ) -> None: ...


class Votes(Protocol):
    """Colleagues' votes for an entry: reactions on its post, or its "This helped me" button."""

    async def add(self, improvement_id: int, person_id: int, kind: str, *, at: datetime) -> bool:
        """A vote; False when the same person already gave this kind."""
        ...

    async def remove(self, improvement_id: int, person_id: int, kind: str) -> bool: ...

    async def count(self, improvement_id: int) -> int:
        """How many different people voted."""
        ...


class Deliveries(Protocol):
    """The outbox of scheduled messages; see `storage/deliveries.py` for the claim protocol."""

    async def planned(
        self, school_id: int, local_dates: set[date]
    ) -> set[tuple[int | None, str, date]]:
        """(person_id, kind, local_date) of rows already planned for those days."""
        ...

    async def finish_many(self, worker: str, finished: Sequence[Finished], *, at: datetime) -> int:
        """`finish` for a batch in one statement; returns how many this worker still held."""
        ...

    async def count(self, school_id: int, status: DeliveryStatus) -> int:
        """How many of a school's outbox rows are in a state (the benchmark checks `sent`)."""
        ...

    async def reopen(
        self,
        kind: DeliveryKind,
        *,
        due_at: datetime,
        standout_id: int | None = None,
        post_id: int | None = None,
    ) -> None:
        """Send a standout's or post's message again (a question asked anew, a post changed
        once more), as a fresh outbox row."""
        ...

    async def plan(self, rows: Sequence[NewDelivery]) -> int:
        """Insert rows not yet planned (never two per person, kind and day); returns how many."""
        ...

    async def claim(
        self, worker: str, *, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[Delivery]:
        """Take due rows (and rows whose earlier claim expired) for this worker alone."""
        ...


class Channels(Protocol):
    """Channels an admin gave a purpose (`config channel …`)."""

    async def set(self, channel: Channel) -> Channel | None:
        """Give a channel its purpose; returns what it was before, if anything."""
        ...

    async def remove(self, platform: str, workspace_id: str, channel_id: str) -> Channel | None: ...

    async def get(self, platform: str, workspace_id: str, channel_id: str) -> Channel | None: ...

    async def many(self, channel_ids: Sequence[int]) -> dict[int, Channel]: ...

    async def in_school(self, school_id: int) -> Sequence[Channel]: ...


class Digests(Protocol):
    """Who gets the school's weekly summary (`config digest …`)."""

    async def subscribe(
        self,
        school_id: int,
        platform: str,
        workspace_id: str,
        *,
        at: datetime,
        person_id: int | None = None,
        channel_id: str | None = None,
    ) -> Digest:
        """To a person or to a channel; asking twice changes nothing."""
        ...

    async def unsubscribe(
        self, school_id: int, *, person_id: int | None = None, channel_id: str | None = None
    ) -> int: ...

    async def in_school(self, school_id: int) -> Sequence[Digest]: ...

    async def many(self, digest_ids: Sequence[int]) -> dict[int, Digest]: ...


class Events(Protocol):
    async def first_time(self, platform: str, event_id: str, *, at: datetime) -> bool:
        """Record a platform event id; False if it was already processed (a retry)."""
        ...


class Replies(Protocol):
    """Replies owed to events, kept from the event's transaction until they are sent.

    A reply is claimed under a lease (`until`) by the process sending it; when the lease runs
    out (the process died) any process may claim it again. Sent replies are deleted.
    """

    async def owe(
        self,
        platform: str,
        event_id: str | None,
        actions: Sequence[Outgoing],
        *,
        worker: str,
        at: datetime,
        until: datetime,
    ) -> int:
        """Keep `actions` as owed, claimed by `worker` until `until`; returns the receipt."""
        ...

    async def add(self, receipt: int, actions: Sequence[Outgoing]) -> None:
        """More for the same event (a chart drawn after the event's transaction)."""
        ...

    async def take_over(
        self, platform: str, event_id: str, *, worker: str, now: datetime, until: datetime
    ) -> OwedReply | None:
        """The reply still owed to a retried event, claimed, unless its lease is still held."""
        ...

    async def claim(
        self, worker: str, *, now: datetime, until: datetime, limit: int
    ) -> Sequence[OwedReply]:
        """Owed replies nobody holds (their sender died, or handed them back), claimed."""
        ...

    async def sent(self, receipt: int) -> None:
        """Everything of this receipt went out: it is no longer owed."""
        ...

    async def retry_later(self, receipt: int, *, at: datetime, error: str) -> None:
        """Sending failed for now: anyone may claim it again from `at`."""
        ...

    async def release(self, worker: str) -> int:
        """Hand back every reply `worker` holds, for any process to claim at once."""
        ...


class Audit(Protocol):
    async def record(
        self,
        action: str,
        *,
        at: datetime,
        person_id: int | None = None,
        school_id: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...

    async def recent(self, school_id: int, limit: int) -> Sequence[AuditEntry]:
        """A school's latest changes, newest first."""
        ...

    async def scrub(self, person_id: int, school_id: int) -> None:
        """Forget a person in the log: their rows keep what happened, not their words or
        name; rows about them (as a target) lose their name too."""
        ...


class Conflict(Exception):
    """A concurrent writer got there first (a unique key clashed); the caller may retry once."""


class Posts(Protocol):
    """Entries posted by the bot to channels: shared with a department, or reposted."""

    async def add(
        self,
        improvement_id: int,
        kind: PostKind,
        channel: Channel,
        *,
        at: datetime,
    ) -> Post | None:
        """A new post of the entry to the channel; None when it already has one there."""
        ...

    async def get(self, post_id: int) -> Post | None: ...

    async def many(self, post_ids: Sequence[int]) -> dict[int, Post]: ...

    async def of_entry(self, improvement_id: int) -> Sequence[Post]:
        """Every post of the entry, withdrawn or not, oldest first."""
        ...

    async def for_message(self, platform: str, workspace_id: str, message_id: str) -> Post | None:
        """The post a platform message is, if it is one of ours."""
        ...

    async def posted(self, post_id: int, message_id: str | None, *, at: datetime) -> None: ...

    async def failed(self, post_id: int, error: str, *, at: datetime) -> None: ...

    async def withdraw(
        self, improvement_id: int, *, at: datetime, kind: PostKind | None = None
    ) -> Sequence[Post]:
        """Mark the entry's live posts (of one kind, if given) withdrawn; those that were
        sent come back."""
        ...

    async def failed_since(self, school_id: int, since: datetime) -> Sequence[Post]:
        """Posts to the school's channels that failed since `since`, for its admins."""
        ...


class Introductions(Protocol):
    """Entries others may be pointed to, and the introductions people asked for."""

    async def shareable(
        self, school_ids: Sequence[int], *, own_school_id: int
    ) -> Sequence[tuple[Improvement, bool]]:
        """Live entries whose authors let them be seen beyond themselves, and whether with
        their name: shared with their department (in `own_school_id` only, named), or a
        standout they let travel (named or not, in any of `school_ids`)."""
        ...

    async def add(self, entry_id: int, other_id: int, *, at: datetime) -> bool:
        """False when these two were introduced already."""
        ...

    async def between(
        self, person_id: int, start: datetime, end: datetime
    ) -> Sequence[tuple[Improvement, Improvement]]:
        """(the asker's entry, the other's) for introductions made in [start, end) that
        involve this person either way."""
        ...


class Standouts(Protocol):
    """Entries chosen to travel, and their authors' consent."""

    async def get(self, improvement_id: int) -> Standout | None: ...

    async def by_id(self, standout_id: int) -> tuple[Standout, Improvement] | None:
        """A standout and its (live) entry."""
        ...

    async def choose(
        self,
        improvement_id: int,
        *,
        reason: str,
        at: datetime,
        answer_by: date,
        chosen_by: int | None = None,
    ) -> Standout | None:
        """A new standout waiting for consent; None when the entry already is one."""
        ...

    async def ask_again(
        self, improvement_id: int, *, at: datetime, answer_by: date, chosen_by: int | None
    ) -> Standout:
        """Ask once more about a standout whose earlier question went unanswered."""
        ...

    async def answer(self, improvement_id: int, consent: Consent, *, at: datetime) -> Standout: ...

    async def awaiting(self, person_id: int, today: date) -> Sequence[tuple[Standout, Improvement]]:
        """The person's standouts still waiting for their answer, oldest first."""
        ...

    async def expire(self, school_id: int, today: date) -> int:
        """Silence is no: standouts of the school whose `answer_by` has passed. How many."""
        ...

    async def in_schools(
        self, school_ids: Sequence[int], start: date, end: date
    ) -> Sequence[tuple[Standout, Improvement]]:
        """Standouts chosen from `start` to `end` (inclusive) among these schools' entries."""
        ...


class Adoptions(Protocol):
    """ "I'll try this": who adopted which idea, and the entry it led to."""

    async def add(self, improvement_id: int, person_id: int, *, at: datetime, until: date) -> bool:
        """False when the person had already said so."""
        ...

    async def open_for(self, person_id: int, day: date) -> Sequence[tuple[Adoption, Improvement]]:
        """Ideas the person means to try, not yet linked, still open on `day`; newest first."""
        ...

    async def take(self, adoption_id: int, taken_id: int) -> None: ...

    async def get(self, adoption_id: int) -> Adoption | None: ...

    async def spread(self, improvement_ids: Sequence[int]) -> dict[int, Spread]:
        """Per idea: how many people said they'd try it, in how many departments and
        schools, and how many linked an entry of their own to it."""
        ...


class Themes(Protocol):
    """A school's changes to the default theme taxonomy."""

    async def changes(self, school_id: int) -> Sequence[ThemeChange]: ...

    async def put(self, school_id: int, change: ThemeChange, *, at: datetime) -> None:
        """Add a theme, rename one, or retire one (the last word on a key wins)."""
        ...


class Evidence(Protocol):
    """Leaders' evidence: each theme's steps and outcomes, and the most-kept practices."""

    async def by_theme(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
    ) -> Sequence[tuple[str | None, int, int, int, int, int, int]]:
        """Per theme id (None: not themed), live entries only: steps, distinct people, then
        steps answered keeping, changed, dropped and too early."""
        ...

    async def kept(
        self,
        school_ids: Collection[int],
        start: date,
        end: date,
        department_ids: Collection[int] | None = None,
        *,
        limit: int,
    ) -> Sequence[tuple[Improvement, int, int, bool, Consent | None]]:
        """Entries marked keeping, most kept first: (entry, colleagues who kept the step it led
        them to, colleagues who said they'd try it, share stands, travel consent if asked)."""
        ...


class Transaction(Protocol):
    """One unit of work: commits when the block ends normally, rolls back on any error."""

    @property
    def schools(self) -> Schools: ...

    @property
    def people(self) -> People: ...

    @property
    def improvements(self) -> Improvements: ...

    @property
    def nudges(self) -> Nudges: ...

    @property
    def events(self) -> Events: ...

    @property
    def audit(self) -> Audit: ...

    @property
    def calendars(self) -> Calendars: ...

    @property
    def deliveries(self) -> Deliveries: ...

    @property
    def votes(self) -> Votes: ...

    @property
    def posts(self) -> Posts: ...

    @property
    def standouts(self) -> Standouts: ...

    @property
    def adoptions(self) -> Adoptions: ...

    @property
    def themes(self) -> Themes: ...

    @property
    def introductions(self) -> Introductions: ...

    @property
    def evidence(self) -> Evidence: ...

    @property
    def channels(self) -> Channels: ...

    @property
    def digests(self) -> Digests: ...

    @property
    def replies(self) -> Replies: ...


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...

    async def ping(self) -> bool:
        """True when the database answers (readiness)."""
        ...
