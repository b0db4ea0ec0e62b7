"""Relations still to check after a change of head (与户主关系待核对): the ``relation_check`` table.

One row per household member whose 与户主关系 is still stated against an earlier head, written by 设为户主 and
deleted when the relation is confirmed or changed, or the member leaves the household. A new table only (no
existing table is rebuilt); the suggested relation is a coded value stored as text, like every coded column.

Revision ID: 0005_relation_check
Revises: 0004_duplicate_dismissal
Create Date: 2026-12-04 16:09:45+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_relation_check"
down_revision: str | Sequence[str] | None = "0004_duplicate_dismissal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``relation_check`` keyed by the person, with its two foreign keys to ``person``."""
    op.create_table(
        "relation_check",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("old_head_person_id", sa.String(length=36), nullable=True),
        sa.Column("suggested_relation", sa.String(length=24), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["old_head_person_id"], ["person.id"], name=op.f("fk_relation_check_old_head_person_id_person")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_relation_check_person_id_person")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_relation_check")),
    )


def downgrade() -> None:
    """Drop ``relation_check`` (the members are no longer marked 待核对; their relations stay as they are)."""
    op.drop_table("relation_check")
