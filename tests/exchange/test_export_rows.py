"""Which rows an export holds, as Central would: no rows for a skipped repeat section,
no drafts unless asked for, and one stable ``KEY`` and ``SubmissionDate`` per interview
across corrections."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import openpyxl
import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.exchange.workbook_io import XlsxReader
from fieldsurvey.forms import FormSession
from fieldsurvey.store import open_store

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md

FORM_ID = "diaspora_organizations"
HAS_PROJECTS = "/data/activities/has_projects"


@pytest.fixture
def laptop(store_factory):
    store = store_factory("laptop")
    store.install_bundled_forms()
    return store


def sheet(path, name) -> list[dict]:
    with XlsxReader(path) as reader:
        rows = [values for _, values in reader.iter_rows(name)]
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def organization(store, *, projects: list[str], drop_projects: bool = False) -> str:
    """An interview of the bundled form finalized as Collect submits it; with
    ``drop_projects`` the projects are entered, then the section is skipped."""
    version = store.get_form(FORM_ID).version
    definition = store.form_definition(FORM_ID, version)
    session = FormSession(definition)
    session.set_answer("/data/consent_section/consent", "yes")
    session.set_answer(HAS_PROJECTS, "yes")
    for n, name in enumerate(projects, start=1):
        if session.repeat_count("/data/project") < n:
            session.add_repeat("/data/project")
        session.set_answer(f"/data/project[{n}]/project_name", name)
    if drop_projects:
        session.set_answer(HAS_PROJECTS, "no")
    record = store.create_interview(FORM_ID, version, session.to_xml())
    store.finalize(record.instance_id, session.to_xml(submission=True))
    return record.instance_id


def test_a_skipped_project_section_gives_no_project_row(laptop, tmp_path):
    with_projects = organization(laptop, projects=["School", "Clinic"])
    skipped = organization(laptop, projects=["Entered, then skipped"], drop_projects=True)
    export_workbook(laptop, FORM_ID, tmp_path / "out.xlsx", preset="central")
    parents = [row["PARENT_KEY"] for row in sheet(tmp_path / "out.xlsx", "project")]
    assert parents.count(with_projects) == 2
    assert skipped not in parents


def test_a_submitted_interview_without_projects_reopens_for_correction(laptop):
    skipped = organization(laptop, projects=["Entered, then skipped"], drop_projects=True)
    record = laptop.reopen(skipped)
    definition = laptop.form_definition(FORM_ID, record.form_version)
    session = FormSession.from_xml(definition, record.xml)
    assert session.state("/data/consent_section/consent").value == "yes"
    assert session.repeat_count("/data/project") == 0
    session.set_answer(HAS_PROJECTS, "yes")
    session.add_repeat("/data/project")
    session.set_answer("/data/project[1]/project_name", "Library")
    assert "<project_name>Library</project_name>" in session.to_xml(submission=True)


@pytest.fixture
def orgs_laptop(store_factory, tmp_path):
    store = store_factory("orgs")
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    return store


def test_drafts_are_left_out_unless_asked_for_and_then_say_so(orgs_laptop, tmp_path):
    add_interview(orgs_laptop, orgs_instance("uuid:done"))
    add_interview(orgs_laptop, orgs_instance("uuid:half"), finalize=False)
    report = export_workbook(orgs_laptop, "orgs", tmp_path / "default.xlsx",
                             mark_exported=False)
    assert report.instance_ids == ["uuid:done"]
    assert [row["KEY"] for row in sheet(tmp_path / "default.xlsx", "orgs")] == ["uuid:done"]

    for name, options in (("all", {"include_drafts": True}), ("drafts", {"status": "draft"})):
        export_workbook(orgs_laptop, "orgs", tmp_path / f"{name}.xlsx", mark_exported=False,
                        **options)
        status = {row["KEY"]: row["Status"] for row in sheet(tmp_path / f"{name}.xlsx", "orgs")}
        assert status["uuid:half"] == "draft"
        assert status.get("uuid:done", "absent") in (None, "absent")


def test_the_command_line_exports_drafts_only_when_asked(tmp_path, data_dir):
    with open_store(data_dir) as store:
        install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
        add_interview(store, orgs_instance("uuid:done"))
        add_interview(store, orgs_instance("uuid:half"), finalize=False)
    for args, keys in (([], ["uuid:done"]), (["--status", "draft"], ["uuid:half"])):
        out = tmp_path / f"cli{len(args)}.xlsx"
        assert main(["export", "--form", "orgs", "-o", str(out), *args]) == 0
        assert [row["KEY"] for row in sheet(out, "orgs")] == keys


def test_key_stays_the_first_instance_id_after_a_correction(orgs_laptop, tmp_path):
    add_interview(orgs_laptop, orgs_instance("uuid:first"))
    export_workbook(orgs_laptop, "orgs", tmp_path / "before.xlsx")
    for _ in range(2):
        record = orgs_laptop.reopen(orgs_laptop.list_interviews()[0].instance_id)
        orgs_laptop.finalize(record.instance_id, record.xml.replace("<members>12<", "<members>13<"))
    current = record.instance_id
    assert current != "uuid:first"
    export_workbook(orgs_laptop, "orgs", tmp_path / "after.xlsx")
    (before,), (after,) = sheet(tmp_path / "before.xlsx", "orgs"), sheet(tmp_path / "after.xlsx",
                                                                          "orgs")
    assert before["KEY"] == after["KEY"] == "uuid:first"
    assert after["meta-instanceID"] == current and after["Edits"] == 2
    assert before["Edits"] == 0
    projects = sheet(tmp_path / "after.xlsx", "project")
    assert {row["PARENT_KEY"] for row in projects} == {"uuid:first"}
    assert projects[0]["KEY"] == "uuid:first/project[1]"


@pytest.fixture
def clock(monkeypatch):
    """The store's clock, set by the test: ``clock.now`` is what the store reads."""
    import fieldsurvey.store.repository as repository

    state = SimpleNamespace(now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(repository, "utc_now", lambda: state.now)
    return state


def test_submission_date_stays_the_first_finalize_time_after_a_correction(
        orgs_laptop, tmp_path, clock):
    add_interview(orgs_laptop, orgs_instance("uuid:first"), finalize=False)
    clock.now = datetime(2026, 3, 2, 10, 15, 30, 250000, tzinfo=UTC)
    orgs_laptop.finalize("uuid:first", orgs_instance("uuid:first"))
    export_workbook(orgs_laptop, "orgs", tmp_path / "before.xlsx")
    clock.now = datetime(2026, 4, 20, 16, 0, tzinfo=UTC)  # corrected weeks later
    record = orgs_laptop.reopen("uuid:first")
    orgs_laptop.finalize(record.instance_id, record.xml.replace("<members>12<", "<members>13<"))
    export_workbook(orgs_laptop, "orgs", tmp_path / "after.xlsx")
    export_workbook(orgs_laptop, "orgs", tmp_path / "kobo.xlsx", preset="kobo")
    (before,) = sheet(tmp_path / "before.xlsx", "orgs")
    (after,) = sheet(tmp_path / "after.xlsx", "orgs")
    assert before["SubmissionDate"] == after["SubmissionDate"] == "2026-03-02T10:15:30.250Z"
    assert before["meta-instanceID"] == "uuid:first"
    assert after["meta-instanceID"] == record.instance_id != "uuid:first"
    (kobo,) = sheet(tmp_path / "kobo.xlsx", "Organizations")
    assert kobo["_submission_time"] == "2026-03-02T10:15:30"


def test_submission_date_of_a_draft_is_when_it_was_started(orgs_laptop, tmp_path, clock):
    clock.now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    add_interview(orgs_laptop, orgs_instance("uuid:half"), finalize=False)
    clock.now = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    orgs_laptop.save_answer("uuid:half", orgs_instance("uuid:half", org="Casa Maya II"))
    export_workbook(orgs_laptop, "orgs", tmp_path / "drafts.xlsx", status="draft")
    (row,) = sheet(tmp_path / "drafts.xlsx", "orgs")
    assert row["SubmissionDate"] == "2026-03-02T09:30:00.000Z"


def test_an_edited_export_of_a_corrected_interview_reports_only_the_edited_cell(
        orgs_laptop, store_factory, tmp_path, clock):
    add_interview(orgs_laptop, orgs_instance("uuid:first"))
    clock.now = datetime(2026, 4, 20, 16, 0, tzinfo=UTC)
    record = orgs_laptop.reopen("uuid:first")
    orgs_laptop.finalize(record.instance_id, record.xml.replace("<members>12<", "<members>13<"))
    path = tmp_path / "edited.xlsx"
    export_workbook(orgs_laptop, "orgs", path)
    book = openpyxl.load_workbook(path)
    ws = book["orgs"]
    column = {cell.value: cell.column_letter for cell in ws[1]}["org"]
    ws[f"{column}2"] = "Casa Maya (edited)"
    book.save(path)
    report = merge_files(store_factory("coordinator"), [path])
    assert not report.rejected_files, report.as_dict()
    assert [(w.sheet, w.row, w.column) for w in report.warnings] == [("orgs", 2, column)]
