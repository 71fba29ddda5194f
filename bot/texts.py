"""Every word Tiny Steps says to people, in one place so it can be reviewed and translated.

Keep it warm, short and plain. Command words appear in backticks so every platform can show
them as code; renderers treat everything else as plain text.
"""

from __future__ import annotations

from datetime import date, time

from bot.ports import CalendarRules, School

MAX_ENTRY_CHARS = 2000


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- welcome and help -----------------------------------------------------------------------

WELCOME_HEADING = "Welcome to Tiny Steps 🌱"


def welcome(name: str) -> str:
    greeting = f"Hello {name}!" if name else "Hello!"
    return (
        f"{greeting} Each school day I'll ask one question: what's one small thing you "
        "improved today? Answer in a few words, whenever suits you. It takes seconds."
    )


WELCOME_PRIVACY = (
    "What you log is seen by you and your school's leaders. If colleagues vote an idea up, "
    "I'll always ask you before sharing it further, with your name on it."
)
WELCOME_INVITED = (
    "Your school uses Tiny Steps by choice: say `start` whenever you'd like the daily question. "
    "You can also `log` a small improvement at any time."
)
WELCOME_CONTROLS = (
    "You're in charge: say `skip` to skip a day, `pause until <date>` for a break, "
    "`stop` to opt out, or `help` any time."
)

HELP_HEADING = "Here's what I understand"
HELP_ITEMS = (
    "Just reply to today's question to log your tiny step",
    "`log <what you improved>` to log something at any time",
    "`edit <new words>` to change your last entry",
    "`undo` to remove your last entry",
    "`skip` to skip today",
    "`pause until <date>` (or `pause for 2 weeks`) and `resume`",
    "`stop` to stop the daily question, `start` to begin again",
    "`my time 16:00` to be asked at another time, `my time school` to go back",
    "`weekly off` (or `on`) for the short note about your week",
    "`forget me` to delete everything you've logged",
)
# Added for admins, after the items everyone has.
ADMIN_HELP_ITEMS = (
    "`config` to see and change the school's settings: nudge time and days, reminder, "
    "holidays, time zone, terms and closures, who joins",
)

# --- the daily prompt -----------------------------------------------------------------------

PROMPT_HEADING = "What's one small thing you improved today?"
PROMPT_BODY = "Reply here in a few words. Big or tiny, it all counts."
PROMPT_FALLBACK = "What's one small thing you improved today? Reply here in a few words."
BUTTON_SKIP = "Skip today"
BUTTON_LOG_FORM = "Log an improvement"
BUTTON_PAUSE_MENU = "Pause…"
BUTTON_PAUSE_WEEK = "A week"
BUTTON_PAUSE_TWO_WEEKS = "Two weeks"
BUTTON_PAUSE_MONTH = "Four weeks"
PAUSE_MENU = "How long a break would you like? You can also type `pause until <date>`."
TYPE_IT_HERE = "Just type your tiny step here and send it. That's all it takes."

FORM_LOG_TITLE = "Log a tiny step"  # Slack allows 24 characters
FORM_LOG_LABEL = "What's one small thing you improved today?"
FORM_LOG_PLACEHOLDER = "For example: started lessons with a two-minute recap"
FORM_DEPARTMENT_LABEL = "Department (optional)"
FORM_SUBMIT = "Log it"
FORM_LOG_INLINE_LABEL = "Your small step"  # the field inside a Teams prompt card
FORM_NEEDS_TEXT = "That form came through empty. What did you improve? A few words is plenty."
FORM_CANCEL = "Cancel"
FORM_UNKNOWN_DEPARTMENT = (
    "That department isn't part of your school any more, so I logged it without one."
)
BUTTON_UNDO = "Undo"
BUTTON_LOG_THIS = "Log this"
BUTTON_FORGET = "Yes, delete everything"
BUTTON_KEEP = "Keep my data"

# --- logging --------------------------------------------------------------------------------


def logged(streak: int) -> str:
    if streak <= 1:
        return "Logged. Thank you! 🌱 Every tiny step counts."
    return f"Logged. Thank you! 🌱 That's {streak} school days in a row."


def already_answered(day: date) -> str:
    return (
        f"You've already logged a step for {_day(day)}. Thank you! "
        "To add another, say `log <what you improved>`; to change it, `edit <new words>`."
    )


QUESTION_WAITING = "Today's question is already waiting for you above: just reply here."


