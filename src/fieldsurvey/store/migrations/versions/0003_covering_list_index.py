"""Covering indexes for interview lists.

Lists read only the metadata columns, but every row of ``interviews`` also holds the
instance XML, so a full scan of the table reads tens of MB for 20,000 interviews. This
index holds every listed column in ``modified_at`` order (and the status index the same,
after status), so SQLite answers lists, and the per-status tabs, without touching the table
rows. They replace ``ix_interviews_modified`` and ``ix_interviews_status``.

Revision ID: 0003
Revises: 0002
Create Date: 2025-02-03
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# "id" is the rowid: after modified_at it makes the index match ORDER BY modified_at, id.
LIST_COLUMNS = [
    "modified_at",
    "id",
    "deleted",
    "status",
    "form_id",
    "form_version",
    "instance_id",
    "interview_key",
    "display_name",
    "enumerator",
    "device_id",
    "created_at",
    "finalized_at",
    "sent_at",
    "exported_at",
    "revision",
    "deprecated_id",
    "error_count",
]


STATUS_COLUMNS = ["status", "deleted"] + [c for c in LIST_COLUMNS if c not in ("status", "deleted")]


def upgrade() -> None:
    op.drop_index("ix_interviews_modified", table_name="interviews")
    op.drop_index("ix_interviews_status", table_name="interviews")
    op.create_index("ix_interviews_list", "interviews", LIST_COLUMNS)
    op.create_index("ix_interviews_status_list", "interviews", STATUS_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_interviews_status_list", table_name="interviews")
    op.drop_index("ix_interviews_list", table_name="interviews")
    op.create_index("ix_interviews_modified", "interviews", ["modified_at"])
    op.create_index("ix_interviews_status", "interviews", ["status", "deleted"])
