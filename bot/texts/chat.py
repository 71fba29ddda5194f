"""Words for staff in chat: welcome, the question, logging, skipping, pausing, forgetting, home."""

from __future__ import annotations

from datetime import date, time

from bot.texts.evidence_report import EVIDENCE_HELP_LINE
from bot.texts.format import MAX_ENTRY_CHARS, day_name, days_text, hm, plural

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
    "`my department Maths` to say which department you're in",
    "`share` to share your last step with your department, `unshare` to take it back, "
    "`my sharing always|ask|never` to choose once",
    "`export me` for a copy of everything Tiny Steps keeps about you",
    "`forget me` to delete everything you've logged",
)
# Added for leaders and admins.
LEADER_HELP_ITEMS = (
    "`summary` (or `summary last month`, `summary this term department Maths`) to see how it's going",
    "`export this term` for the entries as a spreadsheet",
    "`spotlight 123` to pick a step you can see as a standout (its author is asked first)",
    EVIDENCE_HELP_LINE,
)
# Added for admins, after the items everyone has.
ADMIN_HELP_ITEMS = (
    "`config` to see and change the school's settings: nudge time and days, reminder, "
    "holidays, time zone, terms and closures, who joins, departments",
    "`config role @Sam leader` (or `leader Maths`, `admin`, `staff`) and "
    "`config person @Sam department Maths` to place people",
    "`config channel showcase` (said in that channel), `config channels`, "
    "`config digest weekly here`, `config retention 3 years`, `config audit`",
    "`config share ask|never`, `config standout votes 3`, "
    "`config standout departments all|none|Maths, Science`",
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
        f"You've already logged a step for {day_name(day)}. Thank you! "
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
        f"Enjoy the break. I'll pause your daily question until {day_name(until)}. "
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
    return plural(streak, "school day", "school days")


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
    return f"You're asked at {hm(at)} ({zone}) on {days_text(days)}, in term time."


def home_paused(until: date | None) -> str:
    return f"Paused until {day_name(until)}. Enjoy the break." if until else "Paused."


HOME_OPTED_OUT = "You've opted out of the daily question. You can still `log` a step any time."
HOME_INVITED = "You haven't started the daily question yet. It's one tap, whenever you like."


def home_entry(day: date, text: str) -> str:
    return f"{day_name(day)}: {text}"


def taking_part(people: int, everyone: int) -> str:
    return f"{people} of {everyone}"


def home_school_heading(school: str) -> str:
    return HOME_SCHOOL_HEADING.format(school=school)


def my_department_set(name: str) -> str:
    return f"Done: you're in {name}. Your steps are counted there from now on."


MY_DEPARTMENT_NONE = "Done: you're not in a department now."
