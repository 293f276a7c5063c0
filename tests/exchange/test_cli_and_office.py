"""The export and merge commands, and the exported workbooks in LibreOffice."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from fieldsurvey.cli.main import main

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md


@pytest.fixture
def laptop_dir(store_factory, tmp_path):
    store = store_factory("laptop")
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    add_interview(store, orgs_instance("uuid:x1", org="=1+1"))
    add_interview(store, orgs_instance("uuid:x2", org="@home"), enumerator="enumerator02")
    store.close()
    return tmp_path / "laptop"


def test_export_then_merge_from_the_command_line(laptop_dir, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    code = main(["--data-dir", str(laptop_dir), "export", "--form", "orgs", "--preset", "kobo",
                 "--enumerator", "enumerator01", "--only-new", "-o", str(out), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["interviews"] == 1
    # marked exported: a second "only new" export finds nothing
    assert main(["--data-dir", str(laptop_dir), "export", "--form", "orgs", "--only-new",
                 "--enumerator", "enumerator01", "-o", str(tmp_path / "b.xlsx"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["interviews"] == 0
    coordinator = tmp_path / "coordinator"
    code = main(["--data-dir", str(coordinator), "merge", str(out), "--json",
                 "--report", str(tmp_path / "r.xlsx")])
    counts = json.loads(capsys.readouterr().out)
    assert code == 0 and counts["new"] == 1 and counts["rejected"] == 0
    assert (tmp_path / "r.xlsx").exists()


def test_merge_reports_a_bad_file_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["--data-dir", str(tmp_path / "c"), "merge", str(bad)]) == 1
    assert "bad.xlsx" in capsys.readouterr().err


def test_unknown_form_is_an_error(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "c"), "export", "--form", "nope",
                 "-o", str(tmp_path / "x.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["central", "kobo"])
def test_libreoffice_opens_the_export_and_shows_formulas_as_text(
    preset, laptop_dir, tmp_path, capsys
):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / f"{preset}.xlsx"
    assert main(["--data-dir", str(laptop_dir), "export", "--form", "orgs", "--preset",
                 preset, "-o", str(out)]) == 0
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv", "--outdir", str(tmp_path / "csv"), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader((tmp_path / "csv" / f"{preset}.csv").open(encoding="utf-8")))
    header = rows[0]
    column = header.index("org")
    assert [r[column] for r in rows[1:]] == ["=1+1", "@home"]
    assert "KEY" in header or "_uuid" in header