LOG_NEEDS_TEXT = (
    "What did you improve? Say `log` followed by a few words, e.g. `log tidier seating plan`."
)
EDIT_NEEDS_TEXT = "What should it say instead? Say `edit` followed by the new words."
NOTHING_TO_EDIT = (
    "There's nothing to change yet. Say `log <what you improved>` to add your first step."
)
NOTHING_TO_UNDO = "There's nothing to undo. You haven't logged anything yet."


def edited() -> str:
    return "Updated. Your last entry now reads:"


def undone(*, reopened: bool = False) -> str:
    if reopened:
        return (
            "Removed. Today is open again, so your next answer counts as today's step. "
            "This entry is no longer logged:"
        )
    return "Removed. This entry is no longer logged:"


NOT_YOURS = "That entry isn't yours, so I've left it as it is."
ALREADY_LOGGED_THIS = "Already logged, nothing more to do. This is the entry:"
ENTRY_GONE = "That entry has already been removed."

WORDS_ONLY = (
    "I can only keep words, not photos or files. Tell me in a sentence what you improved, "
    "and I'll log it."
)
EMPTY_ENTRY = "I didn't catch any words there. What's one small thing you improved?"


def too_long(length: int) -> str:
    return (
        f"That's a lovely amount of detail, but it's {length:,} characters and I can keep up "
        f"to {MAX_ENTRY_CHARS:,}. Could you shorten it a little and send it again?"
    )


# --- skip, pause, stop ----------------------------------------------------------------------

SKIPPED = "No problem, I'll skip today. See you next school day. 🌤️"
ALREADY_SKIPPED = "You've already skipped today. See you next school day."
SKIP_ALREADY_LOGGED = "You've already logged a step today, so there's nothing to skip. Thank you!"


def paused(until: date) -> str:
    return (
        f"Enjoy the break. I'll pause your daily question until {_day(until)}. "
        "Say `resume` whenever you'd like it back sooner."
    )


PAUSE_NEEDS_DATE = (
    "Until when? Say `pause until Friday`, `pause until 2 December` or `pause for 2 weeks`."
)


def pause_date_unclear(words: str) -> str:
    return (
        f"I couldn't read \u201c{words}\u201d as a date. Try `pause until Friday`, "
        "`pause until 2 December` or `pause for 2 weeks`."
    )


PAUSE_DATE_PAST = "That date has already passed. Pick a day after today."
PAUSE_AT_LEAST_A_DAY = (
    "A pause lasts at least a day. Try `pause for 1 day`, `pause for 2 weeks` or "
    "`pause until Friday`, or say `skip` to miss just today."
)
PAUSE_TOO_LONG = "I can pause for up to a year. Pick an earlier date, or say `stop` to opt out."
RESUMED = "Welcome back! Your daily question starts again on the next school day."
NOT_PAUSED = "You're not paused, so your daily question is already on."
STOPPED = (
    "Done. I won't send the daily question any more. You can still `log` a step whenever "
    "you like, and say `start` to begin again."
)
ALREADY_STOPPED = "You've already opted out. Say `start` if you'd like the daily question back."
STARTED_FIRST = "Wonderful, you're in! I'll ask my one small question each school day."
STARTED = "Lovely to have you back! I'll ask my question each school day."
ALREADY_STARTED = "You're already getting the daily question. Nothing to change."

# --- forget me ------------------------------------------------------------------------------

FORGET_CONFIRM = (
    "This deletes everything you've logged and your settings, for good. It can't be undone. "
    "Are you sure?"
)
FORGET_KEPT = "Good, nothing is deleted. Everything you've logged is still here."
CANCELLED = "OK, nothing changed."
FORGOTTEN = (
    "Done. I've deleted everything about you. If you ever say hello again, I'll start afresh."
)

# --- fallbacks ------------------------------------------------------------------------------


LOG_THIS_AS_TODAY = "That sounds like a step worth keeping. Log it as today's step?"


def unknown(words: str) -> str:
    shown = words if len(words) <= 40 else words[:40] + "…"
    return (
        f"I'm not sure what \u201c{shown}\u201d means. To log a step, say "
        "`log <what you improved>`. Say `help` to see everything I understand."
    )


NO_ACTION = "That button has expired. Say `help` to see what I can do."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and nothing was changed. Please try again."
)


# --- confirmations shown with fields ----------------------------------------------------------

FIELD_STREAK = "Streak"
FIELD_TOTAL = "Steps logged"


def streak_value(streak: int) -> str:
    return _plural(streak, "school day", "school days")


# --- the directory (web chat and demo) ------------------------------------------------------

NAME_NEEDED = "Please give a name."
NO_SUCH_SCHOOL = "I can't find that school."


