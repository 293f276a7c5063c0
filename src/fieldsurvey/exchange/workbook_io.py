"""Writing and reading workbooks safely.

Writing: :func:`atomic_output` gives a temporary name beside the destination and renames it
only when the file is complete, so a cancelled or failed export leaves no half file behind.
The sheets themselves are written by :mod:`fieldsurvey.exchange.xlsx_writer`.

Reading: :class:`XlsxReader` streams the rows of one sheet with expat. It refuses what is
not a zip, a truncated or damaged zip, a zip bomb and any XML part that declares a DTD
(the door of "billion laughs" entity bombs), each with a message naming the file. What a
crafted file could make it hold in memory is bounded too: a cell's text, a row's cells and
characters, an XML token expat must buffer whole, the shared strings table; passing a bound
refuses the whole file with a message naming the limit.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.partial_files import partial_file
from fieldsurvey.i18n import N_
from fieldsurvey.zip_guard import MB, ZipLimitError, ZipLimits, check_directory, open_member

#: Excel's limit of characters in one cell.
CELL_LIMIT = 32767
#: Excel's limit of characters in a sheet name.
SHEET_NAME_LIMIT = 31
#: Texts that a spreadsheet would otherwise take as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")

# Limits on what a workbook may unpack to. A laptop's export of 10,000 interviews of a
# large form has sheets of a few hundred MB; a larger part is refused before it is inflated.
MAX_MEMBER_BYTES = 1024 * MB
MAX_TOTAL_BYTES = 2048 * MB
MAX_RATIO = 1000  # uncompressed / compressed, for members over 1 MiB
MAX_MEMBERS = 10000
LIMITS = ZipLimits(MAX_MEMBERS, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, MAX_RATIO)
#: Excel's last column (XFD): a cell beyond it would make a row of millions of empty cells.
MAX_COLUMNS = 16384
#: Characters in one row: the package sheet splits an interview over cells of CELL_LIMIT,
#: and no real interview comes near 16 million characters.
MAX_ROW_CHARS = 16 << 20
#: Bytes of one XML token (a tag, a comment) that expat holds whole until its end.
MAX_TOKEN_BYTES = 4 * MB
#: The shared strings table is held in memory: its texts and their characters are bounded.
MAX_SHARED_STRINGS = 2 << 20
MAX_SHARED_CHARS = 64 << 20
#: Sheet XML parsed at once: the rows it holds are buffered until read (64 KiB: a few
#: dozen rows of a package sheet, as fast as larger chunks).
READ_CHUNK = 64 << 10


@dataclass(frozen=True)
class ExchangeWarning:
    """Something written or read differently from what was asked, said to the user."""

    message: str  # English template marked with N_()
    params: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def english(self) -> str:
        return self.message.format(**self.params)

    def translated(self) -> str:
        from fieldsurvey.i18n import _

        return _(self.message).format(**self.params)

    def as_dict(self) -> dict[str, Any]:
        out = {"message": self.translated()}
        for key in ("path", "sheet", "row", "column"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def _check_output_place(dest: Path, folder: Path) -> None:
    """Say what stands in the way of writing ``dest``: a missing folder, a file where a
    folder should be, or a folder where the file should be."""
    if dest.is_dir():
        raise ExchangeError(
            N_("This is a folder, not a file: give the name of the file to write in it."),
            code="exchange.not_a_file", path=str(dest),
        )
    if folder.is_dir():
        return
    # The nearest part of the path that exists: a file there is why there is no folder.
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise ExchangeError(
            N_("{file} is a file, not a folder: nothing can be saved in it."),
            code="exchange.not_a_folder", params={"file": str(existing)}, path=str(dest),
        )
    raise ExchangeError(
        N_("The folder {folder} does not exist."), params={"folder": str(folder)}, path=dest
    )


def _set_default_mode(path: Path) -> None:
    """Give the file the permissions a newly created file gets (``0o666`` less the
    umask): mkstemp makes it readable by its owner only, and an export is meant to be
    shared. (Windows has no such bits; chmod there only sets read-only, left alone.)"""
    if os.name != "posix":
        return
    os.chmod(path, 0o666 & ~_umask())


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (setting
    it to read it back would touch files other threads create meanwhile)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def atomic_output(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it to ``dest`` only on success.

    The temporary file is in the same folder so that the rename is atomic; on any
    exception (cancel included) it is removed and ``dest`` is left as it was. Killed, the
    run leaves it, named so that the next export into the folder removes it (see
    :mod:`.partial_files`).
    """
    dest = Path(dest)
    folder = dest.parent if str(dest.parent) else Path(".")
    _check_output_place(dest, folder)
    tmp = partial_file(folder / dest.name)  # also removes what killed runs left there
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _set_default_mode(tmp)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# ----------------------------------------------------------------------------- reading

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


