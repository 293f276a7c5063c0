"""Merge one interview (all its revisions) from an export into the store.

An interview is keyed on its first instanceID (``interview_key``); each revision has its
own instanceID and names the one it replaces in ``deprecatedID``. Every revision is kept in
``interview_revisions``; the interview row holds the newest. When the incoming revision and
the local one descend from the same revision along different branches (two laptops
changed the same interview), both are kept, the newer becomes current, and a
``merge_conflicts`` row records the field-by-field differences. A draft keeps its
instanceID while edited: contents under one instanceID are told apart by their lineage
(the content hashes each descends from), and a rival one is a conflict, never a clock's
choice (see :meth:`InterviewMerger._same_instance`).
"""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from sqlalchemy import select

from fieldsurvey.errors import ExchangeError, FieldSurveyError, FormError
from fieldsurvey.exchange.layout import column_name
from fieldsurvey.exchange.merge_prepare import Incoming, parse_record, reject
from fieldsurvey.exchange.merge_report import Conflict, MergeReport, differences
from fieldsurvey.exchange.package_sheet import SHEET_NAME, PackageRecord, sha256_text
from fieldsurvey.exchange.workbook_io import ExchangeWarning
from fieldsurvey.i18n import N_
from fieldsurvey.safe_names import check_form_id, check_version, name_problem
from fieldsurvey.store.instance_xml import search_text_of
from fieldsurvey.store.models import (
    AttachmentRow,
    AuditRow,
    InstalledFormRow,
    InterviewRow,
    MergeConflictRow,
    RevisionRow,
    content_sha,
    hashes_of,
    hashes_text,
    iso_to_utc_text,
    to_utc_text,
    utc_now,
)

