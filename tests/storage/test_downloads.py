"""Files behind download links, on SQLite and PostgreSQL: served until they expire, then gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ports import NewPerson, Role
from storage.store import SqlStore

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = AT + timedelta(hours=24)
CSV = b"id,text\r\n7,Tidied\r\n"


async def keep(
    store: SqlStore, token: str, *, until: datetime, person_id: int | None = None
) -> None:
    async with store.transaction() as tx:
        await tx.downloads.put(token, person_id, "export.csv", "text/csv", CSV, until)


async def fetch(store: SqlStore, token: str, now: datetime) -> tuple[str, str, bytes] | None:
    async with store.transaction() as tx:
        return await tx.downloads.get(token, now)


async def test_a_file_is_served_under_its_token_until_it_expires(store: SqlStore) -> None:
    await keep(store, "tok-1", until=LATER)

    assert await fetch(store, "tok-1", LATER - timedelta(seconds=1)) == (
        "export.csv",
        "text/csv",
        CSV,
    )


async def test_an_unknown_token_finds_nothing(store: SqlStore) -> None:
    await keep(store, "tok-1", until=LATER)

    assert await fetch(store, "tok-2", AT) is None


async def test_an_expired_file_is_not_served_and_is_deleted(store: SqlStore) -> None:
    await keep(store, "tok-1", until=LATER)

    assert await fetch(store, "tok-1", LATER) is None
    assert await fetch(store, "tok-1", AT) is None  # gone, not merely hidden


async def test_purging_deletes_only_expired_files(store: SqlStore) -> None:
    await keep(store, "old", until=AT)
    await keep(store, "new", until=LATER)

    async with store.transaction() as tx:
        assert await tx.downloads.purge(AT) == 1

    assert await fetch(store, "new", AT) is not None
    assert await fetch(store, "old", AT - timedelta(hours=1)) is None


async def test_a_persons_files_go_when_they_are_forgotten(store: SqlStore) -> None:
    async with store.transaction() as tx:
        school = await tx.schools.create("Hill Top", timezone="Europe/London")
        person = await tx.people.create(
            NewPerson(school.id, "teams", "t1", "priya", "Priya", None, Role.LEADER), at=AT
        )
    await keep(store, "tok-1", until=LATER, person_id=person.id)

    async with store.transaction() as tx:
        await tx.people.delete(person.id)

    assert await fetch(store, "tok-1", AT) is None
