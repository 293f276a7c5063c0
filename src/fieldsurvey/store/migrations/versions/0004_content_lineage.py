"""Several contents under one instanceID; the lineage of each content.

A draft keeps its instanceID while it is edited, so two laptops continuing the same
draft make two contents under one instanceID. ``interview_revisions`` was unique on
``instance_id``, which kept only the first; it becomes unique on ``(instance_id,
content_sha)`` (sha256 of the XML, filled here for the rows already stored). Revisions and
interviews get ``ancestors``: the content hashes a content descends from (JSON list), so
a merge tells a continued draft from a rival one without trusting clocks.

Revision ID: 0004
Revises: 0003
Create Date: 2025-03-10
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Gives the unnamed UNIQUE (instance_id) of migration 0002 a name, so it can be dropped.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _conflict_links(conn) -> list[tuple]:
    return conn.execute(sa.text(
        "SELECT id, local_revision_id, incoming_revision_id FROM merge_conflicts")).fetchall()


def _restore_conflict_links(conn, links: list[tuple]) -> None:
    # Rebuilding the table drops the old one, and SQLite then runs the ON DELETE SET NULL
    # of merge_conflicts: the ids are kept by the copy, so they are put back.
    for row_id, local, incoming in links:
        conn.execute(sa.text("UPDATE merge_conflicts SET local_revision_id = :l, "
                             "incoming_revision_id = :i WHERE id = :id"),
                     {"l": local, "i": incoming, "id": row_id})


def upgrade() -> None:
    conn = op.get_bind()
    links = _conflict_links(conn)
    with op.batch_alter_table("interview_revisions", recreate="always",
                              naming_convention=NAMING) as batch:
        batch.drop_constraint("uq_interview_revisions_instance_id", type_="unique")
        batch.add_column(sa.Column("content_sha", sa.String(64)))
        batch.add_column(sa.Column("ancestors", sa.Text))
        batch.create_index("ix_interview_revisions_instance_id", ["instance_id"])
        batch.create_unique_constraint("uq_interview_revisions_content",
                                       ["instance_id", "content_sha"])
    _restore_conflict_links(conn, links)
    rows = conn.execute(sa.text("SELECT id, xml FROM interview_revisions")).fetchall()
    for row_id, xml in rows:
        conn.execute(sa.text("UPDATE interview_revisions SET content_sha = :sha WHERE id = :id"),
                     {"sha": hashlib.sha256(xml.encode("utf-8")).hexdigest(), "id": row_id})
    # Plain ALTER TABLE ADD COLUMN: SQLite does it in place, without copying the table.
    op.add_column("interviews", sa.Column("ancestors", sa.Text))


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("ancestors")
    # Only the first content of each instanceID fits the older schema.
    conn.execute(sa.text(
        "DELETE FROM interview_revisions WHERE id NOT IN "
        "(SELECT min(id) FROM interview_revisions GROUP BY instance_id)"))
    links = _conflict_links(conn)
    with op.batch_alter_table("interview_revisions", recreate="always") as batch:
        batch.drop_constraint("uq_interview_revisions_content", type_="unique")
        batch.drop_index("ix_interview_revisions_instance_id")
        batch.drop_column("ancestors")
        batch.drop_column("content_sha")
        batch.create_unique_constraint("uq_interview_revisions_instance_id", ["instance_id"])
    _restore_conflict_links(conn, links)
