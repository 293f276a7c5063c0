"""The Store: the one door to the local database for the UI, exchange, sync and CLI.

Every write is one short transaction committed durably before the method returns, so an
answer whose save returned survives a crash. Records handed out are plain immutable
objects; no session leaks out except through :meth:`Store.transaction` (the bulk path).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fieldsurvey.errors import StoreError
from fieldsurvey.gc_pause import paused_gc
from fieldsurvey.i18n.core import N_
from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings
from fieldsurvey.store import audit, backup, schema
from fieldsurvey.store import statements as sql
from fieldsurvey.store.audit import AuditEvent
from fieldsurvey.store.database import (
    StoreLock,
    integrity_problems,
    translated_errors,
)
from fieldsurvey.store.exchange_support import ExchangeSupport
from fieldsurvey.store.form_catalog import FormCatalog
from fieldsurvey.store.instance_xml import (
    new_instance_id,
    parse_instance,
    read_meta,
    reopened,
    search_text_of,
    with_instance_id,
)
from fieldsurvey.store.listing import (
    InterviewFilter,
    fetch_plain,
    record_from_row,
    summaries_query,
    summary_from_row,
)
from fieldsurvey.store.models import (
    AuditRow,
    ExportRow,
    InstalledFormRow,
    InterviewRow,
    RevisionRow,
    to_utc_text,
    utc_now,
)
from fieldsurvey.store.records import (
    CheckProblem,
    CheckReport,
    InterviewRecord,
    InterviewStatus,
    InterviewSummary,
    RevisionRecord,
    status_param,
)

log = logging.getLogger(__name__)

I = InterviewRow.__table__.c  # noqa: E741
R = RevisionRow.__table__.c
A = AuditRow.__table__.c

#: A transaction that imported at least this many revisions refreshes the statistics.
ANALYZE_AFTER_IMPORT = 1000
ANALYZE_SAMPLE_ROWS = 1000

CLOSED = (InterviewStatus.FINALIZED, InterviewStatus.SENT, InterviewStatus.EXPORTED)


class Store(FormCatalog, ExchangeSupport):
    """An open local database. Make one with :func:`fieldsurvey.store.open_store`."""

    def __init__(
        self,
        data_dir: DataDir,
        engine: Engine,
        lock: StoreLock,
        settings: Settings,
        *,
        automatic_backups: bool = True,
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir.database
        self.engine = engine
        self.settings = settings
        self._lock = lock
        self._definitions = {}
        self._form_pks = {}
        # Revisions imported by import_revision in the open transaction (see transaction).
        self._imported_rows = 0
        #: Backups after finalizing and at close; off for throwaway stores (the demo's).
        self.automatic_backups = automatic_backups
        #: The time backups are named and scheduled by (replaceable in tests).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        #: Called with each new backup file, in the thread that made it.
        self.backup_listeners: list[Callable[[Path], None]] = []
        # The connection of the thread's open batch (see batch).
        self._batch = threading.local()
        newest = backup.list_backups(data_dir.backups)
        self._last_backup_at = backup.backup_time(newest[0]) if newest else None
        # PRAGMA data_version of a connection of its own changes whenever another
        # connection commits: what tells close whether there is anything new to back up.
        self._watch_lock = threading.Lock()
        self._watcher: sqlite3.Connection | None = None
        self._backed_up_version: int | None = None
        try:
            self._watcher = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
            )
            self._backed_up_version = self._data_version()
        except sqlite3.Error as exc:  # then close backs up whenever automatic backups are on
            log.warning("cannot watch %s for changes: %s", self.path, exc)

    # -- life of the store -------------------------------------------------------------

    def close(self) -> None:
        """Close the database and release the lock (idempotent)."""
        if not self._lock.held:
            return
        if self.automatic_backups and self.changed_since_backup():
            self._backup_logged("close")
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        try:
            with self.engine.connect() as conn:
                # Fold the WAL into the main file so that a copied file is complete.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                # Keeps the planner's statistics fresh so lists pick the covering indexes.
                conn.exec_driver_sql("PRAGMA optimize")
                conn.rollback()
        except Exception as exc:  # closing must not fail; the WAL is replayed next time
            log.warning("checkpoint on close failed: %s", exc)
        self.engine.dispose()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One Session, committed as a whole at the end of the block or rolled back.

        The bulk path for the exchange: many rows in one durable commit.
        """
        if not self._lock.held:
            raise StoreError(N_("The database is closed."), code="store_closed")
        outer = self._imported_rows
        batch = self._batch_connection()
        try:
            with translated_errors(self.path):
                with Session(batch or self.engine, expire_on_commit=False,
                             join_transaction_mode="create_savepoint") as session:  # fmt: skip
                    with session.begin():
                        yield session
            imported = self._imported_rows - outer
        finally:
            self._imported_rows = outer
        if imported >= ANALYZE_AFTER_IMPORT and batch is None:
            self._after_big_import()

    def _after_big_import(self) -> None:
        """Refresh the planner's statistics, so that lists and filters keep choosing the
        covering indexes (sampled with ``analysis_limit`` to stay quick), and give back
        the disk space of the write-ahead log, which grew to the size of the import.
        Both are housekeeping: a failure is logged, never raised (the import is in)."""
        try:
            with self.engine.connect() as conn:
                raw = sql.driver_connection(conn)
                raw.execute(f"PRAGMA analysis_limit = {ANALYZE_SAMPLE_ROWS}")
                raw.execute("ANALYZE")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except Exception as exc:
            log.warning("housekeeping after an import failed: %s", exc)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one commit, for bulk work such as generated demo data.

        Inside the block, this thread's writes (create_interview, save_answer, finalize,
        reopen, transaction...) share one transaction, committed durably at its end or
        rolled back as a whole; a write that fails alone is undone alone. No backup is
        taken inside. An interview screen does not use it: each answer is saved alone.
        """
        if self._batch_connection() is not None:
            yield  # part of the enclosing batch
            return
        with self._write() as conn:
            self._batch.conn = conn
            try:
                yield
            finally:
                self._batch.conn = None

    def _batch_connection(self) -> Connection | None:
        return getattr(self._batch, "conn", None)

    @contextmanager
    def _autosave(self) -> Iterator[sqlite3.Connection]:
        """The driver's connection in one ``BEGIN IMMEDIATE`` … ``COMMIT``."""
        if not self._lock.held:
            raise StoreError(N_("The database is closed."), code="store_closed")
        batch = self._batch_connection()
        if batch is not None:
            with translated_errors(self.path), batch.begin_nested():
                yield sql.driver_connection(batch)
            return
        with translated_errors(self.path):
            with self.engine.connect() as conn:
                with sql.immediate_transaction(sql.driver_connection(conn)) as raw:
                    yield raw

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A Core connection in one transaction: the fast path of autosave."""
        if not self._lock.held:
            raise StoreError(N_("The database is closed."), code="store_closed")
        batch = self._batch_connection()
        if batch is not None:
            with translated_errors(self.path), batch.begin_nested():
                yield batch
            return
        with translated_errors(self.path):
            with self.engine.begin() as conn:
                yield conn

    # -- interviews ----------------------------------------------------------------------

    def create_interview(
        self,
        form_id: str,
        version: str | None,
        xml: str,
        *,
        enumerator: str | None = None,
        device_id: str | None = None,
        display_name: str | None = None,
    ) -> InterviewRecord:
        """Store a new draft interview of an installed form version."""
        meta = read_meta(xml)
        instance_id = meta.instance_id
        if not instance_id:
            instance_id = new_instance_id()
            xml = with_instance_id(xml, instance_id)
        display_name = display_name if display_name is not None else meta.instance_name or ""
        now = utc_now()
        with self._write() as conn:
            form_pk = conn.execute(
                select(InstalledFormRow.id).where(
                    InstalledFormRow.form_id == form_id, InstalledFormRow.version == (version or "")
                )
            ).scalar()
            if form_pk is None:
                raise StoreError(
                    N_("The form {form_id} (version {version}) is not installed."),
                    code="form_not_installed",
                    params={"form_id": form_id, "version": version or "-"},
                )
            try:
                conn.execute(
                    insert(InterviewRow).values(
                        instance_id=instance_id,
                        interview_key=instance_id,
                        form_pk=form_pk,
                        form_id=form_id,
                        form_version=version or "",
                        status=InterviewStatus.DRAFT.value,
                        display_name=display_name,
                        enumerator=enumerator,
                        device_id=device_id,
                        created_at=now,
                        modified_at=now,
                        revision=1,
                        deprecated_id=meta.deprecated_id,
                        deleted=False,
                        error_count=0,
                        search_text=search_text_of(xml, display_name),
                        xml=xml,
                    )
                )
            except IntegrityError as exc:
                raise StoreError(
                    N_("An interview with the id {instance_id} already exists."),
                    code="duplicate_interview",
                    params={"instance_id": instance_id},
                ) from exc
            self._audit(conn, instance_id, instance_id, audit.FORM_START, user=enumerator)
        return self.get_interview(instance_id)

    def save_answer(
        self,
        instance_id: str,
        xml: str,
        *,
        display_name: str | None = None,
        event: AuditEvent | None = None,
    ) -> None:
        """Autosave: store the draft's XML (and one audit event) in ONE durable commit.

        Refused for an interview that is finalized, sent, exported or deleted: it must be
        reopened (or restored) first, so nothing overwrites what was handed in.
        """
        root = parse_instance(xml)
        meta = read_meta(root)
        if meta.instance_id and meta.instance_id != instance_id:
            raise StoreError(
                N_("The answers belong to the interview {other}, not to {instance_id}."),
                code="instance_mismatch",
                params={"other": meta.instance_id, "instance_id": instance_id},
            )
        now = to_utc_text(utc_now())
        # The hot path: one indexed read, one UPDATE, one audit INSERT, one durable COMMIT,
        # as plain SQL that SQLite has prepared already (see statements.py).
        with self._autosave() as raw:
            pk, key, old_name = self._draft_row(raw, instance_id)
            if display_name is None or display_name == old_name:
                search = search_text_of(root, old_name)
                raw.execute(sql.SAVE_ANSWER, (xml, now, search, pk))
            else:
                search = search_text_of(root, display_name)
                raw.execute(sql.SAVE_ANSWER_AND_NAME, (xml, now, search, display_name, pk))
            if event is not None:
                raw.execute(sql.INSERT_AUDIT, _audit_values(key, instance_id, event))

    def set_error_count(self, instance_id: str, count: int) -> None:
        """Store how many problems stand in the way of finalizing a draft (unanswered
        required questions, broken constraints), which the interview list shows in its
        Errors column.

        One durable commit, as an answer's save; ``modified_at`` is left alone (no answer
        changed). Refused with :class:`StoreError` for an unknown or deleted interview, and
        for a finalized one (its count was stored when it was finalized).
        """
        if count < 0:
            raise ValueError(f"a count of problems cannot be negative: {count}")
        with self._autosave() as raw:
            pk, _key, _name = self._draft_row(raw, instance_id)
            raw.execute(sql.SET_ERROR_COUNT, (count, pk))

    def get_interview(self, instance_id: str) -> InterviewRecord:
        """The interview with this instanceID; an older revision's id finds the interview
        it became (after a correction)."""
        with self._write() as conn:
            row = conn.execute(
                summaries_query(InterviewFilter(include_deleted=True), with_xml=True).where(
                    I.instance_id == instance_id
                )
            ).first()
            if row is None:
                key = self._key_of(conn, instance_id)
                if key is not None:
                    row = conn.execute(
                        summaries_query(InterviewFilter(include_deleted=True), with_xml=True).where(
                            I.interview_key == key
                        )
                    ).first()
        if row is None:
            raise self._not_found(instance_id)
        return record_from_row(row)

    def finalize(
        self,
        instance_id: str,
        xml: str,
        *,
        error_count: int = 0,
        display_name: str | None = None,
        user: str | None = None,
    ) -> InterviewRecord:
        """Mark a draft finalized with its final XML; the revision is kept, then a backup
        is taken if the last one is older than ``backup_interval_minutes`` (a failed
        backup is logged, never undoes the finalize)."""
        root = parse_instance(xml)
        now = utc_now()
        with self._write() as conn:
            row = self._current(conn, instance_id)
            self._require_draft(row)
            name = row.display_name if display_name is None else display_name
            conn.execute(
                update(InterviewRow)
                .where(I.id == row.id)
                .values(
                    status=InterviewStatus.FINALIZED.value,
                    finalized_at=now,
                    modified_at=now,
                    xml=xml,
                    error_count=error_count,
                    display_name=name,
                    search_text=search_text_of(root, name),
                )
            )
            self._keep_revision(conn, row.id)
            self._audit(conn, row.interview_key, instance_id, audit.FORM_FINALIZE, user=user)
        if self.automatic_backups:
            self.backup_if_due("finalize")
        return self.get_interview(instance_id)

    def reopen(self, instance_id: str, *, user: str | None = None) -> InterviewRecord:
        """Reopen a finalized (or sent, or exported) interview for correction.

        As ODK does: the instance gets a new ``meta/instanceID`` and keeps the old one in
        ``meta/deprecatedID``; the store links both as one interview (same
        ``interview_key``) with revision + 1, and keeps the previous revision.
        """
        with self._write() as conn:
            row = self._current(conn, instance_id)
            if row.deleted:
                raise self._deleted(instance_id)
            if row.status not in CLOSED:
                raise StoreError(
                    N_("The interview {instance_id} is still a draft; there is nothing to reopen."),
                    code="not_finalized",
                    params={"instance_id": instance_id},
                )
            self._keep_revision(conn, row.id)
            xml = conn.execute(select(I.xml).where(I.id == row.id)).scalar_one()
            new_xml, new_id, old_id = reopened(xml)
            conn.execute(
                update(InterviewRow)
                .where(I.id == row.id)
                .values(
                    instance_id=new_id,
                    deprecated_id=old_id,
                    revision=row.revision + 1,
                    status=InterviewStatus.DRAFT.value,
                    modified_at=utc_now(),
                    finalized_at=None,
                    sent_at=None,
                    exported_at=None,
                    xml=new_xml,
                )
            )
            self._audit(
                conn,
                row.interview_key,
                new_id,
                audit.FORM_REOPEN,
                old=old_id,
                new=new_id,
                user=user,
            )
        return self.get_interview(new_id)

    def mark_sent(self, instance_ids: Iterable[str], *, profile: str) -> None:
        """Record that these finalized interviews reached the server of ``profile``."""
        now = utc_now()
        with self._write() as conn:
            for instance_id in instance_ids:
                row = self._current(conn, instance_id)
                if row.status not in CLOSED:
                    raise StoreError(
                        N_("The interview {instance_id} is not finalized and cannot be sent."),
                        code="not_finalized",
                        params={"instance_id": instance_id},
                    )
                conn.execute(
                    update(InterviewRow)
                    .where(I.id == row.id)
                    .values(status=InterviewStatus.SENT.value, sent_at=now, sent_profile=profile)
                )
                self._audit(conn, row.interview_key, instance_id, audit.FORM_SENT, new=profile)

    def mark_exported(self, instance_ids: Iterable[str], *, file: str | None = None) -> None:
        """Record an export: ``exported_at`` is set, a finalized interview becomes
        EXPORTED (a sent one stays SENT, a draft stays a draft)."""
        now = utc_now()
        with self._write() as conn:
            for instance_id in instance_ids:
                row = self._current(conn, instance_id)
                values = {"exported_at": now}
                if row.status == InterviewStatus.FINALIZED:
                    values["status"] = InterviewStatus.EXPORTED.value
                conn.execute(update(InterviewRow).where(I.id == row.id).values(**values))
                conn.execute(
                    insert(ExportRow).values(
                        instance_id=instance_id,
                        revision=row.revision,
                        form_id=row.form_id,
                        file=file,
                        exported_at=now,
                    )
                )
                self._audit(conn, row.interview_key, instance_id, audit.FORM_EXPORTED, new=file)

    def delete(self, instance_id: str) -> None:
        """Soft delete: hidden from lists, kept in the database until undone."""
        self._set_deleted(instance_id, True)

    def undelete(self, instance_id: str) -> None:
        """Undo :meth:`delete`; the interview comes back with the status it had."""
        self._set_deleted(instance_id, False)

    def _set_deleted(self, instance_id: str, deleted: bool) -> None:
        with self._write() as conn:
            row = self._current(conn, instance_id)
            conn.execute(
                update(InterviewRow)
                .where(I.id == row.id)
                .values(deleted=deleted, deleted_at=utc_now() if deleted else None)
            )
            event = audit.FORM_DELETED if deleted else audit.FORM_RESTORED
            self._audit(conn, row.interview_key, instance_id, event)

    # -- lists ---------------------------------------------------------------------------

    def list_interviews(
        self,
        *,
        order_by: str = "modified_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        **filters,
    ) -> list[InterviewSummary]:
        """Interviews matching the filters (form_id, version, status, enumerator, text,
        since, until, only_not_exported, include_deleted), without their XML."""
        query = summaries_query(
            InterviewFilter(**filters),
            order_by=order_by,
            descending=descending,
            limit=limit,
            offset=offset,
        )
        with paused_gc():
            with self._write() as conn:
                rows = fetch_plain(conn, query)
            return [summary_from_row(row) for row in rows]

    def iter_interviews(
        self, *, order_by: str = "modified_at", descending: bool = False, **filters
    ) -> Iterator[InterviewRecord]:
        """Like :meth:`list_interviews` but with the XML, streamed in batches."""
        query = summaries_query(
            InterviewFilter(**filters), order_by=order_by, descending=descending, with_xml=True
        )
        with self._write() as conn:
            result = conn.execution_options(yield_per=500).execute(query)
            for row in result:
                yield record_from_row(row)

    def counts_by_status(self, form_id: str | None = None) -> dict[str, int]:
        """Interviews per status (deleted ones apart, under "deleted")."""
        counts = {status.value: 0 for status in InterviewStatus}
        counts["deleted"] = 0
        query = select(I.status, I.deleted, func.count()).group_by(I.status, I.deleted)
        if form_id is not None:
            query = query.where(I.form_id == form_id)
        with self._write() as conn:
            for status, deleted, n in conn.execute(query):
                key = "deleted" if deleted else status
                counts[key] = counts.get(key, 0) + n
        return counts

    def revisions(self, instance_id_or_key: str) -> list[RevisionRecord]:
        """Every kept revision of an interview, oldest first (the draft being corrected
        after a reopen is not in it until it is finalized)."""
        with self._write() as conn:
            key = self._key_of(conn, instance_id_or_key)
            if key is None:
                raise self._not_found(instance_id_or_key)
            rows = conn.execute(
                select(RevisionRow.__table__)
                .where(R.interview_key == key)
                .order_by(R.revision, R.id)
            ).all()
        return [
            RevisionRecord(
                id=r.id,
                interview_key=r.interview_key,
                instance_id=r.instance_id,
                deprecated_id=r.deprecated_id,
                revision=r.revision,
                form_id=r.form_id,
                form_version=r.form_version or None,
                status=r.status,
                display_name=r.display_name,
                finalized_at=r.finalized_at,
                source=r.source,
                source_device=r.source_device,
                recorded_at=r.recorded_at,
                xml=r.xml,
            )
            for r in rows
        ]

    def audit_events(self, instance_id: str) -> list[AuditEvent]:
        """The audit trail of an interview (all its revisions), oldest first."""
        with self._write() as conn:
            key = self._key_of(conn, instance_id)
            if key is None:
                raise self._not_found(instance_id)
            rows = conn.execute(
                select(A.event, A.node, A.start, A.end, A.old_value, A.new_value, A.user)
                .where(A.interview_key == key)
                .order_by(A.id)
            ).all()
        return [AuditEvent(*row) for row in rows]

    # -- backups and health ----------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """Back the database up now, then keep only the newest ``backups_to_keep``.

        Taken unconditionally: by the user, and at moments of risk (before a merge)."""
        moment = self.clock()
        version = self._data_version()  # read first: a commit during the copy counts as new
        path = backup.make_backup(self.path, self.data_dir.backups, reason, moment=moment)
        self._last_backup_at = moment
        self._backed_up_version = version
        backup.prune_backups(self.data_dir.backups, self.settings.get("backups_to_keep"))
        for listener in list(self.backup_listeners):
            try:
                listener(path)
            except Exception:  # a display that is gone must not fail the backup
                log.warning("backup listener failed", exc_info=True)
        return path

    def backup_before(self, action: str) -> Path | None:
        """The backup at a moment of risk, before ``action`` (such as "merge") starts;
        a failure is raised, so that the risky work does not start without it. None for
        a store without automatic backups."""
        return self.backup(f"before-{action}") if self.automatic_backups else None

    def backup_if_due(self, reason: str) -> Path | None:
        """Back up if the last backup is older than ``backup_interval_minutes``, so that
        a backup costs the same whatever the database's size, every few minutes at most.
        A failed backup is logged, not raised (the work it follows is saved)."""
        if self._batch_connection() is not None:
            return None  # a backup would not hold the batch's uncommitted writes
        interval = timedelta(minutes=max(0, self.settings.get("backup_interval_minutes")))
        last = self._last_backup_at
        if last is not None and self.clock() - last < interval:
            return None
        return self._backup_logged(reason)

    def changed_since_backup(self) -> bool:
        """Whether anything was committed since the last backup (or since the store was
        opened, when it made none)."""
        version = self._data_version()
        return version is None or version != self._backed_up_version

    @property
    def last_backup_at(self) -> datetime | None:
        """When the newest backup of this data folder was taken (UTC), if any."""
        return self._last_backup_at

    def _backup_logged(self, reason: str) -> Path | None:
        try:
            return self.backup(reason)
        except StoreError as exc:
            log.warning("%s backup failed: %s", reason, exc.english())
            return None

    def _data_version(self) -> int | None:
        if self._watcher is None:
            return None
        with self._watch_lock:
            try:
                return self._watcher.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                log.warning("cannot read the data version of %s: %s", self.path, exc)
                return None

    def list_backups(self) -> list[Path]:
        """The backups of this data folder, newest first."""
        return backup.list_backups(self.data_dir.backups)

    def check(self) -> CheckReport:
        """Integrity check, schema revision, counts and missing attachment files."""
        with translated_errors(self.path):
            # SQLite's own words name the damaged page or index: kept as they are.
            problems = [
                CheckProblem("integrity", N_("The database file is damaged: {detail}"),
                             (("detail", line),))
                for line in integrity_problems(self.engine)
            ]
            revision = schema.current_revision(self.engine)
        counts = self.counts_by_status()
        missing = [
            sha for sha in self._attachment_hashes() if not self.attachment_path(sha).is_file()
        ]
        if missing:
            # "Label: count" needs no plural forms, whatever the count and the language.
            problems.append(CheckProblem("attachments_missing",
                                         N_("Missing attachment files: {count}"),
                                         (("count", len(missing)),)))
        with self._write() as conn:
            forms = conn.execute(select(func.count()).select_from(InstalledFormRow)).scalar()
        size = sum(
            Path(f"{self.path}{extra}").stat().st_size
            for extra in ("", "-wal")
            if Path(f"{self.path}{extra}").exists()
        )
        return CheckReport(
            path=self.path,
            ok=not problems,
            problems=problems,
            schema_revision=revision,
            newest_schema=schema.head_revision(),
            size_bytes=size,
            forms=forms,
            interviews=sum(counts.values()),
            counts_by_status=counts,
            missing_attachments=missing,
        )

    # -- internals -------------------------------------------------------------------------

    def _current(self, conn: Connection, instance_id: str):
        row = conn.execute(
            select(
                I.id,
                I.interview_key,
                I.status,
                I.deleted,
                I.revision,
                I.form_id,
                I.display_name,
            ).where(I.instance_id == instance_id)
        ).first()
        if row is None:
            raise self._not_found(instance_id)
        return row

    def _key_of(self, conn: Connection, any_id: str) -> str | None:
        """The interview_key of a current instanceID, a key, or an older revision's id."""
        key = conn.execute(
            select(I.interview_key).where(or_(I.instance_id == any_id, I.interview_key == any_id))
        ).scalar()
        if key is None:
            key = conn.execute(select(R.interview_key).where(R.instance_id == any_id)).scalar()
        return key

    def _draft_row(self, raw: sqlite3.Connection, instance_id: str) -> tuple[int, str, str]:
        """``(id, interview_key, display_name)`` of a draft that may change, read on the
        autosave path; StoreError for an unknown, deleted or finalized interview."""
        row = raw.execute(sql.DRAFT_ROW, (instance_id,)).fetchone()
        if row is None:
            raise self._not_found(instance_id)
        pk, key, status, deleted, name = row
        self._require_draft(_Current(key, status, deleted, name))
        return pk, key, name

    def _require_draft(self, row) -> None:
        if row.deleted:
            raise self._deleted(row.interview_key)
        if row.status != InterviewStatus.DRAFT:
            raise StoreError(
                N_(
                    "The interview {name} has the status “{status}”; reopen it for "
                    "correction before changing answers."
                ),
                code="not_draft",
                params={
                    "name": row.display_name or row.interview_key,
                    "status": status_param(row.status),
                },
            )

    def _keep_revision(self, conn: Connection, interview_pk: int) -> None:
        """Copy the interview's current state into interview_revisions (once per id)."""
        row = conn.execute(select(InterviewRow.__table__).where(I.id == interview_pk)).one()
        exists = conn.execute(select(R.id).where(R.instance_id == row.instance_id)).scalar()
        if exists is not None:
            return
        conn.execute(
            insert(RevisionRow).values(
                interview_key=row.interview_key,
                instance_id=row.instance_id,
                deprecated_id=row.deprecated_id,
                revision=row.revision,
                form_id=row.form_id,
                form_version=row.form_version,
                status=row.status,
                display_name=row.display_name,
                enumerator=row.enumerator,
                device_id=row.device_id,
                created_at=row.created_at,
                modified_at=row.modified_at,
                finalized_at=row.finalized_at,
                source="local",
                source_device=row.device_id,
                recorded_at=utc_now(),
                xml=row.xml,
            )
        )

    def _audit(
        self,
        conn: Connection,
        key: str,
        instance_id: str,
        event: str,
        *,
        old: str | None = None,
        new: str | None = None,
        user: str | None = None,
    ) -> None:
        stamp = audit.now_ms()
        self._audit_event(
            conn, key, instance_id, AuditEvent(event, None, stamp, stamp, old, new, user)
        )

    @staticmethod
    def _audit_event(conn: Connection, key: str, instance_id: str, event: AuditEvent) -> None:
        conn.exec_driver_sql(sql.INSERT_AUDIT, _audit_values(key, instance_id, event))

    @staticmethod
    def _not_found(instance_id: str) -> StoreError:
        return StoreError(
            N_("There is no interview {instance_id} in the database."),
            code="not_found",
            params={"instance_id": instance_id},
        )

    @staticmethod
    def _deleted(instance_id: str) -> StoreError:
        return StoreError(
            N_("The interview {instance_id} is deleted; restore it first."),
            code="deleted",
            params={"instance_id": instance_id},
        )


class _Current(NamedTuple):
    """What the draft check reads of an interview row."""

    interview_key: str
    status: str
    deleted: bool
    display_name: str


def _audit_values(key: str, instance_id: str, event: AuditEvent) -> tuple:
    """The parameters of ``statements.INSERT_AUDIT``."""
    start = event.start if event.start is not None else audit.now_ms()
    return (
        key,
        instance_id,
        event.event,
        event.node,
        start,
        event.end,
        event.old_value,
        event.new_value,
        event.user,
    )
