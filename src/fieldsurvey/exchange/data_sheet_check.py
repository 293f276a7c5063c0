"""Edited cells in the data sheets of an export, reported after a merge.

A merge rebuilds interviews from the ``_fieldsurvey`` sheet only; the data sheets
(Central's or Kobo's tables) are for people and analysis scripts. Someone may still edit
them in Excel, expecting the change to travel. So after a file is merged, its data sheets
are compared with the rows the package rebuilds, cell for cell, and every difference
becomes a warning naming the file, sheet, row and column (a text in a number column, a
non-ISO date, any changed value, rows or columns added or removed), saying that the edit
was not merged.

The export records the CRC-32 and the sha256 of each data sheet as written (in the ``end``
row of the package); an untouched file is recognised by comparing the CRC-32 with the one
its zip directory holds (files written before the CRC-32 was recorded: by hashing the
sheets), so the comparison only costs time for files that were opened and saved again.
"""

from __future__ import annotations

import hashlib
import math
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from openpyxl.utils import get_column_letter

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.package_sheet import PackageRecord, read_records
from fieldsurvey.exchange.table_sinks import csv_member_name, csv_member_rows, unique_title
from fieldsurvey.exchange.workbook_io import LIMITS, ExchangeWarning, Formula, XlsxReader
from fieldsurvey.exchange.xlsx_writer import SheetNames, guarded_text
from fieldsurvey.i18n import N_
from fieldsurvey.zip_guard import ZipLimitError, check_directory, open_member

#: Differences listed per file; more are counted in one last warning.
MAX_LISTED = 50
_DATE_TYPES = {"date", "dateTime", "time", "start", "end", "today"}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


#: The column naming a row's interview: Central's KEY, Kobo's _uuid (repeats: its copy).
_OWNER_HEADERS = ("KEY", "_uuid", "_submission__uuid")


def _owner(value: Any) -> str:
    """The interview a data-sheet row belongs to, from its KEY (``uuid:…`` then, in a
    repeat, the repeat's path) or its _uuid (without ``uuid:``)."""
    return str(value or "").split("/", 1)[0].removeprefix("uuid:")


def _owner_column(headers: list[Any]) -> int | None:
    return next((headers.index(h) for h in _OWNER_HEADERS if h in headers), None)


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Sheet:
    """The actual rows of one data sheet, read as a stream, with its header mapped."""

    def __init__(self, title: str, rows: Iterator[tuple[int, list[Any]]], headers: list[str],
                 check: DataSheetCheck) -> None:
        self.title = title
        self._rows = rows
        self.extra = 0
        self.first_extra: int | None = None
        number, values = next(rows, (0, []))
        if number != 1:
            values = []
        position = {}
        for j, name in enumerate(values):
            if isinstance(name, str):
                position.setdefault(name, j)
        # expected column index -> actual column index (None: the column is gone)
        self.columns = [position.get(h) for h in headers]
        self.owner = _owner_column(list(values))
        #: Interviews without a package record: their rows are not compared.
        self.skip: set[str] = set()
        for h, j in zip(headers, self.columns, strict=True):
            if j is None:
                check.warn(N_("The column {column} was removed or renamed after export; "
                              "interviews are still merged from the _fieldsurvey sheet."),
                           {"column": h}, sheet=title, row=1)

    def next_row(self) -> tuple[int, list[Any]] | None:
        for number, values in self._rows:
            j = self.owner
            if self.skip and j is not None and j < len(values) and _owner(values[j]) in self.skip:
                continue
            return number, values
        return None

    def drain(self) -> None:
        for number, _values in self._rows:
            self.extra += 1
            if self.first_extra is None:
                self.first_extra = number


