"""Merging the interviews of one file a batch at a time.

Merging interview by interview costs several queries and ORM flushes each (about 5 ms);
a batch looks up all of its interview keys, instanceIDs and kept revisions in one query
each, inserts the new revisions, interviews and audit lines with one ``executemany``
each, and recognises an interview merged before (same instanceID, same XML) without
touching it. What is neither new nor unchanged (a correction, a conflict) goes through
:class:`~fieldsurvey.exchange.merge.InterviewMerger` one by one. Batches are bounded, so
memory does not grow with the size of the file; the caller's transaction still spans the
whole file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fieldsurvey.exchange.merge import (
    InterviewMerger,
    Times,
    audit_values,
    current_values,
    interview_key_of,
    revision_values,
)
from fieldsurvey.exchange.merge_prepare import Incoming, parse_record
from fieldsurvey.exchange.package_sheet import PackageRecord
from fieldsurvey.store.models import AuditRow, InterviewRow, RevisionRow

BATCH_SIZE = 200
_IN_LIMIT = 500  # values per IN (...) list, far below SQLite's variable limit
# Queried at the driver (see _select_in); each {} is an IN list.
_EXISTING = (f"SELECT interview_key, instance_id, xml FROM {InterviewRow.__tablename__} "
             "WHERE interview_key IN ({}) OR instance_id IN ({})")
_KEPT_REVISIONS = (f"SELECT instance_id, content_sha FROM {RevisionRow.__tablename__} "
                   "WHERE instance_id IN ({})")
_PRESENT_AUDIT = (f'SELECT instance_id, event, node, "start" FROM {AuditRow.__tablename__} '
                  "WHERE interview_key IN ({})")



@dataclass
class _Pending:
    current: PackageRecord
    older: list[PackageRecord]
    form_pk: int | None
    key: str
    incoming: Incoming | None = None
    state: str = ""  # new, unchanged or slow (a correction, a conflict: merged one by one)


def _insert_many(conn, table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) with one executemany at the driver.

    SQLAlchemy's ``insert()`` runs every value through its type's processor; for a merge
    that was a fifth of the time. So the values must be as stored: times as UTC text
    (:meth:`Times.as_text`); booleans are integers to sqlite3 already.
    """
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(names))})'
    conn.exec_driver_sql(sql, [tuple(row.values()) for row in rows])


def _select_in(conn, sql: str, *values: list[str]):
    """``sql`` with each ``{}`` an IN list of the matching ``values``, run at the driver.

    SQLAlchemy's ``in_()`` builds and compiles a statement per query; a merge runs three
    per batch, and the objects they leave behind are cycles that wait for the garbage
    collector, which is paused while a file is merged.
    """
    lists = [", ".join("?" * len(part)) for part in values]
    return conn.exec_driver_sql(sql.format(*lists), tuple(v for part in values for v in part))


def _prepared(p: _Pending) -> bool:
    return all(rec.search_text is not None for rec in (p.current, *p.older))


def _chunks(values: list, size: int = _IN_LIMIT) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


class MergeBatch:
    """Collects interviews of one file and merges them together (see the module doc)."""

    def __init__(self, merger: InterviewMerger, size: int | None = None) -> None:
        self.merger = merger
        self.size = size or BATCH_SIZE
        self.counts: Counter[str] = Counter()
        self._pending: list[_Pending] = []
        self._keys: set[str] = set()

    def add(self, current: PackageRecord, older: list[PackageRecord], form_pk: int | None) -> None:
        """Queue one interview (its current record and older revisions)."""
        key = interview_key_of(current, older)
        # The same interview twice in one batch would be looked up before the first is
        # stored: merge what is queued first.
        if key in self._keys or current.key in self._keys:
            self.flush()
        self._pending.append(_Pending(current, list(older), form_pk, key))
        self._keys.update((key, current.key))
        if len(self._pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Merge every queued interview; outcomes are added to :attr:`counts`."""
        pending, self._pending = self._pending, []
        self._keys.clear()
        if not pending:
            return
        conn = self.merger.session.connection()
        existing = self._existing_interviews(conn, pending)
        path = self.merger.path
        for p in pending:
            row = existing.get(p.key) or existing.get(("id", p.current.key))
            if row is not None and row.instance_id == p.current.key and row.xml == p.current.text:
                p.state = "unchanged"  # merged before: its XML is the stored one
                continue
            p.state = "new" if row is None else "slow"
            # Records prepared by merge_prepare were parsed and checked there; a new
            # interview needs nothing more, the others need their tree.
            if p.state == "slow" or not _prepared(p):
                p.incoming = parse_record(path, p.current)
                for rec in p.older:
                    parse_record(path, rec)
        times = Times.as_text()
        self._store_revisions(conn, pending, times)
        new_rows, audit_rows, slow, with_files = [], [], [], []
        present = self._present_audit(conn, [p for p in pending if p.key not in existing
                                             and p.current.meta.get("audit")])
        for p in pending:
            if p.state == "new":
                new_rows.append(current_values(
                    p.current, p.key, p.form_pk, p.incoming.root if p.incoming else None,
                    error_count=self.merger.error_count(p.current, p.form_pk), times=times))
                audit_rows += audit_values(p.key, p.current, present)
                if p.current.meta.get("attachments"):
                    with_files.append(p)
                self.counts["new"] += 1
            elif p.state == "unchanged":
                self.counts["unchanged"] += 1
            else:
                slow.append(p)
        _insert_many(conn, InterviewRow.__table__, new_rows)
        _insert_many(conn, AuditRow.__table__, audit_rows)
        session = self.merger.session
        for p in with_files:
            row = session.scalar(select(InterviewRow).where(InterviewRow.interview_key == p.key))
            self.merger.add_attachments(row, p.current)
        for p in slow:
            self.counts[self.merger.merge(p.current, p.older, p.form_pk, p.incoming)] += 1

    @staticmethod
    def _existing_interviews(conn, pending: list[_Pending]) -> dict:
        keys = [p.key for p in pending]
        ids = [p.current.key for p in pending]
        found = {}
        for key_part, id_part in zip(_chunks(keys), _chunks(ids), strict=True):
            rows = _select_in(conn, _EXISTING, key_part, id_part)
            for row in rows:
                found[row.interview_key] = row
                found[("id", row.instance_id)] = row
        return found

    def _store_revisions(self, conn, pending: list[_Pending], times: Times) -> None:
        records = [(p.key, rec) for p in pending for rec in [*p.older, p.current]]
        ids = list(dict.fromkeys(rec.key for _key, rec in records))
        # One instanceID may hold several contents (a draft continued on two laptops).
        known: set[tuple[str, str]] = set()
        for part in _chunks(ids):
            known.update(_select_in(conn, _KEPT_REVISIONS, part))
        rows = []
        for key, rec in records:
            values = revision_values(rec, key, self.merger.source, times)
            if (rec.key, values["content_sha"]) not in known:
                known.add((rec.key, values["content_sha"]))
                rows.append(values)
        _insert_many(conn, RevisionRow.__table__, rows)

    @staticmethod
    def _present_audit(conn, pending: Iterable[_Pending]) -> set[tuple]:
        keys = [p.key for p in pending]
        present: set[tuple] = set()
        for part in _chunks(keys):
            present.update(tuple(r) for r in _select_in(conn, _PRESENT_AUDIT, part))
        return present
