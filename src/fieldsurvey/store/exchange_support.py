"""Attachments, sync attempts and the bulk import path used by the exchange (merge).

Attachment files live in the data folder's ``attachments`` folder under their sha256, so
the same photo attached twice (or imported from two laptops) is stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.safe_names import ATTACHMENT, check_name
from fieldsurvey.store import statements as sql
from fieldsurvey.store.instance_xml import parse_instance, read_meta, search_text_of
from fieldsurvey.store.models import (
    AttachmentRow,
    InterviewRow,
    SyncAttemptRow,
    content_sha,
    hashes_of,
    hashes_text,
    to_utc_text,
    utc_now,
)
from fieldsurvey.store.records import InterviewStatus

AT = AttachmentRow.__table__.c
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ExchangeSupport:
    """The attachment, sync and bulk-import half of the Store (mixed into it)."""

    # -- attachments ---------------------------------------------------------------------

    def attachment_path(self, sha256: str) -> Path:
        """Where the file with this content hash is kept (a merged file names the hash:
        anything but 64 hex digits is refused)."""
        if not _SHA256.fullmatch(sha256 or ""):
            raise StoreError(
                N_("The attachment checksum {sha256} is not a SHA-256 checksum."),
                code="unsafe_name", params={"sha256": repr(sha256)},
            )
        return self.data_dir.attachments / sha256[:2] / sha256

    def add_attachment(
        self, instance_id: str, file_path: str | os.PathLike[str], *, filename: str | None = None
    ) -> str:
        """Keep a copy of a file for an interview; returns its sha256.

        ``filename`` (default: the file's name) is the name the instance XML uses; adding
        the same name again replaces the reference.
        """
        source = Path(file_path)
        # The instance names the file by this name: refused rather than changed.
        name = check_name(filename or source.name, ATTACHMENT, error=StoreError)
        with self._translated():
            with open(source, "rb") as fh:
                sha = hashlib.file_digest(fh, "sha256").hexdigest()
            target = self.attachment_path(sha)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{sha}.partial")
                shutil.copyfile(source, partial)
                with open(partial, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(partial, target)
        size = target.stat().st_size
        with self._write() as conn:
            row = self._current(conn, instance_id)
            existing = conn.execute(
                select(AT.id).where(AT.interview_id == row.id, AT.filename == name)
            ).scalar()
            values = {"sha256": sha, "size": size, "added_at": utc_now()}
            if existing is None:
                conn.execute(
                    insert(AttachmentRow).values(interview_id=row.id, filename=name, **values)
                )
            else:
                conn.execute(update(AttachmentRow).where(AT.id == existing).values(**values))
        return sha

    def attachments(self, instance_id: str) -> list[tuple[str, str, Path]]:
        """``(filename, sha256, path)`` of every file of an interview."""
        with self._write() as conn:
            row = self._current(conn, instance_id)
            rows = conn.execute(
                select(AT.filename, AT.sha256).where(AT.interview_id == row.id).order_by(AT.id)
            ).all()
        return [(name, sha, self.attachment_path(sha)) for name, sha in rows]

    # -- lineage of contents (see InterviewRow.ancestors) -----------------------------

    def content_ancestors(self, form_id: str) -> dict[str, list[str]]:
        """instanceID -> the content hashes its current content descends from."""
        with self.transaction() as session:
            rows = session.execute(
                select(InterviewRow.instance_id, InterviewRow.ancestors).where(
                    InterviewRow.form_id == form_id, InterviewRow.ancestors.is_not(None))
            ).all()
        return {instance_id: sorted(hashes_of(text)) for instance_id, text in rows}

    def record_exported_contents(self, contents: dict[str, str]) -> None:
        """Add to each interview's ancestors the content hash an export wrote
        (``contents``: instanceID -> hash): an edit made afterwards continues that content,
        and a merge of both files must see so."""
        ids = list(contents)
        with self.transaction() as session:
            for start in range(0, len(ids), 500):  # far below SQLite's variable limit
                for row in session.scalars(select(InterviewRow).where(
                        InterviewRow.instance_id.in_(ids[start:start + 500]))):
                    known = hashes_of(row.ancestors)
                    if contents[row.instance_id] not in known:
                        row.ancestors = hashes_text({*known, contents[row.instance_id]})

    def _attachment_hashes(self) -> list[str]:
        with self._write() as conn:
            return list(conn.execute(select(AT.sha256).distinct()).scalars())

    def _translated(self):
        from fieldsurvey.store.database import translated_errors

        return translated_errors(self.path)

    # -- sync ------------------------------------------------------------------------------

    def record_sync_attempt(
        self,
        instance_id: str,
        profile: str,
        url: str,
        status_code: int | None,
        response_text: str | None,
        ok: bool,
    ) -> None:
        """Keep one try at sending an interview, whatever its outcome."""
        with self._write() as conn:
            conn.execute(
                insert(SyncAttemptRow).values(
                    instance_id=instance_id,
                    profile=profile,
                    url=url,
                    status_code=status_code,
                    response_text=(response_text or "")[:20000],
                    ok=ok,
                    attempted_at=utc_now(),
                )
            )

    def sync_attempts(self, instance_id: str) -> list[SyncAttemptRow]:
        """The tries at sending an interview, oldest first."""
        with self.transaction() as session:
            return list(
                session.scalars(
                    select(SyncAttemptRow)
                    .where(SyncAttemptRow.instance_id == instance_id)
                    .order_by(SyncAttemptRow.id)
                )
            )

    # -- bulk import -------------------------------------------------------------------------

    def import_revision(
        self,
        session: Session,
        xml: str,
        *,
        status: str | InterviewStatus = InterviewStatus.FINALIZED,
        form_id: str | None = None,
        form_version: str | None = None,
        display_name: str | None = None,
        enumerator: str | None = None,
        device_id: str | None = None,
        created_at: datetime | None = None,
        modified_at: datetime | None = None,
        finalized_at: datetime | None = None,
        source: str = "import",
        make_current: bool = True,
    ) -> str:
        """Add one revision of an interview inside ``store.transaction()`` (bulk path).

        The instance's ``meta/instanceID`` names the revision; a ``meta/deprecatedID``
        links it to the interview it corrects. Returns ``"duplicate"`` when this
        instanceID is already stored (nothing changes: importing twice is harmless),
        ``"new"`` for a new interview, ``"revision"`` for a new revision of a known one.
        With ``make_current`` the interview row shows this revision afterwards; merge
        logic (which revision wins, conflicts) is the caller's.
        """
        root = parse_instance(xml)
        meta = read_meta(root)
        instance_id = meta.instance_id
        if not instance_id:
            raise StoreError(
                N_("The imported interview has no meta/instanceID."), code="bad_instance"
            )
        form_id = form_id or meta.form_id
        if not form_id:
            raise StoreError(
                N_("The imported interview {instance_id} names no form."),
                code="bad_instance",
                params={"instance_id": instance_id},
            )
        version = form_version if form_version is not None else (meta.version or "")
        # Plain SQL on the session's own connection (same transaction): building a
        # SQLAlchemy statement per row cost more than SQLite took to run it.
        conn = session.connection()
        raw = sql.driver_connection(conn)
        if raw.execute(sql.REVISION_EXISTS, (instance_id,)).fetchone() is not None:
            return "duplicate"
        current = raw.execute(sql.CURRENT_BY_INSTANCE, (instance_id,)).fetchone()
        if current is not None and current[2] != InterviewStatus.DRAFT:
            return "duplicate"
        key = current[1] if current is not None else None
        if key is None and meta.deprecated_id:
            old = meta.deprecated_id
            found = (
                raw.execute(sql.KEY_BY_ANY_ID, (old, old)).fetchone()
                or raw.execute(sql.KEY_BY_REVISION, (old,)).fetchone()
            )
            key = found[0] if found else None
        outcome = "revision" if key else "new"
        key = key or instance_id
        last = None
        if outcome == "revision":
            last = raw.execute(sql.LAST_REVISION, (key,)).fetchone()[0]
        now = to_utc_text(utc_now())
        name = display_name if display_name is not None else meta.instance_name or ""
        common = (
            instance_id,
            meta.deprecated_id,
            (last or 0) + 1,
            form_id,
            version,
            InterviewStatus(status).value,
            name,
            enumerator,
            device_id,
            _time_text(created_at) or now,
            _time_text(modified_at) or now,
            _time_text(finalized_at),
            xml,
        )
        raw.execute(sql.INSERT_REVISION, (key, source, device_id, now, *common, content_sha(xml)))
        if make_current:
            search = search_text_of(root, name)
            if current is not None:
                target = current[0]
            else:
                found = raw.execute(sql.ID_BY_KEY, (key,)).fetchone()
                target = found[0] if found else None
            if target is None:
                form_pk = self._form_pk(conn, form_id, version)
                raw.execute(sql.INSERT_INTERVIEW, (key, form_pk, 0, 0, search, *common))
            else:
                raw.execute(sql.UPDATE_INTERVIEW, (*common, search, target))
        self._imported_rows += 1
        return outcome


def _time_text(value: datetime | str | None) -> str | None:
    """A time as stored (strings are taken as already stored, as UtcDateTime does)."""
    if value is None or isinstance(value, str):
        return value
    return to_utc_text(value)
