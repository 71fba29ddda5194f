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


# --- importing past records (`tinysteps import entries`) --------------------------------------

ENTRIES_IMPORT_EMPTY = "That file has a header but no entries, so nothing was imported."
IMPORT_FUTURE_DATE = "the date is in the future"
IMPORT_NO_PERSON = "the person's name is missing"
IMPORT_DEPARTMENT_TOO_LONG = "the department's name is longer than 80 characters"


def import_columns_missing(missing: list[str]) -> str:
    return (
        f"The file needs the columns date, person, department, text (a header row); "
        f"missing: {', '.join(missing)}. Nothing was imported."
    )


def entries_import_too_many(limit: int) -> str:
    return f"That file has more than {limit:,} entries; split it into smaller files."


def import_bad_date(text: str) -> str:
    return f"“{text}” isn't a date (use 2025-09-08 or 08/09/2025)"


def import_line(number: int, problem: str) -> str:
    return f"line {number}: {problem}"


def import_refused(problems: list[str], more: int) -> str:
    rest = f"\n…and {more} more." if more else ""
    return "Nothing was imported. Please fix these lines:\n" + "\n".join(problems) + rest


def imported(entries: int, people: int, departments: int) -> str:
    return (
        f"Imported {entries:,} entries; {people:,} new people and {departments:,} new departments."
    )


def school_added(school_id: int, name: str, timezone: str) -> str:
    return f"Added school {school_id}: {name} ({timezone})."


ORG_SHARING_HELP = "Say `tinysteps org sharing NAME on` or `off`."


def org_sharing_set(name: str, on: bool) -> str:
    if on:
        return (
            f"{name}: “who else is trying this” now looks across the trust's schools, at steps "
            "their authors let travel."
        )
    return f"{name}: “who else is trying this” stays within each school."