class DataSheetCheck:
    """Compares the data sheets of one merged file with what its package rebuilds."""

    def __init__(self, path: Path, warnings: list[ExchangeWarning]) -> None:
        self.path = path
        self.warnings = warnings
        self.listed = 0
        self.unlisted = 0

    def warn(self, message: str, params: dict | None = None, *, sheet: str,
             row: int | None = None, column: str | None = None) -> None:
        if self.listed >= MAX_LISTED:
            self.unlisted += 1
            return
        self.listed += 1
        self.warnings.append(ExchangeWarning(message, params or {}, path=str(self.path),
                                             sheet=sheet, row=row, column=column))

    def run(self, head: PackageRecord, forms: list[PackageRecord], end: PackageRecord | None,
            package_rows) -> None:
        """Check the file; ``package_rows()`` gives the package sheet's rows again."""
        try:
            self._run(head, forms, end, package_rows)
        except ZipLimitError as exc:
            raise ExchangeError(exc.message, code="exchange.bomb", params=exc.params,
                                path=str(self.path)) from None

    def _run(self, head, forms, end, package_rows) -> None:
        with zipfile.ZipFile(self.path) as archive:
            names = set(archive.namelist())
            is_xlsx = "xl/workbook.xml" in names
            reader = XlsxReader(self.path) if is_xlsx else None
            try:
                digests = (end.meta.get("sheets") if end is not None else None) or {}
                members = self._members(head, reader, digests)
                if _sheets_untouched(archive, names, members, digests, end):
                    return  # nothing edited
                self._compare(head, forms, archive, reader, members, package_rows)
            finally:
                if reader is not None:
                    reader.close()
        if self.unlisted:
            self.warnings.append(ExchangeWarning(
                N_("{count} more edited cells of the data sheets are not listed."),
                {"count": self.unlisted}, path=str(self.path)))

    def _builder(self, head: PackageRecord, forms: list[PackageRecord]):
        from fieldsurvey.exchange.export import FormVersion, TableRows
        from fieldsurvey.forms import parse_xform

        versions = [FormVersion(f.meta.get("form_id") or "", f.meta.get("version"),
                                f.meta.get("title") or "", f.text, parse_xform(f.text))
                    for f in forms]
        m = head.meta
        return TableRows(versions, preset=m.get("preset") or "central", labels=m.get("labels"),
                         split_multiple=bool(m.get("split_multiple")),
                         group_names=m.get("group_names", True) is not False)

    @staticmethod
    def _members(head: PackageRecord, reader: XlsxReader | None,
                 digests: dict[str, str]) -> dict[str, str]:
        """Sheet title -> zip member (of a CSV zip: for the titles in ``digests``)."""
        if reader is not None:
            return dict(reader.sheets)
        form_id = head.meta.get("form_id") or ""
        # The root table is named after the form id; others get Central's "<formId>-" prefix.
        return {title: csv_member_name(form_id, title, 0 if title == form_id else 1)
                for title in digests}

    def _compare(self, head, forms, archive, reader, members, package_rows) -> None:
        builder = self._builder(head, forms)
        tables = builder.tables
        form_id = head.meta.get("form_id") or ""
        if reader is not None:
            names = SheetNames([])
            for table in tables:
                table.sheet_name = names.claim(table.sheet_name)
        else:
            used: set[str] = set()
            for i, table in enumerate(tables):
                table.sheet_name = unique_title(table.sheet_name, used)
                members[table.sheet_name] = csv_member_name(form_id, table.sheet_name, i)
        def rows_of(title: str):
            member = members.get(title)
            if member is None or member not in archive.namelist():
                return None
            return reader.iter_rows(title) if reader is not None else _csv_rows(archive, member)

        extra, missing = self._unmatched(tables[0].sheet_name, rows_of(tables[0].sheet_name),
                                         package_rows)
        sheets: dict[Any, _Sheet | None] = {}
        for table in tables:
            title = table.sheet_name
            member = members.get(title)
            if member is None or member not in archive.namelist():
                self.warn(N_("The sheet {sheet} was removed or renamed after export; "
                             "interviews are still merged from the _fieldsurvey sheet."),
                          {"sheet": title}, sheet=title)
                sheets[table.path] = None
                continue
            rows = reader.iter_rows(title) if reader is not None else _csv_rows(archive, member)
            sheets[table.path] = _Sheet(title, rows, [c.header for c in table.columns], self)
            sheets[table.path].skip = extra
        serial = 0
        older: list[SimpleNamespace] = []  # the revisions before the interview's record
        for record in read_records(package_rows(), path=str(self.path)):
            m = record.meta
            if record.kind == "revision":
                older.append(SimpleNamespace(revision=int(m.get("revision") or 1),
                                             finalized_at=_when(m.get("finalized_at"))))
                continue
            if record.kind != "interview":
                continue
            serial += 1
            rec = SimpleNamespace(
                instance_id=record.key, interview_key=m.get("interview_key"), xml=record.text,
                form_version=m.get("form_version"), created_at=_when(m.get("created_at")),
                finalized_at=_when(m.get("finalized_at")), modified_at=_when(m.get("modified_at")),
                enumerator=m.get("enumerator"), device_id=m.get("device_id"),
                revision=int(m.get("revision") or 1), status=m.get("status"),
            )
            revisions, older = older, []
            for table, expected in builder.rows(rec, serial, len(m.get("attachments") or ()),
                                                revisions):
                if record.key in missing:
                    continue  # reported once, not cell by cell
                sheet = sheets.get(table.path)
                if sheet is not None:
                    self._compare_row(sheet, table, expected, builder, csv_text=reader is None)
        for sheet in sheets.values():
            if sheet is None:
                continue
            sheet.drain()
            if sheet.extra:
                self.warn(N_("{count} rows were added to this sheet after export; they are "
                             "ignored: interviews are merged from the _fieldsurvey sheet."),
                          {"count": sheet.extra}, sheet=sheet.title, row=sheet.first_extra)

    def _unmatched(self, title: str, rows, package_rows) -> tuple[set[str], set[str]]:
        """Interviews of the main data sheet without a package record, and records
        without a row there, each named in one warning; returns the row owners not to
        compare and the instanceIDs of the records not to compare. A row removed from one
        side would otherwise shift every later row into a cell-by-cell difference."""
        if rows is None:
            return set(), set()
        number, header = next(rows, (0, []))
        j = _owner_column(list(header)) if number == 1 else None
        if j is None:
            return set(), set()
        in_sheet: dict[str, tuple[int, str]] = {}  # owner -> (row, name as in the sheet)
        for number, values in rows:
            if j < len(values) and values[j] not in (None, ""):
                in_sheet.setdefault(_owner(values[j]),
                                    (number, str(values[j]).split("/", 1)[0]))
        # Central names a row by the interview's first instanceID, Kobo by its current one.
        owners: dict[str, set[str]] = {}
        for record in read_records(package_rows(), path=str(self.path)):
            if record.kind == "interview":
                owners[record.key] = {_owner(n) for n in (record.key,
                                                          record.meta.get("interview_key")) if n}
        in_package = set().union(*owners.values())
        extra = {o for o in in_sheet if o not in in_package}
        for owner in sorted(extra, key=in_sheet.__getitem__):
            number, name = in_sheet[owner]
            self.warn(N_("The interview {key} of this row has no record in the _fieldsurvey "
                         "sheet: it was not merged."), {"key": name}, sheet=title, row=number)
        missing = {key for key, names in owners.items() if not names & in_sheet.keys()}
        for key in sorted(missing):
            self.warn(N_("The interview {key} has no row in this sheet; it was merged from "
                         "the _fieldsurvey sheet."), {"key": key}, sheet=title)
        # The rows left of either in the other sheets (repeats) are not compared either.
        return extra.union(*(owners[key] for key in missing)), missing

    def _compare_row(self, sheet: _Sheet, table, expected: list[Any], builder,
                     *, csv_text: bool) -> None:
        got = sheet.next_row()
        if got is None:
            self.warn(N_("Rows of this sheet were removed after export; interviews are still "
                         "merged from the _fieldsurvey sheet."), sheet=sheet.title)
            return
        number, values = got
        for i, want in enumerate(expected):
            j = sheet.columns[i]
            if j is None:
                continue
            have = values[j] if j < len(values) else None
            if csv_text:
                same = _as_csv(want) == ("" if have is None else have)
            else:
                same = not isinstance(have, Formula) and _same(_as_written(want), have)
            if not same:
                self._report(sheet.title, number, j, table.columns[i], want, have, builder)

    def _report(self, title, number, j, column, want, have, builder) -> None:
        item = builder.cells.items.get(column.item_path) if column.item_path else None
        where = {"sheet": title, "row": number, "column": get_column_letter(j + 1)}
        params = {"expected": _shown(want), "found": _shown(have)}
        if isinstance(have, Formula):
            self.warn(N_("A formula was entered in this cell; it is ignored: interviews are "
                         "merged from the _fieldsurvey sheet, which holds {expected}."),
                      params, **where)
        elif isinstance(want, int | float) and not isinstance(have, int | float):
            self.warn(N_("A number was expected in this cell, which holds {found}; the edit "
                         "is ignored: interviews are merged from the _fieldsurvey sheet, "
                         "which holds {expected}."), params, **where)
        elif item is not None and item.type in _DATE_TYPES and not isinstance(have, str):
            self.warn(N_("A date or time (ISO 8601 text, as exported) was expected in this "
                         "cell, which holds {found}; the edit is ignored: interviews are "
                         "merged from the _fieldsurvey sheet, which holds {expected}."),
                      params, **where)
        else:
            self.warn(N_("This cell was changed after export from {expected} to {found}; "
                         "the edit is ignored: interviews are merged from the _fieldsurvey "
                         "sheet."), params, **where)