def name_too_long(limit: int) -> str:
    return f"Please keep names to {limit} characters or fewer."


def unknown_timezone(name: str) -> str:
    shown = name if len(name) <= 60 else name[:60] + "…"
    return f"\u201c{shown}\u201d isn't a time zone I know. Try a name like Europe/London or America/New_York."


# --- the local web chat -------------------------------------------------------------------

WEB_BAD_REQUEST = "That request didn't make sense to me. Please reload the page and try again."
WEB_NO_PERSON = "I can't find that person. Pick someone from the list, or add a new person."
WEB_TEXT_NEEDED = "Type a message first."
WEB_TOO_BIG = "That message is too large for me to read."
WEB_UNKNOWN_ROLE = "A person's role is staff, leader or admin."
WEB_NOT_LOCAL = (
    "The web chat is for trying Tiny Steps on this computer: open it at http://127.0.0.1 "
    "or http://localhost."
)
WEB_OTHER_ORIGIN = "The web chat only answers its own page."
WEB_JSON_ONLY = "The web chat only reads JSON (Content-Type: application/json)."
WEB_RELOAD = "Your session has ended. Please reload the page."


# --- reminders, weekly notes and the schedule -------------------------------------------------

REMINDER_HEADING = "A gentle reminder 🌱"
REMINDER_BODY = (
    "If something went a little better today, a few words here is all it takes. "
    "No worries if not: say `skip` and I'll see you next school day."
)
REMINDER_FALLBACK = "A gentle reminder: what's one small thing you improved today?"

WEEKLY_HEADING = "Your week in tiny steps"
WEEKLY_OFF_HINT = "Say `weekly off` if you'd rather not get this note."


def weekly_note(count: int, streak: int) -> str:
    steps = _plural(count, "small step", "small steps")
    kind = "Lovely work." if count < 3 else "That adds up to real change."
    run = f" Your streak is {_plural(streak, 'school day', 'school days')}." if streak > 1 else ""
    return f"This week you logged {steps}. {kind}{run} Have a restful weekend!"


# Why someone is or isn't nudged (for `tinysteps tick --dry-run`).
WHY_OPTED_OUT = "opted out"
WHY_ANSWERED = "already logged today"
WHY_SKIPPED = "skipped today"
WHY_ALREADY_SENT = "already asked today"
WHY_PLANNED = "due now"


def why_paused(until: date | None) -> str:
    return f"paused until {_day(until)}" if until else "paused"


def why_not_yet(local: str) -> str:
    return f"not yet: due at {local} local time"


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
    return f"That term ends ({_day(end)}) before it starts ({_day(start)}). Please check the dates."


def term_overlaps(name: str, start: date, end: date) -> str:
    label = f"“{name}” " if name else "another term "
    return f"That overlaps {label}({_day(start)} to {_day(end)}). Terms can't overlap."


def days_unclear(words: str) -> str:
    return f"I couldn't read “{words}” as days. Try `mon-fri` or `mon,tue,thu`."


# --- settings in chat -------------------------------------------------------------------------

