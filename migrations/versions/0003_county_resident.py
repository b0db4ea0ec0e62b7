"""The county roster of the village (县级花名册): the ``county_resident`` table.

Residents of this village as the county knows them, filled by the ``roster`` pull (``sync/apply.py``) and used for
"known to the county" duplicate checks. A new table only (no existing table is rebuilt); its index is created in
batch mode like every other change to the SQLite file.

Revision ID: 0003_county_resident
Revises: 0002_announcements
Create Date: 2026-11-22 03:26:30.600555+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_county_resident"
down_revision: str | Sequence[str] | None = "0002_announcements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``county_resident`` and its index on ``id_number``."""
    op.create_table(
        "county_resident",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_county_resident")),
    )
    with op.batch_alter_table("county_resident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_county_resident_id_number"), ["id_number"], unique=False)


def downgrade() -> None:
    """Drop ``county_resident``."""
    with op.batch_alter_table("county_resident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_county_resident_id_number"))

    op.drop_table("county_resident")
