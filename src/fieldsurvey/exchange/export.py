"""Export interviews as a Central-layout workbook, Central's CSV zip or a Kobo workbook.

:func:`export_workbook` reads the store; :func:`write_export` does the writing from plain
inputs (form versions and interview items), so it is tested without a database. Every
export ends with the ``_fieldsurvey`` sheet (see :mod:`.package_sheet`) from which
:func:`fieldsurvey.exchange.importer.merge_files` rebuilds the interviews exactly.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fieldsurvey import __version__
from fieldsurvey.errors import CancelledError, ExchangeError
from fieldsurvey.exchange.central_xlsx import CentralPreset, RecordInfo
from fieldsurvey.exchange.kobo_xlsx import KoboPreset
from fieldsurvey.exchange.layout import CellMaker, Table, flatten, items_by_path
from fieldsurvey.exchange.package_sheet import (
    FORMAT_VERSION,
    HEADER,
    SHEET_NAME,
    PackageRecord,
    end_record,
    sha256_text,
)
from fieldsurvey.exchange.table_sinks import CsvZipSink, XlsxSink
from fieldsurvey.exchange.workbook_io import ExchangeWarning, atomic_output
from fieldsurvey.i18n import N_

log = logging.getLogger(__name__)

PRESETS = ("central", "central-csv", "kobo")
#: What an export holds unless a status is asked for: what a server would hold (Central
#: never holds drafts). Drafts come only when asked for, and then say so.
FINISHED_STATUSES = ("finalized", "sent", "exported")
CONFLICT_SHEET = "merge_report"
CONFLICT_HEADER = [
    "interview_key", "interview", "field", "column", "local_value", "incoming_value",
    "local_instance_id", "incoming_instance_id", "base_revision", "source_file",
    "detected_at",
]

Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None


@dataclass
class FormVersion:
    """One version of the exported form: its XForm and parsed definition."""

    form_id: str
    version: str | None
    title: str
    xform: str
    definition: Any
    source_sha256: str = ""


@dataclass
class ExportItem:
    """An interview to export: its current record, older revisions, audit and files."""

    record: Any  # fieldsurvey.store.InterviewRecord or alike
    revisions: list[Any] = field(default_factory=list)
    audit: list[Any] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)
    #: The content hashes the current content descends from (see InterviewRow.ancestors).
    ancestors: list[str] = field(default_factory=list)


@dataclass
class ExportReport:
    """What an export wrote, and every warning about it."""

    path: Path
    preset: str
    form_id: str
    interviews: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # sheet -> data rows
    warnings: list[ExchangeWarning] = field(default_factory=list)
    instance_ids: list[str] = field(default_factory=list)
    conflicts: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "preset": self.preset,
            "form_id": self.form_id,
            "interviews": self.interviews,
            "rows": self.rows,
            "conflicts": self.conflicts,
            "warnings": [w.as_dict() for w in self.warnings],
        }


def make_preset(preset: str, *, split_multiple: bool, group_names: bool):
    if preset in ("central", "central-csv"):
        return CentralPreset(split_multiple=split_multiple, group_names=group_names)
    if preset == "kobo":
        return KoboPreset(group_names=group_names)
    raise ExchangeError(
        N_("Unknown export layout {preset}; use central, central-csv or kobo."),
        code="exchange.preset", params={"preset": preset},
    )


def resolve_language(languages: list[str], wanted: str | None) -> str | None:
    """The form language that ``wanted`` names (``English (en)``, ``English`` or ``en``)."""
    if not wanted:
        return None
    for lang in languages:
        if wanted == lang:
            return lang
    low = wanted.lower()
    for lang in languages:
        name, _, code = lang.partition(" (")
        if low in (name.lower(), code.rstrip(")").lower()):
            return lang
    raise ExchangeError(
        N_("The form has no language {language}; its languages are: {languages}."),
        code="exchange.language",
        params={"language": wanted, "languages": ", ".join(languages) or "-"},
    )


def _stamp(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


INTERVIEW_FIELDS = (
    "instance_id", "interview_key", "form_id", "form_version", "status", "display_name",
    "enumerator", "device_id", "created_at", "modified_at", "finalized_at", "sent_at",
    "exported_at", "revision", "deprecated_id", "deleted", "error_count",
)
REVISION_FIELDS = (
    "interview_key", "instance_id", "deprecated_id", "revision", "form_id", "form_version",
    "status", "display_name", "enumerator", "device_id", "created_at", "modified_at",
    "finalized_at", "source", "source_device", "recorded_at",
)
AUDIT_FIELDS = ("event", "node", "start", "end", "old_value", "new_value", "user")


def record_meta(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(record, name, None)
        out[name] = str(value) if name == "status" and value is not None else _stamp(value)
    return out


def interview_records(item: ExportItem) -> list[PackageRecord]:
    """The package rows of one interview: older revisions first, then the current one."""
    rows = []
    for rev in item.revisions:
        if rev.instance_id == item.record.instance_id:
            continue
        rows.append(PackageRecord("revision", rev.instance_id, record_meta(rev, REVISION_FIELDS),
                                  rev.xml))
    meta = record_meta(item.record, INTERVIEW_FIELDS)
    meta["attachments"] = [[name, sha] for name, sha in item.attachments]
    meta["audit"] = [[_stamp(getattr(e, f, None)) for f in AUDIT_FIELDS] for e in item.audit]
    own = sha256_text(item.record.xml)
    ancestors = sorted(a for a in item.ancestors if a != own)
    if ancestors:
        # A merge tells by them that this content continues one it already holds.
        meta["ancestors"] = ancestors
    rows.append(PackageRecord("interview", item.record.instance_id, meta, item.record.xml))
    return rows


def first_submission_time(record: Any, revisions: Iterable[Any] = ()) -> datetime | None:
    """``SubmissionDate``: when the interview was first handed in, unchanged by corrections.

    ODK Central writes the submission's creation time, not its current version's:
    ``writeMetadata`` in getodk/central-backend ``lib/data/briefcase.js`` fills the
    column with ``(new Date(submission.createdAt)).toISOString()``, and an edit is a new
    version of the same submission (its own instanceID in ``meta-instanceID``). Here that
    is the finalize time of the interview's first finalized revision (the lowest revision
    number among ``revisions`` and ``record``; the earliest time between branches of the
    same number); a draft never finalized gives the time it was created.
    """
    finalized = [(r.revision, _utc(r.finalized_at)) for r in (*revisions, record)
                 if getattr(r, "finalized_at", None) is not None]
    if finalized:
        return min(finalized)[1]
    return getattr(record, "created_at", None) or record.modified_at


def _utc(moment: datetime) -> datetime:
    """Naive times are UTC in the store; aware ones compare with them once marked so."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class TableRows:
    """The data-sheet rows an export writes for each interview, cell for cell.

    Shared by the export and by the merge's check of edited data sheets
    (:mod:`fieldsurvey.exchange.data_sheet_check`), which rebuilds the same rows from the
    ``_fieldsurvey`` sheet and compares.
    """

    def __init__(self, forms: list[FormVersion], *, preset: str, labels: str | None,
                 split_multiple: bool, group_names: bool) -> None:
        newest = forms[0]
        self.maker = make_preset(preset, split_multiple=split_multiple, group_names=group_names)
        definitions = [f.definition for f in forms]
        self.language = resolve_language(list(newest.definition.languages or []), labels)
        self.tables = self.maker.tables(definitions, newest.form_id, newest.title)
        self.cells = CellMaker(items_by_path(definitions), self.language)
        self._by_version = {f.version or "": f.definition for f in forms}
        self._default = definitions[0]
        self._binary = {i.path for d in definitions for i in d.root.iter_items()
                        if i.datatype == "binary" and i.kind not in ("group", "repeat")}
        self._tables = {t.path: t for t in self.tables}
        self._serials = {t.path: 0 for t in self.tables}

    def rows(self, rec: Any, serial: int, attachments: int,
             revisions: Iterable[Any] = ()) -> Iterator[tuple[Table, list]]:
        """``(table, cells)`` of interview ``rec`` (the ``serial``-th of the export);
        ``revisions`` are its older revisions (for ``SubmissionDate``)."""
        definition = self._by_version.get(rec.form_version or "", self._default)
        # Central's KEY is the submission's first instanceID, the same after every edit
        # (see central_xlsx); meta-instanceID shows the current revision's.
        key = getattr(rec, "interview_key", None) or rec.instance_id
        rows = flatten(ET.fromstring(rec.xml), definition, key)
        info = RecordInfo(
            instance_id=rec.instance_id,
            submitted_at=first_submission_time(rec, revisions),
            enumerator=rec.enumerator,
            device_id=rec.device_id,
            form_version=rec.form_version,
            revision=rec.revision,
            status=str(rec.status),
            attachments_present=attachments,
            attachments_expected=sum(1 for r in rows for p in self._binary if r.values.get(p)),
            serial=serial,
        )
        maker, cells = self.maker, self.cells
        for row in rows:
            table = self._tables.get(row.table_path)
            if table is None:
                continue
            self._serials[row.table_path] += 1
            row.serial = self._serials[row.table_path]
            yield table, [
                maker.meta_cell(c, row, info, table) if c.role == "meta" else cells.cell(c, row)
                for c in table.columns
            ]


