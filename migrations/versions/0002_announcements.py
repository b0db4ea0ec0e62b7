"""Printed announcements (通知/宣传单打印记录): the ``announcement`` table.

One row per announcement printed or saved as PDF (缴费通知, 认证通知, 致城乡居民的一封信/政策问答, 会议通知): the
exact printed text in ``content`` (JSON), the template and policy pack it was filled from, and the date, so
the village can show what it posted and when. A new table only, so no existing table is rebuilt; the indexes
are created in batch mode like every other change to the SQLite file.

Revision ID: 0002_announcements
Revises: 0001_baseline
Create Date: 2026-11-22 02:30:42.693343+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_announcements"
down_revision: str | Sequence[str] | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``announcement`` with its foreign key to ``village`` and its two indexes."""
    op.create_table(
        "announcement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("layout", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("printed_on", sa.Date(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("template_name", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("policy_pack_id", sa.String(length=64), nullable=False),
        sa.Column("policy_pack_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_announcement_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index("ix_announcement_printed_on", ["printed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_announcement_village_id"), ["village_id"], unique=False)


def downgrade() -> None:
    """Drop ``announcement`` and its indexes (for the round-trip test; printed records go with it)."""
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_village_id"))
        batch_op.drop_index("ix_announcement_printed_on")
    op.drop_table("announcement")
