"""Baseline: the village database as first shipped (初始结构).

Every table of ``pensiondesk.store.models`` at the first release, generated with ``alembic revision
--autogenerate`` and reviewed by hand:

* every constraint and index carries the name the models' naming convention gives it (SQLite batch migrations
  find constraints by name when they rebuild a table);
* coded values (``domain.codes``) are plain ``VARCHAR`` columns without CHECK constraints, as ``models.coded``
  declares them, so a new code is a data change and the value lists are not frozen into this file;
* household.head_person_id → person.id is created inside ``household``'s CREATE TABLE (see the comment there).

The downgrade drops everything; it exists for the round-trip test, never for a coordinator's database.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-22 02:15:33.234141+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table, index and constraint of the first release."""
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_entry_id")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "county",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county")),
        sa.UniqueConstraint("code", name=op.f("uq_county_code")),
    )
    op.create_table(
        "day_close",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("collector", sa.String(length=64), nullable=False),
        sa.Column("receipt_count", sa.Integer(), nullable=False),
        sa.Column("void_count", sa.Integer(), nullable=False),
        sa.Column("receipts_total_fen", sa.Integer(), nullable=False),
        sa.Column("cash_handed_fen", sa.Integer(), nullable=False),
        sa.Column("difference_note", sa.String(length=500), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_close")),
        sa.UniqueConstraint("day", "collector", name=op.f("uq_day_close_day_collector")),
    )
    op.create_table(
        "policy_pack",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_pack")),
        sa.UniqueConstraint("pack_id", "version", name=op.f("uq_policy_pack_pack_id_version")),
    )
    op.create_table(
        "receipt_book",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("series", sa.String(length=32), nullable=False),
        sa.Column("start_no", sa.Integer(), nullable=False),
        sa.Column("end_no", sa.Integer(), nullable=False),
        sa.Column("collector", sa.String(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("next_no", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("from_county", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("end_no >= start_no", name=op.f("ck_receipt_book_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_book")),
        sa.UniqueConstraint("series", "start_no", name=op.f("uq_receipt_book_series_start_no")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result_code", sa.String(length=32), nullable=True),
        sa.Column("result_message", sa.String(length=500), nullable=True),
        sa.Column("server_received_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("id", name=op.f("uq_sync_outbox_id")),
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_outbox_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_sync_outbox_state_seq", ["state", "seq"], unique=False)

    op.create_table(
        "township",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("county_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["county_id"], ["county.id"], name=op.f("fk_township_county_id_county")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_township")),
        sa.UniqueConstraint("code", name=op.f("uq_township_code")),
    )
    op.create_table(
        "village",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_id"], ["township.id"], name=op.f("fk_village_township_id_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village")),
        sa.UniqueConstraint("code", name=op.f("uq_village_code")),
    )
    op.create_table(
        "public_notice",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=64), nullable=False),
        sa.Column("group_ids", sa.JSON(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_public_notice_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_notice")),
    )
    with op.batch_alter_table("public_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_notice_village_id"), ["village_id"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("device_token", sa.String(length=200), nullable=True),
        sa.Column("village_id", sa.String(length=36), nullable=True),
        sa.Column("pull_cursor", sa.Integer(), nullable=False),
        sa.Column("server_epoch", sa.String(length=64), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=500), nullable=True),
        sa.Column("clock_skew_seconds", sa.Integer(), nullable=True),
        sa.Column("batch_file_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_sync_state_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "villager_group",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_villager_group_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_villager_group")),
        sa.UniqueConstraint("village_id", "name", name=op.f("uq_villager_group_village_id_name")),
    )
    with op.batch_alter_table("villager_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_villager_group_village_id"), ["village_id"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("head_person_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["villager_group.id"], name=op.f("fk_household_group_id_villager_group")
        ),
        # household ↔ person is a cycle (a person's household, a household's head). The models mark this
        # side use_alter for databases that add it later with ALTER TABLE; SQLite cannot, and need not: it
        # checks a foreign key only when rows are written, so it may name "person" before that table exists.
        sa.ForeignKeyConstraint(
            ["head_person_id"], ["person.id"], name=op.f("fk_household_head_person_id_person")
        ),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_household_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_village_id"), ["village_id"], unique=False)

    op.create_table(
        "notice_objection",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_by", sa.String(length=64), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["public_notice.id"], name=op.f("fk_notice_objection_notice_id_public_notice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_objection")),
    )
    with op.batch_alter_table("notice_objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_objection_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.String(length=36), nullable=True),
        sa.Column("household_id", sa.String(length=36), nullable=True),
        sa.Column(
            "relation",
            sa.String(length=24),
            nullable=True,
        ),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("name_initials", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("id_number_rev", sa.String(length=18), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(length=16), nullable=True),
        sa.Column("hukou_address", sa.String(length=200), nullable=True),
        sa.Column("residence_address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column(
            "status",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("status_reason", sa.String(length=8), nullable=True),
        sa.Column("status_since", sa.Date(), nullable=True),
        sa.Column("local_hukou", sa.Boolean(), nullable=False),
        sa.Column("is_student", sa.Boolean(), nullable=False),
        sa.Column("has_employee_pension", sa.Boolean(), nullable=False),
        sa.Column("has_other_state_pension", sa.Boolean(), nullable=False),
        sa.Column("is_public_staff", sa.Boolean(), nullable=False),
        sa.Column("is_migrant_worker", sa.Boolean(), nullable=False),
        sa.Column("bank_card", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["villager_group.id"], name=op.f("fk_person_group_id_villager_group")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_person_household_id_household")
        ),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_person_village_id_village")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("id_number", name=op.f("uq_person_id_number")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_group_status", ["group_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_person_id_number_rev", ["id_number_rev"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)
        batch_op.create_index("ix_person_name_initials", ["name_initials"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_village_id"), ["village_id"], unique=False)

    op.create_table(
        "account_balance",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("balance_fen", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_account_balance_person_id_person")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_account_balance")),
    )
    op.create_table(
        "advance",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("repaid_fen", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_advance_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advance")),
    )
    with op.batch_alter_table("advance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advance_person_id"), ["person_id"], unique=False)

    op.create_table(
        "benefit_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("reaches_60_on", sa.Date(), nullable=False),
        sa.Column("years_paid", sa.Integer(), nullable=False),
        sa.Column("years_missing", sa.Integer(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column(
            "review_state",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_monthly_fen", sa.Integer(), nullable=True),
        sa.Column("start_month", sa.String(length=7), nullable=True),
        sa.Column("return_reason", sa.String(length=500), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_benefit_case_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_case")),
    )
    with op.batch_alter_table("benefit_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benefit_case_person_id"), ["person_id"], unique=False)

    op.create_table(
        "cancellation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column(
            "source",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("evidence_ref", sa.String(length=200), nullable=True),
        sa.Column("stop_month", sa.String(length=7), nullable=True),
        sa.Column("overpaid_months", sa.Integer(), nullable=False),
        sa.Column("overpaid_fen", sa.Integer(), nullable=False),
        sa.Column("funeral_subsidy_fen", sa.Integer(), nullable=False),
        sa.Column("funeral_offset_fen", sa.Integer(), nullable=False),
        sa.Column("funeral_refusal_reason", sa.String(length=200), nullable=True),
        sa.Column("account_balance_fen", sa.Integer(), nullable=True),
        sa.Column("advance_owed_fen", sa.Integer(), nullable=False),
        sa.Column("heir_name", sa.String(length=64), nullable=True),
        sa.Column("heir_id_number", sa.String(length=18), nullable=True),
        sa.Column("heir_bank_card", sa.String(length=32), nullable=True),
        sa.Column(
            "review_state",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("return_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_cancellation_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation")),
    )
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cancellation_person_id"), ["person_id"], unique=False)

    op.create_table(
        "contribution",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("tier_fen", sa.Integer(), nullable=False),
        sa.Column("personal_fen", sa.Integer(), nullable=False),
        sa.Column("subsidy_province_fen", sa.Integer(), nullable=False),
        sa.Column("subsidy_city_fen", sa.Integer(), nullable=False),
        sa.Column("subsidy_county_fen", sa.Integer(), nullable=False),
        sa.Column("government_paid_fen", sa.Integer(), nullable=False),
        sa.Column("collective_fen", sa.Integer(), nullable=False),
        sa.Column(
            "payer_kind",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("payer_name", sa.String(length=64), nullable=True),
        sa.Column(
            "channel",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("is_catch_up", sa.Boolean(), nullable=False),
        sa.Column("catch_up_approval_ref", sa.String(length=100), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("policy_pack_id", sa.String(length=64), nullable=True),
        sa.Column("policy_pack_version", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_contribution_person_id_person")),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["contribution.id"], name=op.f("fk_contribution_reverses_id_contribution")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contribution_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_contribution_year_person", ["year", "person_id"], unique=False)

    op.create_table(
        "key_field_change",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("before", sa.String(length=200), nullable=True),
        sa.Column("after", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("evidence_ref", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_key_field_change_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_field_change")),
    )
    with op.batch_alter_table("key_field_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_field_change_person_id"), ["person_id"], unique=False)

    op.create_table(
        "migrant_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_migrant_document_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_migrant_document")),
        sa.UniqueConstraint(
            "person_id", "kind", "year", name=op.f("uq_migrant_document_person_id_kind_year")
        ),
    )
    with op.batch_alter_table("migrant_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_migrant_document_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_category",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("category_code", sa.String(length=8), nullable=False),
        sa.Column("proof_ref", sa.String(length=200), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_category_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_category")),
    )
    with op.batch_alter_table("person_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_category_person_id"), ["person_id"], unique=False)

    op.create_table(
        "registration",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("category_code", sa.String(length=8), nullable=True),
        sa.Column("tier_fen", sa.Integer(), nullable=True),
        sa.Column(
            "review_state",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("entered_by", sa.String(length=64), nullable=True),
        sa.Column("checked_by", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("return_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_registration_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_person_id"), ["person_id"], unique=False)

    op.create_table(
        "survival_check",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column(
            "method",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("certifier", sa.String(length=64), nullable=False),
        sa.Column("witness", sa.String(length=64), nullable=True),
        sa.Column("attachment_path", sa.String(length=260), nullable=True),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("back_pay_months", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_survival_check_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survival_check")),
    )
    with op.batch_alter_table("survival_check", schema=None) as batch_op:
        batch_op.create_index("ix_survival_check_person_date", ["person_id", "checked_on"], unique=False)

    op.create_table(
        "receipt",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("book_id", sa.String(length=36), nullable=False),
        sa.Column("series", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.String(length=36), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("collector", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.String(length=24),
            nullable=False,
        ),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("reprint_count", sa.Integer(), nullable=False),
        sa.Column("day_close_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["book_id"], ["receipt_book.id"], name=op.f("fk_receipt_book_id_receipt_book")
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"], ["contribution.id"], name=op.f("fk_receipt_contribution_id_contribution")
        ),
        sa.ForeignKeyConstraint(
            ["day_close_id"], ["day_close.id"], name=op.f("fk_receipt_day_close_id_day_close")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
        sa.UniqueConstraint("series", "number", name=op.f("uq_receipt_series_number")),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_book_id"), ["book_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_contribution_id"), ["contribution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_day"), ["day"], unique=False)


def downgrade() -> None:
    """Drop everything :func:`upgrade` created, dependants first."""
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_day"))
        batch_op.drop_index(batch_op.f("ix_receipt_contribution_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_book_id"))

    op.drop_table("receipt")
    with op.batch_alter_table("survival_check", schema=None) as batch_op:
        batch_op.drop_index("ix_survival_check_person_date")

    op.drop_table("survival_check")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_person_id"))

    op.drop_table("registration")
    with op.batch_alter_table("person_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_category_person_id"))

    op.drop_table("person_category")
    with op.batch_alter_table("migrant_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_migrant_document_person_id"))

    op.drop_table("migrant_document")
    with op.batch_alter_table("key_field_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_field_change_person_id"))

    op.drop_table("key_field_change")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_year_person")
        batch_op.drop_index(batch_op.f("ix_contribution_person_id"))

    op.drop_table("contribution")
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancellation_person_id"))

    op.drop_table("cancellation")
    with op.batch_alter_table("benefit_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_case_person_id"))

    op.drop_table("benefit_case")
    with op.batch_alter_table("advance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advance_person_id"))

    op.drop_table("advance")
    op.drop_table("account_balance")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_village_id"))
        batch_op.drop_index("ix_person_name_initials")
        batch_op.drop_index(batch_op.f("ix_person_name"))
        batch_op.drop_index("ix_person_id_number_rev")
        batch_op.drop_index(batch_op.f("ix_person_household_id"))
        batch_op.drop_index("ix_person_group_status")

    op.drop_table("person")
    with op.batch_alter_table("notice_objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_objection_notice_id"))

    op.drop_table("notice_objection")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_village_id"))
        batch_op.drop_index(batch_op.f("ix_household_group_id"))

    op.drop_table("household")
    with op.batch_alter_table("villager_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_villager_group_village_id"))

    op.drop_table("villager_group")
    op.drop_table("sync_state")
    with op.batch_alter_table("public_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_notice_village_id"))

    op.drop_table("public_notice")
    op.drop_table("village")
    op.drop_table("township")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_outbox_state_seq")
        batch_op.drop_index(batch_op.f("ix_sync_outbox_record_id"))

    op.drop_table("sync_outbox")
    op.drop_table("setting")
    op.drop_table("receipt_book")
    op.drop_table("policy_pack")
    op.drop_table("day_close")
    op.drop_table("county")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_entity")

    op.drop_table("audit_entry")
    op.drop_table("app_user")
