"""Words for operators: linking workspaces to schools."""

from __future__ import annotations

# --- linking workspaces to schools (operators) -------------------------------------------------

WORKSPACE_NEEDED = "Give the Slack team id or Teams tenant id to link."


def workspace_taken(platform: str, workspace: str, school: str) -> str:
    return (
        f"The {platform} workspace {workspace} already belongs to {school}, so nothing was "
        "changed. Its people and their steps stay there."
    )


def workspace_linked(platform: str, workspace: str, school: str) -> str:
    return f"Done: people from the {platform} workspace {workspace} will join {school}."
