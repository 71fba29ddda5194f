"""Teams conversation references on SQLite and PostgreSQL: personal chats, channels, rosters."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.store import SqlStore

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PRIYA_CHAT = {"conversation": {"id": "a:1", "tenantId": "t1"}, "serviceUrl": "https://x/"}


async def test_a_personal_chat_is_found_by_its_person(store: SqlStore) -> None:
    async with store.transaction() as tx:
        await tx.teams_conversations.remember(
            tenant_id="t1",
            conversation_id="a:1",
            scope="personal",
            reference=PRIYA_CHAT,
            at=AT,
            user_id="priya",
        )

    async with store.transaction() as tx:
        assert (await tx.teams_conversations.personal_all("t1")).get("priya") == PRIYA_CHAT
        assert await tx.teams_conversations.personal_all("t1") == {"priya": PRIYA_CHAT}


async def test_a_roster_entry_is_not_a_personal_chat(store: SqlStore) -> None:
    entry = {"user": {"id": "29:ana"}, "bot": {"id": "28:bot"}, "serviceUrl": "https://x/"}
    async with store.transaction() as tx:
        await tx.teams_conversations.remember_roster("t1", {"ana": entry}, at=AT)

    async with store.transaction() as tx:
        assert await tx.teams_conversations.roster_entry("t1", "ana") == entry
        assert (await tx.teams_conversations.personal_all("t1")).get("ana") is None
        assert await tx.teams_conversations.personal_all("t1") == {}


async def test_remembering_a_roster_again_keeps_one_entry_each(store: SqlStore) -> None:
    first = {"user": {"id": "29:ana"}, "serviceUrl": "https://old/"}
    moved = {"user": {"id": "29:ana"}, "serviceUrl": "https://new/"}
    async with store.transaction() as tx:
        await tx.teams_conversations.remember_roster("t1", {"ana": first}, at=AT)
        await tx.teams_conversations.remember_roster("t1", {"ana": moved}, at=AT)

    async with store.transaction() as tx:
        assert await tx.teams_conversations.roster_entry("t1", "ana") == moved
