"""guests: a school setting, and who is a workspace guest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guests", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("guest")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("guests")
