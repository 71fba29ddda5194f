"""nudges by school and day: the scheduler's tick and the summary's streaks read them so

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 01:00:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.create_index("ix_nudge_school_day", ["school_id", "local_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_nudge_school_day")
