"""Merge FieldSurvey exports (``.xlsx`` workbooks or Central CSV zips) into the store.

Each file is merged in one transaction: a file rejected as a whole (not a workbook,
damaged, an XML bomb, not a FieldSurvey export, edited or tampered records, a form that
clashes with an installed one) leaves the store exactly as it was, and the other files
are still merged. The data sheets are for people; interviews are rebuilt from the
``_fieldsurvey`` sheet, read as a stream.
"""

from __future__ import annotations

import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from sqlalchemy import select

from fieldsurvey.errors import CancelledError, ExchangeError, FieldSurveyError
from fieldsurvey.exchange.data_sheet_check import DataSheetCheck
from fieldsurvey.exchange.merge import InterviewMerger, ensure_form
from fieldsurvey.exchange.merge_batch import MergeBatch
from fieldsurvey.exchange.merge_report import (
    OUTCOMES,
    Duplicate,
    FileResult,
    MergeReport,
    ReportNotSavedError,
    write_report,
)
from fieldsurvey.exchange.package_sheet import SHEET_NAME, read_records
from fieldsurvey.exchange.table_sinks import read_csv_member
from fieldsurvey.exchange.workbook_io import ExchangeWarning, XlsxReader
from fieldsurvey.i18n import N_

log = logging.getLogger(__name__)


def _not_fieldsurvey(path: Path) -> ExchangeError:
    return ExchangeError(
        N_("The file is not a FieldSurvey export: it has no _fieldsurvey sheet."),
        code="exchange.not_fieldsurvey", path=str(path),
    )


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            yield from read_csv_member(archive, f"{SHEET_NAME}.csv")
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError) as exc:
        raise ExchangeError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="exchange.damaged", path=str(path), detail=str(exc),
        ) from None


def package_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the ``_fieldsurvey`` sheet of an .xlsx, or ``_fieldsurvey.csv`` of a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except FileNotFoundError:
        raise ExchangeError(N_("The file does not exist."), code="exchange.missing",
                            path=str(path)) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ExchangeError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="exchange.damaged", path=str(path), detail=str(exc),
        ) from None
    if "xl/workbook.xml" in names:
        reader = XlsxReader(path)
        try:
            if SHEET_NAME not in reader.sheets:
                raise _not_fieldsurvey(path)
            yield from reader.iter_rows(SHEET_NAME)
        finally:
            reader.close()
    elif f"{SHEET_NAME}.csv" in names:
        yield from _csv_rows(path)
    else:
        raise _not_fieldsurvey(path)


def _check_data_sheets(path: Path, report: MergeReport, head, forms, end) -> None:
    """Warn about cells edited in the data sheets (they are not merged); see data_sheet_check."""
    if head is None or not forms:
        return
    try:
        DataSheetCheck(path, report.warnings).run(head, forms, end, lambda: package_rows(path))
    except FieldSurveyError as exc:
        # The interviews are merged; only the comparison failed (a damaged data sheet).
        report.warnings.append(ExchangeWarning(exc.message, dict(exc.params or {}),
                                               path=str(path), sheet=exc.sheet, row=exc.row,
                                               column=exc.column))


def merge_file(store, path: Path, report: MergeReport, cancel=None) -> FileResult:
    """Merge one file in one transaction; on rejection nothing of it is kept."""
    result = FileResult(path)
    conflicts_before = len(report.conflicts)
    warnings_before = len(report.warnings)
    seen = 0
    try:
        with store.transaction() as session:
            batch = MergeBatch(InterviewMerger(session, store, path, report))
            forms: dict[tuple[str, str], int] = {}
            older = []
            head, form_records, end = None, [], []
            for record in read_records(package_rows(path), path=str(path), end=end):
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
) -> MergeReport:
    """Merge exports into ``store``: new, updated, unchanged, conflicting, rejected.

    Merging the same file twice changes nothing. ``duplicate_keys`` names fields
    (``org,country``) whose equal values across different interviews are reported as
    likely duplicates. ``report_path`` saves the report as a workbook as well; when
    that fails, the merge stays saved and ``report.report_error`` says why.
    """
    report = MergeReport()
    paths = [Path(p) for p in paths]
    for i, path in enumerate(paths, start=1):
        report.files.append(merge_file(store, path, report, cancel))
        if progress is not None:
            progress(i, len(paths))
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
