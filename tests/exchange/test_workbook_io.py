"""Writing and reading workbooks: no formulas, no half files, no bombs."""

from __future__ import annotations

import io
import zipfile

import pytest

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.workbook_io import (
    CELL_LIMIT,
    XlsxReader,
    atomic_output,
)
from fieldsurvey.exchange.xlsx_writer import XlsxWriter


def _write(path, rows, title="data"):
    writer = XlsxWriter(path)
    sheet = writer.add_sheet(title)
    for row in rows:
        sheet.append(row)
    writer.save()
    return writer


def test_formula_like_texts_are_string_cells(tmp_path):
    path = tmp_path / "f.xlsx"
    _write(path, [["=1+1", "+33 1 23", "-5 apples", "@SUM(A1)", 7]])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert '<c r="A1" t="inlineStr"><is><t>=1+1</t></is></c>' in xml
    with XlsxReader(path) as reader:
        assert list(reader.iter_rows("data")) == [(1, ["=1+1", "+33 1 23", "-5 apples",
                                                       "@SUM(A1)", 7])]


def test_long_text_is_cut_with_a_warning(tmp_path):
    writer = _write(tmp_path / "l.xlsx", [["x" * (CELL_LIMIT + 10)]])
    assert len(writer.warnings) == 1
    assert writer.warnings[0].row == 1 and writer.warnings[0].column == "A"
    with XlsxReader(tmp_path / "l.xlsx") as reader:
        (_, values), = reader.iter_rows("data")
    assert len(values[0]) == CELL_LIMIT


def test_sheet_names_follow_excel_rules_with_warnings(tmp_path):
    writer = XlsxWriter(tmp_path / "s.xlsx")
    long_name = "a_repeat_name_that_is_much_longer_than_excel_allows"
    first = writer.add_sheet(long_name).title
    second = writer.add_sheet(long_name).title
    odd = writer.add_sheet("what?/[x]").title
    writer.save()
    assert len(first) == 31 and len(second) == 31 and first != second
    assert second.endswith("~1")
    assert odd == "what___x_"
    assert len(writer.warnings) == 3


def test_failed_write_leaves_no_file(tmp_path):
    dest = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError), atomic_output(dest) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_not_a_workbook_is_rejected_with_the_file_name(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("hello")
    with pytest.raises(ExchangeError) as exc:
        XlsxReader(path)
    assert exc.value.path == str(path)
    assert exc.value.code == "exchange.damaged"


def test_truncated_workbook_is_rejected(tmp_path):
    good = tmp_path / "good.xlsx"
    _write(good, [[str(i) * 50 for i in range(20)] for _ in range(200)])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ExchangeError):
        with XlsxReader(cut) as reader:
            list(reader.iter_rows("data"))


def _replace_member(src, dest, name, data: bytes):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == name else zin.read(info))


def test_xml_bomb_is_refused(tmp_path):
    good = tmp_path / "good.xlsx"
    _write(good, [["a"]])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    bad = tmp_path / "bomb.xlsx"
    _replace_member(good, bad, "xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(ExchangeError) as exc:
        with XlsxReader(bad) as reader:
            list(reader.iter_rows("data"))
    assert exc.value.code == "exchange.xml_bomb"


def test_zip_bomb_is_refused(tmp_path):
    bad = tmp_path / "zipbomb.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    bad.write_bytes(buf.getvalue())
    with pytest.raises(ExchangeError) as exc:
        XlsxReader(bad)
    assert exc.value.code == "exchange.bomb"


def test_reader_reads_shared_strings_as_saved_by_spreadsheets(tmp_path):
    import openpyxl

    path = tmp_path / "shared.xlsx"
    wb = openpyxl.Workbook()  # the normal mode writes a shared strings table, as Excel does
    ws = wb.active
    ws.title = "s"
    ws.append(["alpha", 2.5, None, "beta"])
    wb.save(path)
    with XlsxReader(path) as reader:
        assert list(reader.iter_rows("s")) == [(1, ["alpha", 2.5, None, "beta"])]


def test_written_cells_keep_their_types_in_other_readers(tmp_path):
    path = tmp_path / "types.xlsx"
    writer = XlsxWriter(path)
    sheet = writer.add_sheet("data")
    sheet.append(["=1+1", 12, 2.5, " a & <b> \r\n c ", True, float("nan"), "x\x01y", None,
                  "2024-05-01"])
    hidden = writer.add_sheet("_package")
    hidden.hide()
    hidden.append(["kept", 3])
    writer.save()
    assert [(w.row, w.column) for w in writer.warnings] == [(1, "G")]  # the control character

    import openpyxl

    book = openpyxl.load_workbook(path)
    assert [ws.sheet_state for ws in book] == ["visible", "hidden"]
    assert [c.value for c in book["data"][1]] == [
        "=1+1", 12, 2.5, " a & <b> \r\n c ", True, "nan", "x\ufffdy", None, "2024-05-01"]
    assert book["data"]["A1"].data_type == "s"
    with XlsxReader(path) as reader:
        assert list(reader.iter_rows("_package")) == [(1, ["kept", 3])]


@pytest.mark.slow
def test_libreoffice_reads_every_sheet_with_numbers_as_numbers(tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    path = tmp_path / "book.xlsx"
    writer = XlsxWriter(path)
    data = writer.add_sheet("data")
    data.append(["text", "number", "formula_like"])
    data.append(["Casa & Maya", 1500.5, "=SUM(A1:A2)"])
    package = writer.add_sheet("_package")
    package.hide()
    package.append(["kept", 7])
    writer.save()
    # Filter options: comma, quote, UTF-8, ..., 7th token: quote every text cell (so a
    # number cell is the only bare value), last token -1: one CSV per sheet.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", options, "--outdir", str(tmp_path / "csv"), str(path)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr

    def lines(name):
        return (tmp_path / "csv" / f"book-{name}.csv").read_text(encoding="utf-8").splitlines()

    assert lines("data")[1] == '"Casa & Maya",1500.5,"=SUM(A1:A2)"'
    assert lines("_package") == ['"kept",7']


def test_reader_follows_cell_and_row_references_and_their_absence(tmp_path):
    """Spreadsheet programs may skip empty cells (references jump), write multi-letter
    columns, or leave references out (cells and rows then follow one another)."""
    path = tmp_path / "refs.xlsx"
    _write(path, [["x"]])
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<worksheet xmlns="{ns}"><sheetData>'
        '<row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c><c r="AA2"><v>7</v></c></row>'
        '<row><c t="inlineStr"><is><t>first</t></is></c><c t="b"><v>1</v></c>'
        '<c r="E3" t="e"><v>#N/A</v></c><c><f>1+1</f><v>2</v></c></row>'
        '<row r="9"><c r="A9" t="str"><v>x</v></c><c r="C9"/></row>'
        '<row r="10"><c r="B10"><v>1</v></c><c r="A"><v>2</v></c></row>'
        "</sheetData></worksheet>"
    )
    rebuilt = tmp_path / "rebuilt.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(rebuilt, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, sheet.encode() if info.filename.endswith("sheet1.xml") else data)
    with XlsxReader(rebuilt) as reader:
        rows = list(reader.iter_rows("data"))
    assert rows[0] == (2, [None, "b", *[None] * 24, 7])
    number, values = rows[1]
    assert number == 3 and values[:2] == ["first", True]
    assert values[2:4] == [None, None] and values[4] == "#N/A" and values[5] == "2"
    assert type(values[4]).__name__ == type(values[5]).__name__ == "Formula"
    assert rows[2] == (9, ["x"])
    assert rows[3] == (10, [None, 1, 2])  # "A" is no reference: read as the next cell
