"""Plain SQL for the two hot paths: the autosave and the bulk import.

Both run on the driver's connection (``sqlite3``) with ``?`` parameters, so that SQLite
reuses its prepared statements and no SQLAlchemy statement is built, compiled or
cached per row: building one cost more than SQLite took to run it. The column lists
come from the models, so a renamed column fails here at import, not at run time.
Values are bound as stored: times as UTC text (:func:`to_utc_text`), booleans as 0/1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table

from fieldsurvey.store.models import AuditRow, InterviewRow, RevisionRow


def _names(table: Table, columns: tuple[str, ...]) -> list[str]:
    """The columns quoted (``end`` is an SQL keyword); a KeyError names a lost column."""
    return [f'"{table.c[name].name}"' for name in columns]


def _insert(table: Table, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table.name} ({', '.join(_names(table, columns))}) VALUES ({marks})"


def _select(table: Table, columns: tuple[str, ...], where: str) -> str:
    return f"SELECT {', '.join(_names(table, columns))} FROM {table.name} WHERE {where}"


def _update(table: Table, columns: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{name} = ?" for name in _names(table, columns))
    return f"UPDATE {table.name} SET {assignments} WHERE id = ?"


_I = InterviewRow.__table__
_R = RevisionRow.__table__
_A = AuditRow.__table__

# -- autosave -----------------------------------------------------------------------------

#: The row an answer is saved to: (id, interview_key, status, deleted, display_name).
DRAFT_ROW = _select(
    _I, ("id", "interview_key", "status", "deleted", "display_name"), "instance_id = ?"
)
#: (xml, modified_at, search_text, id)
SAVE_ANSWER = _update(_I, ("xml", "modified_at", "search_text"))
#: (xml, modified_at, search_text, display_name, id): only when the name changed, so
#: that the list indexes holding display_name are not rewritten on every answer.
SAVE_ANSWER_AND_NAME = _update(_I, ("xml", "modified_at", "search_text", "display_name"))
#: (error_count, id): the open problems of a draft, for the interview list's Errors column.
SET_ERROR_COUNT = _update(_I, ("error_count",))
AUDIT_COLUMNS = (
    "interview_key",
    "instance_id",
    "event",
    "node",
    "start",
    "end",
    "old_value",
    "new_value",
    "user",
)
INSERT_AUDIT = _insert(_A, AUDIT_COLUMNS)

# -- bulk import --------------------------------------------------------------------------

REVISION_EXISTS = _select(_R, ("id",), "instance_id = ?")
#: (id, interview_key, status) of the interview whose current revision has this id.
CURRENT_BY_INSTANCE = _select(_I, ("id", "interview_key", "status"), "instance_id = ?")
KEY_BY_ANY_ID = _select(_I, ("interview_key",), "instance_id = ? OR interview_key = ?")
KEY_BY_REVISION = _select(_R, ("interview_key",), "instance_id = ?")
LAST_REVISION = 'SELECT max("revision") FROM interview_revisions WHERE interview_key = ?'
ID_BY_KEY = _select(_I, ("id",), "interview_key = ?")

#: What a revision and the interview row showing it have in common.
COMMON_COLUMNS = (
    "instance_id",
    "deprecated_id",
    "revision",
    "form_id",
    "form_version",
    "status",
    "display_name",
    "enumerator",
    "device_id",
    "created_at",
    "modified_at",
    "finalized_at",
    "xml",
)
#: (..., xml, content_sha): the revision's content hash, as every revision carries it.
INSERT_REVISION = _insert(
    _R, ("interview_key", "source", "source_device", "recorded_at", *COMMON_COLUMNS,
         "content_sha")
)
INSERT_INTERVIEW = _insert(
    _I, ("interview_key", "form_pk", "deleted", "error_count", "search_text", *COMMON_COLUMNS)
)
UPDATE_INTERVIEW = _update(_I, (*COMMON_COLUMNS, "search_text"))


def driver_connection(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy connection (same transaction)."""
    return conn.connection.driver_connection


@contextmanager
def immediate_transaction(raw: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on a connection in autocommit mode.

    IMMEDIATE takes the write lock up front, so the read that precedes the write never
    has to be upgraded (and never fails half-way with SQLITE_BUSY). A failed COMMIT (a
    full disk) leaves the transaction open in SQLite: it is rolled back here, so the
    database keeps exactly the answers saved before.
    """
    raw.execute("BEGIN IMMEDIATE")
    try:
        yield raw
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            try:
                raw.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back itself when it cannot; the first error matters
        raise