def write_export(
    dest: str | Path,
    *,
    forms: list[FormVersion],
    items: Iterable[ExportItem],
    preset: str = "central",
    labels: str | None = None,
    split_multiple: bool = False,
    group_names: bool = True,
    conflicts: list[list[Any]] | None = None,
    total: int = 0,
    progress: Progress = None,
    cancel: Cancel = None,
) -> ExportReport:
    """Write an export of ``items`` (interviews of the versions in ``forms``, newest first).

    The file appears at ``dest`` only when complete; a cancel (``cancel()`` returning
    True, raising :class:`CancelledError`) or a failure leaves nothing behind.
    """
    dest = Path(dest)
    if not forms:
        raise ExchangeError(N_("There is no form to export."), code="exchange.no_form")
    newest = forms[0]
    report = ExportReport(dest, preset, newest.form_id)
    builder = TableRows(forms, preset=preset, labels=labels, split_multiple=split_multiple,
                        group_names=group_names)
    tables = builder.tables

    with atomic_output(dest) as tmp:
        if preset == "central-csv":
            sink = CsvZipSink(tmp, report.warnings, newest.form_id)
        else:
            sink = XlsxSink(tmp, report.warnings)
        try:
            sheets = {}
            for table in tables:
                sheet = sink.open_table(table.sheet_name)
                table.sheet_name = sheet.title
                sheet.append([c.header for c in table.columns])
                sheets[table.path] = sheet
            conflict_sheet = None
            if conflicts:
                conflict_sheet = sink.open_table(CONFLICT_SHEET)
                conflict_sheet.append(CONFLICT_HEADER)
            package = sink.open_table(SHEET_NAME, hidden=True)
            package.append(HEADER)
            options = {"labels": builder.language, "split_multiple": split_multiple,
                       "group_names": group_names}
            count = _write_package_head(package, forms, preset, options)
            for n, item in enumerate(items, start=1):
                if cancel is not None and cancel():
                    raise CancelledError()
                rec = item.record
                for table, values in builder.rows(rec, n, len(item.attachments),
                                                  item.revisions):
                    sheets[table.path].append(values)
                for record in interview_records(item):
                    package.append(record.to_row())
                    count += 1
                report.interviews += 1
                report.instance_ids.append(rec.instance_id)
                if progress is not None:
                    progress(n, total)
            for row in conflicts or ():
                conflict_sheet.append(row)
            # Conflicts, not rows: one per interview_key and pair of revisions.
            report.conflicts = len({(row[0], row[6], row[7]) for row in conflicts or ()})
            # The data sheets are complete: their checksums let a merge see at once
            # whether anyone edited them (see data_sheet_check).
            digests = {t.sheet_name: sink.finish_table(sheets[t.path]) for t in tables}
            package.append(end_record(count, digests).to_row())
            for table in tables:
                report.rows[table.sheet_name] = sheets[table.path].rows - 1
            sink.close()
        except BaseException:
            sink.discard()
            raise
    log.info("exported %d interviews of %s to %s", report.interviews, report.form_id, dest)
    return report


