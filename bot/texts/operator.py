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


# --- trusts (organisations) ----------------------------------------------------------------------

ORG_NAME_NEEDED = "Give the trust a name of up to 200 characters."
ORG_ROLE_HELP = "A trust role is `leader`, `admin`, or `none` to take it away."
NO_SUCH_PERSON = "There is no person with that number. `tinysteps people --school N` lists them."


def org_exists(name: str) -> str:
    return f"There is already a trust called {name}."


def unknown_org(name: str) -> str:
    return f'There is no trust called {name}. Create it first: tinysteps org create "{name}".'


def org_created(name: str, number: int) -> str:
    return f"Created the trust {name} (number {number})."


def org_school_added(school: str, org: str) -> str:
    return f"{school} is now part of {org}."


def org_person_outside(person: str, org: str) -> str:
    return f"{person} works at a school outside {org}. Add their school to the trust first."


def org_role_set(person: str, org: str, role: str | None) -> str:
    if role is None:
        return f"{person} no longer has a role across {org}."
    return f"{person} is now a {role} across {org}: they can see every school of the trust."
