"""evidence: outcomes, themes, follow-ups

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["improvement.id"],
            name=op.f("fk_introduction_entry_id_improvement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["improvement.id"],
            name=op.f("fk_introduction_other_id_improvement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
        sa.UniqueConstraint("entry_id", "other_id", name=op.f("uq_introduction_entry_id_other_id")),
    )
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introduction_other_id"), ["other_id"], unique=False)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sharing", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_theme_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("school_id", "key", name=op.f("uq_theme_school_id_key")),
    )
    with op.batch_alter_table("improvement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("outcome_note", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("followups", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("theme", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("theme_by", sa.String(length=8), nullable=True))

    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("followup_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_nudge_followup_id_improvement"),
            "improvement",
            ["followup_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followup_days", sa.Integer(), server_default="10", nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("followup_days")

    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_nudge_followup_id_improvement"), type_="foreignkey")
        batch_op.drop_column("followup_id")

    with op.batch_alter_table("improvement", schema=None) as batch_op:
        batch_op.drop_column("theme_by")
        batch_op.drop_column("theme")
        batch_op.drop_column("followups")
        batch_op.drop_column("outcome_at")
        batch_op.drop_column("outcome_note")
        batch_op.drop_column("outcome")

    op.drop_table("theme")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("sharing")
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_other_id"))
    op.drop_table("introduction")