def _write_package_head(package, forms: list[FormVersion], preset: str,
                        options: dict[str, Any]) -> int:
    head = PackageRecord("export", forms[0].form_id, {
        "format": FORMAT_VERSION,
        "application": f"FieldSurvey {__version__}",
        "exported_at": datetime.now(UTC).isoformat(),
        "form_id": forms[0].form_id,
        "preset": preset,
        **options,
    })
    package.append(head.to_row())
    count = 1
    for form in forms:
        key = f"{form.form_id}@{form.version or ''}"
        meta = {"form_id": form.form_id, "version": form.version, "title": form.title,
                "source_sha256": form.source_sha256}
        package.append(PackageRecord("form", key, meta, form.xform).to_row())
        count += 1
    return count


def export_workbook(
    store,
    form_id: str,
    dest: str | Path,
    *,
    preset: str = "central",
    labels: str | None = None,
    split_multiple: bool = False,
    group_names: bool = True,
    version: str | None = None,
    status: str | list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    enumerator: str | None = None,
    only_not_exported: bool = False,
    include_drafts: bool = False,
    mark_exported: bool = True,
    progress: Progress = None,
    cancel: Cancel = None,
) -> ExportReport:
    """Export the interviews of ``form_id`` in the store (filters as in the store's lists).

    Without ``status``, the finalized, sent and exported interviews are exported, and the
    drafts too only with ``include_drafts`` (a draft's row says ``draft`` in ``Status``).
    After a complete export the interviews are marked exported (``mark_exported``), so
    ``only_not_exported`` picks up only new ones next time.
    """
    from fieldsurvey.exchange.store_bridge import (
        export_items,
        form_versions,
        open_conflict_rows,
    )

    forms = form_versions(store, form_id, version)
    if status is None:
        status = [*FINISHED_STATUSES, "draft"] if include_drafts else list(FINISHED_STATUSES)
    filters = dict(form_id=form_id, version=version, status=status, enumerator=enumerator,
                   since=since, until=until, only_not_exported=only_not_exported)
    total = len(store.list_interviews(**filters))
    drafts: dict[str, str] = {}

    def items() -> Iterator[ExportItem]:
        for item in export_items(store, filters):
            if str(item.record.status) == "draft":
                drafts[item.record.instance_id] = sha256_text(item.record.xml)
            yield item

    report = write_export(
        dest,
        forms=forms,
        items=items(),
        preset=preset,
        labels=labels,
        split_multiple=split_multiple,
        group_names=group_names,
        conflicts=open_conflict_rows(store, form_id, forms[0].definition),
        total=total,
        progress=progress,
        cancel=cancel,
    )
    # A draft edited after this export continues what the file holds: remembered whether
    # or not interviews are marked exported.
    if drafts:
        store.record_exported_contents(drafts)
    if mark_exported and report.instance_ids:
        store.mark_exported(report.instance_ids)
    return report
