"""Where exported tables go: sheets of one .xlsx, or CSV files in a .zip."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

from fieldsurvey.exchange.workbook_io import ExchangeWarning
from fieldsurvey.exchange.xlsx_writer import XlsxWriter


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
        self._tmp = tempfile.TemporaryDirectory(prefix="fieldsurvey-export-")
        self._tables: list[_CsvTable] = []
        # Names only need to be unique here; no 31-character limit in a zip.
        self._used: set[str] = set()

    def open_table(self, wanted: str, *, hidden: bool = False):
        table = _CsvTable(unique_title(wanted, self._used), Path(self._tmp.name))
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
        self._tmp.cleanup()

    def discard(self) -> None:
        for table in self._tables:
            table.file.close()
        self._tmp.cleanup()


def read_csv_member(archive: zipfile.ZipFile, name: str):
    """Yield ``(row_number, values)`` from a CSV member, as :class:`XlsxReader` does."""
    csv.field_size_limit(1 << 30)
    with archive.open(name) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for number, values in enumerate(reader, start=1):
            yield number, [_csv_value(v) for v in values]


def _csv_value(text: str) -> Any:
    if text == "":
        return None
    if text.isdigit() and len(text) < 16:
        return int(text)
    return text
