"""The ``_fieldsurvey`` sheet: what a merge needs to rebuild each interview exactly.

The data sheets follow Central's or Kobo's layout for analysis scripts; this last sheet
(hidden, but readable in Excel and LibreOffice) carries the complete records, one per row:

=====  ======  ===========  ===========  ==========  ==========  ================
A      B       C            D            E           F           G ...
kind   key     sha256       meta_sha256  meta_cells  text_cells  meta chunks, then text chunks
=====  ======  ===========  ===========  ==========  ==========  ================

``kind`` is ``export`` (first row: format, form id, counts), ``form`` (one per form version:
the XForm text), ``interview`` (the current revision of an interview: its full instance XML),
``revision`` (an older revision of an interview) and ``end`` (the number of records, so a
cut-off sheet is noticed). ``meta`` is JSON (status, timestamps, revision, deprecatedID,
attachments' hashes, audit trail, ...). ``sha256`` is the checksum of the text (XForm or
instance XML) and ``meta_sha256`` that of the meta JSON: an edited record is detected.
Texts longer than Excel's 32,767-character cell limit are split over consecutive cells.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.workbook_io import CELL_LIMIT, Formula
from fieldsurvey.i18n import N_

SHEET_NAME = "_fieldsurvey"
FORMAT_VERSION = 1
HEADER = ["kind", "key", "sha256", "meta_sha256", "meta_cells", "text_cells", "data"]
KINDS = ("export", "form", "interview", "revision", "end")
_FIRST_CHUNK = 6  # column G


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk(text: str, size: int = CELL_LIMIT) -> list[str]:
    """Split ``text`` into cells of at most ``size`` characters (at least one cell)."""
    if len(text) <= size:
        return [text]
    return [text[i : i + size] for i in range(0, len(text), size)]


@dataclass
class PackageRecord:
    """One row of the ``_fieldsurvey`` sheet."""

    kind: str
    key: str
    meta: dict[str, Any]
    text: str = ""
    row: int | None = None  # where it was read from
    #: The interview list's search text, set when the record was checked for a merge.
    search_text: str | None = None

    def to_row(self) -> list[Any]:
        meta_json = json.dumps(self.meta, ensure_ascii=False, sort_keys=True, default=str)
        meta_cells = chunk(meta_json)
        text_cells = chunk(self.text) if self.text else []
        return [
            self.kind,
            self.key,
            sha256_text(self.text),
            sha256_text(meta_json),
            len(meta_cells),
            len(text_cells),
            *meta_cells,
            *text_cells,
        ]


def _bad_cell(path, row, col, message, params=None, code="exchange.package_cell"):
    # openpyxl is imported only here: a merge worker would start a tenth of a second later.
    from openpyxl.utils import get_column_letter

    return ExchangeError(
        message, code=code, params=params, path=path, sheet=SHEET_NAME, row=row,
        column=get_column_letter(col + 1),
    )


def _text_cell(values: list[Any], col: int, path, row) -> str:
    value = values[col] if col < len(values) else None
    if value is None:
        return ""
    if isinstance(value, Formula) or not isinstance(value, str):
        raise _bad_cell(
            path, row, col,
            N_("This cell of the _fieldsurvey sheet was edited: a text was expected."),
        )
    return value


def _count_cell(values: list[Any], col: int, path, row) -> int:
    value = values[col] if col < len(values) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad_cell(
            path, row, col,
            N_("This cell of the _fieldsurvey sheet was edited: a whole number was expected."),
        )
    return value


def parse_row(values: list[Any], *, path, row: int) -> PackageRecord:
    """Check one row of the sheet (types, checksums) and return its record."""
    kind = _text_cell(values, 0, path, row)
    if kind not in KINDS:
        raise _bad_cell(
            path, row, 0, N_("Unknown record kind {kind} in the _fieldsurvey sheet."),
            {"kind": kind},
        )
    key = _text_cell(values, 1, path, row)
    text_sum = _text_cell(values, 2, path, row)
    meta_sum = _text_cell(values, 3, path, row)
    n_meta = _count_cell(values, 4, path, row)
    n_text = _count_cell(values, 5, path, row)
    cols = range(_FIRST_CHUNK, _FIRST_CHUNK + n_meta)
    meta_json = "".join(_text_cell(values, c, path, row) for c in cols)
    start = _FIRST_CHUNK + n_meta
    text = "".join(_text_cell(values, c, path, row) for c in range(start, start + n_text))
    if sha256_text(meta_json) != meta_sum:
        raise _bad_cell(
            path, row, _FIRST_CHUNK,
            N_("The record {key} was changed after export (checksum mismatch); "
               "the file was rejected."),
            {"key": key}, code="exchange.tampered",
        )
    if sha256_text(text) != text_sum:
        raise _bad_cell(
            path, row, start,
            N_("The record {key} was changed after export (checksum mismatch); "
               "the file was rejected."),
            {"key": key}, code="exchange.tampered",
        )
    try:
        meta = json.loads(meta_json)
    except ValueError:
        meta = None
    if not isinstance(meta, dict):
        raise _bad_cell(path, row, _FIRST_CHUNK, N_("The record {key} cannot be read."),
                        {"key": key})
    return PackageRecord(kind, key, meta, text, row)


def read_records(rows: Iterable[tuple[int, list[Any]]], *, path,
                 end: list[PackageRecord] | None = None) -> Iterator[PackageRecord]:
    """Turn the sheet's rows into records, checking header, order and completeness.

    The first record is ``export``, the last ``end`` (appended to ``end`` when given); a
    sheet cut short or with rows removed raises :class:`ExchangeError` once the ``end``
    record disagrees.
    """
    count = 0
    seen_export = False
    ended = False
    for row_number, values in rows:
        if row_number == 1:
            if [v for v in values[: len(HEADER)]] != HEADER:
                raise ExchangeError(
                    N_("The _fieldsurvey sheet does not start with the expected header."),
                    code="exchange.not_fieldsurvey", path=path, sheet=SHEET_NAME, row=1,
                )
            continue
        if ended:
            raise _bad_cell(path, row_number, 0,
                            N_("Rows were added after the end of the _fieldsurvey sheet."))
        record = parse_row(values, path=path, row=row_number)
        if not seen_export:
            if record.kind != "export":
                raise _bad_cell(path, row_number, 0,
                                N_("The _fieldsurvey sheet does not start with its export row."))
            if record.meta.get("format", 0) > FORMAT_VERSION:
                raise ExchangeError(
                    N_("This file was written by a newer FieldSurvey; update to import it."),
                    code="exchange.newer", path=path, sheet=SHEET_NAME, row=row_number,
                )
            seen_export = True
        if record.kind == "end":
            if record.meta.get("records") != count:
                raise _bad_cell(
                    path, row_number, 0,
                    N_("The _fieldsurvey sheet holds {found} records but was written with "
                       "{expected}: rows were removed."),
                    {"found": count, "expected": record.meta.get("records")},
                    code="exchange.truncated",
                )
            ended = True
            if end is not None:
                end.append(record)
            continue
        count += 1
        yield record
    if not ended:
        raise ExchangeError(
            N_("The _fieldsurvey sheet is incomplete (its end row is missing)."),
            code="exchange.truncated", path=path, sheet=SHEET_NAME,
        )


def end_record(count: int, sheets: dict[str, tuple[str, int]] | None = None) -> PackageRecord:
    """The last row: the number of records and, for each data sheet as written, its
    sha256 (``sheets``) and its CRC-32 (``sheet_crc32``: a merge compares it with the
    one the zip records, without reading the sheet; files before it have the sha256)."""
    meta: dict[str, Any] = {"records": count}
    if sheets:
        meta["sheets"] = {title: sha for title, (sha, _crc) in sheets.items()}
        meta["sheet_crc32"] = {title: crc for title, (_sha, crc) in sheets.items()}
    return PackageRecord("end", "", meta)
