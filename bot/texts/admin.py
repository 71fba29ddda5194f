"""Words for admins: settings in chat, school calendars and who joins."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.ports import CalendarRules, School
from bot.texts.format import day_name, days_text, hm, plural

# --- school calendar ---------------------------------------------------------------------------

WHY_OUT_OF_TERM = "outside term"
TERM_TOO_LONG = "A term can be at most 200 days long. Split it into shorter terms."


def why_not_a_nudge_day(weekday: str) -> str:
    return f"{weekday.capitalize()} is not a nudge day"


def why_holiday(name: str) -> str:
    return f"public holiday: {name}"


def why_closed(reason: str) -> str:
    return f"school closed: {reason}" if reason else "school closed"


def time_unclear(words: str) -> str:
    return f"“{words}” isn't a time of day I understand. Use 24-hour time like 15:30, or 3:30pm."


def unknown_region(words: str) -> str:
    return (
        f"I don't know the holidays for “{words}”. Use a country code with an optional region, "
        "like GB-ENG, GB-SCT, GB-WLS, GB-NIR or US-NY."
    )


def term_reversed(start: date, end: date) -> str:
    return f"That term ends ({day_name(end)}) before it starts ({day_name(start)}). Please check the dates."


def term_overlaps(name: str, start: date, end: date) -> str:
    label = f"“{name}” " if name else "another term "
    return f"That overlaps {label}({day_name(start)} to {day_name(end)}). Terms can't overlap."


def days_unclear(words: str) -> str:
    return f"I couldn't read “{words}” as days. Try `mon-fri` or `mon,tue,thu`."


# --- settings in chat -------------------------------------------------------------------------

ADMINS_ONLY = (
    "Only your school's Tiny Steps admins can change its settings. Ask one of them, or say `help`."
)
REMINDER_RANGE = "A reminder can come between 1 minute and 8 hours after the question."
MY_HELP = (
    "Say `my time 16:00` to choose when I ask you, or `my time school` to use your school's "
    "time; `my department Maths` to say which department you're in (`my department none`); "
    "`my sharing always`, `ask` or `never` for sharing your steps with your department."
)
MY_TIME_RESET = "Done: I'll ask you at your school's usual time."
WEEKLY_HELP = "Say `weekly off` to stop the end-of-week note, or `weekly on` to get it again."
WEEKLY_ON = "Lovely: you'll get a short note about your week on the last school day."
WEEKLY_OFF = "Done: no more end-of-week notes. Say `weekly on` any time to get them back."
SETTINGS_HELP = (
    "Change one with `config time 15:30`, `config days mon-fri`, `config reminder 2h` (or `off`), "
    "`config holidays GB-SCT`, `config timezone Europe/London`, "
    "`config term 2026-09-03 to 2026-12-18 Autumn`, `config closed 2026-11-27 INSET day`, "
    "`config join everyone` (or `opt-in`), `config guests on` (or `off`)."
)
GUESTS_UNCLEAR = (
    "Say `config guests on` to ask your workspace's guests too, or `config guests off`."
)
GUESTS_ON = "Done: guests in your workspace are asked each school day, like staff."
GUESTS_OFF = "Done: guests in your workspace are left out; only staff are asked."
GUEST_LEFT_OUT = (
    "Tiny Steps is set up for your school's staff, and guests aren't included here. "
    "If you'd like to take part, ask one of your school's Tiny Steps admins."
)
WHY_GUEST = "a workspace guest, and guests are left out (config guests)"


def unknown_setting(word: str) -> str:
    return (
        f"I don't have a setting called “{word}”. "
        "Say `config` to see the settings and how to change them."
    )


def school_settings(school: School, rules: CalendarRules) -> str:
    reminder = f"{school.reminder_minutes} minutes later" if school.reminder_minutes else "off"
    region = f"{rules.country}-{rules.subdivision}" if rules.subdivision else rules.country
    terms = "; ".join(
        f"{t.name or 'term'} {day_name(t.start)} to {day_name(t.end)}" for t in rules.terms
    )
    closures = "; ".join(f"{c.reason} {day_name(c.start)}" for c in rules.closures)
    return (
        f"{school.name}: asked at {hm(school.nudge_time)} ({school.timezone}) on "
        f"{days_text(rules.weekdays)}. Reminder: {reminder}. Public holidays: {region}. "
        f"Terms: {terms or 'none set, so every nudge day counts'}. "
        f"Closures: {closures or 'none'}. "
        f"New members: {'asked once they say start' if school.opt_in else 'asked from day one'}. "
        f"Guests: {'asked like staff' if school.guests else 'left out'}. " + SETTINGS_HELP
    )


def nudge_time_set(at: time) -> str:
    return f"Done: everyone will be asked at {hm(at)} their time, unless they chose their own."


def nudge_days_set(days: frozenset[int]) -> str:
    return f"Done: the daily question goes out on {days_text(days)}."


def reminder_unclear(words: str) -> str:
    return f"I couldn't read “{words}” as a delay. Try `config reminder 2h`, `90m` or `off`."


def reminder_set(minutes: int | None) -> str:
    if minutes is None:
        return "Done: no reminders. The daily question is asked once."
    return f"Done: one gentle reminder {minutes} minutes after the question, only to those who haven't answered."


def region_set(country: str, subdivision: str | None) -> str:
    region = f"{country}-{subdivision}" if subdivision else country
    return f"Done: no questions on public holidays in {region}."


def school_timezone_set(zone: str) -> str:
    return (
        f"Done: the school's time zone is {zone}. People whose own time zone is known keep theirs."
    )


def term_added(name: str, start: date, end: date) -> str:
    return f"Added {name or 'a term'}: {day_name(start)} to {day_name(end)}."


def closure_added(reason: str, start: date, end: date) -> str:
    when = day_name(start) if start == end else f"{day_name(start)} to {day_name(end)}"
    return f"Noted: closed {when} ({reason}). Nobody will be asked then."


def my_time_set(at: time) -> str:
    return f"Done: I'll ask you at {hm(at)} your time on school days."


# --- importing a school calendar -----------------------------------------------------------

DEFAULT_CLOSURE = "school closed"
TERM_NEEDS_RANGE = (
    "A term needs a start and an end, e.g. `config term 2026-09-03 to 2026-12-18 Autumn`."
)
IMPORT_NOT_ICS = (
    "That file isn't a calendar file I can read. Export it as iCalendar (.ics) and try again."
)
IMPORT_EMPTY = "I didn't find any term dates or closures in that file, so nothing has changed."
IMPORT_NOT_CSV = 'That CSV file isn\'t UTF-8 text. Save it as "CSV UTF-8" and try again.'
CSV_HEADER = "The first line of the CSV file must be `kind,start,end,name`."
CSV_BAD_DATE = "dates must look like 2026-09-03"
CSV_BAD_KIND = "the kind must be `term` or `closed`"


def dates_unclear(words: str) -> str:
    return f"I couldn't find dates in “{words}”. Try `2026-09-03 to 2026-12-18` or `27 November`."


def import_too_big(limit: int) -> str:
    return f"That file is too big (the limit is {limit // 1_000_000} MB), so nothing has changed."


def import_too_many(limit: int) -> str:
    return (
        f"That file has more than {limit} events, so nothing has changed. Is it the right calendar?"
    )


def import_event_without_date(number: int, summary: str) -> str:
    return f"Event {number} (“{summary or 'no name'}”) has no date, so nothing has changed."


def csv_bad_row(number: int, problem: str) -> str:
    return f"Line {number} of the CSV file: {problem}. Nothing has changed."


def calendar_imported(terms: int, closures: int) -> str:
    return (
        f"Imported {plural(terms, 'term', 'terms')} and {plural(closures, 'closure', 'closures')}."
    )


WORKING_ON_IT = "On it… I'll post the answer here in a moment."


# --- joining (roster) -------------------------------------------------------------------------

JOIN_UNCLEAR = (
    "Choose `config join everyone` (new members get the daily question from day one) or "
    "`config join opt-in` (only those who say `start`)."
)
JOIN_EVERYONE = (
    "Done: everyone gets the daily question, including {invited} who hadn't started yet. "
    "Anyone can still say `stop`."
)
JOIN_OPT_IN = (
    "Done: new members will get the daily question only once they say `start`. "
    "Those already taking part carry on."
)


def join_everyone(invited: int) -> str:
    people = "1 person" if invited == 1 else f"{invited} people"
    return JOIN_EVERYONE.format(invited=people)


WHY_NOT_STARTED = "hasn't said start yet (opt-in school)"
WHY_LEFT = "no longer in the workspace"


# --- departments ----------------------------------------------------------------------------

DEPARTMENT_HELP = (
    "Say `config department add Maths`, `config department rename Maths to Mathematics` or "
    "`config department remove Drama`; `config departments` lists them."
)
DEPARTMENT_NAME_NEEDED = "Give the department a name, up to 60 characters."
NO_DEPARTMENTS = "No departments yet. Add one with `config department add Maths`."


def department_added(name: str) -> str:
    return f"Added the {name} department. People choose it with `my department {name}`."


def department_exists(name: str) -> str:
    return f"There is already a department called {name}."


def department_renamed(old: str, new: str) -> str:
    return f"Renamed {old} to {new}. Its people and entries go with it."


def department_removed(name: str, people: int) -> str:
    verb = "has" if people == 1 else "have"
    moved = f" {plural(people, 'person', 'people')} now {verb} no department." if people else ""
    return f"Removed {name}. Entries logged in it keep it in their history.{moved}"


def unknown_department(name: str, known: list[str]) -> str:
    choices = f" The departments are: {', '.join(known)}." if known else f" {NO_DEPARTMENTS}"
    return f"I don't know a department called “{name}”.{choices}"


def department_list(sizes: list[tuple[str, int]]) -> str:
    rows = "; ".join(f"{name} ({plural(count, 'person', 'people')})" for name, count in sizes)
    return f"Departments: {rows}."


# --- periods (summaries and exports) -----------------------------------------------------------

PERIOD_REVERSED = "That period ends before it starts. Please check the dates."
PERIOD_TOO_LONG = "A period can be at most five years long."
NOT_IN_TERM = "Today isn't in a term the school has set. Say `config term …`, or give dates."
NO_LAST_TERM = "There's no finished term set yet. Give dates, like `2026-09-03 to 2026-12-18`."


def period_unclear(words: str) -> str:
    return (
        f"I couldn't read “{words}” as a period. Try `this week`, `last month`, `this term` "
        "or `2026-09-01 to 2026-12-18`."
    )


# --- people and roles --------------------------------------------------------------------------

PERSON_NEEDED = (
    "Who do you mean? Mention them, like `config role @Sam leader`. In the web chat, type their "
    "name instead."
)
ROLE_HELP = (
    "Say `config role @Sam leader` (the whole school), `config role @Sam leader Maths, Science` "
    "(those departments), `config role @Sam admin` or `config role @Sam staff`."
)
PERSON_HELP = "Say `config person @Sam department Maths`, or `config person @Sam department none`."
LAST_ADMIN = (
    "That would leave your school with no admin, and someone needs to look after Tiny Steps. "
    "Make someone else an admin first."
)


def person_not_here(name: str) -> str:
    return (
        f"I can't find {name} in your school. They may be in another school or workspace, or "
        "haven't said hello to Tiny Steps yet: once they have, try again."
    )


def person_ambiguous(name: str) -> str:
    return f"More than one person here is called {name}. Mention the one you mean instead."


def role_set(name: str, role: str, departments: list[str]) -> str:
    if role == "leader" and departments:
        return f"Done: {name} now leads {', '.join(departments)} and sees their summaries."
    if role == "leader":
        return f"Done: {name} is now a leader and sees the whole school's summaries."
    if role == "admin":
        return f"Done: {name} is now an admin and can change Tiny Steps' settings."
    return f"Done: {name} is now staff."


def person_department_set(name: str, department: str) -> str:
    if not department:
        return f"Done: {name} is in no department now."
    return f"Done: {name} is in {department} now."


# --- channels, digests, retention and the audit trail ------------------------------------------

CHANNEL_SAY_IT_THERE = (
    "Say this in the channel you mean: type `/tinysteps config channel showcase` there in "
    "Slack, or mention me there in Teams."
)
CHANNEL_HELP = (
    "Say `config channel department Maths`, `config channel showcase`, `config channel leaders`, "
    "`config channel school` or `config channel none`, in the channel itself."
)
CHANNEL_CLEARED = "Done: this channel has no Tiny Steps purpose any more."
CHANNEL_WAS_NOTHING = "This channel had no Tiny Steps purpose, so nothing changed."
NO_CHANNELS = (
    "No channels have a purpose yet. In a channel, say `config channel showcase` (or "
    "`department Maths`, `leaders`, `school`)."
)
DIGEST_HELP = (
    "Say `config digest weekly here` in a channel, `config digest weekly me` for your own, or "
    "`config digest off`."
)
DIGEST_HERE_IN_A_CHANNEL = "Say `config digest weekly here` in the channel that should get it."
DIGEST_HERE_ON = "Done: this channel gets the school's summary on the last school day of each week."
DIGEST_ME_ON = "Done: you'll get the school's summary on the last school day of each week."
DIGEST_OFF = "Done: no more weekly summaries there."
DIGEST_WAS_OFF = "There was no weekly summary there, so nothing changed."
RETENTION_HELP = (
    "Say `config retention 3 years` (entries older than that are deleted each night) or "
    "`config retention off` to keep everything."
)
RETENTION_RANGE = "Keep entries for at least 30 days and at most 50 years."
AUDIT_HELP = "Say `config audit` for the last 10 changes, or `config audit 30`."
AUDIT_EMPTY = "No changes have been made yet."
SOMEONE = "someone"

_KINDS = {
    "department": "this is the {name} department's channel: its standouts and news will come here",
    "showcase": "this is the school's showcase: standout improvements will be shared here",
    "leaders": "this is the leaders' channel: digests and leaders' notices will come here",
    "school": "this is the whole school's channel",
}


def channel_is_now(kind: str, name: str) -> str:
    return "Tiny Steps here: " + _KINDS[kind].format(name=name) + "."


def channel_list(channels: list[tuple[str, str, str]]) -> str:
    rows = "; ".join(
        f"{channel}: {kind}{' ' + name if name else ''}" for channel, kind, name in channels
    )
    return f"Channels with a purpose: {rows}."


def retention_set(words: str | None) -> str:
    if words is None:
        return "Done: entries are kept until someone removes them."
    return f"Done: entries older than {words} will be deleted each night, for good."


def audit_heading(count: int) -> str:
    return f"The last {plural(count, 'change', 'changes')}"


def audit_line(at: datetime, who: str, action: str, detail: dict[str, object]) -> str:
    what = action.removeprefix("config.").replace("_", " ").replace(".", " ")
    before, after = detail.get("before"), detail.get("after")
    target = detail.get("target")
    words = f"{at:%d %b %H:%M}: {who}: {what}"
    if target:
        words += f" for {target}"
    if before is not None or after is not None:
        words += f" ({before or 'nothing'} → {after or 'nothing'})"
    elif (value := detail.get("value")) is not None:
        words += f" ({value})"
    return words


CANNOT_POST_HERE = (
    "I can't post in this channel yet. Invite me with `/invite @Tiny Steps`, then say it again."
)