def _as_written(value: Any) -> Any:
    """What the workbook writer stores for ``value`` (texts guarded, no NaN numbers)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return guarded_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _same(want: Any, have: Any) -> bool:
    if want is None or have is None:
        return want is None and (have is None or have == "")
    if isinstance(want, bool) or isinstance(have, bool):
        return want is have
    return want == have and isinstance(want, str) == isinstance(have, str)


def _as_csv(value: Any) -> str:
    return "" if value is None else str(value)


def _csv_rows(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, list[Any]]]:
    for number, values in csv_member_rows(archive, member):
        if any(values):
            yield number, values


def _sheets_untouched(archive: zipfile.ZipFile, names: set[str], members: dict[str, str],
                      digests: dict[str, str], end: PackageRecord | None) -> bool:
    """True when every data sheet recorded in ``end`` is in the file as exported: its
    CRC-32 in the zip directory is the recorded one (nothing read), or, for files that
    recorded only the sha256, its content hashes to it."""
    if not digests or any(members.get(title) not in names for title in digests):
        return False
    crcs = (end.meta.get("sheet_crc32") if end is not None else None) or {}
    if set(crcs) == set(digests):
        return all(archive.getinfo(members[title]).CRC == crc for title, crc in crcs.items())
    return all(_member_sha256(archive, members[title]) == digest
               for title, digest in digests.items())


def _member_sha256(archive: zipfile.ZipFile, member: str) -> str:
    check_directory(archive, LIMITS)  # a ZipLimitError is turned into the file's refusal
    with open_member(archive, member) as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()

