"""Where exported tables go: sheets of one .xlsx, or CSV files in a .zip."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.partial_files import scratch_folder
from fieldsurvey.exchange.workbook_io import (
    LIMITS,
    MAX_ROW_CHARS,
    ExchangeWarning,
    row_too_long,
)
from fieldsurvey.exchange.xlsx_writer import XlsxWriter
from fieldsurvey.i18n import N_
from fieldsurvey.zip_guard import ZipLimitError, check_directory, open_member


def file_digests(path: Path) -> tuple[str, int]:
    """The sha256 and the CRC-32 (what a zip records for each member) of a file."""
    digest, crc = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
    return digest.hexdigest(), crc


class XlsxSink:
    """Every table a sheet of one workbook (written by :class:`XlsxWriter`)."""

    def __init__(self, path: Path, warnings: list[ExchangeWarning]) -> None:
        self.writer = XlsxWriter(path, warnings)

    def open_table(self, wanted: str, *, hidden: bool = False):
        sheet = self.writer.add_sheet(wanted)
        if hidden:
            sheet.hide()
        return sheet

    def finish_table(self, sheet) -> tuple[str, int]:
        """End a sheet (no more rows); the sha256 and CRC-32 of its XML part."""
        sheet.finish()
        return file_digests(sheet.part)

    def close(self) -> None:
        self.writer.save()

    def discard(self) -> None:
        self.writer.discard()


class _CsvTable:
    def __init__(self, title: str, folder: Path) -> None:
        self.title = title
        self.file = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=folder, suffix=".csv", delete=False
        )
        self._csv = csv.writer(self.file)
        self.rows = 0

    def append(self, values: list[Any]) -> None:
        self.rows += 1
        self._csv.writerow(["" if v is None else v for v in values])

    def hide(self) -> None:
        return None


def unique_title(wanted: str, used: set[str]) -> str:
    """``wanted``, or ``wanted~n`` when taken (case ignored); the title is then taken."""
    title, n = wanted, 1
    while title.lower() in used:
        title = f"{wanted}~{n}"
        n += 1
    used.add(title.lower())
    return title


def csv_member_name(form_id: str, title: str, index: int) -> str:
    """Central's names: ``<formId>.csv`` for the first table, ``<formId>-<repeat>.csv``."""
    if index == 0 or title.startswith("_"):
        return f"{title}.csv"
    return f"{form_id}-{title}.csv"


class CsvZipSink:
    """Central's ``submissions.csv.zip``: ``<formId>.csv`` and ``<formId>-<repeat>.csv``.

    Each table is streamed to a temporary CSV file (a zip can only be written one member
    at a time) and the members are stored when the export completes.
    """

    def __init__(self, path: Path, warnings: list[ExchangeWarning], form_id: str) -> None:
        self.path = path
        self.form_id = form_id
        self.warnings = warnings
        self._tmp = scratch_folder()
        self._tables: list[_CsvTable] = []
        # Names only need to be unique here; no 31-character limit in a zip.
        self._used: set[str] = set()

    def open_table(self, wanted: str, *, hidden: bool = False):
        table = _CsvTable(unique_title(wanted, self._used), self._tmp)
        self._tables.append(table)
        return table

    def finish_table(self, table: _CsvTable) -> tuple[str, int]:
        """End a table (no more rows); the sha256 and CRC-32 of its CSV member."""
        table.file.close()
        return file_digests(Path(table.file.name))

    def member_name(self, table: _CsvTable, index: int) -> str:
        return csv_member_name(self.form_id, table.title, index)

    def close(self) -> None:
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as archive:
            for i, table in enumerate(self._tables):
                table.file.close()
                archive.write(table.file.name, self.member_name(table, i))
        self.discard()

    def discard(self) -> None:
        for table in self._tables:
            table.file.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def csv_member_rows(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row_number, fields)`` of a CSV member, read within the limits of
    :class:`~.workbook_io.XlsxReader`: a zip bomb, a row of more than
    :data:`~.workbook_io.MAX_ROW_CHARS` characters or a NUL character refuses the whole
    file (ExchangeError naming the file, member, row and column)."""
    path = archive.filename
    # The rows are bounded below, before the csv module holds them: it need not refuse.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ROW_CHARS + 1))
    number = 0
    try:
        check_directory(archive, LIMITS)
        with open_member(archive, name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            # The lambda reads ``number`` as the loop sets it: the record being read.
            reader = csv.reader(_bounded_lines(text, path, name, lambda: number + 1))
            for number, values in enumerate(reader, start=1):
                for j, value in enumerate(values):
                    if "\0" in value:
                        from openpyxl.utils import get_column_letter

                        raise ExchangeError(
                            N_("The file holds a NUL character, which no CSV export holds; "
                               "the file was refused."),
                            code="exchange.nul", path=path, sheet=name, row=number,
                            column=get_column_letter(j + 1))
                yield number, values
    except ZipLimitError as exc:
        raise ExchangeError(exc.message, code="exchange.bomb", params=exc.params,
                            path=path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError,
            csv.Error) as exc:
        raise ExchangeError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="exchange.damaged", path=path, detail=f"{name}: {exc}",
        ) from None


def _bounded_lines(text: io.TextIOWrapper, path, name: str, row) -> Iterator[str]:
    """The lines of ``text`` for the csv module, refusing a record (which may span lines)
    of more than MAX_ROW_CHARS characters before it is held whole."""
    record = 0
    reading = None
    while line := text.readline(MAX_ROW_CHARS + 1):
        if row() != reading:  # the csv module took a record since the last line
            reading, record = row(), 0
        record += len(line)
        if record > MAX_ROW_CHARS:
            raise row_too_long(path, sheet=name, row=reading)
        yield line


def read_csv_member(archive: zipfile.ZipFile, name: str):
    """Yield ``(row_number, values)`` from a CSV member, as :class:`XlsxReader` does."""
    for number, values in csv_member_rows(archive, name):
        yield number, [_csv_value(v) for v in values]


def _csv_value(text: str) -> Any:
    if text == "":
        return None
    if text.isdigit() and len(text) < 16:
        return int(text)
    return text
