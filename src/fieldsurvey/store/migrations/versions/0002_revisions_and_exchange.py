"""Revisions, merge conflicts, sync attempts and exports; searchable answers.

Adds the tables that the exchange (merge) and sync use, the profile an interview was sent
with, and ``interviews.search_text`` (the lower-cased answers), filled here for the
interviews already stored.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-20
"""

import sqlalchemy as sa
from alembic import op

from fieldsurvey.store.instance_xml import search_text_of

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIME = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "interview_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("interview_key", sa.String(64), nullable=False),
        sa.Column("instance_id", sa.String(64), nullable=False, unique=True),
        sa.Column("deprecated_id", sa.String(64)),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("form_id", sa.String(255), nullable=False),
        sa.Column("form_version", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("enumerator", sa.Text),
        sa.Column("device_id", sa.Text),
        sa.Column("created_at", TIME),
        sa.Column("modified_at", TIME),
        sa.Column("finalized_at", TIME),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_device", sa.Text),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("xml", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_interview_revisions_interview_key", "interview_revisions", ["interview_key"]
    )

    op.create_table(
        "merge_conflicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("interview_key", sa.String(64), nullable=False),
        sa.Column("base_revision", sa.Integer),
        sa.Column(
            "local_revision_id",
            sa.Integer,
            sa.ForeignKey("interview_revisions.id", ondelete="SET NULL"),
        ),
        sa.Column(
            "incoming_revision_id",
            sa.Integer,
            sa.ForeignKey("interview_revisions.id", ondelete="SET NULL"),
        ),
        sa.Column("differences", sa.Text, nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("detected_at", TIME, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False),
        sa.Column("resolved_at", TIME),
        sa.Column("resolution", sa.Text),
    )
    op.create_index("ix_merge_conflicts_interview_key", "merge_conflicts", ["interview_key"])

    op.create_table(
        "sync_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("instance_id", sa.String(64), nullable=False),
        sa.Column("profile", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("response_text", sa.Text),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("attempted_at", TIME, nullable=False),
    )
    op.create_index("ix_sync_attempts_instance_id", "sync_attempts", ["instance_id"])

    op.create_table(
        "exports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("instance_id", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("form_id", sa.String(255), nullable=False),
        sa.Column("file", sa.Text),
        sa.Column("exported_at", TIME, nullable=False),
    )
    op.create_index("ix_exports_instance_id", "exports", ["instance_id"])

    # Plain ALTER TABLE ADD COLUMN: SQLite does it in place, without copying the table.
    op.add_column("interviews", sa.Column("sent_profile", sa.Text))
    op.add_column(
        "interviews", sa.Column("search_text", sa.Text, nullable=False, server_default="")
    )
    _fill_search_text()


def _fill_search_text() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, display_name, xml FROM interviews")).fetchall()
    for row_id, display_name, xml in rows:
        conn.execute(
            sa.text("UPDATE interviews SET search_text = :text WHERE id = :id"),
            {"text": search_text_of(xml, display_name), "id": row_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("search_text")
        batch.drop_column("sent_profile")
    for table in ("exports", "sync_attempts", "merge_conflicts", "interview_revisions"):
        op.drop_table(table)
