"""Merge FieldSurvey exports (``.xlsx`` workbooks or Central CSV zips) into the store.

Each file is merged in one transaction: a file rejected as a whole (not a workbook,
damaged, an XML bomb, not a FieldSurvey export, edited or tampered records, a form that
clashes with an installed one) leaves the store exactly as it was, and the other files
are still merged. The data sheets are for people; interviews are rebuilt from the
``_fieldsurvey`` sheet, read as a stream.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from defusedxml import ElementTree as SafeET
from sqlalchemy import select

from fieldsurvey.errors import CancelledError, ExchangeError, FieldSurveyError
from fieldsurvey.exchange.data_sheet_check import DataSheetCheck
from fieldsurvey.exchange.merge import InterviewMerger, ensure_form
from fieldsurvey.exchange.merge_batch import MergeBatch
from fieldsurvey.exchange.merge_prepare import (
    PreparedFiles,
    package_rows,
    prepared_records,
    preparing,
    worker_count,
)
from fieldsurvey.exchange.merge_report import (
    OUTCOMES,
    Duplicate,
    FileResult,
    MergeReport,
    ReportNotSavedError,
    write_report,
)
from fieldsurvey.exchange.package_sheet import SHEET_NAME
from fieldsurvey.exchange.workbook_io import ExchangeWarning
from fieldsurvey.gc_pause import paused_gc
from fieldsurvey.i18n import N_

log = logging.getLogger(__name__)


#: Errors of a data sheet that refuse the whole file rather than warn: a zip bomb, a NUL.
REFUSING_CODES = ("exchange.bomb", "exchange.xml_bomb", "exchange.nul")


def _check_data_sheets(path: Path, report: MergeReport, head, forms, end) -> None:
    """Warn about cells edited in the data sheets (they are not merged); see data_sheet_check."""
    if head is None or not forms:
        return
    try:
        DataSheetCheck(path, report.warnings).run(head, forms, end, lambda: package_rows(path))
    except FieldSurveyError as exc:
        if exc.code in REFUSING_CODES:
            raise
        # The interviews are merged; only the comparison failed (a damaged data sheet).
        report.warnings.append(ExchangeWarning(exc.message, dict(exc.params or {}),
                                               path=str(path), sheet=exc.sheet, row=exc.row,
                                               column=exc.column))


def merge_file(store, path: Path, report: MergeReport, cancel=None,
               prepared: PreparedFiles | None = None, index: int = 0) -> FileResult:
    """Merge one file in one transaction; on rejection nothing of it is kept.

    The records are read here, or taken from ``prepared`` (file ``index`` of it).
    """
    result = FileResult(path)
    conflicts_before = len(report.conflicts)
    warnings_before = len(report.warnings)
    seen = 0
    try:
        # Parsed instances are element trees: the collector would walk every batch of
        # them again and again (a fifth of a merge's time), and they form no cycles.
        with paused_gc(), store.transaction() as session:
            batch = MergeBatch(InterviewMerger(session, store, path, report))
            forms: dict[tuple[str, str], int] = {}
            older = []
            head, form_records, end = None, [], []
            records = (prepared.records(index, end) if prepared is not None
                       else prepared_records(path, end))
            for record in records:
                if cancel is not None and cancel():
                    raise CancelledError()
                if record.kind == "export":
                    head = record
                elif record.kind == "form":
                    form_records.append(record)
                    meta = record.meta
                    forms[(meta.get("form_id") or "", meta.get("version") or "")] = ensure_form(
                        session, record, path)
                elif record.kind == "revision":
                    older.append(record)
                elif record.kind == "interview":
                    seen += 1
                    m = record.meta
                    form_pk = forms.get((m.get("form_id") or "", m.get("form_version") or ""))
                    if form_pk is None:
                        raise ExchangeError(
                            N_("The form of interview {key} is not in the file."),
                            code="exchange.record", params={"key": record.key},
                            path=str(path), sheet=SHEET_NAME, row=record.row,
                        )
                    batch.add(record, older, form_pk)
                    older = []
            batch.flush()
            result.counts.update(batch.counts)
            # Inside the transaction: a zip bomb found in a data sheet refuses the whole file.
            _check_data_sheets(path, report, head, form_records, end[0] if end else None)
    except CancelledError:
        raise
    except FieldSurveyError as exc:
        log.info("merge of %s rejected: %s", path, exc.english())
        del report.conflicts[conflicts_before:]
        del report.warnings[warnings_before:]
        result.counts = dict.fromkeys(OUTCOMES, 0)
        result.counts["rejected"] = seen
        result.error = exc
    return result


def merge_files(
    store,
    paths: Sequence[str | Path],
    *,
    report_path: str | Path | None = None,
    duplicate_keys: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> MergeReport:
    """Merge exports into ``store``: new, updated, unchanged, conflicting, rejected.

    Merging the same file twice changes nothing. ``duplicate_keys`` names fields
    (``org,country``) whose equal values across different interviews are reported as
    likely duplicates. ``report_path`` saves the report as a workbook as well; when
    that fails, the merge stays saved and ``report.report_error`` says why.
    ``workers``: processes that read and check the files ahead of the merge (see
    :func:`~fieldsurvey.exchange.merge_prepare.worker_count`; 0 reads them here).
    """
    report = MergeReport()
    paths = [Path(p) for p in paths]
    store.backup_before("merge")  # a merge can change many interviews at once
    with preparing(paths, worker_count(paths, workers)) as prepared:
        for i, path in enumerate(paths):
            report.files.append(merge_file(store, path, report, cancel, prepared, i))
            if progress is not None:
                progress(i + 1, len(paths))
    if duplicate_keys:
        report.duplicates = find_duplicates(store, list(duplicate_keys))
    if report_path is not None:
        try:
            write_report(report, report_path)
        except (ExchangeError, OSError) as exc:
            # The interviews are merged and committed: say so, and why the report is not.
            report.report_error = ReportNotSavedError(exc, report_path)
            log.warning("%s", report.report_error.english())
    return report


def find_duplicates(store, keys: list[str]) -> list[Duplicate]:
    """Interviews (not deleted) whose values of ``keys`` are all equal and not empty."""
    from fieldsurvey.store.models import InterviewRow

    groups: dict[tuple, list[str]] = defaultdict(list)
    with store.transaction() as session:
        rows = session.execute(
            select(InterviewRow.form_id, InterviewRow.interview_key, InterviewRow.xml).where(
                InterviewRow.deleted.is_(False)
            )
        )
        for form_id, key, xml in rows:
            try:
                root = SafeET.fromstring(xml)
            except Exception:  # a damaged record is reported by the store's check
                continue
            values = {}
            for elem in root.iter():
                name = elem.tag.rsplit("}", 1)[-1] if isinstance(elem.tag, str) else ""
                if name in keys and name not in values and len(elem) == 0:
                    values[name] = (elem.text or "").strip().casefold()
            if all(values.get(k) for k in keys):
                groups[(form_id, *(values[k] for k in keys))].append(key)
    return [
        Duplicate(group[0], dict(zip(keys, group[1:], strict=True)), sorted(members))
        for group, members in groups.items()
        if len(members) > 1
    ]
