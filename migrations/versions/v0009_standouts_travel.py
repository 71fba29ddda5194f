"""standouts travel: sharing, consent, posts and adoptions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 02:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("taken_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["improvement_id"],
            ["improvement.id"],
            name=op.f("fk_adoption_improvement_id_improvement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_adoption_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taken_id"],
            ["improvement.id"],
            name=op.f("fk_adoption_taken_id_improvement"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption")),
        sa.UniqueConstraint(
            "improvement_id", "person_id", name=op.f("uq_adoption_improvement_id_person_id")
        ),
    )
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adoption_person_id"), ["person_id"], unique=False)

    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("improvement_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("workspace_id", sa.String(length=255), nullable=False),
        sa.Column("channel_id", sa.String(length=255), nullable=False),
        sa.Column("channel_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["improvement_id"],
            ["improvement.id"],
            name=op.f("fk_post_improvement_id_improvement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_post_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint(
            "improvement_id",
            "platform",
            "workspace_id",
            "channel_id",
            name=op.f("uq_post_improvement_id_platform_workspace_id_channel_id"),
        ),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_improvement_id"), ["improvement_id"], unique=False
        )
        batch_op.create_index(
            "ix_post_message", ["platform", "workspace_id", "message_id"], unique=False
        )

    # Earlier reposts become posts, so nothing already shared is forgotten; their standouts
    # were marked "given" without asking anyone, which the author never said: silence is no.
    op.execute(
        "INSERT INTO post (improvement_id, school_id, kind, platform, workspace_id, channel_id,"
        " channel_name, message_id, created_at, posted_at)"
        " SELECT s.improvement_id, i.school_id, 'repost', r.platform, r.workspace_id,"
        " r.channel_id, '', r.message_id, coalesce(r.posted_at, s.created_at), r.posted_at"
        " FROM repost r JOIN standout s ON s.id = r.standout_id"
        " JOIN improvement i ON i.id = s.improvement_id"
    )
    op.execute("UPDATE standout SET consent = 'expired' WHERE consent = 'given'")
    op.drop_table("repost")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("post_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("channel_ref", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("standout_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_delivery_standout_id_kind"), ["standout_id", "kind"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_standout_id_standout"),
            "standout",
            ["standout_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_delivery_channel_ref_kind_local_date"),
            ["channel_ref", "kind", "local_date"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_delivery_post_id_kind"), ["post_id", "kind"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_channel_ref_channel"),
            "channel",
            ["channel_ref"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_delivery_post_id_post"), "post", ["post_id"], ["id"], ondelete="CASCADE"
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sharing", sa.String(length=8), server_default="ask", nullable=False)
        )

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_mode", sa.String(length=8), server_default="ask", nullable=False)
        )
        batch_op.add_column(
            sa.Column("standout_votes", sa.Integer(), server_default="3", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "standout_departments", sa.String(length=1000), server_default="all", nullable=False
            )
        )

    with op.batch_alter_table("standout", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("standout", schema=None) as batch_op:
        batch_op.drop_column("answered_at")
        batch_op.drop_column("answer_by")

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("standout_departments")
        batch_op.drop_column("standout_votes")
        batch_op.drop_column("share_mode")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("sharing")

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_delivery_post_id_post"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_delivery_channel_ref_channel"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_delivery_post_id_kind"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("uq_delivery_channel_ref_kind_local_date"), type_="unique"
        )
        batch_op.drop_constraint(batch_op.f("fk_delivery_standout_id_standout"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_delivery_standout_id_kind"), type_="unique")
        batch_op.drop_column("standout_id")
        batch_op.drop_column("channel_ref")
        batch_op.drop_column("post_id")

    op.create_table(
        "repost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standout_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("workspace_id", sa.String(length=255), nullable=False),
        sa.Column("channel_id", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["standout_id"],
            ["standout.id"],
            name=op.f("fk_repost_standout_id_standout"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repost")),
        sa.UniqueConstraint(
            "standout_id",
            "platform",
            "workspace_id",
            "channel_id",
            name=op.f("uq_repost_standout_id_platform_workspace_id_channel_id"),
        ),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_message")
        batch_op.drop_index(batch_op.f("ix_post_improvement_id"))

    op.drop_table("post")
    with op.batch_alter_table("adoption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adoption_person_id"))

    op.drop_table("adoption")
