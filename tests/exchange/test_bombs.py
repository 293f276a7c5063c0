"""Zip bombs and NUL characters in the files given to a merge: each refused as a whole,
naming the file and the limit, with the store left as it was and memory bounded.

The bombs inflate to about 1.2 GB. They are built without holding that much: a block of
text compressed once with a full flush (after which deflate starts afresh) is the same
bytes every time, so the member's compressed data is that block repeated."""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.exchange.workbook_io import CELL_LIMIT, MAX_ROW_CHARS, XlsxReader

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md

BOMB = 1200 * 10**6  # bytes a bomb inflates to
CEILING_MB = 500
PACKAGE = "xl/worksheets/sheet4.xml"  # the _fieldsurvey sheet of the sample form's export
DATA_SHEET = "xl/worksheets/sheet1.xml"
FILLER = b"a" * (1 << 20)


def _deflate(parts: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """Raw deflate data, CRC-32 and size of ``parts`` (bytes, times repeated)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for data, times in parts:
        block = comp.compress(data) + comp.flush(zlib.Z_FULL_FLUSH)
        out.append(block * times)
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    out.append(comp.flush())
    return b"".join(out), crc, size


def _patch_entry(path, name: str, *, crc: int, size: int) -> None:
    """Make the stored member ``name`` a deflated one of ``size`` bytes (local header and
    central directory: method, CRC-32, uncompressed size)."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(name)
    struct.pack_into("<H", data, info.header_offset + 8, zipfile.ZIP_DEFLATED)
    struct.pack_into("<L", data, info.header_offset + 14, crc)
    struct.pack_into("<L", data, info.header_offset + 22, size)
    encoded = name.encode()
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + length] == encoded:
            struct.pack_into("<H", data, pos + 10, zipfile.ZIP_DEFLATED)
            struct.pack_into("<L", data, pos + 16, crc)
            struct.pack_into("<L", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


def build_bomb(good, dest, member: str, parts, *, declared: int | None = None) -> None:
    """Copy the export ``good`` to ``dest`` with ``member`` made of ``parts``; its directory
    says ``declared`` bytes (the truth when None)."""
    raw, crc, size = _deflate(parts)
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info.filename, zin.read(info))
        zout.writestr(zipfile.ZipInfo(member), raw, compress_type=zipfile.ZIP_STORED)
    _patch_entry(dest, member, crc=crc, size=size if declared is None else declared)


def _filler(total: int = BOMB) -> tuple[bytes, int]:
    return FILLER, total // len(FILLER)


