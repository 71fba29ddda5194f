"""Teams conversation references: where a proactive message to someone can be sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TeamsConversationRow

PERSONAL = "personal"
ROSTER = "roster"


class SqlTeamsConversations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def remember(
        self,
        *,
        tenant_id: str,
        conversation_id: str,
        scope: str,
        reference: dict[str, Any],
        at: datetime,
        user_id: str | None = None,
    ) -> None:
        """Keep the newest reference for a conversation (service URLs can move)."""
        row = await self._session.scalar(
            select(TeamsConversationRow).where(
                TeamsConversationRow.tenant_id == tenant_id,
                TeamsConversationRow.conversation_id == conversation_id,
            )
        )
        if row is None:
            row = TeamsConversationRow(tenant_id=tenant_id, conversation_id=conversation_id)
            self._session.add(row)
        row.scope, row.reference, row.updated_at = scope, reference, at
        row.user_id = user_id if scope in (PERSONAL, ROSTER) else None
        await self._session.flush()

    async def remember_roster(
        self, tenant_id: str, members: dict[str, dict[str, Any]], *, at: datetime
    ) -> None:
        """Team members by user id, each with what opening their 1:1 chat needs."""
        for user_id, entry in members.items():
            await self.remember(
                tenant_id=tenant_id,
                conversation_id=f"{ROSTER}:{user_id}",
                scope=ROSTER,
                reference=entry,
                at=at,
                user_id=user_id,
            )

    async def roster_entry(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        """How to open a chat with a team member who has none yet (see `remember_roster`)."""
        return await self.conversation(tenant_id, f"{ROSTER}:{user_id}")

    async def personal(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        """The person's 1:1 chat with the bot, if Tiny Steps is installed for them."""
        reference: dict[str, Any] | None = await self._session.scalar(
            select(TeamsConversationRow.reference)
            .where(
                TeamsConversationRow.tenant_id == tenant_id,
                TeamsConversationRow.user_id == user_id,
                TeamsConversationRow.scope == PERSONAL,
            )
            .order_by(TeamsConversationRow.updated_at.desc())
            .limit(1)
        )
        return reference

    async def personal_all(self, tenant_id: str) -> dict[str, dict[str, Any]]:
        """Every personal chat in a tenant, by user id (one query for a whole fan-out)."""
        rows = await self._session.execute(
            select(TeamsConversationRow.user_id, TeamsConversationRow.reference)
            .where(
                TeamsConversationRow.tenant_id == tenant_id,
                TeamsConversationRow.scope == PERSONAL,
            )
            .order_by(TeamsConversationRow.updated_at)
        )
        return {str(user): reference for user, reference in rows if user}

    async def conversation(self, tenant_id: str, conversation_id: str) -> dict[str, Any] | None:
        reference: dict[str, Any] | None = await self._session.scalar(
            select(TeamsConversationRow.reference).where(
                TeamsConversationRow.tenant_id == tenant_id,
                TeamsConversationRow.conversation_id == conversation_id,
            )
        )
        return reference