ADMINS_ONLY = (
    "Only your school's Tiny Steps admins can change its settings. Ask one of them, or say `help`."
)
REMINDER_RANGE = "A reminder can come between 1 minute and 8 hours after the question."
MY_HELP = (
    "Say `my time 16:00` to choose when I ask you, or `my time school` to use your school's time."
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


def _days_text(days: frozenset[int]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(names[d] for d in sorted(days))


def _hm(at: time) -> str:
    return at.strftime("%H:%M")


def unknown_setting(word: str) -> str:
    return (
        f"I don't have a setting called “{word}”. "
        "Say `config` to see the settings and how to change them."
    )


def school_settings(school: School, rules: CalendarRules) -> str:
    reminder = f"{school.reminder_minutes} minutes later" if school.reminder_minutes else "off"
    region = f"{rules.country}-{rules.subdivision}" if rules.subdivision else rules.country
    terms = "; ".join(f"{t.name or 'term'} {_day(t.start)} to {_day(t.end)}" for t in rules.terms)
    closures = "; ".join(f"{c.reason} {_day(c.start)}" for c in rules.closures)
    return (
        f"{school.name}: asked at {_hm(school.nudge_time)} ({school.timezone}) on "
        f"{_days_text(rules.weekdays)}. Reminder: {reminder}. Public holidays: {region}. "
        f"Terms: {terms or 'none set, so every nudge day counts'}. "
        f"Closures: {closures or 'none'}. "
        f"New members: {'asked once they say start' if school.opt_in else 'asked from day one'}. "
        f"Guests: {'asked like staff' if school.guests else 'left out'}. " + SETTINGS_HELP
    )


def nudge_time_set(at: time) -> str:
    return f"Done: everyone will be asked at {_hm(at)} their time, unless they chose their own."


def nudge_days_set(days: frozenset[int]) -> str:
    return f"Done: the daily question goes out on {_days_text(days)}."


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
    return f"Added {name or 'a term'}: {_day(start)} to {_day(end)}."


def closure_added(reason: str, start: date, end: date) -> str:
    when = _day(start) if start == end else f"{_day(start)} to {_day(end)}"
    return f"Noted: closed {when} ({reason}). Nobody will be asked then."


def my_time_set(at: time) -> str:
    return f"Done: I'll ask you at {_hm(at)} your time on school days."


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
    return f"Imported {_plural(terms, 'term', 'terms')} and {_plural(closures, 'closure', 'closures')}."


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


# --- home (Slack's App Home tab) --------------------------------------------------------------

HOME_HEADING = "Your tiny steps"
HOME_RECENT = "Your latest steps:"
HOME_NOTHING_YET = (
    "Nothing logged yet. Reply to the daily question, or say `log` and a few words, any time."
)
HOME_QUESTION_HEADING = "Your daily question"
HOME_MY_TIME = "Prefer another time? Say `my time 16:00` (or `my time school` to go back)."
HOME_SCHOOL_HEADING = "This week at {school}"
HOME_ADMIN = "You look after Tiny Steps here: nudge time, days, terms, holidays and more."
FIELD_THIS_WEEK = "This week"
FIELD_TAKING_PART = "Taking part"
BUTTON_STOP = "Stop the daily question"
BUTTON_START = "Start the daily question"
BUTTON_RESUME = "Resume now"
BUTTON_SETTINGS = "School settings"


def home_asked(at: time, zone: str, days: frozenset[int]) -> str:
    return f"You're asked at {_hm(at)} ({zone}) on {_days_text(days)}, in term time."


def home_paused(until: date | None) -> str:
    return f"Paused until {_day(until)}. Enjoy the break." if until else "Paused."


HOME_OPTED_OUT = "You've opted out of the daily question. You can still `log` a step any time."
HOME_INVITED = "You haven't started the daily question yet. It's one tap, whenever you like."


def home_entry(day: date, text: str) -> str:
    return f"{_day(day)}: {text}"


def taking_part(people: int, everyone: int) -> str:
    return f"{people} of {everyone}"


def home_school_heading(school: str) -> str:
    return HOME_SCHOOL_HEADING.format(school=school)


# --- Teams: reaching a team ---------------------------------------------------------------------


def team_reached(reached: int, everyone: int) -> str:
    hello = (
        f"Hello, everyone! Tiny Steps is here: each of you ({reached} of {everyone}) will get one "
        "small question in a private chat each school day."
    )
    if reached == everyone:
        return hello
    return f"{hello} A few of you can't be reached yet; I've let your Tiny Steps admins know."


def team_missing(where: str, missing: list[str]) -> str:
    """For admins, privately: colleagues' names don't belong in a team channel."""
    names = ", ".join(missing[:10]) + (
        f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    )
    return (
        f"Tiny Steps was added to {where or 'a team'}, but I can't reach {len(missing)} "
        f"{'person' if len(missing) == 1 else 'people'} there yet ({names}): Tiny Steps isn't "
        "installed for them. They can add it from Apps, or you can install it for everyone in "
        "the Teams admin centre."
    )


# Teams has no "only visible to you" messages, so answers to channel commands go to a 1:1 chat.
ANSWERED_PRIVATELY = "I've answered you in our private chat, so only you can see it."
CANNOT_ANSWER_PRIVATELY = (
    "I answer that privately, but I can't open a private chat with you yet. Add Tiny Steps "
    "for yourself from Apps, then ask me there."
)
TEAMS_CARD_DONE = "Done. I've answered you in our chat."
TEAMS_NOT_SUPPORTED = (
    "Tiny Steps doesn't do that from here yet. Write to me in our chat, or say `help` to see "
    "what I can do."
)


# --- linking workspaces to schools (operators) -------------------------------------------------

WORKSPACE_NEEDED = "Give the Slack team id or Teams tenant id to link."


def workspace_taken(platform: str, workspace: str, school: str) -> str:
    return (
        f"The {platform} workspace {workspace} already belongs to {school}, so nothing was "
        "changed. Its people and their steps stay there."
    )


def workspace_linked(platform: str, workspace: str, school: str) -> str:
    return f"Done: people from the {platform} workspace {workspace} will join {school}."
