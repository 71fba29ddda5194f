"""Teams conversation references: where a proactive message to someone can be sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TeamsConversationRow

PERSONAL = "personal"
ROSTER = "roster"
MEMBER = "member"  # a person's membership of one team or group chat that has Tiny Steps


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
        row.user_id = user_id if scope in (PERSONAL, ROSTER, MEMBER) else None
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

    async def join(
        self, tenant_id: str, group: str, user_ids: Iterable[str], *, at: datetime
    ) -> None:
        """These people are in this team or group chat (`group`), where Tiny Steps is."""
        for user_id in user_ids:
            await self.remember(
                tenant_id=tenant_id,
                conversation_id=_membership(group, user_id),
                scope=MEMBER,
                reference={"group": group},
                at=at,
                user_id=user_id,
            )

    async def leave(self, tenant_id: str, group: str, user_ids: Iterable[str]) -> list[str]:
        """These people left `group`; those now in no team or group chat with Tiny Steps."""
        users = list(user_ids)
        await self._session.execute(
            delete(TeamsConversationRow).where(
                TeamsConversationRow.tenant_id == tenant_id,
                TeamsConversationRow.conversation_id.in_([_membership(group, u) for u in users]),
            )
        )
        return await self._without_membership(tenant_id, users)

    async def disband(self, tenant_id: str, group: str) -> list[str]:
        """Tiny Steps left `group`: its memberships and its reference go; who is in none now."""
        members = list(
            await self._session.scalars(
                select(TeamsConversationRow.user_id).where(
                    TeamsConversationRow.tenant_id == tenant_id,
                    TeamsConversationRow.scope == MEMBER,
                    TeamsConversationRow.conversation_id.startswith(
                        f"{MEMBER}:{group}:", autoescape=True
                    ),
                )
            )
        )
        await self._session.execute(
            delete(TeamsConversationRow).where(
                TeamsConversationRow.tenant_id == tenant_id,
                (TeamsConversationRow.conversation_id == group)
                | TeamsConversationRow.conversation_id.startswith(
                    f"{MEMBER}:{group}:", autoescape=True
                ),
            )
        )
        return await self._without_membership(tenant_id, [u for u in members if u])

    async def _without_membership(self, tenant_id: str, user_ids: list[str]) -> list[str]:
        if not user_ids:
            return []
        still = set(
            await self._session.scalars(
                select(TeamsConversationRow.user_id).where(
                    TeamsConversationRow.tenant_id == tenant_id,
                    TeamsConversationRow.scope == MEMBER,
                    TeamsConversationRow.user_id.in_(user_ids),
                )
            )
        )
        return [u for u in user_ids if u not in still]

    async def roster_entry(self, tenant_id: str, user_id: str) -> dict[str, Any] | None:
        """How to open a chat with a team member who has none yet (see `remember_roster`)."""
        return await self.conversation(tenant_id, f"{ROSTER}:{user_id}")

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


def _membership(group: str, user_id: str) -> str:
    return f"{MEMBER}:{group}:{user_id}"