_COLUMNS: dict[str, int] = {}


def _column_of(ref: str, previous: int) -> int:
    """0-based column of a cell reference (``G12`` -> 6); ``previous + 1`` when the
    reference cannot be read."""
    letters = ref.rstrip("0123456789")
    # A reference without a row number ("G") is not one: the cache must not say otherwise.
    found = _COLUMNS.get(letters) if len(letters) < len(ref) else None
    if found is None:
        m = _CELL_REF.match(ref)
        if not m:
            return previous + 1
        if len(m.group(1)) > 3:  # past XFD: refused by the reader, not cached
            return MAX_COLUMNS
        found = _COLUMNS.setdefault(m.group(1), column_index(m.group(1)))
    return found


def column_index(letters: str) -> int:
    """0-based index of an Excel column: A -> 0, AA -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _damaged(path: Path, detail: str | None = None) -> ExchangeError:
    return ExchangeError(
        N_("The file is not an Excel workbook, or it is damaged or truncated."),
        code="exchange.damaged", path=path, detail=detail,
    )


def _refused(path: Path, message: str, params: dict[str, Any], **where: Any) -> ExchangeError:
    """The error that refuses a whole file because it passed one of the reader's bounds."""
    return ExchangeError(message, code="exchange.bomb", params=params, path=path, **where)


def row_too_long(path: Path, **where: Any) -> ExchangeError:
    """A row of a sheet or a CSV record holds more than :data:`MAX_ROW_CHARS`."""
    return _refused(path, N_("A row holds more than {limit} characters in all (possibly a "
                             "zip bomb); the file was refused."),
                    {"limit": MAX_ROW_CHARS}, **where)


def _cell_too_long(path: Path, **where: Any) -> ExchangeError:
    return _refused(path, N_("A cell holds more than {limit} characters, Excel's limit "
                             "(possibly a zip bomb); the file was refused."),
                    {"limit": CELL_LIMIT}, **where)


def _new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def refuse(*_args):
        raise ValueError("DTD")

    # A workbook part never needs a DTD; refusing it stops entity bombs and external entities.
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


