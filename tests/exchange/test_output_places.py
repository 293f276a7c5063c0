"""Where an export or a merge report cannot be written, the message says why in the
user's words, and a merge whose report fails stays saved."""

from __future__ import annotations

import json
import os
import stat

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.paths import DataDir
from fieldsurvey.store import open_store

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md


@pytest.fixture
def export_file(store_factory, tmp_path):
    """A laptop's export of two interviews."""
    store = store_factory("laptop")
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    add_interview(store, orgs_instance("uuid:x1"))
    add_interview(store, orgs_instance("uuid:x2", org="Casa Lenca"))
    store.close()
    out = tmp_path / "laptop.xlsx"
    assert main(["--data-dir", str(tmp_path / "laptop"), "export", "--form", "orgs",
                 "-o", str(out)]) == 0
    return out


@pytest.fixture
def notes(tmp_path):
    """A regular file standing where a folder is named."""
    path = tmp_path / "notes.txt"
    path.write_text("my notes", encoding="utf-8")
    return path


@pytest.mark.parametrize("below", ["out.xlsx", "sub/out.xlsx"])
def test_export_below_a_file_says_it_is_a_file(export_file, notes, tmp_path, capsys, below):
    capsys.readouterr()
    target = notes / below
    code = main(["--data-dir", str(tmp_path / "laptop"), "export", "--form", "orgs",
                 "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{notes} is a file, not a folder" in err
    assert "does not exist" not in err
    assert notes.read_text(encoding="utf-8") == "my notes"


def test_export_onto_a_folder_says_it_is_a_folder(export_file, tmp_path, capsys):
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "laptop"), "export", "--form", "orgs",
                 "-o", str(tmp_path), "--json"])
    error = json.loads(capsys.readouterr().out)["error"]
    assert code == 1
    assert (error["code"], error["path"]) == ("exchange.not_a_file", str(tmp_path))
    assert "This is a folder, not a file" in error["message"]


def merged_ids(folder) -> set[str]:
    with open_store(DataDir.resolve(folder), backup_on_start=False) as store:
        return {row.instance_id for row in store.list_interviews()}


def test_a_report_that_cannot_be_written_leaves_the_merge_saved(export_file, notes,
                                                                tmp_path, capsys):
    capsys.readouterr()
    coordinator = tmp_path / "coordinator"
    report = notes / "r.xlsx"
    code = main(["--data-dir", str(coordinator), "merge", str(export_file),
                 "--report", str(report)])
    captured = capsys.readouterr()
    assert code == 1
    assert "New: 2" in captured.out  # the counts are still shown
    assert "The merge is saved in the database" in captured.err
    assert f"{notes} is a file, not a folder" in captured.err
    assert merged_ids(coordinator) == {"uuid:x1", "uuid:x2"}
    # In JSON: the counts, and an error object that says the same.
    code = main(["--data-dir", str(coordinator), "merge", str(export_file), "--json",
                 "--report", str(report)])
    payload = json.loads(capsys.readouterr().out)
    assert code == 1 and payload["unchanged"] == 2
    assert payload["error"]["code"] == "exchange.report_not_saved"
    assert payload["error"]["cause"]["code"] == "exchange.not_a_folder"
    assert payload["report_error"] == payload["error"]


def test_a_disk_error_while_writing_the_report_leaves_the_merge_saved(export_file, tmp_path,
                                                                      monkeypatch, capsys):
    from fieldsurvey.exchange import importer

    def full_disk(report, dest):
        raise OSError(28, "No space left on device", str(dest))

    monkeypatch.setattr(importer, "write_report", full_disk)
    capsys.readouterr()
    coordinator = tmp_path / "coordinator"
    code = main(["--data-dir", str(coordinator), "merge", str(export_file),
                 "--report", str(tmp_path / "r.xlsx")])
    err = capsys.readouterr().err
    assert code == 1
    assert "The merge is saved in the database" in err and "No space left on device" in err
    assert merged_ids(coordinator) == {"uuid:x1", "uuid:x2"}


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_export_gets_the_permissions_of_a_new_file(tmp_path):
    from fieldsurvey.exchange.export import FormVersion, write_export

    from .samples import ExportItemFactory, parse

    xform = xform_from_md(SURVEY_MD.format(version="2"))
    form = FormVersion("orgs", "2", "Organizations", xform, parse(xform))
    previous = os.umask(0o022)
    try:
        write_export(tmp_path / "shared.xlsx", forms=[form], items=ExportItemFactory().items(1))
        os.umask(0o027)
        write_export(tmp_path / "group.xlsx", forms=[form], items=ExportItemFactory().items(1))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "shared.xlsx").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "group.xlsx").stat().st_mode) == 0o640
