"""First schema: installed forms, interviews, attachments, audit trail.

Revision ID: 0001
Revises:
Create Date: 2025-01-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.String(32)  # UTC ISO 8601 text


def upgrade() -> None:
    op.create_table(
        "installed_forms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_id", sa.String(255), nullable=False),
        sa.Column("version", sa.String(255), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("default_language", sa.Text),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("xform_sha256", sa.String(64), nullable=False),
        sa.Column("installed_at", TIME, nullable=False),
        sa.Column("xform", sa.Text, nullable=False),
        sa.UniqueConstraint("form_id", "version", name="uq_installed_forms_version"),
    )
    op.create_index("ix_installed_forms_form_id", "installed_forms", ["form_id"])
    op.create_index("ix_installed_forms_source_sha256", "installed_forms", ["source_sha256"])

    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("instance_id", sa.String(64), nullable=False, unique=True),
        sa.Column("interview_key", sa.String(64), nullable=False, unique=True),
        sa.Column("form_pk", sa.Integer, sa.ForeignKey("installed_forms.id", ondelete="RESTRICT")),
        sa.Column("form_id", sa.String(255), nullable=False),
        sa.Column("form_version", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("enumerator", sa.Text),
        sa.Column("device_id", sa.Text),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("modified_at", TIME, nullable=False),
        sa.Column("finalized_at", TIME),
        sa.Column("sent_at", TIME),
        sa.Column("exported_at", TIME),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("deprecated_id", sa.String(64)),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("deleted_at", TIME),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("xml", sa.Text, nullable=False),
    )
    op.create_index("ix_interviews_form", "interviews", ["form_id", "form_version"])
    op.create_index("ix_interviews_status", "interviews", ["status", "deleted"])
    op.create_index("ix_interviews_modified", "interviews", ["modified_at"])
    op.create_index("ix_interviews_enumerator", "interviews", ["enumerator"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "interview_id",
            sa.Integer,
            sa.ForeignKey("interviews.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.UniqueConstraint("interview_id", "filename", name="uq_attachments_name"),
    )
    op.create_index("ix_attachments_interview_id", "attachments", ["interview_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("interview_key", sa.String(64), nullable=False),
        sa.Column("instance_id", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("node", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("user", sa.Text),
    )
    op.create_index("ix_audit_events_interview_key", "audit_events", ["interview_key"])


def downgrade() -> None:
    for table in ("audit_events", "attachments", "interviews", "installed_forms"):
        op.drop_table(table)
