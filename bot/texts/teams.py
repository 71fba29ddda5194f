"""Words for what only Teams needs: reaching a team, answering privately."""

from __future__ import annotations

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


# --- Teams: files (charts and exports) ----------------------------------------------------------


def download_button(filename: str) -> str:
    return f"Download {filename}"


def file_not_attached(filename: str) -> str:
    """Teams cards can't carry a file, and without a public address there is no link to give."""
    return (
        f"I can't attach {filename} in Teams yet. Your Tiny Steps admin can get you the same "
        "data with `tinysteps export`."
    )