class XlsxReader:
    """Streams the rows of an .xlsx file's sheets without loading the whole file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise ExchangeError(
                N_("The file does not exist."), code="exchange.missing", path=self.path
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _damaged(self.path, str(exc)) from None
        try:
            self._check_sizes()
        except BaseException:
            self._zip.close()
            raise
        self._shared: list[str] | None = None
        self.sheets: dict[str, str] = self._read_sheet_parts()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_sizes(self) -> None:
        try:
            check_directory(self._zip, LIMITS)
        except ZipLimitError as exc:
            raise _refused(self.path, exc.message, exc.params) from None

    def _parse(self, member: str, start=None, end=None, chars=None) -> None:
        parser = _new_parser()
        if start:
            parser.StartElementHandler = start
        if end:
            parser.EndElementHandler = end
        if chars:
            parser.CharacterDataHandler = chars
        with self._reading_part(member):
            for _ in self._feed(parser, member):
                pass

    def _feed(self, parser: expat.XMLParserType, member: str,
              sheet: str | None = None) -> Iterator[None]:
        """Parse ``member`` a chunk at a time (yielding after each), refusing the file when
        expat holds more than :data:`MAX_TOKEN_BYTES` of one token unparsed."""
        fed = 0
        with open_member(self._zip, member) as stream:
            while True:
                chunk = stream.read(READ_CHUNK)
                parser.Parse(chunk, not chunk)
                fed += len(chunk)
                # After Parse, CurrentByteIndex is where the last event began: what follows
                # is a token still buffered whole (text is reported as it comes).
                if fed - max(parser.CurrentByteIndex, 0) > MAX_TOKEN_BYTES:
                    raise _refused(
                        self.path,
                        N_("The file holds an XML tag or comment of more than {limit} MB, "
                           "which no workbook needs (possibly a zip bomb); the file was "
                           "refused."), {"limit": MAX_TOKEN_BYTES // MB}, sheet=sheet,
                        detail=None if sheet else member)
                yield
                if not chunk:
                    return

    @contextlib.contextmanager
    def _reading_part(self, member: str, *, sheet: str | None = None) -> Iterator[None]:
        """Turn what reading one XML part of the zip can raise into ExchangeErrors."""
        try:
            yield
        except KeyError:
            raise _damaged(self.path, f"missing part {member}") from None
        except ZipLimitError as exc:
            raise _refused(self.path, exc.message, exc.params, sheet=sheet) from None
        except ValueError as exc:
            if str(exc) == "DTD":  # refused by _new_parser's handler
                raise ExchangeError(
                    N_("The file contains XML with a document type declaration, which an "
                       "Excel workbook never needs (possibly an XML bomb); it was not opened."),
                    code="exchange.xml_bomb", path=self.path, sheet=sheet,
                    detail=None if sheet else member,
                ) from None
            raise _damaged(self.path, f"{member}: {exc}") from None
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _damaged(self.path, f"{member}: {exc}") from None

    def _read_sheet_parts(self) -> dict[str, str]:
        rels: dict[str, str] = {}
        order: list[tuple[str, str]] = []

        def rel_start(name, attrs):
            if name == f"{_NS_PKG_REL} Relationship":
                rels[attrs.get("Id", "")] = attrs.get("Target", "")

        def wb_start(name, attrs):
            if name == f"{_NS_MAIN} sheet":
                order.append((attrs.get("name", ""), attrs.get(f"{_NS_REL} id", "")))

        self._parse("xl/_rels/workbook.xml.rels", start=rel_start)
        self._parse("xl/workbook.xml", start=wb_start)
        sheets = {}
        for name, rid in order:
            target = rels.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target)
            )
            sheets[name] = part
        return sheets

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            strings: list[str] = []
            buf: list[str] = []
            state = {"in_t": False, "in_rph": False, "chars": 0, "total": 0}

            def start(name, _attrs):
                local = name.rsplit(" ", 1)[-1]
                if local == "si":
                    buf.clear()
                elif local == "t" and not state["in_rph"]:
                    state["in_t"] = True
                elif local == "rPh":
                    state["in_rph"] = True

            def end(name):
                local = name.rsplit(" ", 1)[-1]
                if local == "si":
                    if len(strings) >= MAX_SHARED_STRINGS:
                        raise _refused(
                            self.path,
                            N_("The file holds more than {limit} shared texts (possibly a "
                               "zip bomb); the file was refused."),
                            {"limit": MAX_SHARED_STRINGS})
                    strings.append("".join(buf))
                    state["chars"] = 0
                elif local == "t":
                    state["in_t"] = False
                elif local == "rPh":
                    state["in_rph"] = False

            def chars(text):
                if state["in_t"]:
                    state["chars"] += len(text)
                    state["total"] += len(text)
                    if state["chars"] > CELL_LIMIT:
                        raise _cell_too_long(self.path, detail="xl/sharedStrings.xml")
                    if state["total"] > MAX_SHARED_CHARS:
                        raise _refused(
                            self.path,
                            N_("The shared texts of the file hold more than {limit} "
                               "characters in all (possibly a zip bomb); the file was "
                               "refused."), {"limit": MAX_SHARED_CHARS})
                    buf.append(text)

            if "xl/sharedStrings.xml" in self._zip.namelist():
                self._parse("xl/sharedStrings.xml", start, end, chars)
            self._shared = strings
        return self._shared

    def iter_rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        """Yield ``(row_number, values)`` for each non-empty row of ``sheet``.

        Values are ``str``, ``int``/``float``, ``bool`` or ``None`` (empty); a cell that
        holds a formula yields a :class:`Formula`. Rows are produced while the sheet is
        parsed, a batch at a time, so memory stays flat.
        """
        part = self.sheets[sheet]
        shared = self._shared_strings() if self._needs_shared(part) else []
        rows: list[tuple[int, list[Any]]] = []
        text: list[str] = []
        # The handlers run for every element of the sheet: names are compared whole
        # (expat gives "namespace local"), state lives in closure variables.
        cell, value_tag, text_tag, formula_tag, row_tag = (
            f"{_NS_MAIN} {local}" for local in ("c", "v", "t", "f", "row"))
        row_number, values, col, kind, formula, collecting = 0, [], 0, "n", False, False
        cell_chars = row_chars = 0

        def where() -> dict[str, Any]:
            from openpyxl.utils import get_column_letter

            return {"sheet": sheet, "row": row_number,
                    "column": get_column_letter(min(col, MAX_COLUMNS - 1) + 1)}

        def start(name, attrs):
            nonlocal row_number, values, col, kind, formula, collecting, cell_chars, row_chars
            if name == cell:
                ref = attrs.get("r")
                col = _column_of(ref, col) if ref else col + 1
                if col >= MAX_COLUMNS:
                    raise _refused(self.path, N_("A row has cells beyond column {limit}, "
                                                 "Excel's last column (possibly a zip bomb); "
                                                 "the file was refused."),
                                   {"limit": "XFD"}, sheet=sheet, row=row_number)
                kind = attrs.get("t", "n")
                formula = False
                cell_chars = 0
                text.clear()
            elif name == value_tag or name == text_tag:
                collecting = True
            elif name == formula_tag:
                formula = True
            elif name == row_tag:
                r = attrs.get("r")
                row_number = int(r) if r else row_number + 1
                values = []
                col = -1
                row_chars = 0

        def end(name):
            nonlocal collecting, row_chars
            if name == value_tag or name == text_tag:
                collecting = False
            elif name == cell:
                value = _cell_value(kind, "".join(text), shared)
                # A shared text counts whole: many cells may name one long text.
                row_chars += len(value) if isinstance(value, str) else cell_chars
                if row_chars > MAX_ROW_CHARS:
                    raise row_too_long(self.path, sheet=sheet, row=row_number)
                if formula:
                    value = Formula(value)
                if value is not None and value != "":
                    while len(values) < col:
                        values.append(None)
                    values.append(value)
            elif name == row_tag and values:
                rows.append((row_number, values))

        def chars(data):
            nonlocal cell_chars
            if collecting:
                cell_chars += len(data)
                if cell_chars > CELL_LIMIT:
                    raise _cell_too_long(self.path, **where())
                text.append(data)

        parser = _new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        with self._reading_part(part, sheet=sheet):
            for _ in self._feed(parser, part, sheet):
                if rows:
                    yield from rows
                    rows.clear()

    def _needs_shared(self, part: str) -> bool:
        return "xl/sharedStrings.xml" in self._zip.namelist()


class Formula(str):
    """The cached result of a cell that holds a formula (never trusted as data)."""


def _cell_value(kind: str, raw: str, shared: list[str]) -> Any:
    if kind == "inlineStr" or kind == "str":
        return raw
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            return None
    if raw == "":
        return None
    if kind == "b":
        return raw == "1"
    if kind == "e":
        return Formula(raw)
    if kind == "d":
        return raw
    try:
        if "." in raw or "E" in raw or "e" in raw:
            return float(raw)
        return int(raw)
    except ValueError:
        return raw
