"""A streaming .xlsx writer that writes the sheet XML itself.

An export of 10,000 interviews writes millions of cells; openpyxl's write-only mode spends
microseconds per cell building cell objects and serialising them through an element tree.
This writer appends each row to its sheet's XML as one string, into a temporary file per
sheet (rows of several sheets interleave: each interview adds a root row, repeat rows and
a ``_fieldsurvey`` row), and zips the parts when the workbook is complete. Memory does not
grow with the number of rows.

What it writes is the smallest package Excel and LibreOffice open without repair
(ECMA-376 part 1, SpreadsheetML): ``[Content_Types].xml``, ``_rels/.rels``,
``xl/workbook.xml`` with its relationships, ``xl/styles.xml`` (one default style) and
``xl/worksheets/sheetN.xml``. Cells are:

- texts as inline strings (``t="inlineStr"``), so a text beginning with ``=`` is a string
  cell, never a formula; a carriage return is written as ``&#13;`` so that XML's newline
  normalisation does not change it;
- ``int``/``float`` as numbers (``NaN`` and infinities, which a cell cannot hold, as text);
- ``bool`` as booleans; dates and times as ISO 8601 text.

Every text that cannot be written as given (cell limit, control characters) and every
sheet name changed to follow Excel's rules is recorded as an :class:`ExchangeWarning`.
Excel's row and column limits raise :class:`ExchangeError` naming the sheet.
"""

from __future__ import annotations

import contextlib
import math
import re
import shutil
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.partial_files import scratch_folder
from fieldsurvey.exchange.workbook_io import CELL_LIMIT, SHEET_NAME_LIMIT, ExchangeWarning
from fieldsurvey.i18n import N_

#: Excel's limits of rows and columns in one sheet.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot hold (tab, newline and return are allowed), lone surrogates
# (not encodable) and the two non-characters U+FFFE, U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# One search finds every text that needs more than copying: escapes, illegal characters.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = " \t\n\r"

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_HEAD = f'{_DECL}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><sheetData>'
_SHEET_TAIL = "</sheetData></worksheet>"
_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_NS_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def column_letters(count: int) -> list[str]:
    """Excel's names of the first ``count`` columns: A, B, …, Z, AA, …"""
    out = []
    for n in range(1, count + 1):
        name = ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        out.append(name)
    return out


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def guarded_text(value: str) -> str:
    """``value`` as a cell stores it: characters XML cannot hold replaced, cut to the limit."""
    return _ILLEGAL.sub("\ufffd", value)[:CELL_LIMIT]


class SheetNames:
    """Gives every sheet a name Excel accepts, unique without regard to case."""

    def __init__(self, warnings: list[ExchangeWarning]) -> None:
        self._used: set[str] = set()
        self._warnings = warnings

    def claim(self, wanted: str) -> str:
        """The name the sheet ``wanted`` gets; a warning says why when it differs."""
        cleaned = _SHEET_NAME_FORBIDDEN.sub("_", wanted).strip("'") or "Sheet"
        name = cleaned[:SHEET_NAME_LIMIT]
        base, n = name, 1
        while name.lower() in self._used or name.lower() == "history":
            suffix = f"~{n}"
            name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            n += 1
        if name != wanted:
            self._warnings.append(ExchangeWarning(self._why(wanted, cleaned),
                                                  {"wanted": wanted, "name": name}))
        self._used.add(name.lower())
        return name

    @staticmethod
    def _why(wanted: str, cleaned: str) -> str:
        """The message for a sheet name that had to change, by the first reason."""
        if cleaned != wanted:
            return N_("The sheet name \u201c{wanted}\u201d holds characters Excel does not "
                      "allow in sheet names ([ ] : * ? / \\ or a leading or trailing "
                      "apostrophe); the sheet is named \u201c{name}\u201d.")
        if len(cleaned) > SHEET_NAME_LIMIT:
            return N_("The sheet name \u201c{wanted}\u201d is longer than the 31 characters "
                      "Excel allows; the sheet is named \u201c{name}\u201d.")
        if cleaned[:SHEET_NAME_LIMIT].lower() == "history":
            return N_("Excel keeps the sheet name \u201c{wanted}\u201d for itself; the sheet is "
                      "named \u201c{name}\u201d.")
        return N_("Another sheet is already named \u201c{wanted}\u201d (Excel does not tell "
                  "capitals apart); this one is named \u201c{name}\u201d.")


