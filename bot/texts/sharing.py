"""Words for sharing: with a department, standouts and consent, reposts, and "I'll try this"."""

from __future__ import annotations

from bot.texts.format import plural

BUTTON_SHARE = "Share with my department"
BUTTON_UNSHARE = "Take it back"
BUTTON_HELPED = "This helped me too"
BUTTON_TRY = "I'll try this"
BUTTON_SPOTLIGHT = "Spotlight"
BUTTON_CONSENT_NAMED = "Share with my name"
BUTTON_CONSENT_ANONYMOUS = "Share without my name"
BUTTON_CONSENT_DECLINED = "Not this one"
BUTTON_TOOK_YES = "Yes, it was"
BUTTON_TOOK_NO = "No"

A_COLLEAGUE = "a colleague"
NO_DEPARTMENT = "no department"
WITHDRAWN_POST = "This step was withdrawn by its author."
SEE_THE_ORIGINAL = "See where it was first shared"

SHARE_NOT_OFFERED = (
    "Your school has sharing turned off, so your steps stay with you and your leaders."
)
SHARE_NEEDS_DEPARTMENT = (
    "To share with your department, first say which one you're in: `my department Maths`."
)
NOTHING_TO_SHARE = "There's nothing of yours to share yet. Log a step first, then `share`."
NOT_YOUR_ENTRY = "Only the person who wrote a step can share it or take it back."
ENTRY_NOT_FOUND = "I can't find that step. Steps that were undone can't be shared."
NOTHING_SHARED = "That step isn't shared anywhere, so there's nothing to take back."
SHARE_USAGE = "Say `share` for your last step, or `share 123` for another (the number is its ID)."
UNSHARE_USAGE = "Say `unshare` for your last step, or `unshare 123` for another."
SPOTLIGHT_USAGE = (
    "Say `spotlight 123`: the number is the step's ID, shown in summaries and exports."
)
SPOTLIGHT_NOT_YOURS_TO_SEE = "That step is outside what you lead, so you can't spotlight it."
SPOTLIGHT_OWN = "You can't spotlight your own step, but a colleague can."
SPOTLIGHT_DECLINED = "Its author chose to keep that one in their department, so it stays there."
SPOTLIGHT_ALREADY_ASKED = "Its author has already been asked and hasn't answered yet."
SPOTLIGHT_ALREADY_TRAVELLING = "That step is already a standout and on its way."
SPOTLIGHT_NOT_A_STEP = "That message isn't a shared step, so there's nothing to spotlight."
NOT_YOUR_QUESTION = "That question was for the step's author."
CONSENT_DECLINED = "Understood: it stays with your department. Thank you for sharing it there."
VOTED = "Thanks, noted. Your vote helps good ideas travel."
VOTE_OWN = "That's your own step, so your vote doesn't count, but we're glad it helped."
TRY_OWN = "That's your own idea already!"
TOOK_NO = "No problem. Happy trying!"
TOOK_ALREADY = "That's already linked. Thank you!"
SHARING_HELP = "Say `my sharing always`, `my sharing ask` or `my sharing never`."
SHARE_SETTING_HELP = (
    "Say `config share ask` (staff are offered “Share with my department” after logging) or "
    "`config share never`."
)
STANDOUT_SETTING_HELP = (
    "Say `config standout votes 3` (votes that make a shared step a standout), or "
    "`config standout departments all`, `none` or `Maths, Science` (which other departments' "
    "channels get your school's standouts)."
)
FAILED_POSTS_HEADING = "Some posts couldn't be delivered"
FAILED_POSTS_HELP = (
    "Tiny Steps may have been removed from those channels, or they were archived. Invite it back "
    "(`/invite @Tiny Steps` in Slack, add the app to the team in Teams), or give the channel "
    "another purpose with `config channel …` said in it."
)
BEST_OF_HEADING = "This week's standouts"


def shared_post(author: str, department: str) -> str:
    return f"{author} ({department}) shared a small step:"


def repost(author: str, department: str, school: str) -> str:
    return f"A standout from {author}, {department}, {school}:"


def shared(channels: list[str]) -> str:
    where = ", ".join(channels) if channels else "your department's channel"
    return f"Shared with {where}. `unshare` takes it back at any time."


def shared_automatically(channels: list[str]) -> str:
    return shared(channels) + " (You share every step: `my sharing ask` to choose each time.)"


def no_department_channel(department: str) -> str:
    return (
        f"{department} has no channel for sharing yet. An admin can say "
        f"`config channel department {department}` in the channel you use."
    )


def unshared(posts: int) -> str:
    return (
        f"Taken back: {plural(posts, 'post', 'posts')} will say it was withdrawn by its author."
        if posts
        else "Taken back: it won't be posted anywhere."
    )


def consent_reason_votes(votes: int) -> str:
    return f"{plural(votes, 'colleague', 'colleagues')} found this step of yours helpful:"


def consent_reason_spotlight(leader: str) -> str:
    return f"{leader} picked this step of yours as a standout:"


CONSENT_QUESTION = (
    "May it travel to other departments and schools? You decide whether your name goes with it, "
    "and you can take it back at any time with `unshare`. No answer within five school days "
    "means no."
)


def consent_given(named: bool, targets: int) -> str:
    how = "with your name" if named else "without your name"
    where = (
        f"to {plural(targets, 'channel', 'channels')}"
        if targets
        else "once showcase channels are set up"
    )
    return f"Thank you! It will travel {how}, {where}. `unshare` takes it back at any time."


def spotlit(author: str) -> str:
    return f"Spotlighted. I've asked {author} whether it may travel beyond their department."


def tried(idea: str) -> str:
    return (
        f"Noted: you'd like to try “{idea}”. When you next log a step, I'll ask whether it "
        "was your take on it."
    )


TRY_ALREADY = "You've already said you'll try this one. Good luck!"


def was_it_your_take(idea: str) -> str:
    return f"Was this your take on “{idea}”?"


TOOK_YES = "Linked. That's how good practice spreads: thank you!"


def sharing_set(choice: str) -> str:
    return {
        "always": "Every step you log will be shared with your department.",
        "ask": "After each step I'll offer to share it with your department.",
        "never": "Your steps won't be offered for sharing. They stay with you and your leaders.",
    }[choice]


def share_mode_set(mode: str) -> str:
    if mode == "never":
        return "Sharing is off: staff won't be offered “Share with my department”."
    return "Staff will be offered “Share with my department” after logging."


def standout_votes_set(votes: int) -> str:
    return (
        f"A shared step becomes a standout with {plural(votes, 'vote', 'votes')} from colleagues."
    )


def standout_departments_set(names: list[str] | None) -> str:
    if names is None:
        return "Standouts will go to every other department's channel too."
    if not names:
        return "Standouts will go to showcase channels only, not other departments."
    return f"Standouts will also go to: {', '.join(names)}."


def failed_post_line(channel: str, error: str) -> str:
    return f"{channel}: {error}"


def spread_line(targets: int, spread_adopters: int, departments: int, schools: int) -> str:
    travelled = f"shared to {plural(targets, 'channel', 'channels')}"
    if not spread_adopters:
        return travelled
    return (
        f"{travelled}; {plural(spread_adopters, 'person', 'people')} in {plural(departments, 'department', 'departments')}"
        f" across {plural(schools, 'school', 'schools')} said they'd try it"
    )


def tried_by(tried_count: int) -> str:
    return f"tried by {plural(tried_count, 'person', 'people')}"
