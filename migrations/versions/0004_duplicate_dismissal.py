"""Likely duplicates judged to be two people (不是同一人): the ``duplicate_dismissal`` table.

One row per pair and reason a coordinator has checked and dismissed in 疑似重复登记排查, so the village-wide check
stops showing it. A new table only (no existing table is rebuilt); its indexes are created in batch mode like every
other change to the SQLite file.

Revision ID: 0004_duplicate_dismissal
Revises: 0003_county_resident
Create Date: 2026-12-04 14:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_duplicate_dismissal"
down_revision: str | Sequence[str] | None = "0003_county_resident"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``duplicate_dismissal`` with its foreign keys, the unique pair-and-reason and three indexes."""
    op.create_table(
        "duplicate_dismissal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column("first_person_id", sa.String(length=36), nullable=False),
        sa.Column("second_person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_person_id"], ["person.id"], name=op.f("fk_duplicate_dismissal_first_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["second_person_id"], ["person.id"], name=op.f("fk_duplicate_dismissal_second_person_id_person")
        ),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_duplicate_dismissal_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_dismissal")),
        sa.UniqueConstraint(
            "first_person_id",
            "second_person_id",
            "kind",
            name=op.f("uq_duplicate_dismissal_first_person_id_second_person_id_kind"),
        ),
    )
    with op.batch_alter_table("duplicate_dismissal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_dismissal_first_person_id"), ["first_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_dismissal_second_person_id"), ["second_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_dismissal_village_id"), ["village_id"], unique=False)


def downgrade() -> None:
    """Drop ``duplicate_dismissal`` (the dismissed pairs are flagged again)."""
    with op.batch_alter_table("duplicate_dismissal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_dismissal_village_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_dismissal_second_person_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_dismissal_first_person_id"))
    op.drop_table("duplicate_dismissal")
