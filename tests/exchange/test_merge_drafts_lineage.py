"""A draft keeps its instanceID while it is edited: merges tell a continued draft from a
rival one by the contents each descends from, never by clocks, and never drop an edit."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

import openpyxl
import pytest

from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.exchange.package_sheet import SHEET_NAME, PackageRecord, sha256_text

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md

DRAFT = "uuid:d1"


def _laptop(store_factory, tmp_path, name):
    store = store_factory(name)
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    return store


@pytest.fixture
def draft_files(store_factory, tmp_path):
    """A exports a draft; B merges it and continues it; A continues it too. Returns the
    files A1 (the first draft), B and A2 (A's continuation), by name."""
    a = _laptop(store_factory, tmp_path, "a")
    add_interview(a, orgs_instance(DRAFT), finalize=False)
    export_workbook(a, "orgs", tmp_path / "a1.xlsx", status="draft")
    b = store_factory("b")
    merge_files(b, [tmp_path / "a1.xlsx"])
    b.save_answer(DRAFT, orgs_instance(DRAFT, org="Casa Maya B"))
    export_workbook(b, "orgs", tmp_path / "b.xlsx", status="draft")
    a.save_answer(DRAFT, orgs_instance(DRAFT, org="Casa Maya A"))
    export_workbook(a, "orgs", tmp_path / "a2.xlsx", status="draft")
    return {name: tmp_path / f"{name}.xlsx" for name in ("a1", "b", "a2")}


def _groupings(files: list) -> list[list[list]]:
    """Every way to cut ``files`` (in this order) into consecutive merges."""
    out = []
    for cuts in itertools.product([False, True], repeat=len(files) - 1):
        groups, group = [], [files[0]]
        for cut, file in zip(cuts, files[1:], strict=True):
            if cut:
                groups.append(group)
                group = []
            group.append(file)
        out.append([*groups, group])
    return out


def _kept_answers(store) -> list[str]:
    """The organization name of every kept content of the draft, current one included."""
    xmls = [r.xml for r in store.revisions(DRAFT)] + [store.get_interview(DRAFT).xml]
    return sorted({x.split("<org>")[1].split("</org>")[0] for x in xmls})


@pytest.mark.parametrize("order", list(itertools.permutations(["a1", "b", "a2"])),
                         ids="-".join)
def test_a_draft_continued_on_two_laptops_is_a_conflict_in_any_order(order, draft_files,
                                                                       store_factory, tmp_path):
    for n, groups in enumerate(_groupings([draft_files[name] for name in order])):
        coordinator = store_factory(f"{'-'.join(order)}-{n}")
        conflicts = []
        for group in groups:
            report = merge_files(coordinator, group)
            conflicts += report.conflicts
            assert report.counts["rejected"] == 0
        where = f"{order} merged as {[[f.stem for f in g] for g in groups]}"
        # Both continuations kept, as well as the draft they started from.
        assert _kept_answers(coordinator) == ["Casa Maya", "Casa Maya A", "Casa Maya B"], where
        (conflict,) = conflicts
        assert conflict.local_instance_id == conflict.incoming_instance_id == DRAFT, where
        assert [(d.field, d.column) for d in conflict.differences] == [("/data/org", "org")]
        assert {conflict.differences[0].local, conflict.differences[0].incoming} == {
            "Casa Maya A", "Casa Maya B"}, where
        assert "Casa Maya</org>" not in coordinator.get_interview(DRAFT).xml, where
        exported = export_workbook(coordinator, "orgs", tmp_path / "out.xlsx", status="draft")
        assert exported.conflicts == 1, where
        again = merge_files(coordinator, [draft_files[name] for name in order])
        assert again.conflicts == [] and again.counts["unchanged"] == 3, where


def test_a_draft_continued_on_one_laptop_fast_forwards(draft_files, store_factory):
    coordinator = store_factory("coordinator")
    first = merge_files(coordinator, [draft_files["a1"], draft_files["a2"]])
    assert [f.counts["new"] + f.counts["updated"] for f in first.files] == [1, 1]
    assert first.conflicts == []
    assert "Casa Maya A" in coordinator.get_interview(DRAFT).xml
    assert _kept_answers(coordinator) == ["Casa Maya", "Casa Maya A"]
    # The older file afterwards changes nothing.
    assert merge_files(coordinator, [draft_files["a1"]]).counts["unchanged"] == 1
    assert "Casa Maya A" in coordinator.get_interview(DRAFT).xml


def test_a_merged_draft_continued_and_finalized_on_the_coordinator_is_no_conflict(
        draft_files, store_factory, tmp_path):
    """The coordinator's own continuation carries the lineage of what it merged."""
    c = store_factory("c")
    merge_files(c, [draft_files["b"]])
    c.finalize(DRAFT, orgs_instance(DRAFT, org="Casa Maya C"))
    export_workbook(c, "orgs", tmp_path / "c.xlsx")
    d = store_factory("d")
    report = merge_files(d, [draft_files["a1"], draft_files["b"], tmp_path / "c.xlsx"])
    assert report.conflicts == []
    assert "Casa Maya C" in d.get_interview(DRAFT).xml
    assert _kept_answers(d) == ["Casa Maya", "Casa Maya B", "Casa Maya C"]


def _forge(src, dest, *, org: str, ancestors: list[str] | None = None) -> None:
    """``src`` with the interview record's answer changed, its modification time moved a
    day ahead and its checksums recomputed (as someone with a script could)."""
    book = openpyxl.load_workbook(src)
    sheet = book[SHEET_NAME]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value != "interview":
            continue
        meta = json.loads(row[6].value)
        meta["modified_at"] = (datetime.fromisoformat(meta["modified_at"])
                               + timedelta(days=1)).isoformat()
        if ancestors is not None:
            meta["ancestors"] = ancestors
        text = "".join(c.value or "" for c in row[6 + int(row[4].value):])
        text = text.replace("<org>Casa Maya</org>", f"<org>{org}</org>")
        values = PackageRecord("interview", row[1].value, meta, text).to_row()
        for cell in row:
            cell.value = None
        for col, value in enumerate(values, start=1):
            sheet.cell(row=row[0].row, column=col, value=value)
    book.save(dest)


@pytest.mark.parametrize("finalize", [True, False], ids=["finalized", "draft"])
def test_a_forged_newer_record_never_replaces_a_merged_interview_unkept(
        finalize, store_factory, tmp_path):
    laptop = _laptop(store_factory, tmp_path, "laptop")
    add_interview(laptop, orgs_instance(DRAFT), finalize=finalize)
    export_workbook(laptop, "orgs", tmp_path / "a.xlsx", include_drafts=True)
    coordinator = store_factory("coordinator")
    merge_files(coordinator, [tmp_path / "a.xlsx"])
    original = coordinator.get_interview(DRAFT).xml

    # No lineage: a conflict, both kept, the interview shows what it showed.
    _forge(tmp_path / "a.xlsx", tmp_path / "forged.xlsx", org="Casa Mayo")
    report = merge_files(coordinator, [tmp_path / "forged.xlsx"])
    assert report.counts["rejected"] == 0
    (conflict,) = report.conflicts
    assert [(d.local, d.incoming) for d in conflict.differences] == [("Casa Maya", "Casa Mayo")]
    assert coordinator.get_interview(DRAFT).xml == original
    assert _kept_answers(coordinator) == ["Casa Maya", "Casa Mayo"]

    # A lineage naming the stored content: it replaces it, which stays kept.
    other = store_factory("other")
    merge_files(other, [tmp_path / "a.xlsx"])
    _forge(tmp_path / "a.xlsx", tmp_path / "forged2.xlsx", org="Casa Maye",
           ancestors=[sha256_text(original)])
    report = merge_files(other, [tmp_path / "forged2.xlsx"])
    assert report.counts["updated"] == 1 and report.conflicts == []
    assert "Casa Maye" in other.get_interview(DRAFT).xml
    assert original in [r.xml for r in other.revisions(DRAFT)]
    # On the first coordinator it is a rival of the first forgery: reported too.
    report = merge_files(coordinator, [tmp_path / "forged2.xlsx"])
    (conflict,) = report.conflicts
    assert [(d.local, d.incoming) for d in conflict.differences] == [("Casa Mayo", "Casa Maye")]
    assert _kept_answers(coordinator) == ["Casa Maya", "Casa Maye", "Casa Mayo"]


@pytest.fixture
def thirty_one(tmp_path, orgs_xform):
    from fieldsurvey.exchange.export import FormVersion, write_export

    from .samples import ExportItemFactory, parse

    form = FormVersion("orgs", "2", "Organizations", orgs_xform, parse(orgs_xform))
    path = tmp_path / "a.xlsx"
    write_export(path, forms=[form], items=ExportItemFactory().items(31))
    return path


def _drop_package_record(src, dest, key: str) -> None:
    """``src`` without the package record of ``key``, its record count recomputed."""
    book = openpyxl.load_workbook(src)
    sheet = book[SHEET_NAME]
    (row,) = [r[0].row for r in sheet.iter_rows(min_row=2) if r[1].value == key]
    sheet.delete_rows(row)
    end = sheet.max_row
    meta = json.loads(sheet.cell(row=end, column=7).value)
    meta["records"] -= 1
    for col, value in enumerate(PackageRecord("end", "", meta).to_row(), start=1):
        sheet.cell(row=end, column=col, value=value)
    book.save(dest)


def test_a_package_record_removed_is_named_once_not_cell_by_cell(thirty_one, store_factory,
                                                                   tmp_path):
    _drop_package_record(thirty_one, tmp_path / "cut.xlsx", "uuid:i5")
    report = merge_files(store_factory("c"), [tmp_path / "cut.xlsx"])
    assert report.counts["new"] == 30
    ((sheet, row, text),) = [(w.sheet, w.row, w.english()) for w in report.warnings]
    assert (sheet, row) == ("orgs", 6)  # the header, then uuid:i1 to uuid:i5
    assert text == ("The interview uuid:i5 of this row has no record in the _fieldsurvey sheet: "
                    "it was not merged.")


def test_a_data_sheet_row_removed_is_named_once_not_cell_by_cell(thirty_one, store_factory,
                                                                 tmp_path):
    book = openpyxl.load_workbook(thirty_one)
    book["orgs"].delete_rows(6)  # uuid:i5; its projects stay in their sheet
    book.save(tmp_path / "cut.xlsx")
    report = merge_files(store_factory("c"), [tmp_path / "cut.xlsx"])
    assert report.counts["new"] == 31
    assert [(w.sheet, w.english()) for w in report.warnings] == [
        ("orgs", "The interview uuid:i5 has no row in this sheet; it was merged from the "
                 "_fieldsurvey sheet.")]
