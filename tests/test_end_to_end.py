"""The coordinator's day, end to end, through the real command line in real processes.

Three simulated laptops export their interviews (``demo --laptops``); the coordinator
merges the exports into an empty data folder, merges them again (nothing may change),
exports the merged dataset in ODK Central's layout and opens it the way an analyst would:
sheet by sheet, joining the repeat sheet to the main one on ``PARENT_KEY`` / ``KEY``.
When LibreOffice is installed, it must read every sheet with the same headers and rows.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

FORM_ID = "diaspora_organizations"
CENTRAL_TRAILER = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                   "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                   "FormVersion"]  # fmt: skip


def fieldsurvey(data_dir: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    """Run ``python -m fieldsurvey`` as a user would; fail with its output on a bad status."""
    env = {**os.environ, "LANGUAGE": "en", "PYTHONUTF8": "1"}
    env.pop("FIELDSURVEY_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=180,
    )  # fmt: skip
    assert done.returncode == expect, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def as_json(done: subprocess.CompletedProcess):
    return json.loads(done.stdout)


def sheet_rows(workbook: openpyxl.Workbook, name: str) -> list[dict]:
    rows = list(workbook[name].iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    """Three laptops' exports merged into a fresh coordinator folder, then exported."""
    root = tmp_path_factory.mktemp("trial")
    laptops, coordinator = root / "laptops", root / "coordinator"
    demo = as_json(fieldsurvey(laptops, "demo", "--interviews", "24", "--laptops", "3",
                               "--seed", "11", "--out", str(root / "exports"), "--json"))  # fmt: skip
    files = sorted(str(p) for p in (root / "exports").glob("*.xlsx"))
    first = as_json(fieldsurvey(coordinator, "merge", *files, "--report",
                                str(root / "report.xlsx"), "--json"))  # fmt: skip
    listed = as_json(fieldsurvey(coordinator, "interviews", "list", "--json"))
    again = as_json(fieldsurvey(coordinator, "merge", *files, "--json"))
    listed_again = as_json(fieldsurvey(coordinator, "interviews", "list", "--json"))
    central = root / "central.xlsx"
    export = as_json(fieldsurvey(coordinator, "export", "--form", FORM_ID, "--preset",
                                 "central", "-o", str(central), "--json"))  # fmt: skip
    return {"root": root, "coordinator": coordinator, "demo": demo, "files": files,
            "first": first, "listed": listed, "again": again, "listed_again": listed_again,
            "central": central, "export": export}


def test_the_merge_brings_in_every_interview_of_every_laptop_once(trial):
    demo, first = trial["demo"], trial["first"]
    assert len(trial["files"]) == 3
    assert first["rejected"] == 0 and not first.get("error")
    assert [Path(f["path"]).name for f in first["files"]] == [Path(f).name for f in trial["files"]]
    # Interviews handed from laptop to laptop arrive several times but are stored once,
    # drafts as drafts.
    assert first["new"] == demo["interviews"] == len(trial["listed"])
    assert len({i["instance_id"] for i in trial["listed"]}) == len(trial["listed"])
    statuses = [i["status"] for i in trial["listed"]]
    assert statuses.count("draft") == demo["drafts"]
    assert statuses.count("finalized") == demo["finalized"]
    assert first["conflicting"] == demo["conflicts"] == len(first["conflicts"])
    report = openpyxl.load_workbook(trial["root"] / "report.xlsx", read_only=True)
    assert {"files", "conflicts", "duplicates", "warnings"} <= set(report.sheetnames)


def test_merging_the_same_exports_again_changes_nothing(trial):
    again = trial["again"]
    assert (again["new"], again["updated"], again["conflicting"], again["rejected"]) == (0, 0, 0, 0)
    assert again["unchanged"] == sum(f["unchanged"] + f["new"] + f["updated"] + f["conflicting"]
                                     for f in trial["first"]["files"])  # fmt: skip
    assert again["conflicts"] == []
    assert trial["listed_again"] == trial["listed"]
    check = fieldsurvey(trial["coordinator"], "db", "check").stdout
    assert "Integrity: ok" in check


