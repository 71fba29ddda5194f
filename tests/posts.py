"""A posted entry, as the outbox leaves it once a channel accepted it: for tests of what
happens to posts (votes, spotlights) without sending one first."""

from __future__ import annotations

from datetime import datetime

from bot.ports import Channel, ChannelKind, Improvement, Post, PostKind, Transaction


async def posted(
    tx: Transaction,
    entry: Improvement,
    *,
    platform: str,
    workspace_id: str,
    channel_id: str,
    message_id: str,
    at: datetime,
    kind: PostKind = PostKind.SHARE,
) -> Post:
    channel = Channel(entry.school_id, platform, workspace_id, channel_id, ChannelKind.DEPARTMENT)
    post = await tx.posts.add(entry.id, kind, channel, at=at)
    assert post is not None
    await tx.posts.posted(post.id, message_id, at=at)
    return post