def _sheet_parts(good, member: str, kind: str) -> list[tuple[bytes, int]]:
    """The sheet ``member`` of ``good`` with ~1.2 GB added: junk rows, or one cell."""
    with zipfile.ZipFile(good) as z:
        head, tail = z.read(member).split(b"</sheetData>")
    if kind == "rows":  # empty cells: no row is read, nothing refuses them but a limit
        row = b'<row><c t="inlineStr"><is><t></t></is></c></row>' * 20000
        return [(head, 1), (row, BOMB // len(row)), (b"</sheetData>" + tail, 1)]
    return [(head + b'<row><c t="inlineStr"><is><t>', 1), _filler(),
            (b"</t></is></c></row></sheetData>" + tail, 1)]


def _shared_parts() -> list[tuple[bytes, int]]:
    texts = b"<si><t>abcdefgh</t></si>" * 40000
    return [(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', 1),
            (texts, BOMB // len(texts)), (b"</sst>", 1)]


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
def laptop(store_factory, tmp_path):
    store = store_factory("laptop")
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    for i in range(3):
        add_interview(store, orgs_instance(f"uuid:b{i}"))
    return store


@pytest.fixture
def good_xlsx(laptop, tmp_path):
    path = tmp_path / "good.xlsx"
    export_workbook(laptop, "orgs", path, mark_exported=False)
    return path


@pytest.fixture
def good_csv(laptop, tmp_path):
    path = tmp_path / "good.zip"
    export_workbook(laptop, "orgs", path, preset="central-csv", mark_exported=False)
    return path


@pytest.fixture
def coordinator(tmp_path, laptop):
    """A data folder that already holds a merged interview (its content must not change)."""
    other = tmp_path / "other.xlsx"
    store_dir = tmp_path / "coordinator"
    from fieldsurvey.paths import DataDir
    from fieldsurvey.store import open_store

    with open_store(DataDir.resolve(tmp_path / "elsewhere")) as source:
        install_xform(source, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
        add_interview(source, orgs_instance("uuid:kept"))
        export_workbook(source, "orgs", other, mark_exported=False)
    with open_store(DataDir.resolve(store_dir)) as store:
        assert merge_files(store, [other]).counts["new"] == 1
    return store_dir


def _content(store_dir) -> dict:
    from fieldsurvey.paths import DataDir
    from fieldsurvey.store import open_store

    with open_store(DataDir.resolve(store_dir)) as store:
        return {r.instance_id: (r.xml, r.status, r.revision)
                for r in store.iter_interviews(form_id="orgs", include_deleted=True)}


_MEASURE = (
    "import resource, subprocess, sys\n"
    "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stdout.write(f'{run.returncode} {peak}\\n' + run.stdout + run.stderr)\n"
)


def run_measured(*args: str) -> tuple[int, float, str]:
    """Run ``python -m fieldsurvey ARGS`` in a child: exit status, peak RSS in MB, output.
    The child's own child is measured, so no earlier child of the tests counts."""
    pytest.importorskip("resource")
    env = {**os.environ, "FIELDSURVEY_MERGE_WORKERS": "0", "FIELDSURVEY_LANG": "en"}
    out = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "fieldsurvey",
                          *args], capture_output=True, text=True, env=env, timeout=300).stdout
    first, _, output = out.partition("\n")
    status, peak = first.split()
    scale = 1 << 20 if sys.platform == "darwin" else 1 << 10  # ru_maxrss: bytes / KiB
    return int(status), int(peak) / scale, output


def _assert_refused_by_cli(store_dir, bomb, limit_pattern: str) -> None:
    before = _content(store_dir)
    status, peak, output = run_measured("--data-dir", str(store_dir), "merge", str(bomb))
    assert status != 0, output
    assert peak < CEILING_MB, (peak, output)
    assert bomb.name in output and re.search(limit_pattern, output), output
    assert "Traceback" not in output
    assert _content(store_dir) == before


# --------------------------------------------------------------------- merges of bombs

#: (member, parts, declared size, what the message names)
XLSX_BOMBS = {
    "sheet rows": (PACKAGE, "rows", None, r"unpacks to more than 1024 MB"),
    "sheet rows, size lied": (PACKAGE, "rows", 600_000,
                              r"more than the 600000 bytes its directory declares"),
    "one cell, size lied": (PACKAGE, "cell", 900 * 10**6,
                            rf"more than {CELL_LIMIT} characters"),
    "shared strings": ("xl/sharedStrings.xml", "shared", None, r"unpacks to more than 1024 MB"),
    "shared strings, size lied": ("xl/sharedStrings.xml", "shared", 600_000,
                                  r"more than the 600000 bytes its directory declares"),
    "data sheet, size lied": (DATA_SHEET, "cell", 900 * 10**6,
                              rf"more than {CELL_LIMIT} characters"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(XLSX_BOMBS))
def test_merge_refuses_xlsx_bomb_within_memory(case, good_xlsx, coordinator, tmp_path):
    member, kind, declared, named = XLSX_BOMBS[case]
    parts = _shared_parts() if kind == "shared" else _sheet_parts(good_xlsx, member, kind)
    bomb = tmp_path / "bomb.xlsx"
    build_bomb(good_xlsx, bomb, member, parts, declared=declared)
    assert bomb.stat().st_size < 10 << 20  # a bomb: small file, huge content
    _assert_refused_by_cli(coordinator, bomb, named)


def _csv_bomb_parts() -> list[tuple[bytes, int]]:
    header = b"kind,key,sha256,meta_sha256,meta_cells,text_cells,data\r\n"
    return [(header + b'export,,x,y,1,0,"', 1), _filler(), (b'"\r\n', 1)]


@pytest.mark.slow
@pytest.mark.parametrize(("declared", "named"), [
    (None, r"unpacks to more than 1024 MB"),
    (900 * 10**6, rf"more than {MAX_ROW_CHARS} characters in all"),
    (600_000, r"more than the 600000 bytes its directory declares"),
], ids=["honest", "size lied, row bound", "size lied"])
def test_merge_refuses_csv_zip_bomb_within_memory(declared, named, good_csv, coordinator,
                                                  tmp_path):
    bomb = tmp_path / "bomb.zip"
    build_bomb(good_csv, bomb, "_fieldsurvey.csv", _csv_bomb_parts(), declared=declared)
    _assert_refused_by_cli(coordinator, bomb, named)


# ------------------------------------------------------------------------- NUL in CSV


def _with_nul(good_csv, dest, member: str, row: int, column: int) -> None:
    with zipfile.ZipFile(good_csv) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
                rows[row - 1][column] = rows[row - 1][column][:3] + "\0" + rows[row - 1][column][3:]
                out = io.StringIO(newline="")
                csv.writer(out).writerows(rows)
                data = out.getvalue().encode("utf-8")
            zout.writestr(info.filename, data)


def test_merge_refuses_nul_in_package_csv(good_csv, coordinator, tmp_path):
    bad = tmp_path / "nul.zip"
    _with_nul(good_csv, bad, "_fieldsurvey.csv", row=3, column=7)
    before = _content(coordinator)
    status, _peak, output = run_measured("--data-dir", str(coordinator), "merge", str(bad))
    assert status != 0
    assert "nul.zip" in output and "row 3" in output and "column H" in output
    assert "NUL character" in output
    assert _content(coordinator) == before


def test_merge_refuses_nul_in_data_csv(good_csv, store_factory, tmp_path):
    bad = tmp_path / "nul-data.zip"
    _with_nul(good_csv, bad, "orgs.csv", row=2, column=1)
    store = store_factory("coordinator")
    report = merge_files(store, [bad])
    error = report.files[0].error
    assert error is not None and error.code == "exchange.nul"
    assert (error.path, error.row, error.column) == (str(bad), 2, "B")
    assert list(store.iter_interviews(form_id="orgs", include_deleted=True)) == []


# ------------------------------------------------------------- the reader's own bounds


def _sheet_file(tmp_path, sheet_xml: bytes, name="s.xlsx"):
    import openpyxl

    good = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "data"
    wb.active.append(["a"])
    wb.save(good)
    path = tmp_path / name
    build_bomb(good, path, "xl/worksheets/sheet1.xml", [(sheet_xml, 1)])
    return path


_WS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def _read_all(path):
    with XlsxReader(path) as reader:
        return list(reader.iter_rows("data"))


def test_cell_beyond_last_column_is_refused(tmp_path):
    # One cell at column ZZZZ would be a row of 300,000 empty cells before it.
    path = _sheet_file(tmp_path, _WS + b'<row r="1"><c r="ZZZZ1"><v>1</v></c></row>'
                       b"</sheetData></worksheet>")
    with pytest.raises(ExchangeError) as exc:
        _read_all(path)
    assert exc.value.code == "exchange.bomb" and "XFD" in str(exc.value)
    assert exc.value.row == 1


def test_cell_longer_than_excel_allows_is_refused(tmp_path):
    path = _sheet_file(tmp_path, _WS + b'<row r="2"><c r="C2" t="inlineStr"><is><t>'
                       + b"x" * (CELL_LIMIT + 1) + b"</t></is></c></row></sheetData></worksheet>")
    with pytest.raises(ExchangeError) as exc:
        _read_all(path)
    assert (exc.value.row, exc.value.column) == (2, "C")
    assert str(CELL_LIMIT) in str(exc.value)


def test_cell_of_excel_limit_is_read(tmp_path):
    path = _sheet_file(tmp_path, _WS + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
                       + b"x" * CELL_LIMIT + b"</t></is></c></row></sheetData></worksheet>")
    assert _read_all(path) == [(1, ["x" * CELL_LIMIT])]


def test_huge_xml_comment_is_refused(tmp_path):
    # expat holds a comment whole until it ends: 1.2 GB of it would all be in memory.
    text = b"".join(b"%07d" % i for i in range(700_000))  # 4.9 MB, far from a bomb ratio
    path = _sheet_file(tmp_path, _WS + b"<!--" + text + b"-->"
                       + b"</sheetData></worksheet>")
    with pytest.raises(ExchangeError) as exc:
        _read_all(path)
    assert exc.value.code == "exchange.bomb" and "4 MB" in str(exc.value)


def test_row_of_many_long_cells_is_refused(tmp_path):
    cell = b'<c t="inlineStr"><is><t>' + b"y" * CELL_LIMIT + b"</t></is></c>"
    row = b'<row r="1">' + cell * (MAX_ROW_CHARS // CELL_LIMIT + 1) + b"</row>"
    path = _sheet_file(tmp_path, _WS + row + b"</sheetData></worksheet>")
    with pytest.raises(ExchangeError) as exc:
        _read_all(path)
    assert exc.value.row == 1 and str(MAX_ROW_CHARS) in str(exc.value)


def _shared_file(tmp_path, texts: list[bytes]):
    import openpyxl

    good = tmp_path / "shared.xlsx"
    wb = openpyxl.Workbook()  # its text is inline; the table added is read all the same
    wb.active.title = "data"
    wb.active.append(["a"])
    wb.save(good)
    path = tmp_path / "bad-shared.xlsx"
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + b"".join(b"<si><t>%s</t></si>" % t for t in texts) + b"</sst>")
    build_bomb(good, path, "xl/sharedStrings.xml", [(sst, 1)])
    return path


def test_shared_text_longer_than_a_cell_is_refused(tmp_path):
    path = _shared_file(tmp_path, [b"a", b"z" * (CELL_LIMIT + 1)])
    with pytest.raises(ExchangeError) as exc:
        _read_all(path)
    assert exc.value.code == "exchange.bomb" and str(CELL_LIMIT) in str(exc.value)


def test_shared_strings_table_is_bounded(tmp_path, monkeypatch):
    from fieldsurvey.exchange import workbook_io

    path = _shared_file(tmp_path, [b"t%d" % i for i in range(50)])
    monkeypatch.setattr(workbook_io, "MAX_SHARED_STRINGS", 40)
    with pytest.raises(ExchangeError, match="more than 40 shared texts"):
        _read_all(path)
    monkeypatch.setattr(workbook_io, "MAX_SHARED_STRINGS", 1000)
    monkeypatch.setattr(workbook_io, "MAX_SHARED_CHARS", 100)
    with pytest.raises(ExchangeError, match="more than 100 characters in all"):
        _read_all(path)
    monkeypatch.setattr(workbook_io, "MAX_SHARED_CHARS", 1000)
    assert _read_all(path) == [(1, ["a"])]  # within the bounds, the file is read