log = logging.getLogger(__name__)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _when(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _when_text(text: Any) -> str | None:
    """:func:`_when` as the stored text (what a batch inserts at the driver)."""
    if not text:
        return None
    try:
        return iso_to_utc_text(text)
    except (TypeError, ValueError):
        return None


def ancestors_of(rec: PackageRecord) -> list[str]:
    """The content hashes ``rec`` says it descends from (files before them: none)."""
    found = rec.meta.get("ancestors")
    if not isinstance(found, list):
        return []
    return sorted({a for a in found if isinstance(a, str) and _SHA256.fullmatch(a)})


@dataclass(frozen=True)
class Times:
    """How row values carry times: datetimes for ORM rows, stored text for the driver."""

    when: Callable[[Any], Any]
    now: Any

    @staticmethod
    def for_orm() -> Times:
        return Times(_when, utc_now())

    @staticmethod
    def as_text() -> Times:
        """Times as stored; ``now`` read once (a batch's rows share it)."""
        return Times(_when_text, to_utc_text(utc_now()))


def ensure_form(session, record: PackageRecord, path: Path) -> int:
    """The id of the installed form version in ``record``, installing it when new.

    The same form id and version with a different XForm is refused (the file is rejected
    as a whole): the interviews would not fit the installed form.
    """
    from fieldsurvey.forms import parse_xform

    meta = record.meta
    form_id = meta.get("form_id") or ""
    version = meta.get("version") or ""
    xform_sha = sha256_text(record.text)
    row = session.scalar(
        select(InstalledFormRow).where(
            InstalledFormRow.form_id == form_id, InstalledFormRow.version == version
        )
    )
    if row is not None:
        if row.xform_sha256 != xform_sha:
            raise reject(
                path, record,
                N_("Version {version} of the form {form_id} in this file differs from the one "
                   "installed; the file was not merged."),
                {"form_id": form_id, "version": version or "-"}, code="exchange.form_clash",
            )
        return row.id
    try:
        definition = parse_xform(record.text)
    except FormError as exc:
        raise reject(path, record, N_("The form embedded in the file cannot be read."),
                      code="exchange.bad_form") from exc
    if definition.form_id != form_id or (definition.version or "") != version:
        raise reject(path, record, N_("The form embedded in the file was changed."),
                      code="exchange.tampered")
    where = {"path": str(path), "sheet": SHEET_NAME, "row": record.row}
    check_form_id(form_id, error=ExchangeError, **where)
    check_version(version, error=ExchangeError, **where)
    row = InstalledFormRow(
        form_id=form_id,
        version=version,
        title=definition.title,
        languages=json.dumps(list(definition.languages), ensure_ascii=False),
        default_language=definition.default_language,
        source_name=path.name,
        source_sha256=meta.get("source_sha256") or xform_sha,
        xform_sha256=xform_sha,
        installed_at=utc_now(),
        xform=record.text,
    )
    session.add(row)
    session.flush()
    return row.id


def revision_values(rec: PackageRecord, key: str, source: str,
                    times: Times | None = None) -> dict[str, Any]:
    """The ``interview_revisions`` row of a package record, as column values."""
    m = rec.meta
    times = times or Times.for_orm()
    when = times.when
    return {
        "interview_key": key,
        "instance_id": rec.key,
        "deprecated_id": m.get("deprecated_id"),
        "revision": int(m.get("revision") or 1),
        "form_id": m.get("form_id") or "",
        "form_version": m.get("form_version") or "",
        "status": str(m.get("status") or "finalized"),
        "display_name": m.get("display_name") or "",
        "enumerator": m.get("enumerator"),
        "device_id": m.get("device_id"),
        "created_at": when(m.get("created_at")),
        "modified_at": when(m.get("modified_at")),
        "finalized_at": when(m.get("finalized_at")),
        "source": source,
        "source_device": m.get("device_id"),
        "recorded_at": times.now,
        "xml": rec.text,
        "content_sha": content_sha(rec.text),
        "ancestors": hashes_text(set(ancestors_of(rec))),
    }


def current_values(rec: PackageRecord, key: str, form_pk: int | None,
                   root: ET.Element | None = None, *,
                   error_count: int | None = None, times: Times | None = None
                   ) -> dict[str, Any]:
    """The ``interviews`` row showing ``rec`` as the current revision, as column values;
    ``error_count`` (the open problems of a draft, see
    :meth:`InterviewMerger.error_count`) stands for the count the file recorded."""
    m = rec.meta
    name = m.get("display_name") or ""
    times = times or Times.for_orm()
    when = times.when
    return {
        "instance_id": rec.key,
        "interview_key": key,
        "form_pk": form_pk,
        "form_id": m.get("form_id") or "",
        "form_version": m.get("form_version") or "",
        "status": str(m.get("status") or "finalized"),
        "display_name": name,
        "enumerator": m.get("enumerator"),
        "device_id": m.get("device_id"),
        "created_at": when(m.get("created_at")) or times.now,
        "modified_at": when(m.get("modified_at")) or times.now,
        "finalized_at": when(m.get("finalized_at")),
        "sent_at": when(m.get("sent_at")),
        "exported_at": when(m.get("exported_at")),
        "revision": int(m.get("revision") or 1),
        "deprecated_id": m.get("deprecated_id"),
        "deleted": bool(m.get("deleted")),
        "error_count": error_count if error_count is not None else int(m.get("error_count") or 0),
        "search_text": (rec.search_text if rec.search_text is not None
                        else search_text_of(root if root is not None else rec.text, name)),
        "xml": rec.text,
        # Its own hash too: an edit made here after the merge continues this content.
        "ancestors": hashes_text({*ancestors_of(rec), content_sha(rec.text)}),
    }


def _revision_row(rec: PackageRecord, key: str, source: str) -> RevisionRow:
    return RevisionRow(**revision_values(rec, key, source))


def audit_values(key: str, rec: PackageRecord, present: set[tuple]) -> list[dict[str, Any]]:
    """The audit rows of ``rec`` not yet stored (``present``: instance, event, node, start)."""
    out = []
    for event in rec.meta.get("audit") or ():
        name, node, start, end, old, new, user = (list(event) + [None] * 7)[:7]
        if (rec.key, name, node, start) in present:
            continue
        present.add((rec.key, name, node, start))
        out.append({"interview_key": key, "instance_id": rec.key, "event": name, "node": node,
                    "start": start or 0, "end": end, "old_value": old, "new_value": new,
                    "user": user})
    return out


class InterviewMerger:
    """Merges the interviews of one file inside the caller's transaction."""

    def __init__(self, session, store, path: Path, report: MergeReport) -> None:
        self.session = session
        self.store = store
        self.path = path
        self.report = report
        self.source = f"import:{path.name}"
        self._definitions: dict[int | None, Any] = {}

    def merge(self, current: PackageRecord, older: list[PackageRecord],
              form_pk: int | None, incoming: Incoming | None = None) -> str:
        """Merge one interview; returns new, updated, unchanged or conflicting.

        ``incoming`` is ``current`` already parsed (and its older revisions checked).
        """
        s = self.session
        if incoming is None:
            incoming = parse_record(self.path, current)
            for rec in older:
                parse_record(self.path, rec)
        key = interview_key_of(current, older)
        row = s.scalar(select(InterviewRow).where(InterviewRow.interview_key == key))
        if row is None:
            row = s.scalar(select(InterviewRow).where(InterviewRow.instance_id == current.key))
        self._keep_revisions(key, [*older, current])
        if row is None:
            row = InterviewRow()
            self._apply(row, current, key, form_pk, incoming.root)
            s.add(row)
            s.flush()
            self._add_audit(key, current)
            self.add_attachments(row, current)
            return "new"
        if row.instance_id == current.key:
            if row.xml == current.text:
                return "unchanged"
            return self._same_instance(row, current, incoming, key, form_pk)
        links = self._links(key)
        links.setdefault(row.instance_id, row.deprecated_id)
        if row.instance_id in _ancestors(current.key, links):
            self._local_revision(row)  # nothing replaced is lost, whatever the file says
            self._apply(row, current, key, form_pk, incoming.root)
            self._add_audit(key, current)
            self.add_attachments(row, current)
            return "updated"
        if current.key in _ancestors(row.instance_id, links):
            return "unchanged"
        local_root = SafeET.fromstring(row.xml)
        diffs = differences(local_root, incoming.root)
        if not diffs:
            return self._converge(row, current, incoming, key, form_pk)
        # A branch that only repeats what the other side already holds is no conflict:
        # the incoming revision continues from a revision equal to the local one
        # (fast-forward), or the local one from a revision equal to the incoming one.
        if self._descends_from_equal(current.key, row.instance_id, local_root, links):
            self._local_revision(row)
            self._apply(row, current, key, form_pk, incoming.root)
            self._add_audit(key, current)
            self.add_attachments(row, current)
            return "updated"
        if self._descends_from_equal(row.instance_id, current.key, incoming.root, links):
            return "unchanged"
        return self._conflict(row, current, incoming, key, links, form_pk, diffs)

    def _same_instance(self, row: InterviewRow, current: PackageRecord, incoming: Incoming,
                       key: str, form_pk: int | None) -> str:
        """Another content under the instanceID the interview shows: a draft continued
        here or elsewhere (it keeps its instanceID while edited), or a rewritten record.

        Lineage decides, never the clocks: a content whose ancestors hold the current
        one continues it (the current content is kept as a revision first); one that a
        kept content descends from is older; any other is a conflict with every kept
        content it does not continue and that nothing continues (both kept, reported,
        the interview left showing what it showed until a person decides).
        """
        s = self.session
        sha = content_sha(current.text)
        local_sha = content_sha(row.xml)
        incoming_ancestors = set(ancestors_of(current))
        kept = {local_sha: hashes_of(row.ancestors) - {local_sha}}
        for rev_sha, rev_ancestors in self._contents(current.key):
            kept.setdefault(rev_sha, set()).update(hashes_of(rev_ancestors) - {rev_sha})
        kept[sha] = incoming_ancestors - {sha}
        continued = set().union(*(kept[c] for c in kept if c != sha))
        if sha in continued:
            return "unchanged"  # an earlier state of a content already here
        outcome = "unchanged"
        if local_sha in incoming_ancestors:
            self._local_revision(row)
            self._apply(row, current, key, form_pk, incoming.root)
            row.ancestors = hashes_text(kept[local_sha] | incoming_ancestors | {local_sha, sha})
            self._add_audit(key, current)
            self.add_attachments(row, current)
            outcome = "updated"
        rivals = sorted(c for c in kept if c != sha and c not in incoming_ancestors
                        and c not in continued)
        if not rivals:
            s.flush()
            return outcome
        local_rev = self._local_revision(row) if local_sha in rivals else None
        incoming_rev = self._revision_of(current.key, sha)
        for rival in rivals:
            other = local_rev if rival == local_sha else self._revision_of(current.key, rival)
            if other is None or incoming_rev is None:
                continue
            diffs = differences(SafeET.fromstring(other.xml), incoming.root)
            # Same answers (only meta differs): both kept, nothing for a person to decide.
            if diffs and self._record_conflict(key, other, incoming_rev, current, diffs,
                                                form_pk, row.display_name):
                outcome = "conflicting"
        s.flush()
        return outcome

    def _contents(self, instance_id: str) -> list[tuple[str, str | None]]:
        """(content hash, ancestors) of every kept content of ``instance_id``."""
        return [tuple(r) for r in self.session.execute(
            select(RevisionRow.content_sha, RevisionRow.ancestors).where(
                RevisionRow.instance_id == instance_id)).all()]

    def _revision_of(self, instance_id: str, sha: str) -> RevisionRow | None:
        """The kept revision holding this content of ``instance_id``."""
        return self.session.scalar(select(RevisionRow).where(
            RevisionRow.instance_id == instance_id, RevisionRow.content_sha == sha))

    def _record_conflict(self, key: str, local_rev: RevisionRow, incoming_rev: RevisionRow,
                         current: PackageRecord, diffs: list, form_pk: int | None,
                         display_name: str) -> bool:
        """Record a conflict between two kept revisions of one instanceID, once."""
        s = self.session
        pair = [local_rev.id, incoming_rev.id]
        known = s.scalar(select(MergeConflictRow.id).where(
            MergeConflictRow.interview_key == key,
            MergeConflictRow.local_revision_id.in_(pair),
            MergeConflictRow.incoming_revision_id.in_(pair)))
        if known is not None:
            return False
        self._name_columns(diffs, form_pk)
        s.add(MergeConflictRow(
            interview_key=key, base_revision=local_rev.revision, local_revision_id=local_rev.id,
            incoming_revision_id=incoming_rev.id,
            differences=json.dumps([d.as_dict() for d in diffs], ensure_ascii=False),
            source_file=self.path.name, detected_at=utc_now(),
        ))
        self.report.conflicts.append(Conflict(
            key, local_rev.instance_id, current.key, local_rev.revision, str(self.path), diffs,
            display_name=current.meta.get("display_name") or display_name or "",
        ))
        return True

    def error_count(self, rec: PackageRecord, form_pk: int | None) -> int | None:
        """The open problems of a draft (unanswered required questions, broken
        constraints), counted by the engine for the interview list's Errors column;
        None for a finalized interview, or when the form or the record cannot be read
        (the count the file recorded stands then).

        Only drafts are validated: they are few in an export, and a finalized interview
        had none when it was finalized. The file's own count is not trusted for drafts:
        a laptop that never stored it wrote 0.
        """
        if str(rec.meta.get("status") or "finalized") != "draft":
            return None
        definition = self._definition(form_pk)
        if definition is None:
            return None
        from fieldsurvey.forms import FormSession

        try:
            return len(FormSession.from_xml(definition, rec.text).validate())
        except FieldSurveyError as exc:
            log.info("open problems of the draft %s not counted: %s", rec.key, exc.english())
        except Exception:  # a convenience for the list: never a reason to stop a merge
            log.warning("open problems of the draft %s not counted", rec.key, exc_info=True)
        return None

    def _apply(self, row: InterviewRow, rec: PackageRecord, key: str, form_pk: int | None,
               root: ET.Element | None = None) -> None:
        """Make ``rec`` the current revision shown by ``row``."""
        values = current_values(rec, key, form_pk, root,
                                error_count=self.error_count(rec, form_pk))
        for name, value in values.items():
            setattr(row, name, value)

    def _converge(self, row: InterviewRow, current: PackageRecord, incoming: Incoming,
                  key: str, form_pk: int | None) -> str:
        """Two branches with the same answers (two laptops made the same correction):
        no conflict. Both revisions are kept; the current one is chosen as a conflict's
        would be (the newer, then the greater instanceID), so that the order of the
        files does not matter. A conflict recorded for this pair before is closed."""
        s = self.session
        pair = [r.id for r in (self._revision_of(row.instance_id, content_sha(row.xml)),
                               self._revision_of(current.key, content_sha(current.text))) if r]
        for open_conflict in s.scalars(select(MergeConflictRow).where(
                MergeConflictRow.interview_key == key, MergeConflictRow.resolved.is_(False),
                MergeConflictRow.local_revision_id.in_(pair),
                MergeConflictRow.incoming_revision_id.in_(pair))):
            open_conflict.resolved = True
            open_conflict.resolved_at = utc_now()
            open_conflict.resolution = "same answers"
        incoming_time = _when(current.meta.get("modified_at"))
        local = (row.modified_at, row.instance_id)
        if incoming_time and row.modified_at and (incoming_time, current.key) > local:
            self._local_revision(row)
            self._apply(row, current, key, form_pk, incoming.root)
            self._add_audit(key, current)
            s.flush()
            return "updated"
        s.flush()
        return "unchanged"

    def _descends_from_equal(self, newer: str, other: str, other_root: ET.Element,
                             links: dict[str, str | None]) -> bool:
        """Whether an earlier revision of ``newer`` (not one ``other`` descends from) has
        the same answers as ``other``."""
        shared = set(_ancestors(other, links))
        earlier = [i for i in _ancestors(newer, links)[1:] if i not in shared]
        if not earlier:
            return False
        texts = self.session.execute(select(RevisionRow.xml).where(
            RevisionRow.instance_id.in_(earlier))).scalars()
        return any(not differences(SafeET.fromstring(text), other_root) for text in texts)

    def _links(self, key: str) -> dict[str, str | None]:
        rows = self.session.execute(
            select(RevisionRow.instance_id, RevisionRow.deprecated_id).where(
                RevisionRow.interview_key == key
            )
        ).all()
        return {r.instance_id: r.deprecated_id for r in rows}

    def _keep_revisions(self, key: str, records: list[PackageRecord]) -> None:
        """Keep every content of ``records`` (one instanceID may bring several)."""
        s = self.session
        for rec in records:
            if self._revision_of(rec.key, content_sha(rec.text)) is None:
                s.add(_revision_row(rec, key, self.source))
                s.flush()

    def _local_revision(self, row: InterviewRow) -> RevisionRow:
        """The kept revision of what ``row`` shows, kept now if it was not yet."""
        s = self.session
        rev = self._revision_of(row.instance_id, content_sha(row.xml))
        if rev is None:
            rev = RevisionRow(
                interview_key=row.interview_key, instance_id=row.instance_id,
                deprecated_id=row.deprecated_id, revision=row.revision, form_id=row.form_id,
                form_version=row.form_version, status=row.status,
                display_name=row.display_name, enumerator=row.enumerator,
                device_id=row.device_id, created_at=row.created_at,
                modified_at=row.modified_at, finalized_at=row.finalized_at, source="local",
                source_device=row.device_id, recorded_at=utc_now(), xml=row.xml,
                ancestors=hashes_text(hashes_of(row.ancestors) - {content_sha(row.xml)}),
            )
            s.add(rev)
            s.flush()
        return rev

    def _conflict(self, row, current, incoming: Incoming, key, links, form_pk,
                  diffs: list) -> str:
        s = self.session
        local_rev = self._local_revision(row)
        incoming_rev = self._revision_of(current.key, content_sha(current.text))
        known = s.scalar(
            select(MergeConflictRow.id).where(
                MergeConflictRow.interview_key == key,
                MergeConflictRow.local_revision_id.in_([local_rev.id, incoming_rev.id]),
                MergeConflictRow.incoming_revision_id.in_([local_rev.id, incoming_rev.id]),
            )
        )
        if known is not None:
            return "unchanged"  # merged before: the conflict is already recorded
        local_chain = _ancestors(row.instance_id, links)
        base_id = next((i for i in _ancestors(current.key, links) if i in local_chain), None)
        base_rev = s.scalar(select(RevisionRow.revision).where(RevisionRow.instance_id == base_id))
        self._name_columns(diffs, form_pk)
        s.add(MergeConflictRow(
            interview_key=key, base_revision=base_rev, local_revision_id=local_rev.id,
            incoming_revision_id=incoming_rev.id,
            differences=json.dumps([d.as_dict() for d in diffs], ensure_ascii=False),
            source_file=self.path.name, detected_at=utc_now(),
        ))
        self.report.conflicts.append(Conflict(
            key, row.instance_id, current.key, base_rev, str(self.path), diffs,
            display_name=current.meta.get("display_name") or row.display_name or "",
        ))
        incoming_time = _when(current.meta.get("modified_at"))
        if incoming_time and row.modified_at and incoming_time > row.modified_at:
            self._apply(row, current, key, form_pk, incoming.root)
        s.flush()
        return "conflicting"

    def _definition(self, form_pk: int | None):
        """The form definition of an installed version, read once per merge (from the
        merge's own transaction: the version may have come with this file)."""
        from fieldsurvey.forms import parse_xform

        if form_pk not in self._definitions:
            form = self.session.get(InstalledFormRow, form_pk) if form_pk else None
            try:
                self._definitions[form_pk] = parse_xform(form.xform) if form else None
            except FormError:
                self._definitions[form_pk] = None
        return self._definitions[form_pk]

    def _name_columns(self, diffs: list, form_pk: int | None) -> None:
        """Give each difference the export column it shows in (Central's naming)."""
        definition = self._definition(form_pk)
        if definition is not None:
            for diff in diffs:
                diff.column = column_name(definition, diff.field)

    def _add_audit(self, key: str, rec: PackageRecord) -> None:
        s = self.session
        present = set(s.execute(
            select(AuditRow.instance_id, AuditRow.event, AuditRow.node, AuditRow.start).where(
                AuditRow.interview_key == key
            )
        ).all())
        for values in audit_values(key, rec, present):
            s.add(AuditRow(**values))

    def add_attachments(self, row: InterviewRow, rec: PackageRecord) -> None:
        for name, sha in rec.meta.get("attachments") or ():
            if name_problem(str(name)) is not None or not _SHA256.fullmatch(str(sha)):
                # The file names both; neither may choose a path (the instance keeps its
                # answer, without the file).
                self.report.warnings.append(ExchangeWarning(
                    N_("The attachment {name} of interview {key} was not merged: its file "
                       "name or checksum is not safe to use."),
                    {"name": repr(name), "key": rec.key}, path=str(self.path),
                    sheet=SHEET_NAME, row=rec.row,
                ))
                continue
            try:
                file = Path(self.store.attachment_path(sha))
            except Exception:
                file = None
            if file is None or not file.exists():
                self.report.warnings.append(ExchangeWarning(
                    N_("The attachment {name} of interview {key} is not in this data folder; "
                       "copy its file to import it."),
                    {"name": name, "key": rec.key}, path=str(self.path), sheet=SHEET_NAME,
                    row=rec.row,
                ))
                continue
            exists = self.session.scalar(select(AttachmentRow.id).where(
                AttachmentRow.interview_id == row.id, AttachmentRow.sha256 == sha))
            if exists is None:
                self.session.add(AttachmentRow(interview_id=row.id, filename=name, sha256=sha,
                                               size=file.stat().st_size, added_at=utc_now()))


def interview_key_of(current: PackageRecord, older: list[PackageRecord]) -> str:
    """The interview's key: as recorded, or the first instanceID of its revision chain."""
    key = current.meta.get("interview_key")
    if key:
        return key
    links = {r.key: r.meta.get("deprecated_id") for r in [*older, current]}
    return _ancestors(current.key, links)[-1]


def _ancestors(instance_id: str, links: dict[str, str | None]) -> list[str]:
    """``instance_id`` and the revisions it replaces, newest first (cycle-safe)."""
    chain = [instance_id]
    seen = {instance_id}
    nxt = links.get(instance_id)
    while nxt and nxt not in seen:
        chain.append(nxt)
        seen.add(nxt)
        nxt = links.get(nxt)
    return chain
