"""Cells edited in the data sheets are reported with file, sheet, row and column."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest

from fieldsurvey.exchange.export import FormVersion, write_export
from fieldsurvey.exchange.importer import merge_files

from .samples import ExportItemFactory, parse


@pytest.fixture
def export_file(tmp_path, orgs_xform):
    def make(name="a.xlsx", preset="central"):
        form = FormVersion("orgs", "2", "Organizations", orgs_xform, parse(orgs_xform))
        path = tmp_path / name
        write_export(path, forms=[form], items=ExportItemFactory().items(2), preset=preset)
        return path

    return make


def _headers(ws):
    return {cell.value: cell.column_letter for cell in ws[1]}


def test_untouched_export_gives_no_warning(export_file, store_factory):
    report = merge_files(store_factory("c"), [export_file()])
    assert report.counts["new"] == 2 and report.warnings == []


def test_wrong_types_typed_in_excel_are_reported_and_not_merged(export_file, store_factory):
    import openpyxl

    path = export_file()
    book = openpyxl.load_workbook(path)  # opened and saved again, as Excel would
    ws = book["orgs"]
    col = _headers(ws)
    ws[f"{col['members']}2"] = "twelve"
    ws[f"{col['founded']}3"] = datetime(2001, 3, 5)
    ws[f"{col['org']}3"] = "Casa Maya (edited)"
    book["project"]["A2"] = "=1+1"
    book.save(path)

    store = store_factory("c")
    report = merge_files(store, [path])
    assert report.counts["new"] == 2
    found = {(w.sheet, w.row, w.column): w.english() for w in report.warnings}
    assert set(found) == {("orgs", 2, col["members"]), ("orgs", 3, col["founded"]),
                          ("orgs", 3, col["org"]), ("project", 2, "A")}
    assert all(w.path == str(path) for w in report.warnings)
    assert "A number was expected" in found[("orgs", 2, col["members"])]
    assert "twelve" in found[("orgs", 2, col["members"])]
    assert "A date or time" in found[("orgs", 3, col["founded"])]
    assert "from Casa Maya to Casa Maya (edited)" in found[("orgs", 3, col["org"])]
    assert "formula" in found[("project", 2, "A")]
    assert all("_fieldsurvey sheet" in text for text in found.values())
    # the package is the source of truth: the stored interviews keep the exported answers
    xml = store.get_interview("uuid:i1").xml
    assert "<members>12</members>" in xml and "edited" not in store.get_interview("uuid:i2").xml


def test_rows_and_columns_removed_or_added_are_reported(export_file, store_factory):
    import openpyxl

    path = export_file()
    book = openpyxl.load_workbook(path)
    ws = book["orgs"]
    ws.delete_cols(ws[1][3].column)  # the 4th column
    ws.append(["added by hand"])
    book.save(path)
    report = merge_files(store_factory("c"), [path])
    messages = [(w.sheet, w.row, w.english()) for w in report.warnings]
    assert any(row == 1 and "column budget was removed" in text for _, row, text in messages)
    assert any(row == 4 and "1 rows were added" in text for _, row, text in messages)
    assert len(messages) == 2


def test_edited_central_csv_is_reported(export_file, store_factory):
    path = export_file("a.zip", preset="central-csv")
    edited = path.with_name("edited.zip")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "orgs.csv":
                data = data.replace(b"Casa Maya", b"Casa Maia", 1)
            zout.writestr(info.filename, data)
    report = merge_files(store_factory("c"), [edited])
    assert report.counts["new"] == 2
    ((sheet, row, text),) = [(w.sheet, w.row, w.english()) for w in report.warnings]
    assert (sheet, row) == ("orgs", 2) and "Casa Maia" in text


def _no_comparison(monkeypatch):
    from fieldsurvey.exchange import data_sheet_check

    def fail(*_args):
        raise AssertionError("the data sheets of an untouched file were read")

    monkeypatch.setattr(data_sheet_check.DataSheetCheck, "_compare", fail)
    return data_sheet_check


def test_an_untouched_export_is_recognised_from_its_zip_directory(export_file, store_factory,
                                                                  monkeypatch):
    """The CRC-32 recorded at export is compared with the zip's: no sheet is read."""
    check = _no_comparison(monkeypatch)
    monkeypatch.setattr(check, "_member_sha256", lambda *_a: pytest.fail("sheet hashed"))
    report = merge_files(store_factory("c"), [export_file(), export_file("b.zip", "central-csv")])
    assert report.counts["new"] == 2 and report.counts["unchanged"] == 2
    assert report.warnings == []


def test_an_export_without_crc32_is_recognised_by_hashing_its_sheets(export_file, store_factory,
                                                                     monkeypatch):
    """Files written before the CRC-32 was recorded carry only the sha256 of each sheet."""
    from fieldsurvey.exchange import export, package_sheet

    def end_record_before_crc32(count, sheets=None):
        record = package_sheet.end_record(count, sheets)
        del record.meta["sheet_crc32"]
        return record

    monkeypatch.setattr(export, "end_record", end_record_before_crc32)
    path = export_file()
    monkeypatch.undo()
    hashed = []
    check = _no_comparison(monkeypatch)
    original = check._member_sha256
    monkeypatch.setattr(check, "_member_sha256",
                        lambda archive, member: hashed.append(member) or original(archive, member))
    report = merge_files(store_factory("c"), [path])
    assert report.counts["new"] == 2 and report.warnings == []
    assert hashed  # compared by sha256, and found untouched