def test_the_central_export_has_centrals_tables_and_keys(trial):
    export = trial["export"]
    # Drafts stay out (Central holds none); every finished interview is there once.
    finished = [i for i in trial["listed"] if i["status"] != "draft"]
    assert export["interviews"] == len(finished) < len(trial["listed"])
    book = openpyxl.load_workbook(trial["central"], read_only=True)
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    assert visible[:2] == [FORM_ID, "project"]
    assert book["_fieldsurvey"].sheet_state == "hidden"

    main = sheet_rows(book, FORM_ID)
    header = list(main[0])
    assert header[0] == "SubmissionDate"
    assert header[-len(CENTRAL_TRAILER):] == CENTRAL_TRAILER
    # Group paths joined with "-", as Central names them.
    assert {"interview-researcher", "profile-org_name", "consent_section-consent",
            "governments-enable-consulate_frequency", "meta-instanceID"} <= set(header)  # fmt: skip
    assert len(main) == export["rows"][FORM_ID] == len(finished)
    keys = [row["KEY"] for row in main]
    assert len(set(keys)) == len(keys) and all(k.startswith("uuid:") for k in keys)
    # KEY is the interview's first instanceID, as Central keeps it across edits;
    # meta-instanceID is the current revision's.
    assert {i["interview_key"] for i in finished} == set(keys)
    assert {i["instance_id"] for i in finished} == {row["meta-instanceID"] for row in main}
    corrected = [row for row in main if row["Edits"]]
    assert corrected and all(row["KEY"] != row["meta-instanceID"] for row in corrected)
    assert all(row["SubmissionDate"].endswith("Z") for row in main)

    projects = sheet_rows(book, "project")
    assert list(projects[0])[-2:] == ["PARENT_KEY", "KEY"]
    assert "project_name" in projects[0]  # repeat columns are named inside the repeat
    assert len(projects) == export["rows"]["project"]
    for row in projects:
        assert row["PARENT_KEY"] in set(keys)
        assert row["KEY"].startswith(row["PARENT_KEY"] + "/project[")
    with_projects = [row for row in main if row["activities-has_projects"] == "yes"]
    assert with_projects, "the sample must hold organizations with projects"
    parents = {row["PARENT_KEY"] for row in projects if row["project_name"]}
    assert {row["KEY"] for row in with_projects} <= parents


def test_a_skipped_project_section_leaves_no_project_row(trial):
    book = openpyxl.load_workbook(trial["central"], read_only=True)
    main = sheet_rows(book, FORM_ID)
    without = {row["KEY"] for row in main if row["activities-has_projects"] != "yes"}
    assert without, "the sample must hold organizations without projects"
    orphans = [row["KEY"] for row in sheet_rows(book, "project") if row["PARENT_KEY"] in without]
    assert orphans == []


def test_a_draft_is_not_exported_as_a_finished_interview(trial, tmp_path):
    drafts = {i["interview_key"] for i in trial["listed"] if i["status"] == "draft"}
    assert drafts, "the sample must hold drafts"
    book = openpyxl.load_workbook(trial["central"], read_only=True)
    assert drafts.isdisjoint(row["KEY"] for row in sheet_rows(book, FORM_ID))
    # Asked for, drafts come, and say so.
    asked = tmp_path / "drafts.xlsx"
    fieldsurvey(trial["coordinator"], "export", "--form", FORM_ID, "--status", "draft",
                "-o", str(asked))  # fmt: skip
    rows = sheet_rows(openpyxl.load_workbook(asked, read_only=True), FORM_ID)
    assert {row["KEY"] for row in rows} == drafts
    assert all(row["Status"] == "draft" for row in rows)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_every_sheet_as_the_export_wrote_it(trial, tmp_path):
    out = tmp_path / "csv"
    # Every sheet (the last filter token, -1), UTF-8, in a profile of its own so that a
    # LibreOffice already running elsewhere does not take the job.
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", csv_filter, "--outdir", str(out), str(trial["central"])],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(trial["central"], read_only=True)
    for name in (FORM_ID, "project"):
        written = list(book[name].iter_rows(values_only=True))
        with open(out / f"central-{name}.csv", encoding="utf-8", newline="") as handle:
            read = list(csv.reader(handle))
        assert read[0] == list(written[0]), name
        assert len(read) == len(written), name
        key = read[0].index("KEY")
        assert [r[key] for r in read[1:]] == [r[key] for r in written[1:]], name