class SheetWriter:
    """Appends rows to one sheet's XML part."""

    def __init__(self, owner: XlsxWriter, title: str, part: Path) -> None:
        self._owner = owner
        self.title = title
        self.part = part
        self.rows = 0
        self.hidden = False
        self._file = open(part, "w", encoding="utf-8", newline="", buffering=1 << 20)  # noqa: SIM115
        self._file.write(_SHEET_HEAD)

    def append(self, values: list[Any]) -> None:
        """Write one row; ``None`` and empty texts leave the cell empty."""
        r = self.rows + 1
        if r > MAX_ROWS:
            raise ExchangeError(
                N_("The sheet {sheet} would have more than {limit} rows, Excel's limit; "
                   "export fewer interviews at a time or use the CSV layout."),
                code="exchange.too_many_rows", params={"sheet": self.title, "limit": MAX_ROWS},
                sheet=self.title,
            )
        self.rows = r
        rs = str(r)
        letters = self._owner.letters
        if len(values) > len(letters):
            letters = self._owner.grow_letters(len(values), self.title)
        parts = ['<row r="', rs, '">']
        add = parts.append
        special = _SPECIAL.search
        for i, v in enumerate(values):
            if v is None:
                continue
            cls = v.__class__
            if cls is str:
                if not v:
                    continue
                if len(v) > CELL_LIMIT or special(v) is not None:
                    v = _escape(self._owner.guard_text(v, self.title, r, i))
                if v[0] in _SPACES or v[-1] in _SPACES:
                    add(f'<c r="{letters[i]}{rs}" t="inlineStr"><is><t xml:space="preserve">'
                        f"{v}</t></is></c>")
                else:
                    add(f'<c r="{letters[i]}{rs}" t="inlineStr"><is><t>{v}</t></is></c>')
            elif cls is int:
                add(f'<c r="{letters[i]}{rs}"><v>{v}</v></c>')
            elif cls is float:
                if math.isfinite(v):
                    add(f'<c r="{letters[i]}{rs}"><v>{v!r}</v></c>')
                else:
                    add(f'<c r="{letters[i]}{rs}" t="inlineStr"><is><t>{v!r}</t></is></c>')
            else:
                add(self._other_cell(v, f"{letters[i]}{rs}", r, i))
        add("</row>")
        self._file.write("".join(parts))

    def _other_cell(self, value: Any, ref: str, row: int, col: int) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):  # int and float subclasses, numpy-like numbers
            return self._number_or_text(float(value), ref)
        if isinstance(value, datetime | date | time):
            text = value.isoformat()
        else:
            text = str(value)
        if not text:
            return ""
        text = _escape(self._owner.guard_text(text, self.title, row, col))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'

    @staticmethod
    def _number_or_text(value: float, ref: str) -> str:
        if math.isfinite(value):
            text = repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
            return f'<c r="{ref}"><v>{text}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value!r}</t></is></c>'

    def hide(self) -> None:
        self.hidden = True

    def finish(self) -> None:
        if not self._file.closed:
            self._file.write(_SHEET_TAIL)
            self._file.close()

    def close_quietly(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()


class XlsxWriter:
    """A streaming .xlsx writer (see the module docstring) that never writes a formula."""

    def __init__(self, path: Path, warnings: list[ExchangeWarning] | None = None,
                 *, compresslevel: int = 1) -> None:
        self.path = Path(path)
        self.warnings = warnings if warnings is not None else []
        self.names = SheetNames(self.warnings)
        self.letters = column_letters(256)
        # Level 1 deflate: several times faster than the default for about 20% larger
        # files; an export is written once and usually mailed or copied zipped anyway.
        self.compresslevel = compresslevel
        self._tmp = scratch_folder()
        self._sheets: list[SheetWriter] = []

    def add_sheet(self, wanted_title: str) -> SheetWriter:
        """A new sheet at the end of the workbook, named by Excel's rules."""
        title = self.names.claim(wanted_title)
        part = Path(self._tmp) / f"sheet{len(self._sheets) + 1}.xml"
        sheet = SheetWriter(self, title, part)
        self._sheets.append(sheet)
        return sheet

    def grow_letters(self, count: int, sheet: str) -> list[str]:
        if count > MAX_COLUMNS:
            raise ExchangeError(
                N_("The sheet {sheet} would have more than {limit} columns, Excel's limit."),
                code="exchange.too_many_columns", params={"sheet": sheet, "limit": MAX_COLUMNS},
                sheet=sheet,
            )
        self.letters = column_letters(max(count, 2 * len(self.letters)))
        return self.letters

    def guard_text(self, value: str, sheet: str, row: int, col: int) -> str:
        """``value`` as a cell can hold it, with a warning for each change."""
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
            self.warnings.append(
                ExchangeWarning(
                    N_("A control character that Excel cannot store was replaced."),
                    sheet=sheet, row=row, column=column_letters(col + 1)[-1],
                )
            )
        if len(value) > CELL_LIMIT:
            self.warnings.append(
                ExchangeWarning(
                    N_("A text of {length} characters was cut to Excel's limit of {limit}; "
                       "the full text is kept in the _fieldsurvey sheet."),
                    {"length": len(value), "limit": CELL_LIMIT},
                    sheet=sheet, row=row, column=column_letters(col + 1)[-1],
                )
            )
            value = value[:CELL_LIMIT]
        return value

    def save(self) -> None:
        """Zip the parts into ``path``; the temporary parts are removed."""
        try:
            for sheet in self._sheets:
                sheet.finish()
            visible = [s for s in self._sheets if not s.hidden]
            if self._sheets and not visible:
                self._sheets[0].hidden = False  # a workbook needs one visible sheet
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED,
                                 compresslevel=self.compresslevel) as archive:
                archive.writestr("[Content_Types].xml", self._content_types())
                archive.writestr("_rels/.rels", _ROOT_RELS)
                archive.writestr("xl/workbook.xml", self._workbook())
                archive.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
                archive.writestr("xl/styles.xml", _STYLES)
                for n, sheet in enumerate(self._sheets, start=1):
                    archive.write(sheet.part, f"xl/worksheets/sheet{n}.xml")
        finally:
            self.discard()

    def discard(self) -> None:
        """Close and remove the temporary parts (after a save, a cancel or a failure)."""
        for sheet in self._sheets:
            sheet.close_quietly()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="{_CT}.worksheet+xml"/>'
            for n in range(1, len(self._sheets) + 1)
        )
        return (
            f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{sheets}</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f"<sheet name={quoteattr(s.title)} sheetId=\"{n}\""
            + (' state="hidden"' if s.hidden else "")
            + f' r:id="rId{n}"/>'
            for n, s in enumerate(self._sheets, start=1)
        )
        first_visible = next((i for i, s in enumerate(self._sheets) if not s.hidden), 0)
        return (
            f'{_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
            f'<bookViews><workbookView activeTab="{first_visible}" '
            f'firstSheet="{first_visible}"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>"
        )

    def _workbook_rels(self) -> str:
        n_sheets = len(self._sheets)
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{_NS_REL}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, n_sheets + 1)
        )
        styles = (f'<Relationship Id="rId{n_sheets + 1}" Type="{_NS_REL}/styles" '
                  'Target="styles.xml"/>')
        return f'{_DECL}<Relationships xmlns="{_NS_PKG_REL}">{rels}{styles}</Relationships>'
