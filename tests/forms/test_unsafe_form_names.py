"""``form check`` and ``forms install`` of XLSForms whose id, version or media file names
could lead out of a folder."""

from __future__ import annotations

import json

import pytest
from xlsform import write_xlsform

from fieldsurvey.cli.main import main

SURVEY = [["type", "name", "label"], ["text", "q", "Q"]]


def _installed(capsys):
    assert main(["forms", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("settings", "column"), [
    ({"form_id": "../../../x"}, "form_id"),
    ({"form_id": "x", "version": "../../1"}, "version"),
])
def test_an_id_or_version_that_is_a_path_is_refused_with_sheet_and_column(
        settings, column, tmp_path, capsys):
    form = write_xlsform(tmp_path / "f.xlsx", SURVEY, settings=settings)
    assert main(["form", "check", "--json", str(form)]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["sheet"], error["column"]) == ("unsafe_name", "settings", column)
    assert repr(settings[column]) in error["message"]
    assert "folder separator" in error["message"]
    assert main(["forms", "install", str(form)]) != 0
    err = capsys.readouterr().err
    assert "sheet settings" in err and repr(settings[column]) in err
    assert _installed(capsys) == []
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()


@pytest.mark.parametrize("form_id", ["a b", "CON"])
def test_an_odd_but_harmless_id_installs_in_a_folder_of_the_data_folder(form_id, tmp_path,
                                                                         capsys, data_dir):
    form = write_xlsform(tmp_path / "f.xlsx", SURVEY, settings={"form_id": form_id})
    assert main(["form", "check", str(form)]) == 0
    out = capsys.readouterr().out
    if form_id == "a b":  # ODK Central takes it; some ODK tools do not
        assert "Warning: The form id 'a b' has characters other than" in out
    assert main(["forms", "install", str(form)]) == 0
    capsys.readouterr()
    assert [f["form_id"] for f in _installed(capsys)] == [form_id]
    folders = [p.name for p in data_dir.forms.iterdir()] if data_dir.forms.exists() else []
    assert form_id not in folders


def test_a_media_file_name_that_is_a_path_is_refused(tmp_path, capsys):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG not for the form")
    form_dir = tmp_path / "design"
    form_dir.mkdir()
    survey = [["type", "name", "label", "image"], ["note", "n", "Look", "..\\secret.png"]]
    form = write_xlsform(form_dir / "f.xlsx", survey, settings={"form_id": "pics"})
    assert main(["form", "check", "--json", str(form)]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unsafe_name"
    assert "The media file '..\\\\secret.png' cannot be used" in error["message"]
    assert main(["forms", "install", str(form)]) != 0
    capsys.readouterr()
    assert _installed(capsys) == []
